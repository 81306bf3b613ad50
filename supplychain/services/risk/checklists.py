"""Audit checklist templates: admins edit them, every save stores a new version, audits keep theirs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed, add_error
from supplychain.models import ChecklistItem, ChecklistTemplate, User
from supplychain.services.core import audit

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_ITEMS = 200


@dataclass
class ChecklistData:
    """A checklist as typed: one item per line."""

    code: str = ""
    name_zh: str = ""
    name_en: str = ""
    items_text: str = ""
    note: str = ""

    @property
    def items(self) -> list[str]:
        """The non-blank lines, trimmed."""
        return [line.strip() for line in (self.items_text or "").splitlines() if line.strip()]


def latest(session: Session, code: str) -> ChecklistTemplate | None:
    """The newest version of a checklist."""
    return session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.code == code)
                          .order_by(ChecklistTemplate.version.desc()).limit(1))


def latest_versions(session: Session) -> list[ChecklistTemplate]:
    """The newest version of every checklist, by code."""
    newest = (select(ChecklistTemplate.code, func.max(ChecklistTemplate.version).label("version"))
              .group_by(ChecklistTemplate.code).subquery())
    stmt = (select(ChecklistTemplate)
            .join(newest, (newest.c.code == ChecklistTemplate.code) & (newest.c.version == ChecklistTemplate.version))
            .order_by(ChecklistTemplate.code))
    return list(session.scalars(stmt))


def versions(session: Session, code: str) -> list[ChecklistTemplate]:
    """Every version of a checklist, newest first."""
    return list(session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.code == code)
                                .order_by(ChecklistTemplate.version.desc())))


def check_checklist(session: Session, data: ChecklistData, base: ChecklistTemplate | None,
                    opened_version: int | None) -> dict:
    """Every problem with a checklist: code, names, items; and whether someone saved a newer version meanwhile."""
    errors: dict[str, list] = {}
    code = (data.code or "").strip().lower()
    if base is None:
        if not CODE_RE.match(code):
            add_error(errors, "code", _l("Use 1-40 lower-case letters, digits, '-' or '_'."))
        elif latest(session, code) is not None:
            add_error(errors, "code", _l("A checklist with this code exists: edit it instead."))
    else:
        newest = latest(session, base.code)
        if newest is not None and opened_version is not None and newest.version != opened_version:
            add_error(errors, "items_text", _l("Someone saved version %(n)d of this checklist since you opened it: "
                                          "reload the page.", n=newest.version))
    if not (data.name_zh or "").strip():
        add_error(errors, "name_zh", _l("Enter the Chinese name."))
    elif len(data.name_zh.strip()) > 200:
        add_error(errors, "name_zh", _l("At most %(n)d characters.", n=200))
    if len((data.name_en or "").strip()) > 200:
        add_error(errors, "name_en", _l("At most %(n)d characters.", n=200))
    items = data.items
    if not items:
        add_error(errors, "items_text", _l("Enter at least one checklist item, one per line."))
    elif len(items) > MAX_ITEMS:
        add_error(errors, "items_text", _l("At most %(n)d items.", n=MAX_ITEMS))
    long_lines = [i + 1 for i, text in enumerate(items) if len(text) > 500]
    if long_lines:
        add_error(errors, "items_text", _l("Lines %(lines)s are longer than %(n)d characters.",
                                      lines=", ".join(map(str, long_lines)), n=500))
    return errors


def save_checklist(session: Session, data: ChecklistData, actor: User | None,
                   base: ChecklistTemplate | None = None, opened_version: int | None = None) -> ChecklistTemplate:
    """Store a new checklist, or a new version of ``base``'s checklist; the older versions stay; audited."""
    errors = check_checklist(session, data, base, opened_version)
    if errors:
        raise ValidationFailed(errors)
    code = base.code if base is not None else data.code.strip().lower()
    base_version = latest(session, base.code).version if base is not None else 0
    template = ChecklistTemplate(code=code, version=base_version + 1, name_zh=data.name_zh.strip(),
                                 name_en=(data.name_en or "").strip() or None, note=(data.note or "").strip() or None,
                                 created_by_id=getattr(actor, "id", None))
    template.items = [ChecklistItem(position=i, text=text) for i, text in enumerate(data.items)]
    session.add(template)
    session.flush()
    changes = {"code": [None, code], "version": [base_version or None, template.version],
               "name_zh": [base.name_zh if base else None, template.name_zh], "items": [
                   [i.text for i in base.items] if base else None, data.items]}
    audit.record(session, actor, "create", "checklist_template", template.id, changes, note=template.note)
    return template
