"""The names of the records an audit entry refers to by id or code (an organisation, a supplier, a category, a
person, a training session…), looked up in bulk: one query per kind of record for a whole page of entries, never
one per entry. The log keeps the ids (it is evidence); only the page shows the names.

Names come back as (Chinese, English) pairs, as people typed them; the label layer picks the reader's language.
A record outside the reader's organisation scope (the session's scope hook) is simply not named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.models import (
    Attachment,
    Campaign,
    ChecklistTemplate,
    Organisation,
    PledgeTemplate,
    Questionnaire,
    SchemeVersion,
    Supplier,
    SupplyCategory,
    SupplyChainPolicy,
    TrainingSession,
    User,
)

#: A logged field whose value is the id (or code) of another record → the kind of record it names.
REFERENCES = {
    "organisation_id": "organisation", "supplier_id": "supplier", "category_id": "category",
    "buyer_id": "user", "verified_by_id": "user", "created_by_id": "user", "imported_by_id": "user",
    "lifted_by_id": "user", "deleted_by_id": "user", "session_id": "training_session", "attachment_id": "attachment",
    "evidence_attachment_id": "attachment", "campaign_id": "campaign", "superseded_by_id": "policy",
    "questionnaire_id": "questionnaire", "category_codes": "category_code", "parent_code": "organisation_code",
}
#: `template_id` names a pledge's template or an audit's checklist.
TEMPLATE_KINDS = {"pledge": "pledge_template", "pledge_template": "pledge_template", "audit": "checklist_template",
                  "checklist_template": "checklist_template"}
#: Fields one record type logs as "<code> v<version>": a campaign's questionnaire, an evaluation's scheme.
VERSIONED_REFERENCES = {("campaign", "questionnaire"): "questionnaire_version",
                        ("evaluation", "scheme"): "scheme_version"}
#: Kinds whose names the product writes or an administrator keeps as a (Chinese, English) pair, shown as the
#: rest of the pages show them (labels.pick: the Chinese converted for a traditional Chinese reader); the others
#: are names people typed (a supplier's, an organisation's, a person's), shown as typed (labels.pick_name).
PICKED_KINDS = frozenset({"category", "category_code", "questionnaire", "questionnaire_version", "scheme_version",
                          "pledge_template", "checklist_template"})
_BATCH = 500  # ids per IN list
_VERSIONED = re.compile(r"(?P<code>.+) v(?P<version>\d+)")


def reference_kind(entity_type: str, name: str) -> str | None:
    """The kind of record a logged field of this record type names, or None when its value is no reference."""
    if name == "template_id":
        return TEMPLATE_KINDS.get(entity_type)
    versioned = VERSIONED_REFERENCES.get((entity_type, name))
    if versioned is not None:
        return versioned
    return REFERENCES.get(name)


def _code_versions(keys: set) -> dict[str, tuple[str, int]]:
    """Logged "<code> v<version>" values by (code, version); values of another shape are left out."""
    found = {}
    for key in keys:
        match = _VERSIONED.fullmatch(str(key).strip())
        if match is not None:
            found[str(key)] = (match["code"], int(match["version"]))
    return found


def _versioned_names(session: Session, model, zh_column, en_column, keys: set) -> dict[object, tuple[str, str]]:
    """The names of "<code> v<version>" values (a questionnaire's, a scheme's): one query for all their codes."""
    wanted_versions = _code_versions(keys)
    codes = sorted({code for code, _version in wanted_versions.values()})
    by_version = {(code, version): (zh, en) for code, version, zh, en in _rows(
        session, (model.code, model.version, zh_column, en_column), model.code, codes)}
    found = {}
    for key, (code, version) in wanted_versions.items():
        if (code, version) in by_version:
            found[key] = _versioned(*by_version[code, version], version)
    return found


@dataclass
class Names:
    """(Chinese, English) names by kind of record and id or code."""

    by_kind: dict[str, dict[object, tuple[str, str]]] = field(default_factory=dict)

    def get(self, kind: str, key: object) -> tuple[str, str] | None:
        """The names of one record, None when it is unknown (deleted, outside the scope, never looked up)."""
        return self.by_kind.get(kind, {}).get(key)


def _references(entity_type: str, name: str, value: object) -> Iterator[tuple[str, object]]:
    """(kind, id or code) of every reference in a logged value, also inside lists and dicts."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _references(entity_type, str(key), inner)
        return
    kind = reference_kind(entity_type, name)
    if kind is None:
        return
    if isinstance(value, list | tuple):  # [old, new], and lists of codes inside
        for item in value:
            yield from _references(entity_type, name, item)
    elif isinstance(value, int | str) and not isinstance(value, bool) and value != "":
        yield kind, value


def wanted(entries: Iterable) -> dict[str, set]:
    """Every (kind → ids or codes) the entries refer to: their suppliers and what their changes name."""
    found: dict[str, set] = {}
    for entry in entries:
        if entry.supplier_id:
            found.setdefault("supplier", set()).add(entry.supplier_id)
        for name, change in (entry.changes or {}).items():
            for kind, key in _references(entry.entity_type, str(name), change):
                found.setdefault(kind, set()).add(key)
    return found


