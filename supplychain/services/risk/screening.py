"""External screening results (issue 11 part 4): record a check with its screenshot, read the latest result per
list, and list the suppliers due for re-screening by risk tier.

There is one way to record screening: every form, the import and the demo write `ScreeningResult` rows
through `add_result`. The admission red lines read the latest result per list (services.evaluation.facts_loader).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import screening_lists
from supplychain.errors import ValidationFailed
from supplychain.models import Supplier, User
from supplychain.models.risk import RISK_TIERS, RiskTierSetting, SupplierRisk
from supplychain.models.screening import ScreeningResult
from supplychain.scoring.engine import months_before
from supplychain.services.core import attachments, audit

FIELDS = ("list_code", "checked_on", "result", "source_reference", "note")
LIMITS = {"source_reference": 300, "note": 2000}
# Re-screening interval of a tier without a setting row (and of suppliers not tiered yet): the admission's 12 months.
DEFAULT_INTERVAL_MONTHS = 12
# Statuses whose suppliers are no longer screened (they left, or were never admitted).
NOT_SCREENED_STATUSES = ("exited", "blacklisted", "rejected")


@dataclass
class ResultData:
    """One screening result as entered (form) or read (import row)."""

    list_code: str = ""
    checked_on: date | None = None
    result: str = ""
    source_reference: str = ""
    note: str = ""


@dataclass
class ScreeningData:
    """The admission's integrity screening as the evaluation page's short form enters it: three checks at once."""

    on_dishonest_list: bool = False
    principal_bribery_conviction: bool = False
    integrity_pledge_refused: bool = False
    checked_on: date | None = None
    source: str = ""
    note: str = ""


def check_result(data: ResultData, today: date) -> dict[str, list]:
    """Every problem with a result, per field (no database needed)."""
    errors: dict[str, list] = {}
    entry = screening_lists.BY_CODE.get(data.list_code or "")
    if entry is None:
        errors["list_code"] = [_l("Unknown list: %(code)s.", code=(data.list_code or "")[:60])]
    elif data.result not in entry.results:
        errors["result"] = [_l("Choose one of: %(results)s.", results=", ".join(entry.results))]
    if data.checked_on is None:
        errors["checked_on"] = [_l("Enter the date of the check.")]
    elif data.checked_on > today:
        errors["checked_on"] = [_l("The check cannot be in the future.")]
    for name, limit in LIMITS.items():
        if len((getattr(data, name) or "").strip()) > limit:
            errors.setdefault(name, []).append(_l("At most %(n)d characters.", n=limit))
    if entry is not None and data.result in entry.red_results and not (data.source_reference or "").strip():
        errors.setdefault("source_reference", []).append(_l("Say where the listing was found."))
    return errors


def add_result(session: Session, supplier_id: int, data: ResultData, actor: User | None,
               attachment_id: int | None = None, note: str | None = None) -> ScreeningResult:
    """Insert a checked result with its audit entry (callers have checked it)."""
    row = ScreeningResult(
        supplier_id=supplier_id, list_code=data.list_code, checked_on=data.checked_on, result=data.result,
        source_reference=(data.source_reference or "").strip() or None, note=(data.note or "").strip() or None,
        attachment_id=attachment_id, checked_by_id=getattr(actor, "id", None),
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "screening", "screening_result", row.id, audit.diff({}, audit.snapshot(row, FIELDS)),
                 supplier_id=supplier_id, note=note)
    return row


def check_upload(data: ResultData, upload: attachments.Upload | None, max_bytes: int, today: date
                 ) -> tuple[dict[str, list], attachments.CleanUpload | None]:
    """The result's problems and those of its screenshot or PDF."""
    errors = check_result(data, today)
    clean, problems = attachments.check_upload(upload, max_bytes)
    if problems:
        errors["evidence"] = problems
    return errors, clean


def record_result(session: Session, supplier: Supplier, data: ResultData, upload: attachments.Upload | None,
                  store: attachments.Store, actor: User | None, today: date) -> ScreeningResult:
    """Record one check of a supplier against one list, with its screenshot or PDF; audited."""
    errors, clean = check_upload(data, upload, store.max_bytes, today)
    if errors:
        raise ValidationFailed(errors)
    attachment = attachments.store(session, clean, store, supplier.id, actor) if clean else None
    return add_result(session, supplier.id, data, actor, getattr(attachment, "id", None),
                      note=attachments.describe(attachment))


def record_screening(session: Session, supplier: Supplier, data: ScreeningData, actor: User | None,
                     today: date) -> list[ScreeningResult]:
    """The admission's integrity screening: the dishonest-enterprise list, the principal's bribery record and
    whether the pledge was refused, as three results of one day; a finding needs a note."""
    errors: dict[str, list] = {}
    if data.checked_on is None:
        errors["checked_on"] = [_l("Enter the date of the check.")]
    elif data.checked_on > today:
        errors["checked_on"] = [_l("The check cannot be in the future.")]
    if len(data.source or "") > 200:
        errors["source"] = [_l("At most %(n)d characters.", n=200)]
    if len(data.note or "") > LIMITS["note"]:
        errors["note"] = [_l("At most %(n)d characters.", n=LIMITS["note"])]
    findings = data.on_dishonest_list or data.principal_bribery_conviction or data.integrity_pledge_refused
    if findings and not (data.note or "").strip():
        errors.setdefault("note", []).append(_l("Describe what was found and where."))
    if errors:
        raise ValidationFailed(errors)
    rows = [ResultData(code, data.checked_on, screening_lists.LISTED if flag else screening_lists.CLEAR,
                       data.source or "", data.note or "")
            for code, flag in (("serious_dishonesty", data.on_dishonest_list),
                               ("principal_bribery", data.principal_bribery_conviction),
                               ("pledge_refusal", data.integrity_pledge_refused))]
    return [add_result(session, supplier.id, row, actor) for row in rows]


