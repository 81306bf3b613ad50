"""The scorecard shows each organisation's evaluation of the period the reader may see, and which one governs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from supplychain import scope
from supplychain.services.evaluation import period_evaluations, scorecards
from tests.evaluation_factories import (
    TODAY,
    approve_all,
    gen_good_evidence,
    gen_screening,
    gen_shared_supplier_evaluations,
    gen_submitted,
)
from tests.factories import gen_supplier, gen_user

SETTINGS = scorecards.ScorecardSettings(secret="test-secret", base_url="https://esg.example.com")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def two_evaluations(session):
    """Subsidiary A grades a shared supplier Unqualified, subsidiary B grades it Excellent, same period."""
    shared = gen_shared_supplier_evaluations(session)
    return shared.a, shared.b, shared.low, shared.high


def _as(session, organisation):
    scope.activate(session, scope.for_organisation(session, organisation))


def test_the_root_sees_every_evaluation_of_the_period_and_which_governs(session, two_evaluations):
    a, b, low, high = two_evaluations
    outcome = period_evaluations.for_reader(session, high)
    assert [e.evaluation_id for e in outcome.shown] == [low.id, high.id] and outcome.hidden == 0
    assert outcome.governing_level == "unqualified"
    assert [e.governs for e in outcome.shown] == [True, False]
    assert outcome.shown[0].organisation_code == "SUB-A" and outcome.shown[0].as_of == low.as_of

    card = scorecards.scorecard_pdf(session, high.id, "en", SETTINGS)
    text = _text(card.pdf)
    assert "Evaluations of this period in the group" in text
    assert "Alpha Sub" in text and "Beta Sub" in text and "governs" in text
    assert "Group-level grade: Unqualified" in text and "lowest grade of the period governs" in text
    assert scorecards.verify(session, card.code).verified


def test_subsidiary_a_never_sees_b_s_evaluation_and_the_code_is_the_reader_s_alike(session, two_evaluations):
    a, b, low, high = two_evaluations
    root_card = scorecards.scorecard_pdf(session, low.id, "both", SETTINGS)
    session.commit()
    _as(session, a)
    try:
        outcome = period_evaluations.for_reader(session, low)
        assert [e.evaluation_id for e in outcome.shown] == [low.id] and outcome.hidden == 1
        assert outcome.governing_level == "unqualified" and outcome.shown[0].governs
        card = scorecards.scorecard_pdf(session, low.id, "both", SETTINGS)
        text = _text(card.pdf)
    finally:
        scope.activate(session, scope.EVERYTHING)
    assert "甲子公司" in text and "Alpha Sub" in text
    assert "乙子公司" not in text and "Beta Sub" not in text
    assert f"{high.total:.1f}" not in text
    assert "1 evaluation(s) by other organisations (details not shared)" in text
    assert "Group-level grade: Unqualified" in text
    # What the reader may see is not part of the verified figures: one evaluation, one code, still verified.
    assert card.code == root_card.code
    assert scorecards.verify(session, card.code).verified
    issue = scorecards.verify(session, card.code).figures
    assert issue["group_outcome"] == {"rule": "lowest_grade", "evaluations": 2, "governing_level": "unqualified",
                                      "governs": True}
    assert "Beta" not in str(issue) and "乙" not in str(issue)


def test_b_s_scorecard_tells_b_that_another_organisation_s_grade_governs(session, two_evaluations):
    a, b, low, high = two_evaluations
    _as(session, b)
    try:
        card = scorecards.build(high, scorecards.load_context(session, [high]), SETTINGS, ("en",), scorecards.now())
    finally:
        scope.activate(session, scope.EVERYTHING)
    assert [line.organisation_en for line in card.data.period_evaluations] == ["Beta Sub"]
    assert not card.data.period_evaluations[0].governs and card.data.period_hidden == 1
    assert card.data.governing_level_en == "Unqualified"
    assert card.figures["group_outcome"]["governs"] is False


def test_a_period_evaluated_by_one_organisation_prints_no_period_block(session, two_evaluations):
    a, b, low, high = two_evaluations
    supplier = gen_supplier(session, status="qualified", organisation=a)
    gen_good_evidence(session, supplier, TODAY)
    gen_screening(session, supplier, TODAY)
    alone = approve_all(session, gen_submitted(session, value=90, supplier=supplier,
                                               actor=gen_user(session, "procurement", organisation=a)))
    card = scorecards.build(alone, scorecards.load_context(session, [alone]), SETTINGS, ("en",), scorecards.now())
    assert card.data.period_evaluations == () and "group_outcome" not in card.figures
    assert "Evaluations of this period" not in _text(scorecards.render(card, ("en",), SETTINGS))


@pytest.fixture
def export_folder(app, tmp_path):
    """Exports of this test go to a folder of their own, run in the test's process."""
    old = {k: app.config.get(k) for k in ("EXPORT_FOLDER", "REDIS_URL")}
    app.config.update(EXPORT_FOLDER=str(tmp_path / "exports"), REDIS_URL=None)
    yield tmp_path / "exports"
    app.config.update(old)


