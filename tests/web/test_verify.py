"""The public verification page: a real code verifies, an altered or unknown one does not."""

from __future__ import annotations

from supplychain.models import ScorecardIssue
from supplychain.services.evaluation import scorecards
from tests.factories import gen_category, gen_supplier, gen_user
from tests.report_factories import gen_final_evaluation
from tests.web.helpers import login

EN = {"Accept-Language": "en"}


def _issued_code(client, session) -> tuple[str, object]:
    gen_category(session, "equipment", "设备", "Equipment")
    supplier = gen_supplier(session, status="qualified", name_zh="重庆核验测试有限公司")
    evaluation = gen_final_evaluation(session, supplier, year=2024)
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    assert client.get(f"/reports/scorecards/{evaluation.id}.pdf").status_code == 200
    return session.query(ScorecardIssue).one().code, evaluation


def test_anyone_can_verify_a_real_code(app, client, session):
    code, evaluation = _issued_code(client, session)
    anonymous = app.test_client()
    page = anonymous.get(f"/verify/{scorecards.display_code(code)}", headers=EN)
    assert page.status_code == 200 and "This code verifies." in page.text
    assert "重庆核验测试有限公司" in page.text and f"{evaluation.total:.1f}" in page.text
    assert evaluation.supplier.credit_code in page.text
    # Lower case and without the dash: the same.
    assert "This code verifies." in anonymous.get(f"/verify/{code.lower()}", headers=EN).text
    # The form sends the code to its page.
    response = anonymous.get(f"/verify/?code={code}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{code}")


def test_an_altered_code_does_not_verify(app, client, session):
    code, evaluation = _issued_code(client, session)
    anonymous = app.test_client()
    altered = code[:-1] + ("0" if code[-1] != "0" else "1")
    page = anonymous.get(f"/verify/{altered}", headers=EN)
    assert page.status_code == 200 and "This code does not verify." in page.text
    assert "重庆核验测试有限公司" not in page.text  # nothing about anyone is shown
    for bad in ("12345", "not-a-code-at-all", "%3Cscript%3E", "AAAAA-BBBBB"):
        page = anonymous.get(f"/verify/{bad}", headers=EN)
        assert page.status_code == 200 and "This code does not verify." in page.text
    assert "<script>" not in anonymous.get("/verify/%3Cscript%3E").text


def test_a_changed_evaluation_does_not_verify(app, client, session):
    code, evaluation = _issued_code(client, session)
    session.get(type(evaluation), evaluation.id).total = 99.0
    session.commit()
    page = app.test_client().get(f"/verify/{code}", headers=EN)
    assert "This code does not verify." in page.text and "has changed" in page.text


def test_verify_form_page(client):
    page = client.get("/verify/", headers=EN)
    assert page.status_code == 200 and "Verify a scorecard" in page.text
