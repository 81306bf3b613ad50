"""Figures a report editor enters beside the computed disclosure (issue 12, "What an editor needs").

* a **baseline**: a figure of a year before the system was in use, with its source and who entered it;
* a **restatement**: a computed figure corrected after publication, always with a reason;
* a **target**: the year's target for a figure (the targets column).

Each is for one boundary (an organisation, or the whole group) and is audited. The disclosure shows a
baseline or restatement in place of the computed figure, marked as entered or restated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import DISCLOSURE_FIGURE_KINDS, DisclosureFigure, Supplier, User
from supplychain.services import audit

AUDITED_FIELDS = ("organisation_id", "year", "code", "kind", "value", "source", "reason", "entered_by")


@dataclass
class FigureData:
    """An entered figure as typed."""

    year: str = ""
    code: str = ""
    kind: str = ""
    value: str = ""
    source: str = ""
    reason: str = ""
    entered_by: str = ""
    organisation_id: int | None = None


def first_computed_year(session: Session) -> int | None:
    """The first year the system has records for: the year the earliest supplier was registered."""
    first = session.scalar(select(func.min(Supplier.registered_on)))
    return first.year if first else None


def _add(errors: dict[str, list], name: str, message) -> None:
    errors.setdefault(name, []).append(message)


def check(session: Session, data: FigureData, today: date, codes) -> tuple[dict, int | None, Decimal | None]:
    """Every problem with an entered figure, with the parsed year and value."""
    errors: dict[str, list] = {}
    try:
        year = int(str(data.year).strip())
    except ValueError:
        year = None
    latest = today.year + 10 if data.kind == "target" else today.year
    if year is None or not 1990 <= year <= latest:
        _add(errors, "year", _l("Enter a year from %(first)d to %(last)d.", first=1990, last=latest))
        year = None
    if data.code not in codes:
        _add(errors, "code", _l("Unknown figure code."))
    if data.kind not in DISCLOSURE_FIGURE_KINDS:
        _add(errors, "kind", _l("Choose baseline, restatement or target."))
    try:
        value = Decimal(str(data.value).strip().replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        value = None
        _add(errors, "value", _l("Enter a number."))
    if not (data.entered_by or "").strip():
        _add(errors, "entered_by", _l("Name who entered the figure."))
    first = first_computed_year(session)
    if data.kind == "baseline":
        if year is not None and first is not None and year >= first:
            _add(errors, "year", _l("The system computes %(year)d from its records: enter a restatement with a "
                                    "reason instead of a baseline.", year=year))
        if not (data.source or "").strip():
            _add(errors, "source", _l("Give the source of the baseline (e.g. the published report)."))
        if not (data.reason or "").strip():
            _add(errors, "reason", _l("Give the reason for entering the figure."))
    if data.kind == "restatement" and not (data.reason or "").strip():
        _add(errors, "reason", _l("A restatement needs a reason."))
    return errors, year, value


def _snapshot(row: DisclosureFigure) -> dict:
    return {**audit.snapshot(row, AUDITED_FIELDS), "value": str(row.value)}


def save(session: Session, data: FigureData, actor: User | None, today: date, codes) -> DisclosureFigure:
    """Enter (or replace) a baseline, restatement or target; audited. ValidationFailed on bad input."""
    errors, year, value = check(session, data, today, codes)
    if errors:
        raise ValidationFailed(errors)
    row = session.scalar(select(DisclosureFigure).where(
        DisclosureFigure.organisation_id.is_(None) if data.organisation_id is None
        else DisclosureFigure.organisation_id == data.organisation_id,
        DisclosureFigure.year == year, DisclosureFigure.code == data.code, DisclosureFigure.kind == data.kind))
    before = _snapshot(row) if row is not None else {}
    if row is None:
        row = DisclosureFigure(organisation_id=data.organisation_id, year=year, code=data.code, kind=data.kind)
        session.add(row)
    row.value = value
    row.source = (data.source or "").strip() or None
    row.reason = (data.reason or "").strip() or None
    row.entered_by = data.entered_by.strip()
    row.entered_by_id = getattr(actor, "id", None)
    session.flush()
    audit.record(session, actor, "update" if before else "create", "disclosure_figure", row.id,
                 audit.diff(before, _snapshot(row)), note=row.reason)
    return row


def entered(session: Session, organisation_id: int | None, years) -> dict[tuple[int, str, str], DisclosureFigure]:
    """The entered figures of a boundary for some years, by (year, code, kind)."""
    stmt = select(DisclosureFigure).where(
        DisclosureFigure.organisation_id.is_(None) if organisation_id is None
        else DisclosureFigure.organisation_id == organisation_id,
        DisclosureFigure.year.in_(list(years)))
    return {(row.year, row.code, row.kind): row for row in session.scalars(stmt)}
