"""Validation of schemes and of manually entered scores.

Every problem is returned at once as a :class:`SchemeError` with a stable ``code`` and ``params``
(for the web layer to translate), a ``path`` naming the offending field, and an English message.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .facts import INCIDENT_CATEGORIES
from .model import (
    ACCEPTANCE_RATE,
    BAND_ACTIONS,
    BLACKLISTED,
    CERTIFICATE_VALID,
    CRITERION_KINDS,
    CRITICAL_INCIDENT,
    DISHONEST_LIST,
    LAST_AUDIT_SCORE,
    LICENCES_VALID,
    MANUAL,
    MISSING_LICENCE,
    NO_MAJOR_INCIDENT,
    NO_OPEN_MAJOR_FINDING,
    ON_TIME_DELIVERY_RATE,
    PLEDGE_REFUSED,
    PLEDGE_SIGNED,
    PRINCIPAL_BRIBERY,
    RATE_KINDS,
    RED_LINE_KINDS,
    SAQ_THEME,
    SCHEME_KINDS,
    TRAINING_HOURS,
    Scheme,
    has_manual_fallback,
)

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
HUNDRED = Decimal(100)

# Receipt rates: 100 points at or above full_at percent, 0 at or below zero_at, a straight line between.
_RATE_PARAMS = (("full_at", "percent", True), ("zero_at", "percent", True), ("months", "positive_int", False),
                ("min_lines", "positive_int", False), ("manual_fallback", "bool", False))

# Parameter types: text (non-empty str), bool, positive_number, positive_int, categories.
# (name, type, required)
CRITERION_PARAMS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    MANUAL: (),
    CERTIFICATE_VALID: (("cert_type", "text", True), ("require_verified", "bool", False)),
    LICENCES_VALID: (("require_verified", "bool", False),),
    PLEDGE_SIGNED: (("pledge_kind", "text", True),),
    TRAINING_HOURS: (("hours", "positive_number", True), ("months", "positive_int", False)),
    NO_MAJOR_INCIDENT: (("years", "positive_int", True), ("categories", "categories", False)),
    SAQ_THEME: (("theme", "text", True),),
    ON_TIME_DELIVERY_RATE: _RATE_PARAMS,
    ACCEPTANCE_RATE: _RATE_PARAMS,
    NO_OPEN_MAJOR_FINDING: (),
    LAST_AUDIT_SCORE: (("months", "positive_int", False),),
}
RED_LINE_PARAMS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    DISHONEST_LIST: (),
    PRINCIPAL_BRIBERY: (),
    BLACKLISTED: (),
    MISSING_LICENCE: (("require_verified", "bool", False),),
    PLEDGE_REFUSED: (("pledge_kind", "text", True), ("require_signed", "bool", False)),
    CRITICAL_INCIDENT: (("years", "positive_int", True), ("categories", "categories", False)),
}
_MAX_INT_PARAM = 120  # years or months; anything longer is a typo

MESSAGES = {
    "scheme.code_invalid": "Scheme code must be 1-64 lower-case letters, digits, '.', '_' or '-'.",
    "scheme.kind_invalid": "Scheme kind must be one of {allowed}.",
    "scheme.version_invalid": "Scheme version must be a whole number of at least 1.",
    "scheme.name_missing": "Scheme needs a Chinese or English name.",
    "dimensions.empty": "A scheme needs at least one dimension.",
    "dimensions.weight_sum": "Dimension weights must add up to 100 (they add up to {total}).",
    "dimension.key_invalid": "Key '{key}' must start with a lower-case letter and use only a-z, 0-9 and '_'.",
    "dimension.key_duplicate": "Dimension key '{key}' is used more than once.",
    "dimension.name_missing": "Dimension '{key}' needs a Chinese or English name.",
    "dimension.weight_invalid": "Weight of dimension '{key}' must be a number above 0 and at most 100.",
    "criteria.empty": "Dimension '{key}' needs at least one criterion.",
    "criteria.weight_sum": "Criterion weights in dimension '{key}' must add up to 100 "
    "(they add up to {total}).",
    "criterion.key_invalid": "Key '{key}' must start with a lower-case letter and use only a-z, 0-9 and '_'.",
    "criterion.key_duplicate": "Criterion key '{key}' is used more than once in the scheme.",
    "criterion.name_missing": "Criterion '{key}' needs a Chinese or English name.",
    "criterion.weight_invalid": "Weight of criterion '{key}' must be a number above 0 and at most 100.",
    "criterion.kind_unknown": "Criterion '{key}' has unknown kind '{kind}'.",
    "criterion.rubric_missing": "Manual criterion '{key}' needs a written rubric (Chinese or English).",
    "criterion.param_missing": "Criterion '{key}' needs parameter '{param}'.",
    "criterion.param_invalid": "Parameter '{param}' of criterion '{key}' must be {expected}.",
    "criterion.param_unknown": "Criterion '{key}' has unknown parameter '{param}'.",
    "criterion.rate_range": "Criterion '{key}': the rate for 100 points must be above the rate for 0 points.",
    "red_line.key_invalid": "Key '{key}' must start with a lower-case letter and use only a-z, 0-9 and '_'.",
    "red_line.key_duplicate": "Red line key '{key}' is used more than once.",
    "red_line.kind_unknown": "Red line '{key}' has unknown kind '{kind}'.",
    "red_line.social_invalid": "Red line '{key}': 'social' must be true or false.",
    "red_line.param_missing": "Red line '{key}' needs parameter '{param}'.",
    "red_line.param_invalid": "Parameter '{param}' of red line '{key}' must be {expected}.",
    "red_line.param_unknown": "Red line '{key}' has unknown parameter '{param}'.",
    "bands.empty": "A scheme needs at least one grade band.",
    "bands.gap": "Grade bands leave the scores from {lower} to {upper} without a grade.",
    "bands.overlap": "Grade bands '{first}' and '{second}' overlap.",
    "band.key_invalid": "Key '{key}' must start with a lower-case letter and use only a-z, 0-9 and '_'.",
    "band.key_duplicate": "Grade band key '{key}' is used more than once.",
    "band.name_missing": "Grade band '{key}' needs a Chinese or English name.",
    "band.range_invalid": "Grade band '{key}' needs 0 <= minimum < maximum <= 100.",
    "band.colour_invalid": "Colour of grade band '{key}' must look like #1a7f37.",
    "band.action_unknown": "Grade band '{key}' has unknown action '{action}'.",
}
_EXPECTED = {
    "text": "a non-empty text",
    "bool": "true or false",
    "positive_number": "a number above 0",
    "positive_int": f"a whole number from 1 to {_MAX_INT_PARAM}",
    "percent": "a number from 0 to 100",
    "categories": "a non-empty list of distinct categories from " + ", ".join(INCIDENT_CATEGORIES),
}

MANUAL_SCORE_MESSAGES = {
    "manual_score.not_a_number": "Enter a number from 0 to 100.",
    "manual_score.out_of_range": "The score must be between 0 and 100.",
}


@dataclass(frozen=True, slots=True)
class SchemeError:
    """One problem in a scheme: stable code, translation params, field path and English message."""

    code: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """English message; the web layer translates ``code`` with ``params`` instead."""
        return MESSAGES[self.code].format(**self.params)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def to_decimal(value: Any) -> Decimal | None:
    """Return a finite number as an exact Decimal (floats via their shortest repr), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def _fmt(value: Decimal) -> str:
    """Plain text for a Decimal (no exponent), e.g. 99.5 or 101."""
    return format(value.normalize(), "f")


