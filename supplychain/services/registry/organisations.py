"""The organisations of the group: a tree of any depth (group → subsidiary → project or site).

Plain functions taking a session and plain values, like every service: create, edit (a move is a
change of parent), close and reopen one organisation, read the tree, and import a whole tree from
CSV or XLSX (all or nothing, every bad row reported, re-import updates by code). Every problem is
reported at once, per field or per row, in the user's language; every change is audited field by
field in the caller's transaction; the caller commits.

The rules of the tree: exactly one root (the group); every other organisation has a parent that
exists; no organisation sits under itself or its own descendants; nothing new goes under a closed
organisation; an organisation is closed only when nothing still depends on it (active supplier
relationships, open organisations below it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from supplychain import regions, scope
from supplychain.errors import Conflict, ValidationFailed
from supplychain.models import ORGANISATION_KINDS, Organisation, SupplierRelationship, User
from supplychain.services.core import audit
from supplychain.services.imports import importer

CODE_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,40}")
NAME_MAX = 200
REASON_MAX = 1000
ECHO_LIMIT = 60
AUDITED_FIELDS = ("code", "parent_code", "name_zh", "name_en", "kind", "home_province", "opened_on", "closed_on")
IMPORT_COLUMNS = ("code", "parent_code", "name_zh", "name_en", "kind", "home_province")
OPTIONAL_IMPORT_COLUMNS = ("opened_on",)
# What people write in a spreadsheet's kind column besides the keys themselves.
KIND_ALIASES = {
    "集团": "group", "子公司": "subsidiary", "分公司": "subsidiary", "项目": "project", "项目部": "project",
    "站点": "project", "site": "project", "project or site": "project",
}
REQUIRED = _l("This field is required.")


@dataclass
class OrganisationData:
    """An organisation as entered: the form's or an import row's values, not yet checked."""

    code: str
    name_zh: str
    name_en: str = ""
    kind: str = "subsidiary"
    parent_id: int | None = None
    home_province: str = ""
    opened_on: date | None = None


@dataclass(frozen=True)
class CleanOrganisation:
    """Checked values, as they will be stored."""

    code: str
    name_zh: str
    name_en: str | None
    kind: str
    home_province: str | None
    opened_on: date | None


@dataclass(frozen=True)
class TreeNode:
    """One organisation in display order, with its depth below the root (root = 0)."""

    organisation: Organisation
    depth: int


@dataclass(frozen=True)
class OrganisationRow:
    """One organisation as plain values (the CLI list, exports): the import columns and more."""

    code: str
    parent_code: str | None
    name_zh: str
    name_en: str | None
    kind: str
    home_province: str | None
    opened_on: date | None
    closed_on: date | None
    depth: int

    @property
    def is_open(self) -> bool:
        """Not closed."""
        return self.closed_on is None


@dataclass
class OrganisationImport:
    """What an import did (or, on a dry run or with errors, would do) and every problem found."""

    errors: list[importer.RowError] = field(default_factory=list)
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        """True when the whole file can be (or was) imported."""
        return not self.errors

    @property
    def bad_lines(self) -> list[int]:
        """The line numbers with at least one error, in order."""
        return sorted({error.line for error in self.errors if error.line is not None})


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


# One way to find them: the scope module's (it also serves the CLI and the request's scope).
root = scope.root
find_by_code = scope.organisation_by_code


def tree(session: Session) -> list[TreeNode]:
    """Every organisation in tree order (each followed by its children, by code), with its depth."""
    organisations = scope.organisations_in_scope(session)
    ids = {org.id for org in organisations}
    children: dict[int | None, list[Organisation]] = {}
    for org in organisations:
        # A parent that is missing cannot happen with the foreign key; list such a row at the top anyway.
        children.setdefault(org.parent_id if org.parent_id in ids else None, []).append(org)
    nodes: list[TreeNode] = []
    seen: set[int] = set()
    stack = [(org, 0) for org in reversed(children.get(None, []))]
    while stack:
        org, depth = stack.pop()
        if org.id in seen:
            continue
        seen.add(org.id)
        nodes.append(TreeNode(org, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(org.id, [])))
    return nodes


def list_rows(session: Session) -> list[OrganisationRow]:
    """The tree as plain rows (code, parent code, names, kind, home province, dates, depth)."""
    return [
        OrganisationRow(
            code=node.organisation.code,
            parent_code=node.organisation.parent.code if node.organisation.parent else None,
            name_zh=node.organisation.name_zh, name_en=node.organisation.name_en, kind=node.organisation.kind,
            home_province=node.organisation.home_province, opened_on=node.organisation.opened_on,
            closed_on=node.organisation.closed_on, depth=node.depth,
        )
        for node in tree(session)
    ]


def parent_choices(session: Session, organisation: Organisation | None = None) -> list[Organisation]:
    """Organisations that can be chosen as a parent: open ones, outside the organisation's own subtree."""
    excluded = scope.subtree_ids(session, organisation.id) if organisation is not None else frozenset()
    current_parent = organisation.parent_id if organisation is not None else None
    return [node.organisation for node in tree(session)
            if node.organisation.id not in excluded
            and (node.organisation.is_open or node.organisation.id == current_parent)]


