"""A year's disclosure as it was published (issue 12, "Effective dates"): an editor marks the year published
and its figures are kept. A change that later alters a published figure (a back-dated status change, a late
evaluation) is never silent: the page lists it against the published value until an editor enters a
restatement with a reason (or publishes the year again)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import clock
from supplychain.errors import ValidationFailed
from supplychain.models import DisclosurePublication, User
from supplychain.services.core import audit
from supplychain.services.disclosure import entries

SETTINGS_KEY = "_settings"  # how the figures were counted: B5.1's population and the percent places


def settings_key(population: str, places: int) -> str:
    """The settings a publication was counted with, as stored beside its figures."""
    return f"{population}/{places}"


def published(session: Session, organisation_id: int | None, years) -> dict[int, DisclosurePublication]:
    """The publications of a boundary for some years, by year."""
    stmt = select(DisclosurePublication).where(
        DisclosurePublication.organisation_id.is_(None) if organisation_id is None
        else DisclosurePublication.organisation_id == organisation_id,
        DisclosurePublication.year.in_(list(years)))
    return {row.year: row for row in session.scalars(stmt)}


def publish(session: Session, organisation_id: int | None, year: int, in_progress: bool,
            figures: Mapping[str, Any], counted_with: str, actor: User | None, who: str) -> DisclosurePublication:
    """Keep a finished year's figures as published (again: replace them); audited. ValidationFailed for a year
    in progress or a boundary outside the acting scope."""
    errors: dict[str, list] = {}
    if in_progress:
        errors["year"] = [_l("The year %(year)d is not over: publish it after 31 December.", year=year)]
    entries.boundary_problems(session, organisation_id, errors)
    if errors:
        raise ValidationFailed(errors)
    stored = {**{code: value for code, value in figures.items()}, SETTINGS_KEY: counted_with}
    row = published(session, organisation_id, [year]).get(year)
    before = dict(row.figures) if row is not None else {}
    if row is None:
        row = DisclosurePublication(organisation_id=organisation_id, year=year)
        session.add(row)
    row.figures, row.published_by, row.published_by_id = stored, who, getattr(actor, "id", None)
    row.published_at = clock.now()
    session.flush()
    audit.record(session, actor, "update" if before else "create", "disclosure_publication", row.id,
                 audit.diff(before, stored), note=f"{year}")
    return row


@dataclass(frozen=True)
class Change:
    """A published figure whose computed value is now different, and not restated."""

    year: int
    code: str
    published: Any
    now: Any


def changes(publications: Mapping[int, DisclosurePublication], values: Mapping[int, Mapping[str, Any]],
            counted_with: str) -> tuple[list[Change], list[int]]:
    """(the computed figures that differ from what was published without a restatement or baseline; the years
    published with other settings, which are not compared figure by figure)."""
    found, other_settings = [], []
    for year in sorted(publications):
        figures = publications[year].figures or {}
        if year not in values:
            continue
        if figures.get(SETTINGS_KEY) != counted_with:
            other_settings.append(year)
            continue
        for code, value in values[year].items():
            if code in figures and value.basis == "computed" and figures[code] != value.value:
                found.append(Change(year, code, figures[code], value.value))
    return found, other_settings
