"""Self-assessment questionnaire: versions, answers and their types, evidence, submission, review, scores."""

from __future__ import annotations

from datetime import date

import pytest

from config.saq_default import DEFAULT_QUESTIONNAIRE
from supplychain.errors import ValidationFailed
from supplychain.models import SAQ_THEMES, SaqResponse
from supplychain.services.core import attachments
from supplychain.services.evidence import saq
from tests.evidence_factories import EXE, PDF
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import (
    MINIMAL,
    NOW,
    TODAY,
    accept_all,
    best_answers,
    gen_questionnaire,
    gen_response,
    question,
    store,
)


def _messages(failed: ValidationFailed) -> str:
    return " | ".join(str(m) for messages in failed.errors.values() for m in messages)


# --- the shipped questionnaire ------------------------------------------------------------------------------


def test_default_questionnaire_has_every_section_and_type_in_both_languages(session):
    questionnaire = saq.load_default(session, NOW)
    assert questionnaire.status == "published" and questionnaire.version == 1
    assert {q.theme for q in questionnaire.questions} == set(SAQ_THEMES)
    assert {q.qtype for q in questionnaire.questions} == {
        "yes_no",
        "single",
        "multiple",
        "number",
        "text",
        "file",
    }
    for q in questionnaire.questions:
        assert q.text_zh and q.text_en and any("\u4e00" <= ch <= "\u9fff" for ch in q.text_zh)
        for option in q.options:
            assert option.label_zh and option.label_en
    assert len(questionnaire.questions) == len(DEFAULT_QUESTIONNAIRE["questions"])
    iso14001_yes = next(o for o in question(questionnaire, "ENV-01").options if o.value == "yes")
    assert iso14001_yes.evidence_required
    assert saq.publish_problems(questionnaire) == []
    assert saq.load_default(session, NOW) is None  # loaded once


# --- points -------------------------------------------------------------------------------------------------


def test_points_per_answer_type(session, tmp_path):
    questionnaire = gen_questionnaire(session, MINIMAL)
    supplier = gen_supplier(session)
    response = saq.start(session, supplier, None, questionnaire)
    q = {
        code: question(questionnaire, code)
        for code in ("ENV-01", "LAB-01", "HS-01", "ETH-01", "MS-01", "SP-01")
    }
    raw = {
        q["ENV-01"].id: saq.RawAnswer(choices=["yes"], upload=attachments.Upload("iso.pdf", PDF)),
        q["LAB-01"].id: saq.RawAnswer(choices=["contract"]),
        q["HS-01"].id: saq.RawAnswer(number="２"),  # full-width digits are accepted
        q["ETH-01"].id: saq.RawAnswer(choices=["internal"]),
        q["MS-01"].id: saq.RawAnswer(text="专人负责"),
        q["SP-01"].id: saq.RawAnswer(upload=attachments.Upload("code.pdf", PDF)),
    }
    saq.save_answers(session, response, raw, store(tmp_path), None, NOW)
    points = {a.question.code: a.points for a in response.answers}
    assert points == {"ENV-01": 10, "LAB-01": 5, "HS-01": 5, "ETH-01": 5, "MS-01": 5, "SP-01": 10}
    breakdown = {row.theme: row for row in saq.theme_breakdown(questionnaire, response.answers)}
    assert breakdown["labour_human_rights"].score == 50.0
    assert breakdown["health_safety"].score == 50.0
    themes, total = saq.scores_of(list(breakdown.values()))
    assert themes["environment"] == 100.0
    assert total == pytest.approx(round(100 * 40 / 55, 1))


def test_number_bands_pick_the_highest_minimum_not_above_the_answer():
    bands = [[0, 10], [49, 5], [61, 0]]
    assert [saq.number_points(bands, v) for v in (40, 49, 60.5, 61, 90)] == [10, 5, 5, 0, 0]
    assert saq.number_points([[10, 3], [30, 6]], 5) == 0


# --- bad input ----------------------------------------------------------------------------------------------