def active_relationship_count(session: Session, organisation: Organisation) -> int:
    """Active supplier relationships of this organisation itself (counted across the whole group)."""
    stmt = select(func.count(SupplierRelationship.id)).where(
        SupplierRelationship.organisation_id == organisation.id, SupplierRelationship.status == "active")
    return session.scalar(scope.unscoped(stmt)) or 0


def open_children(session: Session, organisation: Organisation) -> list[Organisation]:
    """The open organisations directly below this one, by code."""
    stmt = select(Organisation).where(Organisation.parent_id == organisation.id,
                                      Organisation.closed_on.is_(None)).order_by(Organisation.code)
    return list(session.scalars(stmt))


def snapshot(organisation: Organisation) -> dict:
    """The audited values of an organisation (its parent by code), JSON-safe."""
    values = audit.snapshot(organisation, tuple(name for name in AUDITED_FIELDS if name != "parent_code"))
    values["parent_code"] = organisation.parent.code if organisation.parent is not None else None
    return values


# --------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------


def _echo(value: str) -> str:
    value = (value or "").strip()
    return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "…"


def normalize_kind(value: str | None) -> str | None:
    """A kind key from a key or a common Chinese or English label ("子公司", "Subsidiary"), else None."""
    text = (value or "").strip().casefold()
    if text in ORGANISATION_KINDS:
        return text
    return KIND_ALIASES.get(text)


def clean_fields(data: OrganisationData) -> tuple[CleanOrganisation, dict[str, list]]:
    """The values to store and the problems of each field on its own (no database needed)."""
    errors: dict[str, list] = {}
    code = (data.code or "").strip()
    if not code:
        errors["code"] = [REQUIRED]
    elif not CODE_PATTERN.fullmatch(code):
        errors["code"] = [_l("Use at most 40 letters, digits, hyphens (-), underscores (_) and dots (.), "
                             "without spaces.")]
    name_zh = (data.name_zh or "").strip()
    if not name_zh:
        errors["name_zh"] = [REQUIRED]
    elif len(name_zh) > NAME_MAX:
        errors["name_zh"] = [_l("At most %(n)d characters.", n=NAME_MAX)]
    name_en = (data.name_en or "").strip() or None
    if name_en and len(name_en) > NAME_MAX:
        errors["name_en"] = [_l("At most %(n)d characters.", n=NAME_MAX)]
    kind = normalize_kind(data.kind)
    if kind is None:
        errors["kind"] = [_l("Unknown kind: %(value)s. Use group, subsidiary or project.", value=_echo(data.kind))]
    home_province = None
    if (data.home_province or "").strip():
        province = regions.find_province(data.home_province)
        if province is None:
            errors["home_province"] = [_l("Unknown province: %(value)s. Use a GB/T 2260 code (e.g. 500000) or a "
                                          "province name.", value=_echo(data.home_province))]
        else:
            home_province = province.code
    clean = CleanOrganisation(code=code, name_zh=name_zh, name_en=name_en, kind=kind or "subsidiary",
                              home_province=home_province, opened_on=data.opened_on)
    return clean, errors


def _code_taken(session: Session, code: str, organisation: Organisation | None) -> dict[str, list]:
    other = find_by_code(session, code) if code else None
    if other is not None and other is not organisation:
        return {"code": [_l("This code is already used by %(name)s.", name=other.display_name)]}
    return {}


