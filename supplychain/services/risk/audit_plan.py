"""The audit plan: which suppliers are due or overdue for an audit, per risk tier and per organisation.

Each active relationship of an organisation in the user's scope with a tiered supplier is one line: the
tier's audit interval (RiskTierSetting.audit_interval_months) after that organisation's last audit held
there gives the due date; never audited means due now. ``plan_lines`` is pure; ``audit_plan`` loads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain.models import RISK_TIERS, Audit, RiskTierSetting, Supplier, SupplierRelationship, SupplierRisk
from supplychain.scoring import months_before

PLAN_STATES = ("overdue", "due", "planned", "ok")
DUE_SOON_DAYS = 60


@dataclass(frozen=True)
class PlanInput:
    """One organisation buying from one tiered supplier, with its last held and next planned audit there."""

    organisation_id: int
    supplier_id: int
    tier: str
    last_held_on: date | None
    next_planned_on: date | None


@dataclass(frozen=True)
class PlanLine:
    """One line of the plan: when the next audit is due and whether it is overdue, due soon or planned."""

    organisation_id: int
    supplier_id: int
    tier: str
    interval_months: int
    last_held_on: date | None
    due_on: date
    next_planned_on: date | None
    state: str


def plan_lines(inputs: list[PlanInput], intervals: dict[str, int | None], today: date,
               due_soon_days: int = DUE_SOON_DAYS) -> list[PlanLine]:
    """The plan's lines, most urgent first; tiers without an audit interval are not planned.

    planned: an audit is planned (not held yet); due: never audited there, or due within ``due_soon_days``;
    overdue: the due date has passed; ok: otherwise.
    """
    lines = []
    for row in inputs:
        months = intervals.get(row.tier)
        if not months:
            continue
        due_on = months_before(row.last_held_on, -months) if row.last_held_on else today
        if row.next_planned_on is not None:
            state = "planned"
        elif row.last_held_on is None:
            state = "due"
        elif due_on < today:
            state = "overdue"
        elif due_on <= today + timedelta(days=due_soon_days):
            state = "due"
        else:
            state = "ok"
        lines.append(PlanLine(row.organisation_id, row.supplier_id, row.tier, months, row.last_held_on, due_on,
                              row.next_planned_on, state))
    rank = {state: i for i, state in enumerate(PLAN_STATES)}
    tier_rank = {tier: i for i, tier in enumerate(RISK_TIERS)}
    lines.sort(key=lambda line: (rank[line.state], tier_rank.get(line.tier, 9), line.due_on, line.supplier_id,
                                 line.organisation_id))
    return lines


@dataclass
class AuditPlan:
    """The plan's lines with the suppliers' names and counts per state, tier and organisation."""

    lines: list[PlanLine]
    suppliers: dict[int, Supplier]
    by_tier: dict[str, Counter]
    by_organisation: dict[int, Counter]


def audit_plan(session: Session, today: date, states: tuple[str, ...] = ("overdue", "due", "planned")) -> AuditPlan:
    """The plan within the session's scope (relationships and audits follow it), lines in ``states`` only."""
    intervals = dict(session.execute(select(RiskTierSetting.tier, RiskTierSetting.audit_interval_months)).all())
    pairs = session.execute(
        select(SupplierRelationship.organisation_id, SupplierRelationship.supplier_id, SupplierRisk.tier)
        .join(SupplierRisk, SupplierRisk.supplier_id == SupplierRelationship.supplier_id)
        .where(SupplierRelationship.status == "active")
    ).all()
    held = {(org, sid): day for org, sid, day in session.execute(
        select(Audit.organisation_id, Audit.supplier_id, func.max(Audit.actual_on))
        .where(Audit.actual_on.is_not(None)).group_by(Audit.organisation_id, Audit.supplier_id))}
    planned = {(org, sid): day for org, sid, day in session.execute(
        select(Audit.organisation_id, Audit.supplier_id, func.min(Audit.planned_on))
        .where(Audit.status == "planned").group_by(Audit.organisation_id, Audit.supplier_id))}
    inputs = [PlanInput(org, sid, tier, held.get((org, sid)), planned.get((org, sid))) for org, sid, tier in pairs]
    lines = [line for line in plan_lines(inputs, intervals, today) if line.state in states]
    ids = sorted({line.supplier_id for line in lines})
    suppliers = {s.id: s for s in session.scalars(select(Supplier).where(Supplier.id.in_(ids)))} if ids else {}
    lines = [line for line in lines if line.supplier_id in suppliers]
    by_tier: dict[str, Counter] = {tier: Counter() for tier in RISK_TIERS}
    by_organisation: dict[int, Counter] = {}
    for line in lines:
        by_tier.setdefault(line.tier, Counter())[line.state] += 1
        by_organisation.setdefault(line.organisation_id, Counter())[line.state] += 1
    return AuditPlan(lines, suppliers, by_tier, by_organisation)
