"""Training pages: sessions, attendance from both sides, a session that does not exist, yearly figures."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from supplychain.models import TrainingAttendance, TrainingSession
from tests.evidence_factories import gen_attendance, gen_training
from tests.web.helpers import logged_in_with_supplier, post_form

EN = {"Accept-Language": "en"}


def test_create_a_session_and_add_a_supplier_by_credit_code(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    held_on = (date.today() - timedelta(days=7)).isoformat()
    form = {"title": "供应商安全生产培训", "topic": "safety", "held_on": held_on, "hours": "3.5",
            "mode": "onsite", "organiser": "安全环保部"}
    response = post_form(client, "/trainings/new", form)
    assert response.status_code == 302
    training = session.scalar(select(TrainingSession))
    view_url = f"/trainings/{training.id}"
    data = {"supplier": supplier.credit_code.lower(), "head_count": "3", "names": "王伟\n李娜",
            "completed": "y"}
    response = post_form(client, f"{view_url}/attendances", data, page_url=view_url)
    assert response.status_code == 302
    attendance = session.scalar(select(TrainingAttendance))
    assert (attendance.supplier_id, attendance.head_count, attendance.completed) == (supplier.id, 3, True)
    page = client.get(f"/suppliers/{supplier.id}", headers=EN)
    assert 'data-training-hours="3.5"' in page.text and "供应商安全生产培训" in page.text


def test_session_form_errors_all_at_once(client, session):
    logged_in_with_supplier(client, session)
    response = post_form(client, "/trainings/new", {"title": "", "topic": "", "held_on": "yesterday",
                                                    "hours": "-1", "mode": "onsite"}, headers=EN)
    assert response.status_code == 200
    for message in ("This field is required.", "Choose one of the topics.", "Not a valid date value.",
                    "Between 0 and 200 hours."):
        assert message in response.text
    assert session.scalar(select(func.count(TrainingSession.id))) == 0


def test_attendance_for_a_session_that_does_not_exist(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    response = post_form(client, "/trainings/999999/attendances", {"supplier": supplier.credit_code},
                         page_url="/trainings/")
    assert response.status_code == 404
    url = f"/trainings/suppliers/{supplier.id}/attendance"
    missing = {"session_id": "999999", "head_count": "2", "completed": "y"}
    response = post_form(client, url, missing, headers=EN)
    assert response.status_code == 200 and "This training session does not exist." in response.text
    response = post_form(client, url, {"session_id": "abc", "head_count": "2"}, headers=EN)
    assert response.status_code == 200 and "This training session does not exist." in response.text
    assert session.scalar(select(func.count(TrainingAttendance.id))) == 0


def test_unknown_supplier_and_duplicate_attendance_are_refused(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    training = gen_training(session, held_on=date.today() - timedelta(days=1))
    gen_attendance(session, training, supplier)
    session.commit()
    view_url = f"/trainings/{training.id}"
    response = post_form(client, f"{view_url}/attendances", {"supplier": "不存在的公司", "head_count": "1"},
                         page_url=view_url, headers=EN)
    assert "No such supplier" in response.text
    response = post_form(client, f"{view_url}/attendances", {"supplier": str(supplier.id), "head_count": "1"},
                         page_url=view_url, headers=EN)
    assert "already recorded" in response.text


def test_record_attendance_from_the_supplier_page_and_remove_it(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    training = gen_training(session, held_on=date.today() - timedelta(days=1), hours=2)
    session.commit()
    url = f"/trainings/suppliers/{supplier.id}/attendance"
    response = post_form(client, url, {"session_id": str(training.id), "head_count": "4", "completed": "y"})
    assert response.status_code == 302
    attendance = session.scalar(select(TrainingAttendance))
    # No reason, nothing removed (issue 13, D20).
    response = post_form(client, f"/trainings/attendances/{attendance.id}/delete", {},
                         page_url=f"/trainings/{training.id}")
    assert response.status_code == 302
    assert session.scalar(select(func.count(TrainingAttendance.id))) == 1
    assert 'name="reason" required' in client.get(f"/trainings/{training.id}").text
    response = post_form(client, f"/trainings/attendances/{attendance.id}/delete", {"reason": "重复录入"},
                         page_url=f"/trainings/{training.id}")
    assert response.status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count(TrainingAttendance.id))) == 0


def test_year_figures_on_the_list_page(client, session):
    _user, supplier = logged_in_with_supplier(client, session, "auditor")
    year = date.today().year
    esg = gen_training(session, held_on=date(year, 1, 15), topic="esg")
    gen_training(session, held_on=date(year, 1, 16), topic="quality")
    supplier.registered_on = date(year - 1, 1, 1)
    gen_attendance(session, esg, supplier, head_count=5)
    session.commit()
    page = client.get(f"/trainings/?year={year}").text
    assert 'data-figure="sessions">1<' in page and 'data-figure="people">5<' in page
    assert 'data-figure="share">100.0 %<' in page
    assert client.get("/trainings/?year=99999").status_code == 400  # no date has that year (issue 14)