def _check_parent(session: Session, organisation: Organisation | None, parent_id: int | None,
                  errors: dict[str, list]) -> Organisation | None:
    """The chosen parent, with the tree's rules checked (one root, no cycle, not under a closed one)."""
    problems = errors.setdefault("parent_id", [])
    if parent_id is None:
        current_root = root(session)
        if current_root is not None and current_root is not organisation:
            problems.append(_l("The group already has its root organisation, %(name)s: choose a parent.",
                               name=current_root.display_name))
        return None
    parent = session.get(Organisation, parent_id)
    if parent is None or not scope.current(session).allows(parent.id):
        # An admin of a subsidiary manages only their own subtree.
        problems.append(_l("Unknown parent organisation."))
        return None
    if organisation is not None and organisation.id is not None:
        if organisation.parent_id is None:
            problems.append(_l("The root organisation (the group) cannot be moved under another organisation."))
        elif parent.id in scope.subtree_ids(session, organisation.id):
            problems.append(_l("An organisation cannot be moved under itself or one of its own descendants."))
    moving = organisation is None or organisation.parent_id != parent.id
    if moving and not parent.is_open:
        problems.append(_l("%(name)s is closed: choose an open parent, or reopen it first.",
                           name=parent.display_name))
    return parent


def _raise_if(errors: dict[str, list]) -> None:
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ValidationFailed(errors)


