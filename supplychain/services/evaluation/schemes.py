"""Scheme storage: versioned JSON per scheme line (kind + optional supply category), seeded from config.

Every save is a new version; evaluations point at the version they were made with, so changing a
scheme never changes an old evaluation (issue 4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config.schemes import DEFAULT_SCHEMES
from supplychain import scope
from supplychain.errors import Conflict, ValidationFailed
from supplychain.models import SupplyCategory, User
from supplychain.models.scheme import SchemeVersion
from supplychain.scoring import (
    CRITERION_PARAMS,
    MESSAGES,
    RED_LINE_PARAMS,
    SCHEME_KINDS,
    Scheme,
    SchemeFormatError,
    scheme_from_dict,
    scheme_to_dict,
    validate_scheme,
)
from supplychain.services.core import audit

# Parsed schemes per stored version: a version never changes, and the engine caches its compiled
# plan on the Scheme object, so bulk scoring compiles each version once per process.
# Keyed by id and save time, so a reused id (SQLite reuses them after a delete) never returns another scheme.
_CACHE: dict[tuple, Scheme] = {}
_BOOL_DEFAULTS = {"require_verified": True, "require_signed": False, "manual_fallback": True}


class SchemeMessage:
    """A scheme validation message, translated when shown (the engine's codes are stable)."""

    def __init__(self, code: str, params: dict[str, Any]):
        self.code, self.params = code, params

    def __str__(self) -> str:
        params = dict(self.params)
        if "expected" in params:  # an English phrase from the engine ("a number above 0")
            params["expected"] = gettext(str(params.get("expected")))
        return gettext(MESSAGES[self.code]).format(**params)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.code)


def line_code(kind: str, category: SupplyCategory | None, organisation=None) -> str:
    """The code of a scheme line: "periodic.default", "periodic.<category code>", or a subsidiary's own
    "periodic.<category code>.org-<organisation code>" (lower case, as scheme codes are)."""
    code = f"{kind}.{category.code if category is not None else 'default'}"
    return f"{code}.org-{organisation.code.lower()}" if organisation is not None else code


def as_scheme(version: SchemeVersion) -> Scheme:
    """The scoring Scheme of a stored version (parsed once per process)."""
    key = (version.id, version.code, version.version, str(version.created_at))
    scheme = _CACHE.get(key)
    if scheme is None:
        scheme = scheme_from_dict(version.definition)
        if len(_CACHE) > 1000:
            _CACHE.clear()
        _CACHE[key] = scheme
    return scheme


def band_names(version: SchemeVersion) -> dict[str, tuple[str, str]]:
    """Grade key → (Chinese, English) name of the version's grade bands (parsed once per process)."""
    return {band.key: (band.name_zh, band.name_en) for band in as_scheme(version).bands}


def ensure_defaults(session: Session) -> None:
    """Store version 1 of the default admission and periodic schemes from config when missing."""
    existing = set(session.scalars(select(SchemeVersion.code).where(SchemeVersion.category_id.is_(None))))
    for kind, scheme in DEFAULT_SCHEMES.items():
        code = line_code(kind, None)
        if code in existing:
            continue
        definition = scheme_to_dict(scheme)
        definition.update(code=code, version=1)
        session.add(
            SchemeVersion(
                code=code,
                kind=kind,
                category_id=None,
                version=1,
                name_zh=scheme.name_zh,
                name_en=scheme.name_en,
                definition=definition,
                note="默认方案 / default scheme",
            )
        )
    session.flush()


def latest(session: Session, code: str) -> SchemeVersion | None:
    """The newest version of a scheme line."""
    return session.scalar(
        select(SchemeVersion)
        .where(SchemeVersion.code == code)
        .order_by(SchemeVersion.version.desc())
        .limit(1)
    )


def current_for(session: Session, kind: str, category_id: int | None,
                organisation_id: int | None = None) -> SchemeVersion:
    """The scheme version a new evaluation of this kind and category uses.

    An organisation's own scheme for the category (the nearest one up the tree) comes first, then the
    group's scheme for the category, then the default.
    """
    if category_id is not None:
        for owner_id in (*scope.ancestor_ids(session, organisation_id), None):
            own = session.scalar(
                select(SchemeVersion)
                .where(SchemeVersion.kind == kind, SchemeVersion.category_id == category_id,
                       SchemeVersion.organisation_id.is_(None) if owner_id is None
                       else SchemeVersion.organisation_id == owner_id)
                .order_by(SchemeVersion.version.desc())
                .limit(1)
            )
            if own is not None:
                return own
    version = latest(session, line_code(kind, None))
    if version is None:
        ensure_defaults(session)
        version = latest(session, line_code(kind, None))
    assert version is not None
    return version


@dataclass
class SchemeLine:
    """One scheme line for the list page: its newest version and how many versions it has."""

    code: str
    kind: str
    category: SupplyCategory | None
    current: SchemeVersion
    versions: int


