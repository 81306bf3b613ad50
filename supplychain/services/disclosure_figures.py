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
from supplychain.models import (
    DISCLOSURE_FIGURE_KINDS,
    DisclosureFigure,
    DisclosureNarrative,
    Supplier,
    SupplyChainPolicy,
    User,
)
from supplychain.services import attachments, audit

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


# --- the policy register ----------------------------------------------------------------------------------

@dataclass
class PolicyData:
    """A supply-chain policy as typed."""

    title_zh: str = ""
    title_en: str = ""
    number: str = ""
    effective_on: date | None = None
    organisation_id: int | None = None


def add_policy(session: Session, data: PolicyData, actor: User | None, upload=None, store=None
               ) -> SupplyChainPolicy:
    """Register a policy (with its file, a PDF/PNG/JPEG, when given); audited; ValidationFailed on bad input."""
    errors: dict[str, list] = {}
    if not (data.title_zh or "").strip():
        _add(errors, "title_zh", _l("Enter the policy's title."))
    if not (data.number or "").strip():
        _add(errors, "number", _l("Enter the policy's document number."))
    if data.effective_on is None:
        _add(errors, "effective_on", _l("Enter the date the policy takes effect."))
    for key, limit in (("title_zh", 300), ("title_en", 300), ("number", 100)):
        if len((getattr(data, key) or "").strip()) > limit:
            _add(errors, key, _l("At most %(n)d characters.", n=limit))
    clean = None
    if upload is not None:
        clean, problems = attachments.check_upload(upload, store.max_bytes)
        for problem in problems:
            _add(errors, "file", problem)
    if errors:
        raise ValidationFailed(errors)
    policy = SupplyChainPolicy(organisation_id=data.organisation_id, title_zh=data.title_zh.strip(),
                               title_en=(data.title_en or "").strip() or None, number=data.number.strip(),
                               effective_on=data.effective_on, created_by_id=getattr(actor, "id", None))
    if clean is not None:
        policy.attachment_id = attachments.store(session, clean, store, None, actor).id
    session.add(policy)
    session.flush()
    audit.record(session, actor, "create", "supply_chain_policy", policy.id,
                 audit.diff({}, audit.snapshot(policy, ("organisation_id", "title_zh", "title_en", "number",
                                                         "effective_on", "attachment_id"))))
    return policy


def policies_in_force(session: Session, boundary_id: int | None, day: date) -> list[SupplyChainPolicy]:
    """The policies in force on a day for a boundary: the group's, its own, its ancestors' and descendants'."""
    from supplychain import scope

    stmt = select(SupplyChainPolicy).where(SupplyChainPolicy.effective_on <= day)
    if boundary_id is not None:
        allowed = set(scope.subtree_ids(session, boundary_id)) | set(scope.ancestor_ids(session, boundary_id))
        stmt = stmt.where((SupplyChainPolicy.organisation_id.is_(None))
                          | SupplyChainPolicy.organisation_id.in_(sorted(allowed)))
    return list(session.scalars(stmt.order_by(SupplyChainPolicy.effective_on, SupplyChainPolicy.id)))


# --- narratives ----------------------------------------------------------------------------------------------

@dataclass
class NarrativeData:
    """An editor's narrative as typed."""

    year: str = ""
    section: str = ""
    language: str = ""
    text: str = ""
    entered_by: str = ""
    organisation_id: int | None = None


def save_narrative(session: Session, data: NarrativeData, actor: User | None, today: date, sections
                   ) -> DisclosureNarrative:
    """Enter (or replace) the narrative of a section, year, language and boundary; audited."""
    errors: dict[str, list] = {}
    try:
        year = int(str(data.year).strip())
    except ValueError:
        year = None
    if year is None or not 2000 <= year <= today.year:
        _add(errors, "year", _l("Enter a year from %(first)d to %(last)d.", first=2000, last=today.year))
    if data.section not in sections:
        _add(errors, "section", _l("Unknown section."))
    if data.language not in ("zh", "en"):
        _add(errors, "language", _l("Choose zh or en (traditional Chinese is converted from zh)."))
    if not (data.text or "").strip():
        _add(errors, "text", _l("Enter the narrative."))
    if not (data.entered_by or "").strip():
        _add(errors, "entered_by", _l("Name who entered the figure."))
    if errors:
        raise ValidationFailed(errors)
    row = session.scalar(select(DisclosureNarrative).where(
        DisclosureNarrative.organisation_id.is_(None) if data.organisation_id is None
        else DisclosureNarrative.organisation_id == data.organisation_id,
        DisclosureNarrative.year == year, DisclosureNarrative.section == data.section,
        DisclosureNarrative.language == data.language))
    before = {"text": row.text} if row is not None else {}
    if row is None:
        row = DisclosureNarrative(organisation_id=data.organisation_id, year=year, section=data.section,
                                  language=data.language)
        session.add(row)
    row.text, row.entered_by = data.text.strip(), data.entered_by.strip()
    session.flush()
    audit.record(session, actor, "update" if before else "create", "disclosure_narrative", row.id,
                 audit.diff(before, {"text": row.text}), note=row.entered_by)
    return row


def narratives_entered(session: Session, boundary_id: int | None, year: int) -> dict[tuple[str, str], str]:
    """The editor's narratives of a boundary and year, by (section, language)."""
    stmt = select(DisclosureNarrative).where(
        DisclosureNarrative.organisation_id.is_(None) if boundary_id is None
        else DisclosureNarrative.organisation_id == boundary_id, DisclosureNarrative.year == year)
    return {(row.section, row.language): row.text for row in session.scalars(stmt)}
