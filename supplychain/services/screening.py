"""Integrity screening records (DOMAIN "Admission review"): they feed the dishonest-list, bribery and
pledge-refusal red lines of every evaluation dated on or after the check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import Supplier, User
from supplychain.models.screening import IntegrityScreening
from supplychain.services import audit

FIELDS = (
    "on_dishonest_list",
    "principal_bribery_conviction",
    "integrity_pledge_refused",
    "checked_on",
    "source",
    "note",
)


@dataclass
class ScreeningData:
    """A screening as entered."""

    on_dishonest_list: bool = False
    principal_bribery_conviction: bool = False
    integrity_pledge_refused: bool = False
    checked_on: date | None = None
    source: str = ""
    note: str = ""


def record_screening(
    session: Session, supplier: Supplier, data: ScreeningData, actor: User | None, today: date
) -> IntegrityScreening:
    """Record who checked what on which day; any finding needs a note saying what was found where."""
    errors: dict[str, list] = {}
    if data.checked_on is None:
        errors["checked_on"] = [_l("Enter the date of the check.")]
    elif data.checked_on > today:
        errors["checked_on"] = [_l("The check cannot be in the future.")]
    if len(data.source or "") > 200:
        errors["source"] = [_l("At most %(n)d characters.", n=200)]
    if len(data.note or "") > 2000:
        errors["note"] = [_l("At most %(n)d characters.", n=2000)]
    findings = data.on_dishonest_list or data.principal_bribery_conviction or data.integrity_pledge_refused
    if findings and not (data.note or "").strip():
        errors.setdefault("note", []).append(_l("Describe what was found and where."))
    if errors:
        raise ValidationFailed(errors)
    screening = IntegrityScreening(
        supplier_id=supplier.id,
        on_dishonest_list=bool(data.on_dishonest_list),
        principal_bribery_conviction=bool(data.principal_bribery_conviction),
        integrity_pledge_refused=bool(data.integrity_pledge_refused),
        checked_on=data.checked_on,
        checked_by_id=getattr(actor, "id", None),
        source=(data.source or "").strip() or None,
        note=(data.note or "").strip() or None,
    )
    session.add(screening)
    session.flush()
    audit.record(
        session,
        actor,
        "screening",
        "integrity_screening",
        screening.id,
        audit.diff({}, audit.snapshot(screening, FIELDS)),
        supplier_id=supplier.id,
        note=screening.note,
    )
    return screening


def for_supplier(session: Session, supplier_id: int) -> list[IntegrityScreening]:
    """A supplier's screenings, latest check first."""
    return list(
        session.scalars(
            select(IntegrityScreening)
            .where(IntegrityScreening.supplier_id == supplier_id)
            .order_by(IntegrityScreening.checked_on.desc(), IntegrityScreening.id.desc())
        )
    )