def list_lines(session: Session) -> list[SchemeLine]:
    """Every scheme line, defaults first, then by category code."""
    ensure_defaults(session)
    counts = dict(
        session.execute(
            select(SchemeVersion.code, func.count(SchemeVersion.id)).group_by(SchemeVersion.code)
        ).all()
    )
    newest = (
        select(SchemeVersion.code, func.max(SchemeVersion.version).label("v"))
        .group_by(SchemeVersion.code)
        .subquery()
    )
    rows = session.scalars(
        select(SchemeVersion).join(
            newest, (newest.c.code == SchemeVersion.code) & (newest.c.v == SchemeVersion.version)
        )
    )
    active = scope.current(session)  # a subsidiary's own schemes are listed inside its scope only
    lines = [SchemeLine(v.code, v.kind, v.category, v, counts[v.code]) for v in rows
             if v.organisation_id is None or active.allows(v.organisation_id)]
    return sorted(
        lines,
        key=lambda line: (
            line.category is not None,
            line.category.code if line.category else "",
            SCHEME_KINDS.index(line.kind),
        ),
    )


def history(session: Session, code: str) -> list[SchemeVersion]:
    """Every version of a line, newest first."""
    return list(
        session.scalars(
            select(SchemeVersion).where(SchemeVersion.code == code).order_by(SchemeVersion.version.desc())
        )
    )


