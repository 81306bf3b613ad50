"""Incident and corrective-action pages: record, require, submit evidence, verify, overdue list, closing."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from supplychain.models import CorrectiveAction, Incident
from tests.evidence_factories import PDF, gen_action, gen_incident
from tests.factories import gen_user
from tests.web.helpers import logged_in_with_supplier, login, post_form

EN = {"Accept-Language": "en"}


def test_incident_to_verified_corrective_action(client, session):
    _user, supplier = logged_in_with_supplier(client, session, "admin")
    occurred_on = (date.today() - timedelta(days=3)).isoformat()
    form = {"category": "environmental", "severity": "major", "occurred_on": occurred_on,
            "description": "废水COD超标排放", "source": "区生态环境局通报", "status": "open"}
    response = post_form(client, f"/incidents/suppliers/{supplier.id}/new", form)
    assert response.status_code == 302
    incident = session.scalar(select(Incident))
    page = client.get(response.headers["Location"], headers=EN)
    assert "Significant negative impact" in page.text
    url = f"/corrective-actions/suppliers/{supplier.id}/new"
    action_form = {"incident_id": str(incident.id), "action": "整改污水处理设施", "owner": "王伟",
                   "due_on": (date.today() + timedelta(days=30)).isoformat()}
    response = post_form(client, url, action_form, page_url=f"{url}?incident={incident.id}")
    assert response.status_code == 302
    action = session.scalar(select(CorrectiveAction))
    view = f"/corrective-actions/{action.id}"
    data = {"note": "已更换设备", "evidence": (io.BytesIO(PDF), "第三方检测报告.pdf")}
    response = post_form(client, f"{view}/submit", data, page_url=view, content_type="multipart/form-data")
    assert response.status_code == 302
    assert 'data-status="submitted"' in client.get(view).text
    blank = {"decision": "accept", "verification_note": ""}
    response = post_form(client, f"{view}/verify", blank, page_url=view, headers=EN)
    assert response.status_code == 200 and "Write what was checked" in response.text
    # Separation of duties (issue 13, D15): whoever created or answered the action does not verify it.
    response = post_form(client, f"{view}/verify", {"decision": "accept", "verification_note": "复测合格"},
                         page_url=view, headers=EN)
    assert response.status_code == 200 and "cannot verify it" in response.text
    colleague = gen_user(session, "reviewer", name="复核人 陈刚")
    session.commit()
    other = client.application.test_client()
    login(other, colleague.email)
    response = post_form(other, f"{view}/verify", {"decision": "accept", "verification_note": "复测合格"},
                         page_url=view)
    assert response.status_code == 302
    session.expire_all()
    checked = session.get(CorrectiveAction, action.id)
    assert checked.status == "verified" and checked.evidence.original_name == "第三方检测报告.pdf"
    assert "复核人 陈刚" in other.get(view).text  # the page says who verified it
    # Its only action verified, the incident is closed with it.
    assert session.get(Incident, incident.id).status == "closed"


def test_incident_cannot_close_with_open_actions_and_future_dates_are_refused(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    incident = gen_incident(session, supplier)
    gen_action(session, supplier, incident)
    session.commit()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    form = {"category": "environmental", "severity": "major", "occurred_on": tomorrow,
            "description": "废水超标排放", "source": "", "status": "closed"}
    response = post_form(client, f"/incidents/{incident.id}/edit", form, headers=EN)
    assert response.status_code == 200
    assert "1 corrective actions are not verified yet." in response.text
    assert "An incident cannot be dated in the future." in response.text
    assert session.get(Incident, incident.id).status == "open"


def test_overdue_list_and_past_deadline_refused(client, session):
    _user, supplier = logged_in_with_supplier(client, session, "auditor")
    late = gen_action(session, supplier, due_on=date.today() - timedelta(days=1))
    on_time = gen_action(session, supplier, due_on=date.today())
    session.commit()
    page = client.get("/corrective-actions/overdue").text
    assert f'data-action="{late.id}"' in page and f'data-action="{on_time.id}"' not in page
    assert 'data-status="overdue"' in client.get(f"/suppliers/{supplier.id}").text
    assert f'data-action="{on_time.id}"' in client.get("/corrective-actions/?status=open").text


def test_a_new_action_needs_a_future_deadline(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    url = f"/corrective-actions/suppliers/{supplier.id}/new"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    form = {"incident_id": "", "action": "", "owner": "", "due_on": yesterday}
    response = post_form(client, url, form, headers=EN)
    for message in ("Describe the action required.", "Name who is responsible.",
                    "The deadline cannot be in the past."):
        assert message in response.text
    assert session.scalar(select(func.count(CorrectiveAction.id))) == 0
