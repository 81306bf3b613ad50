"""The evaluation page and its scorecard PDF in a subsidiary buyer's hands: their evaluation, the group outcome,
never another subsidiary's evaluation (issue 9, items 3 and 5)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.evaluation_factories import gen_shared_supplier_evaluations
from tests.factories import gen_user
from tests.web.helpers import login


def _two_evaluations(session):
    shared = gen_shared_supplier_evaluations(session)
    return shared.buyer_a, shared.low, shared.high


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_subsidiary_a_sees_its_evaluation_and_the_group_outcome_never_b_s(client, session):
    buyer_a, low, high = _two_evaluations(session)
    login(client, buyer_a.email)
    page = client.get(f"/evaluations/{low.id}").text
    assert 'id="period-grades"' in page and f'data-evaluation="{low.id}"' in page
    assert f'data-evaluation="{high.id}"' not in page and "乙子公司" not in page and "Beta Sub" not in page
    assert 'id="period-hidden"' in page and 'id="governing-level"' in page
    assert client.get(f"/evaluations/{high.id}").status_code == 404
    assert client.get(f"/reports/scorecards/{high.id}.pdf").status_code == 404
    text = _pdf_text(client.get(f"/reports/scorecards/{low.id}.pdf?lang=both"))
    assert "甲子公司" in text and "乙子公司" not in text and "Beta Sub" not in text
    assert "details not shared" in text and "Unqualified" in text


def test_the_root_sees_every_organisation_s_evaluation_of_the_period(client, session):
    buyer_a, low, high = _two_evaluations(session)
    reviewer = gen_user(session, "reviewer")
    session.commit()
    login(client, reviewer.email)
    page = client.get(f"/evaluations/{high.id}").text
    assert f'data-evaluation="{low.id}"' in page and f'data-evaluation="{high.id}"' in page
    assert "甲子公司" in page and "乙子公司" in page and 'id="period-hidden"' not in page
    text = _pdf_text(client.get(f"/reports/scorecards/{high.id}.pdf?lang=en"))
    assert "Alpha Sub" in text and "Beta Sub" in text and "governs" in text


def test_the_public_verification_page_shows_the_group_outcome_and_no_organisation(client, session):
    buyer_a, low, high = _two_evaluations(session)
    login(client, buyer_a.email)
    response = client.get(f"/reports/scorecards/{low.id}.pdf?lang=en")
    code = _pdf_text(response).split("Verification code: ")[1].split()[0]
    public = client.application.test_client()
    page = public.get(f"/verify/{code}", headers={"Accept-Language": "en"}).text
    assert "Group-level grade" in page and 'id="group-outcome"' in page
    assert "2 evaluations of the period in the group" in page and "This evaluation governs." in page
    assert "Alpha Sub" not in page and "Beta Sub" not in page and "乙子公司" not in page
