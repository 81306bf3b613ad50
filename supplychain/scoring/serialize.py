"""Schemes and evaluation inputs as JSON-safe plain data.

Schemes are stored as versioned JSON and edited in the UI; an evaluation stores a snapshot of
its inputs (scheme, facts, manual scores, as-of date) so its figures can be regenerated exactly.
``scheme_from_dict`` checks structure only and keeps values as given, so a bad weight typed in
the UI reaches :func:`validate_scheme` and is reported with the others instead of crashing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .engine import ScoreResult, score
from .facts import SupplierFacts
from .model import MANUAL, Criterion, Dimension, GradeBand, RedLine, Scheme
from .validation import parse_manual_score

SCHEME_FORMAT = 1
SNAPSHOT_FORMAT = 1


class SchemeFormatError(ValueError):
    """The data is not shaped like a scheme (not a mapping, a list missing, a key absent)."""


def _params_to_json(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}


def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    """Return the scheme as JSON-safe plain data (lists, dicts, str, numbers, bools)."""
    return {
        "format": SCHEME_FORMAT,
        "code": scheme.code,
        "kind": scheme.kind,
        "version": scheme.version,
        "name_zh": scheme.name_zh,
        "name_en": scheme.name_en,
        "dimensions": [
            {
                "key": d.key,
                "name_zh": d.name_zh,
                "name_en": d.name_en,
                "weight": d.weight,
                "criteria": [
                    {
                        "key": c.key,
                        "name_zh": c.name_zh,
                        "name_en": c.name_en,
                        "kind": c.kind,
                        "weight": c.weight,
                        "params": _params_to_json(c.params),
                        "rubric_zh": c.rubric_zh,
                        "rubric_en": c.rubric_en,
                    }
                    for c in d.criteria
                ],
            }
            for d in scheme.dimensions
        ],
        "bands": [
            {
                "key": b.key,
                "name_zh": b.name_zh,
                "name_en": b.name_en,
                "min_score": b.min_score,
                "max_score": b.max_score,
                "colour": b.colour,
                "action": b.action,
            }
            for b in scheme.bands
        ],
        "red_lines": [
            {
                "key": r.key,
                "kind": r.kind,
                "params": _params_to_json(r.params),
                "social": r.social,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
            }
            for r in scheme.red_lines
        ],
    }


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SchemeFormatError(f"{where} must be an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise SchemeFormatError(f"{where} must be a list")
    return list(value)


def _get(data: Mapping[str, Any], key: str, where: str) -> Any:
    try:
        return data[key]
    except KeyError:
        raise SchemeFormatError(f"{where}.{key} is missing") from None


def scheme_from_dict(data: Mapping[str, Any]) -> Scheme:
    """Rebuild a scheme from ``scheme_to_dict`` output; raises SchemeFormatError on wrong shape."""
    data = _mapping(data, "scheme")
    dimensions = []
    for d_index, raw_d in enumerate(_list(_get(data, "dimensions", "scheme"), "dimensions")):
        where = f"dimensions[{d_index}]"
        raw_d = _mapping(raw_d, where)
        criteria = []
        for c_index, raw_c in enumerate(_list(raw_d.get("criteria"), f"{where}.criteria")):
            c_where = f"{where}.criteria[{c_index}]"
            raw_c = _mapping(raw_c, c_where)
            criteria.append(
                Criterion(
                    key=_get(raw_c, "key", c_where),
                    name_zh=raw_c.get("name_zh") or "",
                    name_en=raw_c.get("name_en") or "",
                    kind=_get(raw_c, "kind", c_where),
                    weight=_get(raw_c, "weight", c_where),
                    params=dict(_mapping(raw_c.get("params") or {}, f"{c_where}.params")),
                    rubric_zh=raw_c.get("rubric_zh") or "",
                    rubric_en=raw_c.get("rubric_en") or "",
                )
            )
        dimensions.append(
            Dimension(
                key=_get(raw_d, "key", where),
                name_zh=raw_d.get("name_zh") or "",
                name_en=raw_d.get("name_en") or "",
                weight=_get(raw_d, "weight", where),
                criteria=tuple(criteria),
            )
        )
    bands = []
    for index, raw_b in enumerate(_list(_get(data, "bands", "scheme"), "bands")):
        where = f"bands[{index}]"
        raw_b = _mapping(raw_b, where)
        bands.append(
            GradeBand(
                key=_get(raw_b, "key", where),
                name_zh=raw_b.get("name_zh") or "",
                name_en=raw_b.get("name_en") or "",
                min_score=_get(raw_b, "min_score", where),
                max_score=_get(raw_b, "max_score", where),
                colour=raw_b.get("colour") or "",
                action=raw_b.get("action") or "",
            )
        )
    red_lines = []
    for index, raw_r in enumerate(_list(data.get("red_lines"), "red_lines")):
        where = f"red_lines[{index}]"
        raw_r = _mapping(raw_r, where)
        red_lines.append(
            RedLine(
                key=_get(raw_r, "key", where),
                kind=_get(raw_r, "kind", where),
                params=dict(_mapping(raw_r.get("params") or {}, f"{where}.params")),
                social=raw_r.get("social", True),
                name_zh=raw_r.get("name_zh") or "",
                name_en=raw_r.get("name_en") or "",
            )
        )
    return Scheme(
        code=_get(data, "code", "scheme"),
        kind=_get(data, "kind", "scheme"),
        version=_get(data, "version", "scheme"),
        name_zh=data.get("name_zh") or "",
        name_en=data.get("name_en") or "",
        dimensions=tuple(dimensions),
        bands=tuple(bands),
        red_lines=tuple(red_lines),
    )


def evaluation_snapshot(
    scheme: Scheme, facts: SupplierFacts, manual_scores: Mapping[str, Any], as_of: date
) -> dict[str, Any]:
    """Return every input of an evaluation as JSON-safe data, to store beside its figures."""
    return {
        "format": SNAPSHOT_FORMAT,
        "as_of": as_of.isoformat(),
        "scheme": scheme_to_dict(scheme),
        "facts": facts.to_dict(),
        # Manual criteria always; fallback criteria (receipt rates) only when the evaluator scored them.
        "manual_scores": {
            c.key: _json_score(manual_scores.get(c.key))
            for c in scheme.scorable_criteria()
            if c.kind == MANUAL or manual_scores.get(c.key) not in (None, "")
        },
    }


def _json_score(raw: Any) -> Any:
    """Store a manual score as the float the engine uses (Decimal and text are not kept as such)."""
    value, error = parse_manual_score(raw)
    return str(raw) if error is not None else value


def score_snapshot(snapshot: Mapping[str, Any]) -> ScoreResult:
    """Recompute a stored evaluation from its snapshot; gives the same figures as when it was made."""
    return score(
        scheme_from_dict(snapshot["scheme"]),
        SupplierFacts.from_dict(snapshot["facts"]),
        dict(snapshot["manual_scores"]),
        date.fromisoformat(snapshot["as_of"]),
    )