def _named(obj: Any) -> bool:
    return any(isinstance(n, str) and n.strip() for n in (obj.name_zh, obj.name_en))


def _check_key(errors: list[SchemeError], prefix: str, key: Any, path: str, seen: set[str]) -> None:
    if not isinstance(key, str) or not KEY_RE.match(key):
        errors.append(SchemeError(f"{prefix}.key_invalid", f"{path}.key", {"key": str(key)}))
    elif key in seen:
        errors.append(SchemeError(f"{prefix}.key_duplicate", f"{path}.key", {"key": key}))
    else:
        seen.add(key)


def _check_weight(errors: list[SchemeError], prefix: str, key: Any, weight: Any, path: str) -> Decimal | None:
    value = to_decimal(weight)
    if value is None or value <= 0 or value > HUNDRED:
        errors.append(SchemeError(f"{prefix}.weight_invalid", f"{path}.weight", {"key": str(key)}))
        return None
    return value


def _check_part(errors: list[SchemeError], prefix: str, part: Any, path: str, seen: set[str]) -> Decimal | None:
    """Check a dimension's or criterion's key, name and weight; its weight, or None when the weight is wrong."""
    key = str(part.key)
    _check_key(errors, prefix, part.key, path, seen)
    if not _named(part):
        errors.append(SchemeError(f"{prefix}.name_missing", f"{path}.name", {"key": key}))
    return _check_weight(errors, prefix, key, part.weight, path)


def _weight_total(weights: list[Decimal | None]) -> Decimal | None:
    """The sum of the weights, or None when one of them is wrong (its own error says so)."""
    if any(weight is None for weight in weights):
        return None
    return sum(weights, Decimal(0))