def test_answers_of_the_wrong_type_are_refused_all_at_once_and_nothing_is_saved(session, tmp_path):
    questionnaire = gen_questionnaire(session, MINIMAL)
    response = saq.start(session, gen_supplier(session), None, questionnaire)
    session.commit()
    q = {code: question(questionnaire, code) for code in ("ENV-01", "LAB-01", "HS-01", "ETH-01", "SP-01")}
    raw = {
        q["ENV-01"].id: saq.RawAnswer(choices=["maybe"]),
        q["LAB-01"].id: saq.RawAnswer(choices=["contract"], number="3"),
        q["HS-01"].id: saq.RawAnswer(number="three"),
        q["ETH-01"].id: saq.RawAnswer(choices=["none", "internal"]),
        q["SP-01"].id: saq.RawAnswer(upload=attachments.Upload("setup.pdf", EXE)),
    }
    with pytest.raises(ValidationFailed) as failed:
        saq.save_answers(session, response, raw, store(tmp_path), None, NOW)
    errors = failed.value.errors
    assert set(errors) == {f"q-{q[c].id}" for c in q}
    text = _messages(failed.value)
    assert "Choose from the options given" in text and "Enter a number" in text
    assert "Choose one option only" in text and "program" in text and "takes no number" in text
    session.rollback()
    assert session.get(SaqResponse, response.id).answers == []


def test_negative_and_absurd_numbers_are_refused():
    assert saq.parse_number("-3")[1] and saq.parse_number("1e40")[1] and saq.parse_number("nan")[1]
    assert saq.parse_number("1,250.5") == (1250.5, [])
    assert saq.parse_number("  ") == (None, [])


def test_submit_lists_every_missing_answer_and_every_missing_evidence(session, tmp_path):
    questionnaire = gen_questionnaire(session)
    response = saq.start(session, gen_supplier(session), None, questionnaire)
    answers = best_answers(questionnaire, with_files=False)
    skipped = question(questionnaire, "ENV-02")
    del answers[skipped.id]
    with pytest.raises(ValidationFailed) as failed:
        saq.save_answers(session, response, answers, store(tmp_path), None, NOW, submit=True)
    errors = failed.value.errors
    evidence_codes = {"ENV-01", "ENV-05", "LAB-01", "HS-01", "HS-03", "ETH-01", "MS-01", "MS-03", "SP-01"}
    expected = {f"q-{question(questionnaire, c).id}" for c in evidence_codes | {"ENV-02"}}
    assert set(errors) == expected
    assert "ENV-02 needs an answer" in _messages(failed.value)
    assert "ENV-01 needs its evidence" in _messages(failed.value)
    assert response.status == "draft" and response.answers == []


def test_a_draft_saves_without_evidence_and_submits_once_the_files_are_there(session, tmp_path):
    questionnaire = gen_questionnaire(session)
    supplier = gen_supplier(session)
    response = saq.start(session, supplier, None, questionnaire)
    saq.save_answers(
        session, response, best_answers(questionnaire, with_files=False), store(tmp_path), None, NOW
    )
    assert (
        response.status == "draft" and len(response.answers) == len(questionnaire.questions) - 1
    )  # file question
    saq.save_answers(session, response, best_answers(questionnaire), store(tmp_path), None, NOW, submit=True)
    assert response.status == "submitted" and response.submit_count == 1
    assert all(a.attachment_id for a in response.answers if saq.needs_evidence(a.question, a.choices, True))
    evidence = next(a for a in response.answers if a.question.code == "ENV-01").attachment
    assert evidence.supplier_id == supplier.id and evidence.content_type == "application/pdf"
    with pytest.raises(ValidationFailed, match="cannot change"):
        saq.save_answers(session, response, {}, store(tmp_path), None, NOW)


def test_only_one_open_response_per_supplier(session):
    gen_questionnaire(session)
    supplier = gen_supplier(session)
    saq.start(session, supplier, None)
    with pytest.raises(ValidationFailed, match="already in progress"):
        saq.start(session, supplier, None)


def test_no_published_questionnaire_no_response(session):
    with pytest.raises(ValidationFailed, match="No questionnaire"):
        saq.start(session, gen_supplier(session), None)


# --- review -------------------------------------------------------------------------------------------------


def test_review_accepting_everything_fixes_the_theme_scores(session, tmp_path):
    supplier = gen_supplier(session)
    reviewer = gen_user(session, "procurement")
    response = gen_response(session, supplier, tmp_path, gen_questionnaire(session))
    accept_all(session, response, reviewer)
    assert response.status == "reviewed" and response.reviewed_on == TODAY
    assert response.theme_scores == dict.fromkeys(SAQ_THEMES, 100.0)
    assert response.total_score == 100.0
    assert saq.reviewed_theme_scores(session, [supplier.id], TODAY) == {
        supplier.id: dict.fromkeys(SAQ_THEMES, 100.0)
    }
    assert saq.reviewed_theme_scores(session, [supplier.id], date(2026, 3, 1)) == {}