def _flush(session: Session) -> None:
    """Flush; a row changed by someone else since it was read is a Conflict, not a crash."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict() from exc


def _check_version(organisation: Organisation, expected_version: int | None) -> None:
    if expected_version is None or int(expected_version) != organisation.version_id:
        raise Conflict()


def _apply(organisation: Organisation, clean: CleanOrganisation, parent: Organisation | None) -> None:
    for name in ("code", "name_zh", "name_en", "kind", "home_province", "opened_on"):
        if getattr(organisation, name) != getattr(clean, name):
            setattr(organisation, name, getattr(clean, name))
    if organisation.parent is not parent:
        organisation.parent = parent


# --------------------------------------------------------------------------
# Changing
# --------------------------------------------------------------------------


def create_organisation(session: Session, data: OrganisationData, actor: User | None) -> Organisation:
    """Add an organisation under its parent (or the root, when none exists yet); audited."""
    clean, errors = clean_fields(data)
    errors.update(_code_taken(session, clean.code, None) if "code" not in errors else {})
    parent = _check_parent(session, None, data.parent_id, errors)
    _raise_if(errors)
    organisation = Organisation()
    _apply(organisation, clean, parent)
    session.add(organisation)
    session.flush()
    audit.record(session, actor, "create", "organisation", organisation.id, audit.diff({}, snapshot(organisation)))
    return organisation


def update_organisation(session: Session, organisation: Organisation, data: OrganisationData,
                        expected_version: int | None, actor: User | None) -> Organisation:
    """Edit an organisation; a new parent moves it with its whole subtree. A stale version is a Conflict."""
    _check_version(organisation, expected_version)
    clean, errors = clean_fields(data)
    errors.update(_code_taken(session, clean.code, organisation) if "code" not in errors else {})
    parent = _check_parent(session, organisation, data.parent_id, errors)
    if clean.opened_on and organisation.closed_on and clean.opened_on > organisation.closed_on:
        errors.setdefault("opened_on", []).append(
            _l("It cannot open after it closed (%(date)s).", date=organisation.closed_on.isoformat()))
    _raise_if(errors)
    before = snapshot(organisation)
    _apply(organisation, clean, parent)
    _flush(session)
    changes = audit.diff(before, snapshot(organisation))
    if changes:
        action = "move" if "parent_code" in changes else "update"
        audit.record(session, actor, action, "organisation", organisation.id, changes)
    return organisation


def close_organisation(session: Session, organisation: Organisation, closed_on: date | None, reason: str,
                       actor: User | None, today: date, expected_version: int | None = None) -> Organisation:
    """Close an organisation (it keeps its records, takes no new ones) once nothing depends on it; audited."""
    if expected_version is not None:
        _check_version(organisation, expected_version)
    errors: dict[str, list] = {}
    reason = (reason or "").strip()
    if not organisation.is_open:
        errors[""] = [_l("%(name)s is already closed (since %(date)s).", name=organisation.display_name,
                         date=organisation.closed_on.isoformat())]
        raise ValidationFailed(errors)
    if organisation.parent_id is None:
        errors[""] = [_l("The root organisation (the group) cannot be closed.")]
    if closed_on is None:
        errors["closed_on"] = [REQUIRED]
    elif closed_on > today:
        errors["closed_on"] = [_l("The closing date cannot be in the future.")]
    elif organisation.opened_on and closed_on < organisation.opened_on:
        errors["closed_on"] = [_l("The closing date is before the opening date (%(date)s).",
                                  date=organisation.opened_on.isoformat())]
    if not reason:
        errors["reason"] = [_l("Say why the organisation is closed.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_l("At most %(n)d characters.", n=REASON_MAX)]
    active = active_relationship_count(session, organisation)
    if active:
        errors.setdefault("", []).append(_l(
            "%(name)s still has %(n)d active supplier relationships: end them or move them to another "
            "organisation first.", name=organisation.display_name, n=active))
    children = open_children(session, organisation)
    if children:
        errors.setdefault("", []).append(_l(
            "Organisations below it are still open (%(codes)s): close them or move them under another "
            "organisation first.", codes=", ".join(child.code for child in children)))
    _raise_if(errors)
    organisation.closed_on = closed_on
    _flush(session)
    audit.record(session, actor, "close", "organisation", organisation.id,
                 {"closed_on": [None, closed_on.isoformat()]}, note=reason)
    return organisation


def reopen_organisation(session: Session, organisation: Organisation, actor: User | None,
                        reason: str = "") -> Organisation:
    """Reopen a closed organisation (its parent must be open); audited."""
    if organisation.is_open:
        raise ValidationFailed({"": [_l("%(name)s is not closed.", name=organisation.display_name)]})
    parent = organisation.parent
    if parent is not None and not parent.is_open:
        raise ValidationFailed({"": [_l("%(parent)s is closed: reopen it first.", parent=parent.display_name)]})
    closed_on = organisation.closed_on
    organisation.closed_on = None
    _flush(session)
    audit.record(session, actor, "reopen", "organisation", organisation.id,
                 {"closed_on": [closed_on.isoformat(), None]}, note=(reason or "").strip()[:REASON_MAX] or None)
    return organisation


# --------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------


@dataclass
class _ImportRow:
    line: int
    clean: CleanOrganisation
    parent_code: str  # as written, stripped; "" for the root
    key: str  # the code, case-folded: how rows and organisations are matched


def _row_data(values: dict[str, str]) -> tuple[OrganisationData, str, dict[str, list]]:
    get = lambda name: (values.get(name) or "").strip()  # noqa: E731
    errors: dict[str, list] = {}
    opened_on = None
    if get("opened_on"):
        try:
            opened_on = importer.parse_date(get("opened_on"))
        except ValueError:
            errors["opened_on"] = [_l("Not a date: %(value)s. Write it as YYYY-MM-DD.",
                                      value=_echo(get("opened_on")))]
    data = OrganisationData(code=get("code"), name_zh=get("name_zh"), name_en=get("name_en"), kind=get("kind"),
                            home_province=get("home_province"), opened_on=opened_on)
    return data, get("parent_code"), errors


def _cycle(start: str, parents: dict[str, str | None], codes: dict[str, str]) -> str | None:
    """The cycle through `start` as "A → B → A", or None when following parents reaches the root."""
    path = [start]
    current = parents.get(start)
    while current is not None and len(path) <= len(parents):
        if current == start:
            return " → ".join(codes.get(key, key) for key in [*path, start])
        path.append(current)
        current = parents.get(current)
    return None


def check_import(session: Session, rows: list[importer.Row]) -> tuple[list[_ImportRow], list[importer.RowError]]:
    """Every row checked against the fields' rules and the tree the file would make; nothing written."""
    existing = {org.code.casefold(): org for org in session.scalars(select(Organisation))}
    errors: list[importer.RowError] = []
    planned: list[tuple[_ImportRow, dict[str, list]]] = []
    first_line: dict[str, int] = {}
    for row in rows:
        data, parent_code, row_errors = _row_data(row.values)
        clean, field_errors = clean_fields(data)
        row_errors.update(field_errors)
        key = clean.code.casefold()
        if "code" not in row_errors:
            if key in first_line:
                row_errors["code"] = [_l("The same code is already on line %(line)d.", line=first_line[key])]
            else:
                first_line[key] = row.line
        if parent_code and not CODE_PATTERN.fullmatch(parent_code):
            row_errors.setdefault("parent_code", []).append(
                _l("Unknown parent organisation: %(code)s.", code=_echo(parent_code)))
        planned.append((_ImportRow(row.line, clean, parent_code, key), row_errors))

    # The tree after the import: the stored one with the file's rows laid over it.
    codes = {key: org.code for key, org in existing.items()}
    parents: dict[str, str | None] = {
        key: (org.parent.code.casefold() if org.parent is not None else None) for key, org in existing.items()}
    for entry, row_errors in planned:
        if "code" in row_errors:
            continue
        codes[entry.key] = entry.clean.code
        parents[entry.key] = entry.parent_code.casefold() or None
    stored_root = next((key for key, org in existing.items() if org.parent_id is None), None)
    root_key = stored_root if stored_root is not None and parents.get(stored_root) is None else None
    for entry, row_errors in planned:
        if "code" in row_errors:
            continue
        problems = row_errors.setdefault("parent_code", [])
        stored = existing.get(entry.key)
        parent_key = entry.parent_code.casefold()
        if not parent_key:
            if root_key is None:
                root_key = entry.key
            elif root_key != entry.key:
                problems.append(_l("%(code)s is already the root organisation: give this row a parent_code.",
                                   code=codes[root_key]))
            continue
        if stored is not None and stored.parent_id is None:
            problems.append(_l("The root organisation (the group) cannot be moved under another organisation."))
            continue
        if parent_key not in parents:
            problems.append(_l("Unknown parent organisation: %(code)s. Add it to the file or create it first.",
                               code=_echo(entry.parent_code)))
            continue
        cycle = _cycle(entry.key, parents, codes)
        if cycle:
            problems.append(_l("The parents make a cycle: %(path)s.", path=cycle))
            continue
        parent = existing.get(parent_key)
        moving = stored is None or stored.parent is None or stored.parent.code.casefold() != parent_key
        if moving and parent is not None and not parent.is_open:
            problems.append(_l("%(name)s is closed: choose an open parent, or reopen it first.",
                               name=parent.display_name))
    order = {name: i for i, name in enumerate((*IMPORT_COLUMNS, *OPTIONAL_IMPORT_COLUMNS))}
    good = []
    for entry, row_errors in planned:
        found = [(name, message) for name, messages in row_errors.items() for message in messages]
        found.sort(key=lambda item: order.get(item[0], len(order)))
        errors.extend(importer.RowError(entry.line, name, message) for name, message in found)
        if not found:
            good.append(entry)
    errors.sort(key=lambda error: error.line or 0)
    return good, errors