def _param_ok(kind: str, value: Any) -> bool:
    if kind == "text":
        return isinstance(value, str) and bool(value.strip())
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "positive_number":
        number = to_decimal(value)
        return number is not None and number > 0
    if kind == "positive_int":
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= _MAX_INT_PARAM
    if kind == "percent":
        number = to_decimal(value)
        return number is not None and 0 <= number <= HUNDRED
    if kind == "categories":
        return (
            isinstance(value, tuple | list)
            and len(value) > 0
            and len(set(value)) == len(value)
            and all(isinstance(v, str) and v in INCIDENT_CATEGORIES for v in value)
        )
    raise AssertionError(kind)  # pragma: no cover - the spec tables only use the kinds above


def _check_params(
    errors: list[SchemeError],
    prefix: str,
    key: str,
    params: Any,
    spec: tuple[tuple[str, str, bool], ...],
    path: str,
) -> None:
    known = {name for name, _, _ in spec}
    for name, kind, required in spec:
        if name not in params:
            if required:
                errors.append(
                    SchemeError(
                        f"{prefix}.param_missing", f"{path}.params.{name}", {"key": key, "param": name}
                    )
                )
        elif not _param_ok(kind, params[name]):
            errors.append(
                SchemeError(
                    f"{prefix}.param_invalid",
                    f"{path}.params.{name}",
                    {"key": key, "param": name, "expected": _EXPECTED[kind]},
                )
            )
    for name in params:
        if name not in known:
            errors.append(
                SchemeError(f"{prefix}.param_unknown", f"{path}.params.{name}", {"key": key, "param": name})
            )


def validate_scheme(scheme: Scheme) -> list[SchemeError]:
    """Return every problem of a scheme (empty list when it can be used for scoring).

    Issue 4 "bad input": weights not summing to 100 (dimensions, and criteria within each
    dimension), overlapping or gapped grade bands, unknown kinds, missing or invalid params,
    duplicate keys.
    """
    errors: list[SchemeError] = []
    if not isinstance(scheme.code, str) or not CODE_RE.match(scheme.code):
        errors.append(SchemeError("scheme.code_invalid", "code", {"code": str(scheme.code)}))
    if scheme.kind not in SCHEME_KINDS:
        errors.append(SchemeError("scheme.kind_invalid", "kind", {"allowed": ", ".join(SCHEME_KINDS)}))
    if not isinstance(scheme.version, int) or isinstance(scheme.version, bool) or scheme.version < 1:
        errors.append(SchemeError("scheme.version_invalid", "version"))
    if not _named(scheme):
        errors.append(SchemeError("scheme.name_missing", "name"))

    _validate_dimensions(errors, scheme)
    _validate_red_lines(errors, scheme)
    _validate_bands(errors, scheme)
    return errors


def _validate_dimensions(errors: list[SchemeError], scheme: Scheme) -> None:
    if not scheme.dimensions:
        errors.append(SchemeError("dimensions.empty", "dimensions"))
        return
    dimension_keys: set[str] = set()
    criterion_keys: set[str] = set()
    weights: list[Decimal | None] = []
    for d_index, dimension in enumerate(scheme.dimensions):
        path = f"dimensions[{d_index}]"
        weights.append(_check_part(errors, "dimension", dimension, path, dimension_keys))
        _validate_criteria(errors, dimension, path, criterion_keys)
    total = _weight_total(weights)
    if total is not None and total != HUNDRED:
        errors.append(SchemeError("dimensions.weight_sum", "dimensions", {"total": _fmt(total)}))


def _validate_criteria(
    errors: list[SchemeError], dimension: Any, path: str, criterion_keys: set[str]
) -> None:
    key = str(dimension.key)
    if not dimension.criteria:
        errors.append(SchemeError("criteria.empty", f"{path}.criteria", {"key": key}))
        return
    weights: list[Decimal | None] = []
    for c_index, criterion in enumerate(dimension.criteria):
        c_path = f"{path}.criteria[{c_index}]"
        c_key = str(criterion.key)
        weights.append(_check_part(errors, "criterion", criterion, c_path, criterion_keys))
        if criterion.kind not in CRITERION_KINDS:
            errors.append(
                SchemeError(
                    "criterion.kind_unknown", f"{c_path}.kind", {"key": c_key, "kind": str(criterion.kind)}
                )
            )
            continue
        if (criterion.kind == MANUAL or has_manual_fallback(criterion)) and not any(
            isinstance(r, str) and r.strip() for r in (criterion.rubric_zh, criterion.rubric_en)
        ):
            errors.append(SchemeError("criterion.rubric_missing", f"{c_path}.rubric", {"key": c_key}))
        _check_params(errors, "criterion", c_key, criterion.params, CRITERION_PARAMS[criterion.kind], c_path)
        if criterion.kind in RATE_KINDS and isinstance(criterion.params, dict):
            full_at, zero_at = (to_decimal(criterion.params.get(name)) for name in ("full_at", "zero_at"))
            if full_at is not None and zero_at is not None and not zero_at < full_at:
                errors.append(SchemeError("criterion.rate_range", f"{c_path}.params.full_at", {"key": c_key}))
    total = _weight_total(weights)
    if total is not None and total != HUNDRED:
        errors.append(
            SchemeError("criteria.weight_sum", f"{path}.criteria", {"key": key, "total": _fmt(total)})
        )