def test_clarification_reopens_only_those_questions_and_resubmission_goes_back_to_review(session, tmp_path):
    questionnaire = gen_questionnaire(session)
    supplier = gen_supplier(session)
    response = gen_response(session, supplier, tmp_path, questionnaire)
    env = next(a for a in response.answers if a.question.code == "ENV-04")
    decisions = {a.id: saq.Decision("accepted") for a in response.answers}
    decisions[env.id] = saq.Decision("clarification", "请提供可再生能源发票")
    saq.review(session, response, decisions, None, NOW, TODAY)
    assert response.status == "clarification" and response.theme_scores is None
    assert saq.editable_question_ids(response) == {env.question_id}
    # Answers outside the reopened question are ignored, the reopened one changes.
    other = question(questionnaire, "ENV-01")
    saq.save_answers(
        session,
        response,
        {env.question_id: saq.RawAnswer(number="35"), other.id: saq.RawAnswer(choices=["no"])},
        store(tmp_path),
        None,
        NOW,
        submit=True,
    )
    assert response.status == "submitted" and response.submit_count == 2
    assert env.points == 6 and env.review_state == "pending"
    assert next(a for a in response.answers if a.question_id == other.id).choices == ["yes"]
    accept_all(session, response)
    assert response.status == "reviewed"
    assert response.theme_scores["environment"] == round(100 * (10 + 10 + 10 + 6 + 10) / 50, 1)


def test_a_review_must_decide_every_pending_answer_and_explain_clarifications(session, tmp_path):
    response = gen_response(session, gen_supplier(session), tmp_path, gen_questionnaire(session, MINIMAL))
    first, second = response.answers[:2]
    with pytest.raises(ValidationFailed) as failed:
        saq.review(
            session,
            response,
            {first.id: saq.Decision("clarification", "  "), 999999: saq.Decision("accepted")},
            None,
            NOW,
            TODAY,
        )
    errors = failed.value.errors
    assert "response" in errors and f"a-{first.id}" in errors and f"a-{second.id}" in errors
    assert response.status == "submitted"


def test_a_draft_cannot_be_reviewed(session, tmp_path):
    response = gen_response(
        session, gen_supplier(session), tmp_path, gen_questionnaire(session, MINIMAL), submit=False
    )
    with pytest.raises(ValidationFailed, match="Only a submitted"):
        saq.review(session, response, {}, None, NOW, TODAY)


def test_the_latest_review_on_or_before_the_day_wins(session, tmp_path):
    questionnaire = gen_questionnaire(session, MINIMAL)
    supplier, other = gen_supplier(session), gen_supplier(session)
    first = gen_response(session, supplier, tmp_path, questionnaire)
    accept_all(session, first, today=date(2026, 1, 10))
    second = saq.start(session, supplier, None, questionnaire)
    # Pre-filled from the reviewed response; change one answer and submit.
    assert len(second.answers) == len(first.answers)
    hs = question(questionnaire, "HS-01")
    saq.save_answers(
        session, second, {hs.id: saq.RawAnswer(number="5")}, store(tmp_path), None, NOW, submit=True
    )
    accept_all(session, second, today=date(2026, 2, 10))
    scores = saq.reviewed_theme_scores(session, [supplier.id, other.id], date(2026, 1, 31))
    assert scores == {supplier.id: first.theme_scores}
    later = saq.reviewed_theme_scores(session, [supplier.id], date(2026, 2, 10))[supplier.id]
    assert later["health_safety"] == 0.0 and first.theme_scores["health_safety"] == 100.0


# --- versions (admin) ---------------------------------------------------------------------------------------


def test_published_versions_never_change_and_a_new_version_is_a_copy(session):
    published = gen_questionnaire(session, MINIMAL)
    with pytest.raises(ValidationFailed, match="never changes"):
        saq.save_question(session, published, saq.QuestionData(code="X-1"), None)
    draft = saq.new_version(session, published, None)
    assert draft.version == 2 and draft.status == "draft"
    assert [q.code for q in draft.questions] == [q.code for q in published.questions]
    with pytest.raises(ValidationFailed, match="already a draft"):
        saq.new_version(session, published, None)
    data = saq.QuestionData(
        code="env-02",
        theme="environment",
        qtype="yes_no",
        text_zh="是否有环保处罚？",
        text_en="Environmental penalty?",
        options=[saq.OptionData("yes", "是", "Yes", 0), saq.OptionData("no", "否", "No", 10)],
    )
    added = saq.save_question(session, draft, data, None)
    assert added.code == "ENV-02" and added.position > max(
        q.position for q in draft.questions if q is not added
    )
    saq.publish(session, draft, None, NOW)
    assert draft.status == "published" and published.status == "retired"
    assert saq.current(session, "mini") is draft


