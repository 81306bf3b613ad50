"""Recomputing inherent risk tiers (issue 11, part 1): all suppliers, or just those whose inputs changed.

Services call :func:`refresh` after they change an input (an incident, a certificate, categories,
spend, a qualification); ``flask risk recompute`` and changed settings call :func:`recompute_all`.
Both load the facts in bulk, score them with the pure ``tiers.assess`` and replace the stored rows in
bulk. A tier that changes is written to the supplier's audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from supplychain import clock, scope
from supplychain.bulk_insert import insert_rows
from supplychain.models import SupplierQualification, SupplierRisk
from supplychain.models.base import utcnow
from supplychain.services.core import audit
from supplychain.services.risk import facts as risk_facts
from supplychain.services.risk import settings
from supplychain.services.risk.reasons import english_reason, english_reasons
from supplychain.services.risk.tiers import RiskFacts, assess
from supplychain.value_lists import CHUNK, chunks

FULL_RECOMPUTE_ABOVE = 5000
_WRITE_LOCK = 0x5249534B  # "RISK": the PostgreSQL advisory lock of the tier writes (see _lock_writes)
_DEFERRED = "risk_refresh_deferred"  # session.info key: the supplier ids a deferred block collected


def _previous(session: Session, ids: list[int] | None) -> dict[int, str]:
    stmt = select(SupplierRisk.supplier_id, SupplierRisk.tier)
    if ids is None:
        return dict(session.execute(scope.unscoped(stmt)).all())
    found: dict[int, str] = {}
    for chunk in chunks(ids, CHUNK):
        found.update(session.execute(scope.unscoped(stmt.where(SupplierRisk.supplier_id.in_(chunk)))).all())
    return found


def _facts_key(facts: RiskFacts) -> tuple:
    """The facts as a hashable value (the incidents are a mapping)."""
    return (facts.category_level, facts.categories, facts.area, facts.area_level, facts.area_is_country,
            facts.spend_share, facts.spend_currency, facts.sole_source, tuple(sorted(facts.incidents.items())),
            facts.expired_types)


def _scored(facts: RiskFacts, scoring, reasons: dict) -> tuple[str, float, list[dict]]:
    """One set of facts scored: tier, score and the stored factors (each reason worded once)."""
    result = assess(facts, scoring)
    factors = []
    for factor in result.factors:
        key = (factor.code, repr(sorted(factor.args.items())))
        if key not in reasons:
            reasons[key] = english_reason(factor.code, factor.args)
        factors.append(factor.as_json(reasons[key]))
    return result.tier, result.score, factors


def _score_all(facts: dict, scoring, reasons: dict, rows: list, changes: list, before: dict, now, actor) -> None:
    """Score every supplier's facts into rows to store, and audit rows for the tiers that changed."""
    # Most suppliers share their facts with thousands of others (no spend, no incident, the same category
    # and region): score each distinct set of facts once. assess is pure, so the results are the same.
    scored: dict[tuple, tuple] = {}
    by_instance: dict[int, tuple] = {}  # suppliers sharing one facts object (facts.load): its key made once
    for supplier_id, supplier_facts in facts.items():
        result = by_instance.get(id(supplier_facts))  # `facts` keeps every object alive: ids are not reused
        if result is None:
            facts_key = _facts_key(supplier_facts)
            if facts_key not in scored:
                scored[facts_key] = _scored(supplier_facts, scoring, reasons)
            result = by_instance[id(supplier_facts)] = scored[facts_key]
        tier, score, factors = result
        # The same factors list for suppliers with the same facts: the rows are only inserted (as JSON).
        rows.append({"supplier_id": supplier_id, "tier": tier, "score": score, "factors": factors,
                     "computed_at": now})
        old = before.get(supplier_id)
        if old is not None and old != tier:
            changes.append({"at": now, "actor_id": getattr(actor, "id", None),
                            "actor_email": getattr(actor, "email", None), "action": "risk_tier",
                            "entity_type": "supplier", "entity_id": supplier_id, "supplier_id": supplier_id,
                            "changes": {"risk_tier": [old, tier], "risk_score": [None, score]},
                            "note": None})


def _lock_writes(session: Session) -> None:
    """One transaction at a time replaces tier rows (PostgreSQL; SQLite has one writer anyway).

    A spend batch refreshing its suppliers while the background job replaces every row would otherwise
    lock the same rows in different orders and deadlock. Taken just before the writes, held until commit,
    so a batch waits only for the job's writes, not for its reading and scoring."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})


def _compute(session: Session, ids: list[int] | None, today: date, actor=None) -> int:
    scoring = settings.current_scoring(session)
    facts = risk_facts.load(session, ids, today)
    before = _previous(session, ids)
    now = utcnow()
    reasons: dict[tuple, str] = {}  # the same reason recurs across thousands of suppliers: word it once
    rows, changes = [], []
    with english_reasons():
        _score_all(facts, scoring, reasons, rows, changes, before, now, actor)
    table = SupplierRisk.__table__
    _lock_writes(session)
    if ids is None:
        session.execute(delete(table))
    else:
        for chunk in chunks(ids, CHUNK):
            session.execute(delete(table).where(table.c.supplier_id.in_(chunk)))
    insert_rows(session, table, rows)
    audit.insert_entries(session, changes)
    for loaded in [obj for obj in session.identity_map.values() if isinstance(obj, SupplierRisk)]:
        session.expire(loaded)  # the rows were replaced underneath the ORM
    return len(rows)


def refresh(session: Session, supplier_ids: Iterable[int | None], today: date | None = None, actor=None) -> int:
    """Recompute the tiers of these suppliers only (after one of their inputs changed); the caller commits."""
    ids = sorted({int(i) for i in supplier_ids if i is not None})
    pending = session.info.get(_DEFERRED)
    if pending is not None:
        pending.update(ids)  # recomputed once when the deferred block ends
        return 0
    if not ids:
        return 0
    session.flush()
    # Beyond a few thousand suppliers the chunked look-ups cost more than reading everything once.
    return _compute(session, None if len(ids) > FULL_RECOMPUTE_ABOVE else ids, today or clock.today(), actor)


@contextmanager
def deferred(session: Session, today: date | None = None, actor=None) -> Iterator[None]:
    """Collect the refreshes asked for inside the block and recompute those suppliers once at its end.

    For bulk work: approving 2,000 evaluations finalises 2,000 qualifications, and each would otherwise
    recompute every peer of its category (thousands of suppliers, 2,000 times). A nested block joins the
    outer one; when the block raises, nothing is recomputed (the caller rolls back).
    """
    if _DEFERRED in session.info:
        yield
        return
    pending: set[int] = set()
    session.info[_DEFERRED] = pending
    try:
        yield
    finally:
        session.info.pop(_DEFERRED, None)
    refresh(session, pending, today, actor)


def recompute_all(session: Session, today: date | None = None, actor=None) -> int:
    """Recompute every supplier's tier in bulk; returns how many were computed. The caller commits."""
    session.flush()
    return _compute(session, None, today or clock.today(), actor)


def refresh_category_peers(session: Session, supplier_id: int, category_id: int, today: date | None = None,
                           actor=None) -> int:
    """After a qualification changed: the supplier and every supplier qualified in that category.

    Whether a supplier is the only one on a category's qualified list depends on the others, so a
    new or lost qualification can make or unmake its peers' single-source risk.
    """
    peers = session.scalars(scope.unscoped(select(SupplierQualification.supplier_id)
                                           .where(SupplierQualification.category_id == category_id)))
    return refresh(session, [supplier_id, *peers], today, actor)