def _validate_red_lines(errors: list[SchemeError], scheme: Scheme) -> None:
    seen: set[str] = set()
    for index, red_line in enumerate(scheme.red_lines):
        path = f"red_lines[{index}]"
        key = str(red_line.key)
        _check_key(errors, "red_line", red_line.key, path, seen)
        if not isinstance(red_line.social, bool):
            errors.append(SchemeError("red_line.social_invalid", f"{path}.social", {"key": key}))
        if red_line.kind not in RED_LINE_KINDS:
            errors.append(
                SchemeError("red_line.kind_unknown", f"{path}.kind", {"key": key, "kind": str(red_line.kind)})
            )
            continue
        _check_params(errors, "red_line", key, red_line.params, RED_LINE_PARAMS[red_line.kind], path)


def _validate_bands(errors: list[SchemeError], scheme: Scheme) -> None:
    if not scheme.bands:
        errors.append(SchemeError("bands.empty", "bands"))
        return
    seen: set[str] = set()
    ranges: list[tuple[Decimal, Decimal, str]] = []
    ranges_ok = True
    for index, band in enumerate(scheme.bands):
        path = f"bands[{index}]"
        key = str(band.key)
        _check_key(errors, "band", band.key, path, seen)
        if not _named(band):
            errors.append(SchemeError("band.name_missing", f"{path}.name", {"key": key}))
        low, high = to_decimal(band.min_score), to_decimal(band.max_score)
        if low is None or high is None or not (0 <= low < high <= HUNDRED):
            errors.append(SchemeError("band.range_invalid", f"{path}.min_score", {"key": key}))
            ranges_ok = False
        else:
            ranges.append((low, high, key))
        if not isinstance(band.colour, str) or not COLOUR_RE.match(band.colour):
            errors.append(SchemeError("band.colour_invalid", f"{path}.colour", {"key": key}))
        if band.action not in BAND_ACTIONS:
            errors.append(
                SchemeError("band.action_unknown", f"{path}.action", {"key": key, "action": str(band.action)})
            )
    if not ranges_ok:
        return  # contiguity is meaningless until every band has a sane range
    ranges.sort()
    expected_low = Decimal(0)
    previous_key = None
    for low, high, key in ranges:
        if low > expected_low:
            errors.append(
                SchemeError("bands.gap", "bands", {"lower": _fmt(expected_low), "upper": _fmt(low)})
            )
        elif low < expected_low:
            errors.append(SchemeError("bands.overlap", "bands", {"first": previous_key, "second": key}))
        expected_low = max(expected_low, high)
        previous_key = key
    if expected_low < HUNDRED:
        errors.append(SchemeError("bands.gap", "bands", {"lower": _fmt(expected_low), "upper": "100"}))


def parse_manual_score(raw: Any) -> tuple[float | None, str | None]:
    """Parse an evaluator's 0-100 score (issue 4 "bad input": outside 0-100 or not a number).

    Returns ``(value, None)``, ``(None, error_code)``, or ``(None, None)`` when left blank (the
    engine then reports the criterion as missing). Accepts numbers and decimal text, including
    full-width digits typed with a Chinese input method; rejects booleans, NaN, infinity,
    exponents and thousands separators.
    """
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, "manual_score.not_a_number"
    if isinstance(raw, int | float | Decimal):
        number = to_decimal(raw)
        if number is None:
            return None, "manual_score.not_a_number"
        value = float(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if not text:
            return None, None
        if not _NUMBER_RE.match(text):
            return None, "manual_score.not_a_number"
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return None, "manual_score.not_a_number"
        value = float(text)
    else:
        return None, "manual_score.not_a_number"
    if number < 0 or number > HUNDRED:
        return None, "manual_score.out_of_range"
    return value + 0.0, None  # + 0.0 turns "-0" into 0.0