def _number(raw: Any) -> Any:
    """A typed number as int/float; anything else is kept so validation reports it on its field."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw
    text = str(raw or "").strip().replace("，", ".").replace("％", "").replace("%", "")
    try:
        value = float(text)
    except ValueError:
        return text
    if not math.isfinite(value):
        return text
    return int(value) if value.is_integer() and "." not in text else value


def _int(raw: Any) -> Any:
    text = str(raw if raw is not None else "").strip()
    return int(text) if text.isdigit() else text


def _params(kind_spec: tuple[tuple[str, str, bool], ...], raw: dict[str, Any]) -> dict[str, Any]:
    """Keep the parameters a kind takes, typed; booleans only when they differ from the engine default."""
    params: dict[str, Any] = {}
    for name, kind, required in kind_spec:
        value = raw.get(name)
        if kind == "bool":
            value = bool(value)
            if value != _BOOL_DEFAULTS.get(name, False):
                params[name] = value
            continue
        if kind == "categories":
            value = [v for v in (value or []) if v]
            if value:
                params[name] = value
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                continue  # reported as missing by validation
            continue
        if kind in ("positive_number", "percent"):
            params[name] = _number(value)
        elif kind == "positive_int":
            params[name] = _int(value)
        else:
            params[name] = str(value).strip()
    return params


def definition_from_input(code: str, kind: str, version: int, raw: dict[str, Any]) -> dict[str, Any]:
    """Turn the editor's raw values (strings) into a scheme definition; bad values stay for validation.

    ``raw`` has name_zh/name_en and lists dimensions (each with criteria), bands and red_lines;
    criterion and red-line parameters sit flat beside the other fields.
    """
    dimensions = []
    for d in raw.get("dimensions", []):
        criteria = []
        for c in d.get("criteria", []):
            ckind = c.get("kind") or ""
            criteria.append(
                {
                    "key": (c.get("key") or "").strip(),
                    "name_zh": (c.get("name_zh") or "").strip(),
                    "name_en": (c.get("name_en") or "").strip(),
                    "kind": ckind,
                    "weight": _number(c.get("weight")),
                    "params": _params(CRITERION_PARAMS.get(ckind, ()), c),
                    "rubric_zh": (c.get("rubric_zh") or "").strip(),
                    "rubric_en": (c.get("rubric_en") or "").strip(),
                }
            )
        dimensions.append(
            {
                "key": (d.get("key") or "").strip(),
                "name_zh": (d.get("name_zh") or "").strip(),
                "name_en": (d.get("name_en") or "").strip(),
                "weight": _number(d.get("weight")),
                "criteria": criteria,
            }
        )
    bands = [
        {
            "key": (b.get("key") or "").strip(),
            "name_zh": (b.get("name_zh") or "").strip(),
            "name_en": (b.get("name_en") or "").strip(),
            "min_score": _number(b.get("min_score")),
            "max_score": _number(b.get("max_score")),
            "colour": (b.get("colour") or "").strip(),
            "action": b.get("action") or "",
        }
        for b in raw.get("bands", [])
    ]
    red_lines = [
        {
            "key": (r.get("key") or "").strip(),
            "kind": r.get("kind") or "",
            "params": _params(RED_LINE_PARAMS.get(r.get("kind") or "", ()), r),
            "social": bool(r.get("social")),
            "name_zh": (r.get("name_zh") or "").strip(),
            "name_en": (r.get("name_en") or "").strip(),
        }
        for r in raw.get("red_lines", [])
    ]
    return {
        "format": 1,
        "code": code,
        "kind": kind,
        "version": version,
        "name_zh": (raw.get("name_zh") or "").strip(),
        "name_en": (raw.get("name_en") or "").strip(),
        "dimensions": dimensions,
        "bands": bands,
        "red_lines": red_lines,
    }


def editor_values(definition: dict[str, Any]) -> dict[str, Any]:
    """A stored definition as the editor shows it: parameters flat beside the other fields."""

    def flat(item: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in item.items() if k != "params"}
        values.update(item.get("params") or {})
        for name, default in _BOOL_DEFAULTS.items():
            values.setdefault(name, default)
        return values

    return {
        "name_zh": definition.get("name_zh", ""),
        "name_en": definition.get("name_en", ""),
        "dimensions": [
            dict(flat(d) if "params" in d else d, criteria=[flat(c) for c in d.get("criteria", [])])
            for d in definition.get("dimensions", [])
        ],
        "bands": [dict(b) for b in definition.get("bands", [])],
        "red_lines": [flat(r) for r in definition.get("red_lines", [])],
    }


def check_definition(definition: dict[str, Any]) -> dict[str, list]:
    """Every problem of a definition as {path: [messages]} (empty when it can be saved)."""
    try:
        scheme = scheme_from_dict(definition)
    except (SchemeFormatError, TypeError, ValueError) as exc:
        return {"": [_l("The scheme could not be read: %(error)s", error=str(exc))]}
    errors: dict[str, list] = {}
    for error in validate_scheme(scheme):
        errors.setdefault(error.path, []).append(SchemeMessage(error.code, dict(error.params)))
    return errors


def save_version(
    session: Session,
    kind: str,
    category: SupplyCategory | None,
    definition: dict[str, Any],
    actor: User | None,
    note: str = "",
    expected_version: int | None = None,
    organisation=None,
) -> SchemeVersion:
    """Validate and store a definition as the next version of its line; raises ValidationFailed by path.

    `expected_version` is the line's latest version number when the editor was opened (0 for none):
    when someone saved another version since, Conflict is raised instead of overwriting theirs.
    """
    if kind not in SCHEME_KINDS:
        raise ValidationFailed({"kind": [_l("Unknown scheme kind.")]})
    if organisation is not None and (category is None or not scope.current(session).allows(organisation.id)):
        raise ValidationFailed({"": [_l("An organisation's own scheme is for one supply category of your own.")]})
    code = line_code(kind, category, organisation)
    previous = latest(session, code)
    number = (previous.version if previous else 0) + 1
    if expected_version is not None and expected_version != number - 1:
        raise Conflict(previous)
    definition = dict(definition, code=code, kind=kind, version=number)
    errors = check_definition(definition)
    if errors:
        raise ValidationFailed(errors)
    stored = scheme_to_dict(scheme_from_dict(definition))
    if previous is not None and _same(previous.definition, stored):
        raise ValidationFailed({"": [_l("Nothing changed: no new version was saved.")]})
    version = SchemeVersion(
        code=code,
        kind=kind,
        category_id=category.id if category else None,
        organisation_id=organisation.id if organisation is not None else None,
        version=number,
        name_zh=stored["name_zh"],
        name_en=stored["name_en"],
        definition=stored,
        note=(note or "").strip() or None,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(version)
    try:
        session.flush()
    except IntegrityError as exc:  # the same version number saved at the same moment (unique code+version)
        session.rollback()
        raise Conflict(previous) from exc
    audit.record(
        session,
        actor,
        "create",
        "scheme",
        version.id,
        {"code": [None, code], "version": [previous.version if previous else None, number]},
        note=version.note,
    )
    return version


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ignore = ("version",)
    return {k: v for k, v in a.items() if k not in ignore} == {k: v for k, v in b.items() if k not in ignore}


def starting_definition(session: Session, kind: str, category: SupplyCategory | None,
                        organisation=None) -> dict[str, Any]:
    """What the editor starts from: the line's newest version, else the scheme that applies now (for an
    organisation's own line: the one above it; for a category's: the default), renamed as a copy."""
    own = latest(session, line_code(kind, category, organisation))
    if own is not None:
        return own.definition
    if organisation is not None:
        base = current_for(session, kind, category.id, organisation.parent_id)
    else:
        base = current_for(session, kind, None)
    definition = dict(base.definition)
    if organisation is not None:
        definition["name_zh"] = f"{definition.get('name_zh', '')}（{organisation.name_zh}）"
        definition["name_en"] = f"{definition.get('name_en', '')} ({organisation.name_en or organisation.code})"
    elif category is not None:
        definition["name_zh"] = f"{definition.get('name_zh', '')}（{category.name_zh}）"
        definition["name_en"] = f"{definition.get('name_en', '')} ({category.name_en})"
    return definition
