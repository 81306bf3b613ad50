"""Building scoring.SupplierFacts from the database as of a date, for many suppliers at once.

One query per table for each batch of suppliers (never one per supplier): bulk evaluations and
the benchmark score 100,000 suppliers. Rows are read as plain tuples (no ORM objects) and only
rows the rules can use are loaded: dated on or before the as-of day, incidents only major or
critical within the longest incident window, training only ESG topics within the training window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from operator import itemgetter

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from supplychain import screening_lists
from supplychain.models import (
    ESG_TOPICS,
    Audit,
    AuditFinding,
    BlacklistEntry,
    CategoryRequirement,
    Certification,
    CorrectiveAction,
    Incident,
    IntegrityPledge,
    ReceiptLine,
    Supplier,
    TrainingAttendance,
    TrainingSession,
    supplier_categories,
)
from supplychain.models.screening import ScreeningResult
from supplychain.scoring import Scheme, months_before
from supplychain.scoring.facts import (
    AuditFact,
    CertificateFact,
    DeliveryFact,
    FindingFact,
    IncidentFact,
    PledgeFact,
    SupplierFacts,
    TrainingFact,
)
from supplychain.scoring.model import RATE_KINDS
from supplychain.services.evidence import saq

SIGNIFICANT = ("major", "critical")
BATCH = 5000


@dataclass(frozen=True)
class FactWindow:
    """How far back the rules look: training hours in the last N months, incidents in the last N years."""

    training_months: int = 12
    incident_years: int = 3
    receipt_months: int = 12


def window_for(*schemes: Scheme) -> FactWindow:
    """The longest look-back any criterion or red line of the schemes needs."""
    months, years, receipt_months = 12, 1, 12
    for scheme in schemes:
        for _dimension, criterion in scheme.criteria():
            params = criterion.params
            if criterion.kind == "training_hours":
                months = max(months, int(params.get("months", 12)))
            if criterion.kind in RATE_KINDS:
                receipt_months = max(receipt_months, int(params.get("months", 12)))
            if criterion.kind == "no_major_incident":
                years = max(years, int(params.get("years", 1)))
        for red_line in scheme.red_lines:
            if red_line.kind == "critical_incident":
                years = max(years, int(red_line.params.get("years", 1)))
    return FactWindow(months, years, receipt_months)


def _chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def load_facts(
    session: Session,
    supplier_ids: Iterable[int],
    as_of: date,
    window: FactWindow | None = None,
    batch: int = BATCH,
) -> dict[int, SupplierFacts]:
    """SupplierFacts per supplier id as of a date (suppliers that do not exist are left out)."""
    window = window or FactWindow()
    ids = sorted(set(supplier_ids))
    facts: dict[int, SupplierFacts] = {}
    for chunk in _chunks(ids, batch):
        facts.update(_load_chunk(session, chunk, as_of, window))
    return facts


_BY_SUPPLIER_AND_ID = itemgetter(0, 1)


def _where(column, ids: list[int]):
    """Rows of these suppliers: a range when the ids are dense (no parameter list to render and the
    index is walked once), else an IN list; rows outside ``ids`` are dropped by the caller."""
    if ids[-1] - ids[0] < 2 * len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(ids)


def _rows(connection, stmt, wanted: set[int]) -> list:
    """Execute at the Core level (no ORM row processing), keep the wanted suppliers, sort by (supplier, id)
    in Python so the order never depends on the query plan."""
    rows = connection.execute(stmt).all()
    rows = [row for row in rows if row[0] in wanted]
    rows.sort(key=_BY_SUPPLIER_AND_ID)
    return rows


def _load_chunk(
    session: Session, ids: list[int], as_of: date, window: FactWindow
) -> dict[int, SupplierFacts]:
    connection = session.connection()
    wanted = set(ids)
    suppliers = [
        row
        for row in connection.execute(
            select(Supplier.id, Supplier.credit_code, Supplier.status).where(_where(Supplier.id, ids))
        ).all()
        if row[0] in wanted
    ]
    certificates: dict[int, list] = defaultdict(list)
    for sid, _id, cert_type, issued_on, expires_on, verified_on, number in _rows(
        connection,
        select(
            Certification.supplier_id,
            Certification.id,
            Certification.cert_type,
            Certification.issued_on,
            Certification.expires_on,
            Certification.verified_on,
            Certification.number,
        ).where(_where(Certification.supplier_id, ids), Certification.issued_on <= as_of),
        wanted,
    ):
        certificates[sid].append(
            CertificateFact(
                cert_type,
                issued_on,
                expires_on,
                verified_on is not None and verified_on <= as_of,
                number or "",
            )
        )
    pledges: dict[int, list] = defaultdict(list)
    for sid, _id, kind, signed_on, valid_until in _rows(
        connection,
        select(
            IntegrityPledge.supplier_id,
            IntegrityPledge.id,
            IntegrityPledge.kind,
            IntegrityPledge.signed_on,
            IntegrityPledge.valid_until,
        ).where(_where(IntegrityPledge.supplier_id, ids), IntegrityPledge.signed_on <= as_of),
        wanted,
    ):
        pledges[sid].append(PledgeFact(kind, signed_on, valid_until))
    trainings: dict[int, list] = defaultdict(list)
    since = months_before(as_of, window.training_months)
    for sid, _held, _id, held_on, hours in _rows(
        connection,
        select(
            TrainingAttendance.supplier_id,
            TrainingSession.held_on,
            TrainingSession.id,
            TrainingSession.held_on,
            TrainingSession.hours,
        )
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .where(
            _where(TrainingAttendance.supplier_id, ids),
            TrainingAttendance.completed.is_(True),
            TrainingSession.topic.in_(ESG_TOPICS),
            TrainingSession.held_on > since,
            TrainingSession.held_on <= as_of,
        ),
        wanted,
    ):
        trainings[sid].append(TrainingFact(held_on, hours))
    incidents: dict[int, list] = defaultdict(list)
    since = months_before(as_of, 12 * window.incident_years)
    for sid, _id, category, severity, occurred_on in _rows(
        connection,
        select(
            Incident.supplier_id, Incident.id, Incident.category, Incident.severity, Incident.occurred_on
        ).where(
            _where(Incident.supplier_id, ids),
            Incident.severity.in_(SIGNIFICANT),
            Incident.occurred_on > since,
            Incident.occurred_on <= as_of,
        ),
        wanted,
    ):
        incidents[sid].append(IncidentFact(category, severity, occurred_on))
    blacklisted = blacklisted_ids(session, suppliers, as_of)
    # The latest external screening result per list (issue 11): sorted by supplier, day checked and id (two checks
    # of a day: the one entered last), so the latest check of each list wins.
    latest: dict[int, dict[str, tuple]] = defaultdict(dict)
    for sid, checked_on, _id, code, result in sorted(_rows(
        connection,
        select(
            ScreeningResult.supplier_id,
            ScreeningResult.checked_on,
            ScreeningResult.id,
            ScreeningResult.list_code,
            ScreeningResult.result,
        ).where(_where(ScreeningResult.supplier_id, ids), ScreeningResult.checked_on <= as_of),
        wanted,
    ), key=itemgetter(0, 1, 2)):
        latest[sid][code] = (result, checked_on)
    licences: dict[int, list] = defaultdict(list)
    for sid, value in _rows(
        connection,
        select(supplier_categories.c.supplier_id, CategoryRequirement.value)
        .join(CategoryRequirement, CategoryRequirement.category_id == supplier_categories.c.category_id)
        .where(_where(supplier_categories.c.supplier_id, ids), CategoryRequirement.kind == "certificate"),
        wanted,
    ):
        if value not in licences[sid]:
            licences[sid].append(value)
    # Purchase receipts (issue 10) of the whole group, summed per supplier and day received; a line is on
    # time when received on or before its due date (scoring.facts.is_on_time).
    deliveries: dict[int, list] = defaultdict(list)
    since = months_before(as_of, window.receipt_months)
    for sid, received_on, lines, on_time, received, accepted in _rows(
        connection,
        select(
            ReceiptLine.supplier_id,
            ReceiptLine.received_on,
            func.count(ReceiptLine.id),
            func.sum(case((ReceiptLine.received_on <= ReceiptLine.due_on, 1), else_=0)),
            func.sum(ReceiptLine.quantity_received),
            func.sum(ReceiptLine.quantity_accepted),
        )
        .where(
            _where(ReceiptLine.supplier_id, ids),
            ReceiptLine.received_on > since,
            ReceiptLine.received_on <= as_of,
        )
        .group_by(ReceiptLine.supplier_id, ReceiptLine.received_on),
        wanted,
    ):
        deliveries[sid].append(DeliveryFact(received_on, lines, int(on_time), _quantity(received),
                                            _quantity(accepted)))
    # Self-assessment theme scores (issue 5): the latest response reviewed on or before the day.
    saq_scores = saq.reviewed_theme_scores(session, ids, as_of)
    findings, audits = _audit_facts(connection, ids, wanted, as_of)

    result = {}
    for sid, _code, status in suppliers:
        checks = latest.get(sid, {})
        supplier_pledges = pledges.get(sid, [])
        refusal = checks.get("pledge_refusal")
        if refusal and refusal[0] == screening_lists.LISTED:
            supplier_pledges = [*supplier_pledges, PledgeFact("integrity", None, None, True, refusal[1])]
        listed = tuple(code for code in screening_lists.CODES
                       if code in checks and screening_lists.BY_CODE[code].feeds == "list"
                       and screening_lists.is_red(code, checks[code][0]))
        bribery = checks.get("principal_bribery")
        result[sid] = SupplierFacts(
            certificates=certificates.get(sid, ()),
            pledges=supplier_pledges,
            trainings=trainings.get(sid, ()),
            incidents=incidents.get(sid, ()),
            blacklisted=status == "blacklisted" or sid in blacklisted,
            on_dishonest_list="serious_dishonesty" in listed,
            principal_bribery_conviction=bool(bribery and bribery[0] == screening_lists.LISTED),
            screening_listings=listed,
            required_licences=licences.get(sid, ()),
            saq_theme_scores=saq_scores.get(sid, {}),
            deliveries=deliveries.get(sid, ()),
            findings=findings.get(sid, ()),
            audits=audits.get(sid, ()),
        )
    return result


def _audit_facts(connection, ids: list[int], wanted: set[int], as_of: date) -> tuple[dict, dict]:
    """Major and critical findings of audits held by the day (resolved when their corrective action was
    verified, or, without one, when their audit closed) and the scores of audits held by the day (issue 11)."""
    findings: dict[int, list] = defaultdict(list)
    for sid, _id, severity, dimension, held_on, verified_on, action_id, closed_on in _rows(
        connection,
        select(AuditFinding.supplier_id, AuditFinding.id, AuditFinding.severity, AuditFinding.dimension,
               Audit.actual_on, CorrectiveAction.verified_on, AuditFinding.corrective_action_id, Audit.closed_on)
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .outerjoin(CorrectiveAction, CorrectiveAction.id == AuditFinding.corrective_action_id)
        .where(_where(AuditFinding.supplier_id, ids), AuditFinding.severity.in_(SIGNIFICANT),
               Audit.actual_on <= as_of),
        wanted,
    ):
        resolved_on = verified_on if action_id is not None else closed_on
        findings[sid].append(FindingFact(severity, dimension, held_on, resolved_on))
    audits: dict[int, list] = defaultdict(list)
    for sid, _id, held_on, score in _rows(
        connection,
        select(Audit.supplier_id, Audit.id, Audit.actual_on, Audit.score)
        .where(_where(Audit.supplier_id, ids), Audit.actual_on <= as_of, Audit.score.is_not(None)),
        wanted,
    ):
        audits[sid].append(AuditFact(held_on, score))
    return findings, audits


def _quantity(value) -> Decimal:
    """A summed quantity as an exact Decimal of at most three places (SQLite sums in floating point)."""
    return Decimal(str(value)).quantize(Decimal("0.001"))


def blacklisted_ids(session: Session, suppliers: Sequence, as_of: date) -> set[int]:
    """Ids of the suppliers, given as (id, credit code, status) rows, with a blacklist entry in force
    on the day (by supplier or by credit code)."""
    ids = {row[0] for row in suppliers}
    by_code = {row[1]: row[0] for row in suppliers if row[1]}
    condition = BlacklistEntry.supplier_id.in_(sorted(ids))
    if by_code:
        condition = or_(condition, BlacklistEntry.credit_code.in_(list(by_code)))
    # Lifted on or before the as-of day: not in force that day (lifted_at is a UTC timestamp).
    end_of_day = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)
    found = set()
    for sid, code, lifted_at in session.connection().execute(
        select(BlacklistEntry.supplier_id, BlacklistEntry.credit_code, BlacklistEntry.lifted_at).where(
            condition,
            BlacklistEntry.since_on <= as_of,
            or_(BlacklistEntry.until_on.is_(None), BlacklistEntry.until_on >= as_of),
        )
    ):
        if lifted_at is not None:
            if lifted_at.tzinfo is None:
                lifted_at = lifted_at.replace(tzinfo=UTC)
            if lifted_at < end_of_day:
                continue
        if sid in ids:
            found.add(sid)
        if code in by_code:
            found.add(by_code[code])
    return found


def load_one(
    session: Session, supplier_id: int, as_of: date, window: FactWindow | None = None
) -> SupplierFacts:
    """The facts of one supplier as of a date."""
    return load_facts(session, [supplier_id], as_of, window).get(supplier_id, SupplierFacts())
