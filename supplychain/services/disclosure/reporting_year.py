"""A reporting year's disclosure: its figures with the two previous years, the editor's baselines,
restatements and targets in place, and the policies and narratives of the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models.evaluation import Evaluation
from supplychain.models.organisation import Organisation
from supplychain.services.disclosure import entries
from supplychain.services.disclosure.compute import compute, days_needed, populations
from supplychain.services.disclosure.definitions import (
    DEFAULT_SETTINGS,
    FIRST_YEAR,
    POPULATION_LABELS,
    SAME_FIGURES,
    SPEC_BY_CODE,
    SPECS,
    Settings,
    Spec,
    Value,
)


@dataclass
class Disclosure:
    """One reporting year's figures with the two previous years, ready for the page and the files."""

    year: int
    as_of: date
    boundary: Organisation | None  # the organisation whose subtree is reported (None: the whole group)
    values: dict[int, dict[str, Value]]  # year → code → value (the year and the two before it)
    evaluations: int  # final evaluations in the reporting year
    settings: Settings = DEFAULT_SETTINGS
    targets: dict[str, float | int] = field(default_factory=dict)  # code → the reporting year's target
    policies: list = field(default_factory=list)  # the supply-chain policies in force during the year
    edited: dict[tuple[str, str], str] = field(default_factory=dict)  # (section, zh|en) → editor's text

    @property
    def years(self) -> tuple[int, int, int]:
        """The KPI table's years, oldest first."""
        return (self.year - 2, self.year - 1, self.year)

    @property
    def in_progress(self) -> bool:
        """The reporting year has not ended: figures are as of today."""
        return self.as_of < date(self.year, 12, 31)

    def targets_value(self, code: str) -> Value | None:
        """The reporting year's target of a figure, as a Value (None when there is none)."""
        return Value(self.targets[code]) if code in self.targets else None

    def value(self, code: str, year: int | None = None) -> Value:
        """A figure of the reporting year (or of one of the two previous years)."""
        return self.values[year or self.year][code]

    def label(self, spec: Spec) -> tuple[str, str]:
        """A figure's (Chinese, English) label as printed: B5.1's total names the population the settings chose."""
        if spec.code == "B5.1.total":
            return POPULATION_LABELS[self.settings.b51_population]
        return spec.label_zh, spec.label_en

    def section_specs(self, section: str) -> list[Spec]:
        """The figures of a section, in order."""
        return [spec for spec in SPECS if spec.section == section]


def as_of_for(year: int, today: date) -> date:
    """31 December of the year, or today for the year in progress."""
    return min(date(year, 12, 31), today)


def parse_year(raw: Any, today: date) -> int:
    """A reporting year from 2000 to this year; raises ValidationFailed otherwise."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        year = None
    if year is None or not FIRST_YEAR <= year <= today.year:
        raise ValidationFailed(
            {
                "year": [
                    _l(
                        "Choose a reporting year from %(first)d to %(last)d.",
                        first=FIRST_YEAR,
                        last=today.year,
                    )
                ]
            }
        )
    return year


def disclosure(session: Session, year: Any, today: date, boundary: Organisation | None = None,
               settings: Settings = DEFAULT_SETTINGS) -> Disclosure:
    """The disclosure of a reporting year for the session's scope (raises ValidationFailed for a bad or future year).

    The caller activates the reporting boundary on the session (supplychain.scope); `boundary` names it.
    """
    year = parse_year(year, today)
    years = (year - 2, year - 1, year)
    shared = populations(session, [day for y in years for day in days_needed(y, as_of_for(y, today))])
    values = {y: compute(session, y, as_of_for(y, today), settings, shared) for y in years}
    count = (
        session.scalar(
            select(func.count(Evaluation.id)).where(
                Evaluation.status == "final",
                Evaluation.as_of >= date(year, 1, 1),
                Evaluation.as_of <= as_of_for(year, today),
            )
        )
        or 0
    )
    _before_the_system(values, year, entries.first_computed_year(session))
    targets = apply_entered(session, values, boundary)
    boundary_id = entries.boundary_key(boundary)
    return Disclosure(year, as_of_for(year, today), boundary, values, count, settings,
                      {code: v for (y, code), v in targets.items() if y == year},
                      entries.policies_in_force(session, boundary_id, date(year, 1, 1),
                                                           as_of_for(year, today)),
                      entries.narratives_entered(session, boundary_id, year))


def _before_the_system(values: dict[int, dict[str, Value]], year: int, first: int | None) -> None:
    """A previous year before the system was in use (before the year the earliest supplier was registered) has
    no computed figures: they are unavailable (—), never 0, until an editor enters them as baselines."""
    if first is None:
        return
    for y in values:
        if y < year and y < first:
            values[y] = {code: Value(None, basis="unavailable") for code in values[y]}


def apply_entered(session: Session, values: dict[int, dict[str, Value]],
                  boundary: Organisation | None) -> dict[tuple[int, str], float | int]:
    """Put the editor's baselines and restatements in place of the computed figures (marked as such);
    returns the targets by (year, code). A restatement wins over a baseline of the same year."""
    targets: dict[tuple[int, str], float | int] = {}
    rows = entries.entered(session, entries.boundary_key(boundary), values)
    for kind in ("baseline", "restatement"):
        for (year, code, row_kind), row in rows.items():
            if row_kind != kind or code not in values.get(year, {}):
                continue
            computed = values[year][code]
            number = _entered_number(code, row.value)
            note = "; ".join(part for part in (row.source, row.reason, row.entered_by) if part)
            entered = Value(number, computed.records, computed.denominator, computed.breakdown,
                            "entered" if kind == "baseline" else "restated", note)
            # A KPI that is a B5 figure (KPI.total_suppliers = B5.1.total) is entered for both: one number.
            for same in {code, *[other for pair in SAME_FIGURES if code in pair for other in pair]}:
                values[year][same] = entered
    for (year, code, row_kind), row in rows.items():
        if row_kind == "target":
            targets[(year, code)] = _entered_number(code, row.value)
    return targets


def _entered_number(code: str, value: Any) -> float | int:
    """An entered count stays a whole number (118 suppliers, not 118.0), as the computed counts are; a
    percentage stays a float."""
    number = float(value)
    spec = SPEC_BY_CODE.get(code)
    return int(number) if spec is not None and spec.unit != "%" and number.is_integer() else number