def _ints(keys: set) -> list[int]:
    return sorted({int(k) for k in keys if isinstance(k, int) or (isinstance(k, str) and k.isdigit())})


def _chunks(keys: list) -> Iterator[list]:
    for start in range(0, len(keys), _BATCH):
        yield keys[start:start + _BATCH]


def _rows(session: Session, columns, key_column, keys: list, deleted: bool = False):
    for chunk in _chunks(keys):
        stmt = select(*columns).where(key_column.in_(chunk))
        if deleted:
            stmt = stmt.execution_options(include_deleted=True)
        yield from session.execute(stmt)


def _versioned(title_zh: str | None, title_en: str | None, version: int | None) -> tuple[str, str]:
    zh, en = title_zh or title_en or "", title_en or title_zh or ""
    return (f"{zh} v{version}", f"{en} v{version}") if version is not None else (zh, en)


def _look_up(session: Session, kind: str, keys: set) -> dict[object, tuple[str, str]]:
    """One kind of record's names, a query per few hundred keys."""
    ids = _ints(keys)
    if kind == "organisation":
        return {i: (zh, en or zh) for i, zh, en in _rows(
            session, (Organisation.id, Organisation.name_zh, Organisation.name_en), Organisation.id, ids)}
    if kind == "organisation_code":
        return {code: (zh, en or zh) for code, zh, en in _rows(
            session, (Organisation.code, Organisation.name_zh, Organisation.name_en), Organisation.code,
            sorted(str(k) for k in keys))}
    if kind == "supplier":
        return {i: (zh, en or zh) for i, zh, en in _rows(
            session, (Supplier.id, Supplier.name_zh, Supplier.name_en), Supplier.id, ids)}
    if kind in ("category", "category_code"):
        column = SupplyCategory.id if kind == "category" else SupplyCategory.code
        keys_list = ids if kind == "category" else sorted(str(k) for k in keys)
        return {key: (zh, en or zh) for key, zh, en in _rows(
            session, (column, SupplyCategory.name_zh, SupplyCategory.name_en), column, keys_list)}
    if kind == "user":
        return {i: (name or email, name or email) for i, name, email in _rows(
            session, (User.id, User.name, User.email), User.id, ids)}
    if kind == "training_session":
        return {i: (f"{title} ({held_on.isoformat()})",) * 2 for i, title, held_on in _rows(
            session, (TrainingSession.id, TrainingSession.title, TrainingSession.held_on), TrainingSession.id, ids,
            deleted=True)}
    if kind == "attachment":
        return {i: (name, name) for i, name in _rows(
            session, (Attachment.id, Attachment.original_name), Attachment.id, ids)}
    if kind == "campaign":
        return {i: (title, title) for i, title in _rows(session, (Campaign.id, Campaign.title), Campaign.id, ids)}
    if kind == "policy":
        return {i: (f"{zh} {number}", f"{en or zh} {number}") for i, zh, en, number in _rows(
            session, (SupplyChainPolicy.id, SupplyChainPolicy.title_zh, SupplyChainPolicy.title_en,
                      SupplyChainPolicy.number), SupplyChainPolicy.id, ids)}
    if kind == "questionnaire":
        return {i: _versioned(zh, en, version) for i, zh, en, version in _rows(
            session, (Questionnaire.id, Questionnaire.title_zh, Questionnaire.title_en, Questionnaire.version),
            Questionnaire.id, ids)}
    if kind == "questionnaire_version":
        return _versioned_names(session, Questionnaire, Questionnaire.title_zh, Questionnaire.title_en, keys)
    if kind == "scheme_version":
        return _versioned_names(session, SchemeVersion, SchemeVersion.name_zh, SchemeVersion.name_en, keys)
    if kind == "pledge_template":
        return {i: _versioned(zh, en, version) for i, zh, en, version in _rows(
            session, (PledgeTemplate.id, PledgeTemplate.title_zh, PledgeTemplate.title_en, PledgeTemplate.version),
            PledgeTemplate.id, ids)}
    if kind == "checklist_template":
        return {i: _versioned(zh, en, version) for i, zh, en, version in _rows(
            session, (ChecklistTemplate.id, ChecklistTemplate.name_zh, ChecklistTemplate.name_en,
                      ChecklistTemplate.version), ChecklistTemplate.id, ids)}
    return {}


def names_for(session: Session, entries: Iterable) -> Names:
    """The names of everything these audit entries refer to, one query per kind of record (per few hundred)."""
    names = Names()
    for kind, keys in wanted(entries).items():
        found = _look_up(session, kind, keys)
        # Stored ids may be JSON numbers or digits in text: both find the record.
        names.by_kind[kind] = {**found, **{str(k): v for k, v in found.items() if isinstance(k, int)}}
    return names
