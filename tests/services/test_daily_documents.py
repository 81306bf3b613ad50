"""Documents of issue 13: distinct file names per language (D12); past documents keep the names they were
issued with and one evaluation has one current code (D18)."""

from __future__ import annotations

from datetime import date

from supplychain.services.disclosure import downloads
from supplychain.services.evaluation import scorecards
from tests.services.test_scorecards import SETTINGS, evaluated  # noqa: F401 - the fixture


def test_scorecard_versions_have_their_own_names(session, evaluated):  # noqa: F811
    names = {lang: scorecards.scorecard_pdf(session, evaluated.id, lang, SETTINGS).filename
             for lang in ("zh", "en", "both")}
    assert len(set(names.values())) == 3
    assert names["zh"].endswith("-zh.pdf") and names["en"].endswith("-en.pdf")
    assert names["both"].endswith("-zh-en.pdf")


def test_disclosure_pdfs_have_their_own_names(session):
    names = {langs: downloads.export(session, 2024, "pdf", date(2025, 3, 1), None, "示例集团", langs)[1]
             for langs in (("zh",), ("en",), ("zh", "en"))}
    assert names == {("zh",): "supply-chain-disclosure-2024-zh.pdf", ("en",): "supply-chain-disclosure-2024-en.pdf",
                     ("zh", "en"): "supply-chain-disclosure-2024-zh-en.pdf"}


def test_d18_a_name_change_does_not_rewrite_a_past_scorecard_nor_give_it_a_second_code(session, evaluated):  # noqa: F811
    import io

    from pypdf import PdfReader

    first = scorecards.scorecard_pdf(session, evaluated.id, "zh", SETTINGS)
    session.commit()
    evaluated.supplier.name_zh = "重庆渝新智能装备有限公司"  # an approved change request
    session.commit()
    again = scorecards.scorecard_pdf(session, evaluated.id, "zh", SETTINGS)
    session.commit()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(again.pdf)).pages)
    assert "重庆渝新精密机械有限公司" in text and "重庆渝新智能装备有限公司" not in text
    assert again.code == first.code
    assert scorecards.verify(session, first.code).verified


def test_d18_only_the_latest_code_of_an_evaluation_verifies(session, evaluated):  # noqa: F811
    from supplychain.models import ScorecardIssue

    first = scorecards.scorecard_pdf(session, evaluated.id, "zh", SETTINGS)
    session.commit()
    # The figures moved on (e.g. another final evaluation changed the percentile): a new code is issued.
    issue = session.query(ScorecardIssue).filter_by(code=first.code).one()
    later = ScorecardIssue(code="ZZZZZZZZZZ", evaluation_id=evaluated.id, supplier_id=evaluated.supplier_id,
                           content_sha256=scorecards.content_hash(issue.figures), figures=issue.figures)
    session.add(later)
    session.commit()
    answer = scorecards.verify(session, first.code)
    assert not answer.verified and answer.reason == "superseded"


def test_d18_a_past_annual_certificate_keeps_the_name_it_was_issued_with(session, evaluated):  # noqa: F811
    import io
    from datetime import date

    from pypdf import PdfReader

    from supplychain.services.evaluation import certificates_annual

    certificate = certificates_annual.issue(session, evaluated.supplier, evaluated, "qualified", None,
                                            date(2025, 1, 20), "secret")
    session.commit()
    evaluated.supplier.name_zh = "重庆渝新智能装备有限公司"
    session.commit()
    pdf = certificates_annual.render_pdf(certificate, "示例集团", "Example Group", "https://example.com/v")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "重庆渝新精密机械有限公司" in text and "重庆渝新智能装备有限公司" not in text