def _export(session, app, actor, folder):
    import csv
    import zipfile

    from supplychain import jobs
    from supplychain.services.evaluation import exports

    job = jobs.create_inline(session, exports.KIND, {"period": "2025", "language": "both",
                                                     "base_url": "https://esg.example.com"}, actor)
    job = jobs.run_inline(session, app, job.id)
    assert job.status == "finished", job.error
    with zipfile.ZipFile(exports.output_file(job, folder)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
        texts = {r["evaluation_id"]: _text(archive.read(r["file"])) for r in rows}
    return rows, texts


def test_the_batch_export_lists_the_group_outcome_and_only_the_reader_s_evaluations(
        session, app, two_evaluations, export_folder):
    a, b, low, high = two_evaluations
    buyer_a = gen_user(session, "procurement", organisation=a)
    session.commit()
    rows, texts = _export(session, app, buyer_a, export_folder)
    scope.activate(session, scope.EVERYTHING)
    assert [int(r["evaluation_id"]) for r in rows] == [low.id]
    (row,) = rows
    assert row["organisation"] == "SUB-A 甲子公司 Alpha Sub" and row["evaluations_in_period"] == "2"
    assert row["group_level_grade"] == "不合格 Unqualified" and row["governs_group_status"] == "是 yes"
    text = texts[str(low.id)]
    assert "Alpha Sub" in text and "Beta Sub" not in text and "乙子公司" not in text
    assert "details not shared" in text
    assert scorecards.verify(session, row["verification_code"]).verified

    root_rows, root_texts = _export(session, app, gen_user(session, "reviewer"), export_folder)
    assert sorted(int(r["evaluation_id"]) for r in root_rows) == sorted([low.id, high.id])
    high_row = next(r for r in root_rows if int(r["evaluation_id"]) == high.id)
    assert high_row["governs_group_status"] == "否 no" and high_row["group_level_grade"] == "不合格 Unqualified"
    assert "Alpha Sub" in root_texts[str(high.id)] and "Beta Sub" in root_texts[str(high.id)]
    # The same evaluation exported by A and by the root carries one code.
    assert next(r for r in root_rows if int(r["evaluation_id"]) == low.id)["verification_code"] == \
        row["verification_code"]


def test_a_scorecard_prints_the_evaluating_organisation_s_incidents_whoever_prints_it(session, two_evaluations):
    from tests.evaluation_factories import gen_incident

    a, b, low, high = two_evaluations
    for organisation, text in ((a, "甲厂区叉车事故"), (b, "乙厂区粉尘超标")):
        incident = gen_incident(session, low.supplier, occurred_on=low.as_of)
        incident.description, incident.organisation_id = text, organisation.id
    session.commit()
    context = scorecards.load_context(session, [low, high])  # the root prints both
    by_id = {e.id: scorecards.build(e, context, SETTINGS, ("zh",), scorecards.now()) for e in (low, high)}
    assert [i.summary for i in by_id[low.id].data.incidents] == ["甲厂区叉车事故"]
    assert [i.summary for i in by_id[high.id].data.incidents] == ["乙厂区粉尘超标"]
    _as(session, a)
    try:
        again = scorecards.build(low, scorecards.load_context(session, [low]), SETTINGS, ("zh",), scorecards.now())
    finally:
        scope.activate(session, scope.EVERYTHING)
    assert again.code == by_id[low.id].code and again.figures["evidence"]["incidents"] == 1