def _would_change(organisation: Organisation, entry: _ImportRow) -> bool:
    """Whether importing the row would change the stored organisation (for a dry run's counts)."""
    stored_parent = organisation.parent.code.casefold() if organisation.parent is not None else ""
    if stored_parent != entry.parent_code.casefold():
        return True
    fields = ("code", "name_zh", "name_en", "kind", "home_province", "opened_on")
    return any(getattr(organisation, name) != getattr(entry.clean, name) for name in fields)


def import_organisations(session: Session, rows: list[importer.Row], actor: User | None = None,
                         dry_run: bool = False, source: str | None = None) -> OrganisationImport:
    """Create and update organisations from import rows: all or nothing, matched by code; the caller commits."""
    good, errors = check_import(session, rows)
    result = OrganisationImport(errors=errors, total_rows=len(rows))
    existing = {org.code.casefold(): org for org in session.scalars(select(Organisation))}
    result.created = sum(1 for entry in good if entry.key not in existing)
    if errors or dry_run:
        for entry in good:
            if entry.key in existing:
                if _would_change(existing[entry.key], entry):
                    result.updated += 1
                else:
                    result.unchanged += 1
        return result
    before = {entry.key: snapshot(existing[entry.key]) for entry in good if entry.key in existing}
    by_key = dict(existing)
    for entry in good:
        if entry.key not in by_key:
            by_key[entry.key] = Organisation()
            session.add(by_key[entry.key])
    for entry in good:
        parent = by_key[entry.parent_code.casefold()] if entry.parent_code else None
        _apply(by_key[entry.key], entry.clean, parent)
    note = f"import {source}"[:1000] if source else "import"
    _flush(session)
    for entry in good:
        organisation = by_key[entry.key]
        changes = audit.diff(before.get(entry.key, {}), snapshot(organisation))
        if entry.key not in before:
            audit.record(session, actor, "create", "organisation", organisation.id, changes, note=note)
        elif changes:
            result.updated += 1
            audit.record(session, actor, "update", "organisation", organisation.id, changes, note=note)
        else:
            result.unchanged += 1
    audit.record(session, actor, "import", "organisation_import", None,
                 {"created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                  "rows": result.total_rows}, note=note)
    session.flush()
    result.applied = True
    return result


def import_file(session: Session, filename: str, data: bytes, actor: User | None,
                dry_run: bool = False) -> OrganisationImport:
    """Read a CSV or XLSX file and import it (see import_organisations); the caller commits."""
    read = importer.read_file(filename, data, vocabulary="organisations", required=IMPORT_COLUMNS)
    if read.problems:
        return OrganisationImport(errors=read.problems)
    rows = read.rows
    return import_organisations(session, rows, actor, dry_run=dry_run, source=filename)