def test_question_rules(session):
    draft = gen_questionnaire(session, MINIMAL, publish=False)
    bad = saq.QuestionData(
        code="ENV-01",
        theme="air",
        qtype="yes_no",
        text_zh="",
        text_en="x",
        options=[saq.OptionData("yes", "是", "Yes", 5), saq.OptionData("maybe", "", "Maybe", -1)],
        bands=[(1.0, 2.0)],
    )
    with pytest.raises(ValidationFailed) as failed:
        saq.save_question(session, draft, bad, None)
    assert set(failed.value.errors) == {"code", "theme", "text_zh", "options", "bands"}
    number = saq.QuestionData(
        code="N-1",
        theme="environment",
        qtype="number",
        text_zh="数",
        text_en="n",
        bands=[(0.0, 1.0), (0.0, 2.0)],
    )
    with pytest.raises(ValidationFailed, match="same minimum"):
        saq.save_question(session, draft, number, None)


def test_publish_refuses_an_empty_version(session):
    draft = saq.new_version(session, gen_questionnaire(session, MINIMAL), None)
    for q in list(draft.questions):
        saq.delete_question(session, q, None)
    with pytest.raises(ValidationFailed, match="at least one question"):
        saq.publish(session, draft, None, NOW)


def test_reviewed_theme_scores_are_the_supplier_facts_the_scoring_engine_reads(session, tmp_path):
    from supplychain.scoring import score
    from supplychain.scoring.model import SAQ_THEME, Criterion, Dimension, GradeBand, Scheme
    from supplychain.services.evaluation import facts_loader

    supplier = gen_supplier(session)
    response = gen_response(session, supplier, tmp_path, gen_questionnaire(session, MINIMAL))
    assert facts_loader.load_one(session, supplier.id, TODAY).saq_theme_scores == {}
    hs = next(a for a in response.answers if a.question.code == "HS-01")
    decisions = {a.id: saq.Decision("accepted") for a in response.answers}
    decisions[hs.id] = saq.Decision("clarification", "请附事故台账")
    saq.review(session, response, decisions, None, NOW, TODAY)
    saq.save_answers(
        session,
        response,
        {hs.question_id: saq.RawAnswer(number="1")},
        store(tmp_path),
        None,
        NOW,
        submit=True,
    )
    accept_all(session, response)
    facts = facts_loader.load_one(session, supplier.id, TODAY)
    assert facts.saq_theme_scores == response.theme_scores
    assert facts.saq_theme_scores["health_safety"] == 50.0
    assert (
        facts_loader.load_facts(session, [supplier.id], date(2026, 1, 1))[supplier.id].saq_theme_scores == {}
    )
    scheme = Scheme(
        code="saq.test",
        kind="periodic",
        version=1,
        name_zh="自评",
        name_en="Self-assessment",
        dimensions=(
            Dimension(
                "esg",
                "ESG 自评",
                "ESG self-assessment",
                100,
                (
                    Criterion(
                        "hs", "健康安全", "Health and safety", SAQ_THEME, 50, {"theme": "health_safety"}
                    ),
                    Criterion("env", "环境", "Environment", SAQ_THEME, 50, {"theme": "environment"}),
                ),
            ),
        ),
        bands=(
            GradeBand("pass", "合格", "Pass", 60, 100, "#0969da", "qualified_certificate"),
            GradeBand("fail", "不合格", "Fail", 0, 60, "#cf222e", "suspend"),
        ),
    )
    assert score(scheme, facts, {}, TODAY).total == 75.0


def test_the_demo_data_and_the_command_load_the_default_questionnaire_once(app, session):
    from supplychain.services.demo_data import demo

    demo.load(session, count=5, seed=3)
    assert saq.current(session).code == "esg" and saq.current(session).version == 1
    session.commit()
    result = app.test_cli_runner().invoke(args=["saq", "load-default"])
    assert result.exit_code == 0 and "already loaded" in result.output
    supplier = gen_supplier(session)
    session.commit()
    empty = app.test_cli_runner().invoke(args=["saq", "scores", "--supplier", str(supplier.id)])
    assert "No reviewed self-assessment." in empty.output
