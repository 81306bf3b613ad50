"""Column mappings remembered per template name: a platform's odd columns are mapped once (issue 15)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.importing import columns
from supplychain.models import ImportMapping, User
from supplychain.services.core import audit

NAME_LIMIT = 100


def names(session: Session, kind: str) -> list[str]:
    """The template names saved for this kind of import, alphabetically."""
    return list(session.scalars(select(ImportMapping.name).where(ImportMapping.kind == kind)
                                .order_by(ImportMapping.name)))


def get(session: Session, kind: str, name: str) -> dict[str, str]:
    """The mapping saved under a template name (header key -> field); empty when there is none."""
    found = session.scalar(select(ImportMapping).where(ImportMapping.kind == kind,
                                                       ImportMapping.name == (name or "").strip()))
    return dict(found.mapping) if found else {}


def clean_mapping(raw: dict[str, str], kind: str = "suppliers") -> dict[str, str]:
    """Only fields of the kind's vocabulary (or "" = ignore), keyed by the folded header text."""
    known = columns.VOCABULARIES.get(kind, columns.FIELDS)
    return {columns.header_key(header): value for header, value in raw.items()
            if columns.header_key(header) and (value in known or value == columns.IGNORE)}


def save(session: Session, kind: str, name: str, mapping: dict[str, str], actor: User | None) -> ImportMapping:
    """Remember (or extend) a template's mapping under its name; audited. The caller commits.

    `kind` is the import's vocabulary: "suppliers", or an evidence kind ("pledges", "certificates" …)."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"template": [_l("Give the template a name.")]})
    if len(name) > NAME_LIMIT:
        raise ValidationFailed({"template": [_l("At most %(n)d characters.", n=NAME_LIMIT)]})
    found = session.scalar(select(ImportMapping).where(ImportMapping.kind == kind, ImportMapping.name == name))
    before = dict(found.mapping) if found else {}
    merged = before | clean_mapping(mapping, kind)
    if found is None:
        found = ImportMapping(kind=kind, name=name, mapping=merged, updated_by_id=getattr(actor, "id", None))
        session.add(found)
    else:
        found.mapping = merged
        found.updated_by_id = getattr(actor, "id", None)
    session.flush()
    if merged != before:
        audit.record(session, actor, "update" if before else "create", "import_mapping", found.id,
                     {"mapping": [before or None, merged]}, note=f"{kind}: {name}")
    return found
