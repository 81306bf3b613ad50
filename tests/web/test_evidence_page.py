"""Acceptance (issue 3): one procurement user records a supplier's whole evidence through the pages."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from supplychain.models import CorrectiveAction, Incident, TrainingSession
from tests.evidence_factories import PDF, gen_requirement, gen_template
from tests.factories import gen_category, gen_supplier, gen_user
from tests.web.helpers import login, post_form

KINDS = ("integrity", "clean_government", "anti_bribery", "code_of_conduct", "wage_guarantee")


def _days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def test_a_buyer_records_all_evidence_of_one_supplier_and_sees_badges_rates_and_the_expiry_list(app, client,
                                                                                                  session):
    buyer = gen_user(session, "procurement")
    category = gen_category(session, "engineering", "工程分包", "Engineering")
    for kind in KINDS:
        gen_requirement(session, category, "pledge", kind)
    for cert_type in ("iso9001", "iso14001", "iso45001"):
        gen_requirement(session, category, "certificate", cert_type)
    supplier = gen_supplier(session, status="qualified", categories=["engineering"])
    year_ago = date.today() - timedelta(days=365)
    templates = {kind: gen_template(session, kind, effective_on=year_ago) for kind in KINDS}
    session.commit()
    login(client, buyer.email)
    page = client.get(f"/suppliers/{supplier.id}").text
    assert len(re.findall(r'data-missing-pledges>.*?</div>', page, re.S)[0].split("data-kind=")) == 6

    for kind in KINDS:
        form = {"template_id": str(templates[kind].id), "signatory_name": "王伟", "signatory_title": "总经理",
                "signed_on": _days(-10), "valid_until": "", "scan": (io.BytesIO(PDF), f"{kind}承诺书.pdf")}
        response = post_form(client, f"/pledges/suppliers/{supplier.id}/new", form,
                             content_type="multipart/form-data")
        assert response.status_code == 302, kind
    certificates = (("iso9001", -300, 800), ("iso14001", -1000, 30), ("iso45001", -1100, -10))
    for cert_type, issued, expires in certificates:
        form = {"cert_type": cert_type, "number": f"CQC-{cert_type}", "issuer": "中国质量认证中心",
                "issued_on": _days(issued), "expires_on": _days(expires)}
        assert post_form(client, f"/certificates/suppliers/{supplier.id}/new", form).status_code == 302
    for title, topic in (("供应商ESG培训", "esg"), ("安全生产培训", "safety")):
        form = {"title": title, "topic": topic, "held_on": _days(-20), "hours": "3", "mode": "online"}
        assert post_form(client, "/trainings/new", form).status_code == 302
    for training in session.scalars(select(TrainingSession)).all():
        form = {"session_id": str(training.id), "head_count": "2", "completed": "y"}
        assert post_form(client, f"/trainings/suppliers/{supplier.id}/attendance", form).status_code == 302
    form = {"category": "safety", "severity": "major", "occurred_on": _days(-5),
            "description": "高处坠落未遂", "source": "现场检查", "status": "open"}
    assert post_form(client, f"/incidents/suppliers/{supplier.id}/new", form).status_code == 302
    incident = session.scalar(select(Incident))
    form = {"incident_id": str(incident.id), "action": "完善安全防护设施", "owner": "李娜",
            "due_on": _days(30)}
    assert post_form(client, f"/corrective-actions/suppliers/{supplier.id}/new", form).status_code == 302

    page = client.get(f"/suppliers/{supplier.id}", headers={"Accept-Language": "en"}).text
    assert "data-missing-pledges" not in page and "data-missing-certificates" in page  # the ISO 45001 expired
    assert page.count('data-pledge="') == 5 and page.count('data-status="valid"') == 5
    expiry = dict(re.findall(r'data-cert="(\w+)".*?data-expiry="(\w+)"', page, re.S))
    assert expiry == {"iso9001": "valid", "iso14001": "expiring", "iso45001": "expired"}
    assert 'data-training-hours="6"' in page
    assert session.scalar(select(CorrectiveAction)).incident_id == incident.id
    assert 'data-attention="3"' in page  # missing ISO 45001, the expiring and the expired certificate

    rates = client.get("/pledges/", headers={"Accept-Language": "en"}).text
    for kind in KINDS:
        assert re.search(rf'data-kind="{kind}"><td>[^<]+</td><td><strong>100.0 %', rates), kind
    result = app.test_cli_runner().invoke(args=["certificates", "expiring", "--days", "60"])
    assert result.exit_code == 0
    listed = [line.split("\t")[6] for line in result.stdout.strip().splitlines()]
    assert listed == ["CQC-iso45001", "CQC-iso14001"]
