"""Figures a report editor enters beside the computed disclosure (issue 12, "What an editor needs").

* a **baseline**: a figure of a year before the system was in use, with its source and who entered it;
* a **restatement**: a computed figure corrected after publication, always with a reason;
* a **target**: the year's target for a figure (the targets column).

Each is for one boundary (an organisation, or the whole group) and is audited. The disclosure shows a
baseline or restatement in place of the computed figure, marked as entered or restated. The same module keeps
the group's register of supply-chain policies and the editor's narratives. Entries of the whole group (the
root organisation's boundary) are stored without an organisation; a subsidiary's editor enters only its own
subtree's (the organisation scope, `supplychain.scope`, hides the others).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import ValidationFailed, add_error
from supplychain.models import (
    DISCLOSURE_FIGURE_KINDS,
    Attachment,
    DisclosureFigure,
    DisclosureNarrative,
    Organisation,
    Supplier,
    SupplyChainPolicy,
    User,
)
from supplychain.services.core import attachments, audit

AUDITED_FIELDS = ("organisation_id", "year", "code", "kind", "value", "source", "reason", "entered_by")
POLICY_FIELDS = ("organisation_id", "title_zh", "title_en", "number", "effective_on", "ended_on", "superseded_by_id",
                 "attachment_id")
NARRATIVE_LANGUAGES = ("zh", "en")  # traditional Chinese is converted from zh
MAX_TEXT = 20000
MAX_VALUE = Decimal(10) ** 12


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


def boundary_key(boundary) -> int | None:
    """The organisation a boundary's entries are stored under: None for the whole group (no boundary or the root)."""
    if boundary is None or boundary.parent_id is None:
        return None
    return boundary.id


def _where_boundary(column, organisation_id: int | None):
    return column.is_(None) if organisation_id is None else column == organisation_id


def boundary_problems(session: Session, organisation_id: int | None, errors: dict[str, list]) -> None:
    """An entry is for a boundary inside the acting scope; the whole group's entries need the whole group's scope."""
    active = scope.current(session)
    if organisation_id is None and not active.everything:
        add_error(errors, "organisation_id", _l("Only editors of the whole group enter the group's disclosure."))
    elif organisation_id is not None and (
            not active.allows(organisation_id)
            or session.scalar(scope.unscoped(select(Organisation.id).where(Organisation.id == organisation_id)))
            is None):
        add_error(errors, "organisation_id", _l("Choose an organisation within your own."))


def _entry(session: Session, organisation_id: int | None, year: int, code: str, kind: str) -> DisclosureFigure | None:
    return session.scalar(select(DisclosureFigure).where(
        _where_boundary(DisclosureFigure.organisation_id, organisation_id), DisclosureFigure.year == year,
        DisclosureFigure.code == code, DisclosureFigure.kind == kind))


def _keyed(data: FigureData, existing: DisclosureFigure | None) -> FigureData:
    """An edit keeps its entry's boundary, year, code and kind; only the value, source and reason change."""
    if existing is None:
        return data
    return replace(data, year=str(existing.year), code=existing.code, kind=existing.kind,
                   organisation_id=existing.organisation_id)


def problems(session: Session, data: FigureData, today: date, codes, existing: DisclosureFigure | None = None,
             replace_entry: bool = True) -> dict[str, list]:
    """Every problem with an entered figure, per field (nothing is written)."""
    return check(session, data, today, codes, existing, replace_entry)[0]


