"""Evaluation periods: a year, a half-year or a quarter."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from supplychain.errors import ValidationFailed
from supplychain.models.evaluation import PERIOD_TYPES

PERIOD_TYPE_LABELS = {"year": _l("Year"), "half": _l("Half-year"), "quarter": _l("Quarter")}
MONTHS_PER_PART = {"year": 12, "half": 6, "quarter": 3}
PARTS = {"year": 1, "half": 2, "quarter": 4}


@dataclass(frozen=True)
class Period:
    """A calendar period: type, year and index (1 for a year, 1-2 for halves, 1-4 for quarters)."""

    type: str
    year: int
    index: int

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, (self.index - 1) * MONTHS_PER_PART[self.type] + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the period."""
        month = self.index * MONTHS_PER_PART[self.type]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def overlaps(self, start: date, end: date) -> bool:
        """Whether the period shares at least one day with [start, end]."""
        return self.start <= end and start <= self.end

    def label(self, language: str = "zh") -> str:
        """2025, 2025 H1, 2025 Q3 in English; 2025年, 2025年上半年, 2025年第3季度 in Chinese."""
        return period_label(self.type, self.year, self.index, language)


def period_label(period_type: str | None, year: int | None, index: int | None, language: str = "zh") -> str:
    """A period's name in one language (stored values, no translation catalogue needed)."""
    if not period_type or year is None:
        return ""
    if language == "en":
        return {"year": f"{year}", "half": f"{year} H{index}", "quarter": f"{year} Q{index}"}.get(
            period_type, ""
        )
    if period_type == "half":
        return f"{year}年{'上' if index == 1 else '下'}半年"
    if period_type == "quarter":
        return f"{year}年第{index}季度"
    return f"{year}年"


def make_period(period_type: str | None, year: int | None, index: int | None, today: date) -> Period:
    """A valid period that has started; raises ValidationFailed naming every bad field."""
    errors: dict[str, list] = {}
    if period_type not in PERIOD_TYPES:
        errors["period_type"] = [_l("Choose a year, a half-year or a quarter.")]
    if not isinstance(year, int) or not 2000 <= year <= today.year + 1:
        errors["period_year"] = [_l("Enter a year from 2000 to %(last)d.", last=today.year + 1)]
    if period_type == "year":
        index = 1
    elif period_type in PARTS and (not isinstance(index, int) or not 1 <= index <= PARTS[period_type]):
        errors["period_index"] = [_l("Choose the half-year (1-2) or quarter (1-4).")]
    if errors:
        raise ValidationFailed(errors)
    period = Period(period_type, year, index)
    if period.start > today:
        raise ValidationFailed({"period_year": [_l("The period has not started yet.")]})
    return period