def history(session: Session, supplier_id: int) -> list[ScreeningResult]:
    """A supplier's results, latest check first."""
    return list(session.scalars(
        select(ScreeningResult).where(ScreeningResult.supplier_id == supplier_id)
        .order_by(ScreeningResult.checked_on.desc(), ScreeningResult.id.desc())))


def latest_per_list(session: Session, supplier_id: int, as_of: date | None = None) -> list[ScreeningResult]:
    """The latest result of each list (on or before a day), in the code table's order."""
    stmt = select(ScreeningResult).where(ScreeningResult.supplier_id == supplier_id)
    if as_of is not None:
        stmt = stmt.where(ScreeningResult.checked_on <= as_of)
    latest: dict[str, ScreeningResult] = {}
    for row in session.scalars(stmt.order_by(ScreeningResult.checked_on, ScreeningResult.id)):
        latest[row.list_code] = row
    return [latest[code] for code in screening_lists.CODES if code in latest]


def latest_admission_check(session: Session, supplier_id: int, as_of: date | None = None) -> ScreeningResult | None:
    """The latest check of the admission lists (on or before a day): who screened the supplier, when, where."""
    stmt = select(ScreeningResult).where(ScreeningResult.supplier_id == supplier_id,
                                         ScreeningResult.list_code.in_(screening_lists.ADMISSION_CHECKS))
    if as_of is not None:
        stmt = stmt.where(ScreeningResult.checked_on <= as_of)
    return session.scalar(stmt.order_by(ScreeningResult.checked_on.desc(), ScreeningResult.id.desc()).limit(1))


def missing_admission_checks(session: Session, supplier_id: int, as_of: date, since: date) -> list[str]:
    """The admission checks without a result between `since` and `as_of` (codes, in the table's order)."""
    found = set(session.scalars(select(ScreeningResult.list_code).where(
        ScreeningResult.supplier_id == supplier_id, ScreeningResult.list_code.in_(screening_lists.ADMISSION_CHECKS),
        ScreeningResult.checked_on <= as_of, ScreeningResult.checked_on >= since)))
    return [code for code in screening_lists.ADMISSION_CHECKS if code not in found]


@dataclass(frozen=True)
class DueRow:
    """A supplier due for re-screening: its tier, when it was last fully screened and when it is due."""

    supplier_id: int
    name: str
    credit_code: str | None
    tier: str | None
    last_screened_on: date | None
    due_on: date | None
    interval_months: int | None  # None: the tier is not re-screened periodically

    @property
    def never(self) -> bool:
        """Never screened (or never on every admission check)."""
        return self.last_screened_on is None


def rescreening_due(session: Session, today: date, within_days: int = 30) -> list[DueRow]:
    """Suppliers of the scope whose admission checks are older than their tier's re-screening interval (or due
    within `within_days`), by tier (high first, untiered last), never-screened first within a tier, then by
    due date. "Last screened" is the older of the latest results of the admission checks. A tier whose setting has
    no interval is not re-screened periodically: only its never-screened suppliers are listed."""
    # A tier set to no interval is not re-screened periodically (only its never-screened suppliers are due).
    intervals: dict[str | None, int | None] = dict(session.execute(
        select(RiskTierSetting.tier, RiskTierSetting.rescreen_interval_months)).all())
    latest: dict[int, dict[str, date]] = {}
    for supplier_id, code, checked_on in session.execute(
            select(ScreeningResult.supplier_id, ScreeningResult.list_code, func.max(ScreeningResult.checked_on))
            .where(ScreeningResult.list_code.in_(screening_lists.ADMISSION_CHECKS))
            .group_by(ScreeningResult.supplier_id, ScreeningResult.list_code)):
        latest.setdefault(supplier_id, {})[code] = checked_on
    horizon = date.fromordinal(today.toordinal() + within_days)
    rank = {tier: position for position, tier in enumerate(RISK_TIERS)}
    rows = []
    for supplier_id, name, code, tier in session.execute(
            select(Supplier.id, Supplier.name_zh, Supplier.credit_code, SupplierRisk.tier)
            .outerjoin(SupplierRisk, SupplierRisk.supplier_id == Supplier.id)
            .where(Supplier.status.not_in(NOT_SCREENED_STATUSES))):
        checks = latest.get(supplier_id, {})
        last = min(checks.values()) if len(checks) == len(screening_lists.ADMISSION_CHECKS) else None
        interval = intervals.get(tier, DEFAULT_INTERVAL_MONTHS) if tier else DEFAULT_INTERVAL_MONTHS
        due_on = months_before(last, -interval) if last and interval else None
        if last is None or (due_on is not None and due_on <= horizon):
            rows.append(DueRow(supplier_id, name, code, tier, last, due_on, interval))
    rows.sort(key=lambda r: (rank.get(r.tier, len(rank)), not r.never, r.due_on or date.min, r.name, r.supplier_id))
    return rows