def check(session: Session, data: FigureData, today: date, codes, existing: DisclosureFigure | None = None,
          replace_entry: bool = True) -> tuple[dict, int | None, Decimal | None]:
    """Every problem with an entered figure, with the parsed year and value.

    `replace_entry` (the command line): a new entry replaces one of the same year, code and kind; the web form
    refuses that and asks to edit the entry, so nobody overwrites a figure they have not seen."""
    data = _keyed(data, existing)
    errors: dict[str, list] = {}
    try:
        year = int(str(data.year).strip())
    except ValueError:
        year = None
    latest = today.year + 10 if data.kind == "target" else today.year
    if year is None or not 1990 <= year <= latest:
        add_error(errors, "year", _l("Enter a year from %(first)d to %(last)d.", first=1990, last=latest))
        year = None
    if data.code not in codes:
        add_error(errors, "code", _l("Unknown figure code."))
    if data.kind not in DISCLOSURE_FIGURE_KINDS:
        add_error(errors, "kind", _l("Choose baseline, restatement or target."))
    try:
        value = Decimal(str(data.value).strip().replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        value = None
        add_error(errors, "value", _l("Enter a number."))
    spec = codes.get(data.code) if hasattr(codes, "get") else None
    if value is not None:
        if value < 0 or value >= MAX_VALUE:
            add_error(errors, "value", _l("Enter a number from 0 to %(n)s.", n="999,999,999,999"))
        elif getattr(spec, "unit", "") == "%" and value > 100:
            add_error(errors, "value", _l("A percentage is at most 100."))
        elif spec is not None and spec.unit != "%" and value != value.to_integral_value():
            add_error(errors, "value", _l("This figure counts records: enter a whole number."))
    for key in ("source", "reason"):
        if len((getattr(data, key) or "").strip()) > 2000:
            add_error(errors, key, _l("At most %(n)d characters.", n=2000))
    if not (data.entered_by or "").strip():
        add_error(errors, "entered_by", _l("Name who entered the figure."))
    first = first_computed_year(session)
    if data.kind == "baseline":
        if year is not None and first is not None and year >= first:
            add_error(errors, "year", _l("The system computes %(year)d from its records: enter a restatement with a "
                                    "reason instead of a baseline.", year=year))
        if not (data.source or "").strip():
            add_error(errors, "source", _l("Give the source of the baseline (e.g. the published report)."))
        if not (data.reason or "").strip():
            add_error(errors, "reason", _l("Give the reason for entering the figure."))
    if data.kind == "restatement" and not (data.reason or "").strip():
        add_error(errors, "reason", _l("A restatement needs a reason."))
    boundary_problems(session, data.organisation_id, errors)
    if (existing is None and not replace_entry and year is not None and data.kind in DISCLOSURE_FIGURE_KINDS
            and _entry(session, data.organisation_id, year, data.code, data.kind) is not None):
        add_error(errors, "code", _l("This figure already has an entry of this kind for %(year)d: edit that entry.",
                                year=year))
    return errors, year, value


def _snapshot(row: DisclosureFigure) -> dict:
    return {**audit.snapshot(row, AUDITED_FIELDS), "value": str(row.value)}


def save(session: Session, data: FigureData, actor: User | None, today: date, codes,
         existing: DisclosureFigure | None = None, replace_entry: bool = True) -> DisclosureFigure:
    """Enter (or replace, or with `existing` edit) a baseline, restatement or target; audited.
    ValidationFailed on bad input, and nothing is written."""
    errors, year, value = check(session, data, today, codes, existing, replace_entry)
    if errors:
        raise ValidationFailed(errors)
    data = _keyed(data, existing)
    row = existing if existing is not None else _entry(session, data.organisation_id, year, data.code, data.kind)
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


def remove(session: Session, row: DisclosureFigure, actor: User | None, reason: str) -> None:
    """Withdraw an entered figure (the computed one shows again), with a reason; audited."""
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Give the reason for withdrawing the figure.")]})
    audit.record(session, actor, "delete", "disclosure_figure", row.id,
                 {key: [value, None] for key, value in _snapshot(row).items()}, note=reason.strip())
    session.delete(row)
    session.flush()


def entered(session: Session, organisation_id: int | None, years) -> dict[tuple[int, str, str], DisclosureFigure]:
    """The entered figures of a boundary for some years, by (year, code, kind)."""
    stmt = select(DisclosureFigure).where(
        _where_boundary(DisclosureFigure.organisation_id, organisation_id), DisclosureFigure.year.in_(list(years)))
    return {(row.year, row.code, row.kind): row for row in session.scalars(stmt)}


def entries(session: Session, organisation_id: int | None) -> list[DisclosureFigure]:
    """Every entered figure of a boundary, newest year first, then by code and kind."""
    stmt = select(DisclosureFigure).where(_where_boundary(DisclosureFigure.organisation_id, organisation_id))
    return list(session.scalars(stmt.order_by(DisclosureFigure.year.desc(), DisclosureFigure.code,
                                              DisclosureFigure.kind)))


# --- the policy register ----------------------------------------------------------------------------------

@dataclass
class PolicyData:
    """A supply-chain policy as typed."""

    title_zh: str = ""
    title_en: str = ""
    number: str = ""
    effective_on: date | None = None
    organisation_id: int | None = None
    ended_on: date | None = None  # repealed or superseded: the last day in force (none: still in force)
    superseded_by_id: int | None = None  # the policy of the register that replaces it


def policy_problems(session: Session, data: PolicyData, upload=None, store=None,
                    existing: SupplyChainPolicy | None = None) -> tuple[dict, object]:
    """Every problem with a policy as typed, per field, and the checked file (nothing is written): an end date
    before the effective date, a superseding policy that is the policy itself or not in the register, or a
    superseded policy without an end date."""
    errors: dict[str, list] = {}
    if not (data.title_zh or "").strip():
        add_error(errors, "title_zh", _l("Enter the policy's title."))
    if not (data.number or "").strip():
        add_error(errors, "number", _l("Enter the policy's document number."))
    if data.effective_on is None:
        add_error(errors, "effective_on", _l("Enter the date the policy takes effect."))
    for key, limit in (("title_zh", 300), ("title_en", 300), ("number", 100)):
        if len((getattr(data, key) or "").strip()) > limit:
            add_error(errors, key, _l("At most %(n)d characters.", n=limit))
    if data.ended_on is not None and data.effective_on is not None and data.ended_on < data.effective_on:
        add_error(errors, "ended_on", _l("The end date cannot be before the date the policy takes effect (%(day)s).",
                                    day=data.effective_on.isoformat()))
    if data.superseded_by_id is not None:
        if existing is not None and data.superseded_by_id == existing.id:
            add_error(errors, "superseded_by_id", _l("A policy cannot supersede itself."))
        elif visible_policy(session, data.superseded_by_id) is None:
            add_error(errors, "superseded_by_id", _l("Choose a policy of the register."))
        if data.ended_on is None:
            add_error(errors, "ended_on", _l("Enter the last day the superseded policy was in force."))
    boundary_problems(session, data.organisation_id, errors)
    clean = None
    if upload is not None:
        clean, found = attachments.check_upload(upload, store.max_bytes)
        for problem in found:
            add_error(errors, "file", problem)
    return errors, clean


def _write_policy(session: Session, policy: SupplyChainPolicy, data: PolicyData, clean, store,
                  actor: User | None) -> None:
    policy.organisation_id = data.organisation_id
    policy.title_zh = data.title_zh.strip()
    policy.title_en = (data.title_en or "").strip() or None
    policy.number = data.number.strip()
    policy.effective_on = data.effective_on
    policy.ended_on = data.ended_on
    policy.superseded_by_id = data.superseded_by_id
    if clean is not None:
        policy.attachment_id = attachments.store(session, clean, store, None, actor).id


def add_policy(session: Session, data: PolicyData, actor: User | None, upload=None, store=None
               ) -> SupplyChainPolicy:
    """Register a policy (with its file, a PDF/PNG/JPEG, when given); audited; ValidationFailed on bad input."""
    errors, clean = policy_problems(session, data, upload, store)
    if errors:
        raise ValidationFailed(errors)
    policy = SupplyChainPolicy(created_by_id=getattr(actor, "id", None))
    _write_policy(session, policy, data, clean, store, actor)
    session.add(policy)
    session.flush()
    audit.record(session, actor, "create", "supply_chain_policy", policy.id,
                 audit.diff({}, audit.snapshot(policy, POLICY_FIELDS)))
    return policy


def update_policy(session: Session, policy: SupplyChainPolicy, data: PolicyData, actor: User | None, upload=None,
                  store=None) -> SupplyChainPolicy:
    """Correct a registered policy (a new file replaces the old one); audited; ValidationFailed on bad input."""
    errors, clean = policy_problems(session, data, upload, store, policy)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(policy, POLICY_FIELDS)
    _write_policy(session, policy, data, clean, store, actor)
    session.flush()
    audit.record(session, actor, "update", "supply_chain_policy", policy.id,
                 audit.diff(before, audit.snapshot(policy, POLICY_FIELDS)))
    return policy


def _applicable(session: Session, organisation_ids) -> list[int]:
    """Organisations whose policies apply to these: themselves and their ancestors."""
    found: set[int] = set()
    for organisation_id in organisation_ids:
        found.update(scope.ancestor_ids(session, organisation_id))
    return sorted(found)


def policies_in_force(session: Session, boundary_id: int | None, first: date, last: date) -> list[SupplyChainPolicy]:
    """The policies in force at some time from `first` to `last` (a reporting year) for a boundary: effective by
    `last` and not ended before `first`; the group's, its own, its ancestors' and descendants'."""
    stmt = scope.unscoped(select(SupplyChainPolicy).where(
        SupplyChainPolicy.effective_on <= last,
        SupplyChainPolicy.ended_on.is_(None) | (SupplyChainPolicy.ended_on >= first)))
    if boundary_id is not None:
        allowed = set(scope.subtree_ids(session, boundary_id)) | set(scope.ancestor_ids(session, boundary_id))
        stmt = stmt.where((SupplyChainPolicy.organisation_id.is_(None))
                          | SupplyChainPolicy.organisation_id.in_(sorted(allowed)))
    return list(session.scalars(stmt.order_by(SupplyChainPolicy.effective_on, SupplyChainPolicy.id)))


@dataclass(frozen=True)
class RegisteredPolicy:
    """A policy of the register as the acting user sees it: editable when it is inside their scope."""

    policy: SupplyChainPolicy
    editable: bool
    issuer: Organisation | None  # the issuing organisation (the root for the group's policies)


def register(session: Session) -> list[RegisteredPolicy]:
    """The policy register for the session's scope: the scope's own policies (editable) and those that apply to
    it from above (the group's and its ancestors', read only), newest first."""
    active = scope.current(session)
    stmt = scope.unscoped(select(SupplyChainPolicy))
    if not active.everything:
        applicable = set(_applicable(session, active.organisation_ids))
        stmt = stmt.where((SupplyChainPolicy.organisation_id.is_(None))
                          | SupplyChainPolicy.organisation_id.in_(sorted(applicable)))
    rows = list(session.scalars(stmt.order_by(SupplyChainPolicy.effective_on.desc(), SupplyChainPolicy.id.desc())))
    issuers = {org.id: org for org in session.scalars(scope.unscoped(select(Organisation).where(
        Organisation.id.in_(sorted({p.organisation_id for p in rows if p.organisation_id is not None})))))}
    top = scope.root(session)
    return [RegisteredPolicy(p, active.everything or (p.organisation_id is not None
                                                      and active.allows(p.organisation_id)),
                             issuers.get(p.organisation_id) if p.organisation_id is not None else top)
            for p in rows]


def visible_policy(session: Session, policy_id: int) -> SupplyChainPolicy | None:
    """A policy of the register as the session's scope sees it (its own or one that applies from above)."""
    return next((row.policy for row in register(session) if row.policy.id == policy_id), None)


def policy_file(session: Session, policy: SupplyChainPolicy) -> Attachment | None:
    """The stored file of a policy (files of the group's policies belong to no supplier)."""
    if policy.attachment_id is None:
        return None
    return session.scalar(scope.unscoped(select(Attachment).where(Attachment.id == policy.attachment_id)))


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


def narrative_row(session: Session, organisation_id: int | None, year: int, section: str, language: str
                  ) -> DisclosureNarrative | None:
    """The editor's narrative of a boundary, year, section and language, if one was entered."""
    return session.scalar(select(DisclosureNarrative).where(
        _where_boundary(DisclosureNarrative.organisation_id, organisation_id), DisclosureNarrative.year == year,
        DisclosureNarrative.section == section, DisclosureNarrative.language == language))


def narrative_problems(session: Session, data: NarrativeData, today: date, sections) -> tuple[dict, int | None]:
    """Every problem with a narrative as typed, per field, and the parsed year (nothing is written)."""
    errors: dict[str, list] = {}
    try:
        year = int(str(data.year).strip())
    except ValueError:
        year = None
    if year is None or not 2000 <= year <= today.year:
        add_error(errors, "year", _l("Enter a year from %(first)d to %(last)d.", first=2000, last=today.year))
    if data.section not in sections:
        add_error(errors, "section", _l("Unknown section."))
    if data.language not in NARRATIVE_LANGUAGES:
        add_error(errors, "language", _l("Choose zh or en (traditional Chinese is converted from zh)."))
    if not (data.text or "").strip():
        add_error(errors, "text", _l("Enter the narrative."))
    elif len(data.text.strip()) > MAX_TEXT:
        add_error(errors, "text", _l("At most %(n)d characters.", n=MAX_TEXT))
    if not (data.entered_by or "").strip():
        add_error(errors, "entered_by", _l("Name who entered the figure."))
    boundary_problems(session, data.organisation_id, errors)
    return errors, year


def save_narrative(session: Session, data: NarrativeData, actor: User | None, today: date, sections
                   ) -> DisclosureNarrative:
    """Enter (or replace) the narrative of a section, year, language and boundary; audited."""
    errors, year = narrative_problems(session, data, today, sections)
    if errors:
        raise ValidationFailed(errors)
    row = narrative_row(session, data.organisation_id, year, data.section, data.language)
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


def remove_narrative(session: Session, row: DisclosureNarrative, actor: User | None) -> None:
    """Drop the editor's narrative: the drafted one is printed again; audited."""
    audit.record(session, actor, "delete", "disclosure_narrative", row.id, {"text": [row.text, None]},
                 note=f"{row.year} {row.section} {row.language}")
    session.delete(row)
    session.flush()


def narratives_entered(session: Session, boundary_id: int | None, year: int) -> dict[tuple[str, str], str]:
    """The editor's narratives of a boundary and year, by (section, language)."""
    stmt = select(DisclosureNarrative).where(
        _where_boundary(DisclosureNarrative.organisation_id, boundary_id), DisclosureNarrative.year == year)
    return {(row.section, row.language): row.text for row in session.scalars(stmt)}
