"""Purchase receipts: batches, on-time and acceptance rates per supplier and period, and what the evaluation scores."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from supplychain import scope
from supplychain.models import ReceiptLine
from supplychain.services.evaluation import evaluations, facts_loader
from supplychain.services.purchasing import receipts
from supplychain.services.purchasing.batches import BatchRejected
from tests.evaluation_factories import TODAY, all_manual, gen_evaluation, gen_good_evidence
from tests.factories import gen_organisation, gen_root, gen_supplier
from tests.purchasing_factories import receipt_input

DUE = date(2026, 3, 10)


@pytest.fixture
def buyer(session):
    root = gen_root(session)
    return root, gen_supplier(session, organisation=root)


def test_boundary_days_received_on_the_due_day_is_on_time_the_day_after_is_late(session, buyer):
    root, supplier = buyer
    receipts.record_batch(session, [
        receipt_input(supplier, root, due_on=DUE, received_on=date(2026, 3, 9)),
        receipt_input(supplier, root, due_on=DUE, received_on=DUE),
        receipt_input(supplier, root, due_on=DUE, received_on=date(2026, 3, 11)),
        receipt_input(supplier, root, due_on=date(2026, 3, 31), received_on=date(2026, 4, 1)),  # month edge
    ], None)
    [rates] = receipts.rates(session, date(2026, 1, 1), date(2026, 12, 31))
    assert (rates.lines, rates.on_time_lines, rates.on_time_rate) == (4, 2, Decimal("50.0"))
    # The evaluation's facts agree with the figure: the same two lines on time.
    facts = facts_loader.load_one(session, supplier.id, date(2026, 12, 31))
    assert sum(d.lines for d in facts.deliveries) == 4 and sum(d.on_time_lines for d in facts.deliveries) == 2


def test_acceptance_rate_and_the_period_filter(session, buyer):
    root, supplier = buyer
    receipts.record_batch(session, [
        receipt_input(supplier, root, received="100", rejected="4", received_on=date(2026, 2, 1)),
        receipt_input(supplier, root, received="50.5", accepted="50.5", received_on=date(2026, 2, 28)),
        receipt_input(supplier, root, received="10", rejected="10", received_on=date(2026, 3, 1)),  # next period
    ], None)
    [february] = receipts.rates(session, date(2026, 2, 1), date(2026, 2, 28))
    assert february.lines == 2
    assert february.acceptance_rate == Decimal("97.3")  # 146.5 / 150.5 = 97.34 %
    assert [line.received_on.day for line in receipts.lines_for(session, supplier.id, date(2026, 2, 1),
                                                                  date(2026, 2, 28))] == [1, 28]


def test_bad_lines_are_named_and_nothing_is_saved(session, buyer):
    root, supplier = buyer
    lines = [
        receipt_input(supplier, root),
        receipt_input(supplier, root, received="10", accepted="8", rejected="1"),
        receipt_input(supplier, root, received_on="2026-02-30"),
        receipt_input(supplier, root, received="0", accepted="0"),
        receipt_input(supplier, root, received="-3", accepted="0"),
    ]
    with pytest.raises(BatchRejected) as caught:
        receipts.record_batch(session, lines, None)
    assert {(e.line, e.field) for e in caught.value.lines} == {
        (2, "quantity_accepted"), (3, "received_on"), (4, "quantity_received"), (5, "quantity_received")}
    assert session.scalar(select(func.count(ReceiptLine.id))) == 0


def test_idempotent_by_external_id_and_conflict_on_other_content(session, buyer):
    root, supplier = buyer
    line = receipt_input(supplier, root)
    assert receipts.record_batch(session, [line], None).created == 1
    assert receipts.record_batch(session, [line], None).unchanged == 1
    late = receipt_input(supplier, root, external_id=line.external_id, received_on=date(2026, 3, 12))
    with pytest.raises(BatchRejected) as caught:
        receipts.record_batch(session, [late], None)
    assert caught.value.conflict
    assert session.scalar(select(ReceiptLine.received_on)) == DUE


def test_rates_respect_the_organisation_scope(session, buyer):
    root, supplier = buyer
    sub = gen_organisation(session, "SUB-A")
    gen_supplier(session, organisation=sub)  # SUB-A exists with a supplier of its own
    receipts.record_batch(session, [receipt_input(supplier, root)], None)
    scope.activate(session, scope.Scope(frozenset({sub.id})))
    assert receipts.rates(session, date(2026, 1, 1), date(2026, 12, 31)) == []


def _evaluate(session, supplier, scores):
    evaluation = gen_evaluation(session, supplier=supplier, period=("year", 2025, 1))
    evaluations.save_scores(session, evaluation, scores, {}, evaluation.version_id, evaluation.created_by)
    evaluations.submit(session, evaluation, evaluation.version_id, evaluation.created_by, TODAY, 1)
    return {e["criterion_key"]: e for e in evaluation.result["explanations"]}


def test_periodic_evaluation_scores_delivery_and_quality_from_receipts(session):
    supplier = gen_supplier(session, status="qualified", organisation=gen_root(session))
    gen_good_evidence(session, supplier)
    root = gen_root(session)
    # 2025: 19 of 20 lines on time (95 %), 1960 of 2000 accepted (98 %).
    lines = [receipt_input(supplier, root, due_on=date(2025, 6, 10), received_on=date(2025, 6, 10 if i < 19 else 11),
                           received="100", rejected="2") for i in range(20)]
    receipts.record_batch(session, lines, None)
    probe = gen_evaluation(session, supplier=supplier, period=("year", 2025, 1))
    scores = {key: value for key, value in all_manual(probe, 80).items()
              if key not in ("on_time_delivery", "quality_acceptance")}
    session.delete(probe)
    session.flush()
    lines_by_key = _evaluate(session, supplier, scores)  # no manual score needed for the two rates
    assert lines_by_key["on_time_delivery"]["score"] == 83.3  # (95 - 80) / (98 - 80)
    assert "from receipt data" in lines_by_key["on_time_delivery"]["text_en"]
    assert lines_by_key["quality_acceptance"]["score"] == 84.2  # (98 - 90) / (99.5 - 90)


def test_without_receipts_the_rates_must_be_scored_by_hand(session):
    supplier = gen_supplier(session, status="qualified", organisation=gen_root(session))
    evaluation = gen_evaluation(session, supplier=supplier, period=("year", 2025, 1))
    scores = {key: value for key, value in all_manual(evaluation, 80).items() if key != "on_time_delivery"}
    evaluations.save_scores(session, evaluation, scores, {}, evaluation.version_id, evaluation.created_by)
    with pytest.raises(evaluations.ValidationFailed) as caught:
        evaluations.submit(session, evaluation, evaluation.version_id, evaluation.created_by, TODAY, 1)
    assert "on_time_delivery" in caught.value.errors


def test_the_scheme_editor_keeps_the_rate_parameters_and_refuses_crossed_thresholds(app):
    from config.schemes import PERIODIC_SCHEME
    from supplychain.scoring import scheme_to_dict
    from supplychain.services.evaluation.schemes import check_definition, definition_from_input, editor_values

    definition = scheme_to_dict(PERIODIC_SCHEME)
    raw = editor_values(definition)
    again = definition_from_input(definition["code"], "periodic", 1, raw)
    params = {c["key"]: c["params"] for d in again["dimensions"] for c in d["criteria"]}
    assert params["on_time_delivery"] == {"full_at": 98, "zero_at": 80, "months": 12}
    assert params["quality_acceptance"] == {"full_at": 99.5, "zero_at": 90, "months": 12}
    assert check_definition(again) == {}
    delivery = next(c for d in raw["dimensions"] for c in d["criteria"] if c["key"] == "on_time_delivery")
    delivery["zero_at"] = "99"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        errors = check_definition(definition_from_input(definition["code"], "periodic", 1, raw))
        assert [str(m) for messages in errors.values() for m in messages] == [
            "Criterion 'on_time_delivery': the rate for 100 points must be above the rate for 0 points."]
