"""Scoring schemes as frozen dataclasses: dimensions, criteria, red lines and grade bands.

A scheme is plain data. It is validated by :func:`supplychain.scoring.validation.validate_scheme`,
stored as versioned JSON by :mod:`supplychain.scoring.serialize` and evaluated by
:func:`supplychain.scoring.engine.score`. Nothing here touches Flask or a database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEME_KINDS = ("admission", "periodic")

# Criterion kinds (issue 4). ``manual`` is entered by an evaluator; every other kind is an
# evidence rule evaluated on SupplierFacts as of a date.
MANUAL = "manual"
CERTIFICATE_VALID = "certificate_valid"
LICENCES_VALID = "licences_valid"
PLEDGE_SIGNED = "pledge_signed"
TRAINING_HOURS = "training_hours"
NO_MAJOR_INCIDENT = "no_major_incident"
SAQ_THEME = "saq_theme"
# Rates from purchase receipts (issue 10): scored from the data when there are receipt lines in the
# window, else (``manual_fallback``, the default) by the evaluator against the criterion's rubric.
ON_TIME_DELIVERY_RATE = "on_time_delivery_rate"
ACCEPTANCE_RATE = "acceptance_rate"
RATE_KINDS = (ON_TIME_DELIVERY_RATE, ACCEPTANCE_RATE)
# Audits and inspections (issue 11): no major finding left open, and the checklist score of the last audit.
NO_OPEN_MAJOR_FINDING = "no_open_major_finding"
LAST_AUDIT_SCORE = "last_audit_score"
CRITERION_KINDS = (
    MANUAL,
    CERTIFICATE_VALID,
    LICENCES_VALID,
    PLEDGE_SIGNED,
    TRAINING_HOURS,
    NO_MAJOR_INCIDENT,
    SAQ_THEME,
    ON_TIME_DELIVERY_RATE,
    ACCEPTANCE_RATE,
    NO_OPEN_MAJOR_FINDING,
    LAST_AUDIT_SCORE,
)
EVIDENCE_KINDS = CRITERION_KINDS[1:]


def has_manual_fallback(criterion: Criterion) -> bool:
    """Whether a criterion is scored by the evaluator when its data are missing (receipt rates)."""
    return criterion.kind in RATE_KINDS and criterion.params.get("manual_fallback", True) is not False

# Red-line (knock-out) kinds (issue 4; DOMAIN "Admission review" integrity screening, "Exit").
DISHONEST_LIST = "dishonest_list"
PRINCIPAL_BRIBERY = "principal_bribery"
BLACKLISTED = "blacklisted"
MISSING_LICENCE = "missing_licence"
PLEDGE_REFUSED = "pledge_refused"
CRITICAL_INCIDENT = "critical_incident"
RED_LINE_KINDS = (
    DISHONEST_LIST,
    PRINCIPAL_BRIBERY,
    BLACKLISTED,
    MISSING_LICENCE,
    PLEDGE_REFUSED,
    CRITICAL_INCIDENT,
)

# What a band asks procurement to do next; the web layer translates these keys.
BAND_ACTIONS = (
    # periodic evaluation (DOMAIN "Periodic evaluation")
    "excellent_certificate",
    "qualified_certificate",
    "corrective_action",
    "suspend",
    # admission review (DOMAIN "Admission review")
    "priority_admission",
    "admission",
    "conditional_admission",
    "reject",
)


def _freeze(value: Any) -> Any:
    """Turn lists (from JSON) into tuples so params stay immutable and compare equal after a round trip."""
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


@dataclass(frozen=True, slots=True)
class Criterion:
    """One scored item of a dimension; ``weight`` is its share (percent) within the dimension."""

    key: str
    name_zh: str
    name_en: str
    kind: str
    weight: float
    params: Mapping[str, Any] = field(default_factory=dict)
    rubric_zh: str = ""
    rubric_en: str = ""

    def __post_init__(self) -> None:
        # A private copy: a caller mutating its own dict must not change a scheme already compiled.
        params = self.params if isinstance(self.params, Mapping) else {}
        object.__setattr__(self, "params", {str(k): _freeze(v) for k, v in params.items()})


@dataclass(frozen=True, slots=True)
class Dimension:
    """A weighted group of criteria; ``weight`` is its share (percent) of the total."""

    key: str
    name_zh: str
    name_en: str
    weight: float
    criteria: tuple[Criterion, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "criteria", tuple(self.criteria))


@dataclass(frozen=True, slots=True)
class RedLine:
    """A knock-out rule; ``social`` marks a failure as social/environmental/ethical non-compliance."""

    key: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    social: bool = True
    name_zh: str = ""
    name_en: str = ""

    def __post_init__(self) -> None:
        params = self.params if isinstance(self.params, Mapping) else {}
        object.__setattr__(self, "params", {str(k): _freeze(v) for k, v in params.items()})


@dataclass(frozen=True, slots=True)
class GradeBand:
    """A grade for totals in ``[min_score, max_score)``; the top band also includes its maximum (100)."""

    key: str
    name_zh: str
    name_en: str
    min_score: float
    max_score: float
    colour: str
    action: str


@dataclass(frozen=True)
class Scheme:
    """A versioned scoring scheme (admission or periodic) with its dimensions, bands and red lines."""

    code: str
    kind: str
    version: int
    name_zh: str
    name_en: str
    dimensions: tuple[Dimension, ...]
    bands: tuple[GradeBand, ...]
    red_lines: tuple[RedLine, ...] = ()
    # Compiled evaluation plan, built lazily by the engine once per scheme object.
    _plan: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", tuple(self.dimensions))
        object.__setattr__(self, "bands", tuple(self.bands))
        object.__setattr__(self, "red_lines", tuple(self.red_lines))

    def __getstate__(self) -> dict[str, Any]:
        """Pickle (RQ jobs, deepcopy) without the compiled plan, which holds closures."""
        return {**self.__dict__, "_plan": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def criteria(self) -> Iterator[tuple[Dimension, Criterion]]:
        """Yield every (dimension, criterion) pair in scheme order."""
        for dimension in self.dimensions:
            for criterion in dimension.criteria:
                yield dimension, criterion

    def manual_criteria(self) -> tuple[Criterion, ...]:
        """Return the criteria an evaluator must score by hand, in scheme order."""
        return tuple(c for _, c in self.criteria() if c.kind == MANUAL)

    def fallback_criteria(self) -> tuple[Criterion, ...]:
        """Return the evidence criteria an evaluator scores when their data are missing, in scheme order."""
        return tuple(c for _, c in self.criteria() if has_manual_fallback(c))

    def scorable_criteria(self) -> tuple[Criterion, ...]:
        """Return every criterion an evaluator may score by hand (manual ones and fallbacks), in scheme order."""
        return tuple(c for _, c in self.criteria() if c.kind == MANUAL or has_manual_fallback(c))

    def lowest_band(self) -> GradeBand:
        """Return the band with the lowest minimum (the one a failed red line forces)."""
        return min(self.bands, key=lambda b: _as_sort_key(b.min_score))


def _as_sort_key(value: Any) -> float:
    """Sort key tolerant of bad (unvalidated) numbers so helpers never crash on a draft scheme."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")
