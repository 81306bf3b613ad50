"""The public verification page: a real code verifies, an altered or unknown one does not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from supplychain.models import AnnualCertificate, ScorecardIssue
from supplychain.services.evaluation import scorecards
from supplychain.services.registry import relationships
from tests.evaluation_factories import TODAY, approve_all, gen_good_evidence, gen_submitted
from tests.factories import gen_category, gen_organisation, gen_supplier, gen_user
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


def _main(page) -> str:
    """What the page says about the code: its main part, without the top bar a logged-in reader has."""
    text = page.get_data(as_text=True)
    return text[text.index("<main"):text.index("</main>")]


def _subsidiary_scorecard_and_certificate(app, session, shared: bool):
    """SUB-A grades a supplier Excellent and prints its scorecard (SUB-B buys from it too when `shared`);
    returns the scorecard code, the certificate's code and the readers: logged out, SUB-B's buyer, the
    group's admin."""
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    supplier = gen_supplier(session, status="qualified", organisation=a, name_zh="甲子公司独家核验供应商")
    if shared:
        relationships.open_relationship(session, relationships.RelationshipData(b.id, supplier.id), None, TODAY)
    gen_good_evidence(session, supplier, TODAY)
    buyer_a = gen_user(session, "procurement", organisation=a)
    evaluation = approve_all(session, gen_submitted(session, value=95, supplier=supplier, actor=buyer_a))
    buyer_b, admin = gen_user(session, "procurement", organisation=b), gen_user(session, "admin")
    session.commit()
    issuer = app.test_client()
    login(issuer, buyer_a.email)
    assert issuer.get(f"/reports/scorecards/{evaluation.id}.pdf").status_code == 200
    code = session.scalar(select(ScorecardIssue.code).where(ScorecardIssue.evaluation_id == evaluation.id))
    certificate = session.scalar(select(AnnualCertificate.verification_code)
                                 .where(AnnualCertificate.supplier_id == supplier.id))
    readers = {"logged out": app.test_client()}
    for name, user in (("SUB-B's buyer", buyer_b), ("the group's admin", admin)):
        readers[name] = app.test_client()
        assert login(readers[name], user.email).status_code == 302
    return code, certificate, readers


@pytest.mark.parametrize("shared", [False, True], ids=["supplier-of-sub-a-only", "supplier-shared-with-sub-b"])
def test_a_code_verifies_the_same_for_everyone_whatever_their_scope(app, session, shared):
    code, certificate, readers = _subsidiary_scorecard_and_certificate(app, session, shared)
    answers = {}
    for name, reader in readers.items():
        page = reader.get(f"/verify/{scorecards.display_code(code)}", headers=EN)
        assert page.status_code == 200 and "This code verifies." in page.text, name
        assert "甲子公司独家核验供应商" in page.text, name
        check = reader.get(f"/evaluations/certificates/verify/{certificate}", headers=EN)
        assert check.status_code == 200 and 'data-certificate-state="valid"' in check.text, name
        answers[name] = (_main(page), _main(check))
    # The same answer, word for word: a logged-in reader learns nothing a logged-out one does not.
    assert answers["SUB-B's buyer"] == answers["logged out"] == answers["the group's admin"]


def test_an_unknown_or_altered_code_fails_for_everyone(app, session):
    code, certificate, readers = _subsidiary_scorecard_and_certificate(app, session, shared=False)
    altered = code[:-1] + ("0" if code[-1] != "0" else "1")
    for name, reader in readers.items():
        page = reader.get(f"/verify/{altered}", headers=EN)
        assert page.status_code == 200 and "This code does not verify." in page.text, name
        assert "甲子公司独家核验供应商" not in page.text, name
        check = reader.get(f"/evaluations/certificates/verify/{certificate[:-1]}X", headers=EN)
        assert check.status_code == 404 and "甲子公司独家核验供应商" not in check.text, name


def test_a_tampered_record_fails_for_everyone(app, session):
    code, _certificate, readers = _subsidiary_scorecard_and_certificate(app, session, shared=False)
    issue = session.scalar(select(ScorecardIssue).where(ScorecardIssue.code == code))
    issue.figures = {**issue.figures, "total": 100.0}
    session.commit()
    for name, reader in readers.items():
        page = reader.get(f"/verify/{code}", headers=EN)
        assert "This code does not verify." in page.text and "does not match its hash" in page.text, name


def test_verifying_leaves_the_readers_scope_in_place(app, session):
    code, _certificate, readers = _subsidiary_scorecard_and_certificate(app, session, shared=False)
    buyer_b = readers["SUB-B's buyer"]
    assert "This code verifies." in buyer_b.get(f"/verify/{code}", headers=EN).text
    # The next page of the same reader is SUB-B's again: SUB-A's supplier stays out of sight.
    assert "甲子公司独家核验供应商" not in buyer_b.get("/suppliers/?q=甲子公司").text
    supplier_id = session.scalar(select(ScorecardIssue.supplier_id).where(ScorecardIssue.code == code))
    assert buyer_b.get(f"/suppliers/{supplier_id}").status_code == 404
