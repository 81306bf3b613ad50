"""The purchase-check decision is pure: facts and the category's rules in, outcome and reasons out."""

from __future__ import annotations

from supplychain.services.integration.purchase_checks import DEFAULT_RULES, CheckFacts, decide

CLEAN = dict(supplier_status="qualified", blacklisted=False, qualification="qualified", relationship="active")


def _decide(rules=None, **facts):
    outcome, reasons = decide(CheckFacts(**{**CLEAN, **facts}), {**DEFAULT_RULES, **(rules or {})})
    return outcome, [r.code for r in reasons]


def test_a_clean_supplier_is_allowed():
    assert _decide() == ("allow", [])


def test_conditional_warns_only_with_overdue_actions():
    assert _decide(supplier_status="conditional", qualification="conditional") == ("allow", [])
    assert _decide(supplier_status="conditional", qualification="conditional", overdue_actions=2) == (
        "warn", ["overdue_corrective_actions"])
    # Overdue actions of a supplier that is not conditional are not this reason.
    assert _decide(overdue_actions=2) == ("allow", [])


def test_the_most_severe_outcome_wins_and_block_reasons_come_first():
    assert _decide(relationship=None, expired_certificates=("safety_production_licence",)) == (
        "block", ["licence_expired", "no_relationship"])


def test_rules_soften_or_harden_a_reason_but_never_the_blacklist():
    assert _decide({"trial": "warn"}, qualification="trial") == ("warn", ["trial"])
    assert _decide({"not_qualified": "warn"}, qualification=None) == ("warn", ["not_qualified"])
    assert _decide({"blacklisted": "allow"}, blacklisted=True) == ("block", ["blacklisted"])
    assert _decide({"no_relationship": "allow"}, relationship="suspended") == ("allow", [])


def test_a_rejected_or_missing_qualification_is_not_qualified():
    assert _decide(qualification="rejected")[1] == ["not_qualified"]
    assert _decide(qualification=None)[1] == ["not_qualified"]
