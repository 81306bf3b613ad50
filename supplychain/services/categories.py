"""The admin-editable list of supply categories."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import SupplyCategory, User
from supplychain.services import audit

AUDITED_FIELDS = ("code", "name_zh", "name_en", "active", "requires_trial")
DEFAULT_CATEGORIES = (
    ("raw_materials", "原材料", "Raw materials", False),
    ("equipment", "设备", "Equipment", True),
    ("components", "零部件", "Components and parts", True),
    ("engineering", "工程分包", "Engineering subcontracting", False),
    ("services", "服务", "Services", False),
    ("logistics", "物流", "Logistics", False),
    ("environmental_services", "环保服务", "Environmental services", False),
)


@dataclass
class CategoryData:
    """A category as entered."""

    code: str
    name_zh: str
    name_en: str
    requires_trial: bool = False
    active: bool = True


def list_categories(session: Session) -> list[SupplyCategory]:
    """Every category by code."""
    return list(session.scalars(select(SupplyCategory).order_by(SupplyCategory.code)))


def save_category(session: Session, data: CategoryData, actor: User | None,
                  category: SupplyCategory | None = None) -> SupplyCategory:
    """Create or edit a category; codes are unique."""
    code = (data.code or "").strip().lower()
    errors: dict[str, list] = {}
    if not code or not all(ch.isalnum() or ch in "_-" for ch in code):
        errors["code"] = [_l("Use letters, digits, - and _ only.")]
    other = session.scalar(select(SupplyCategory).where(SupplyCategory.code == code))
    if other is not None and other is not category:
        errors.setdefault("code", []).append(_l("This code is already used."))
    for name in ("name_zh", "name_en"):
        if not (getattr(data, name) or "").strip():
            errors[name] = [_l("This field is required.")]
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(category, AUDITED_FIELDS) if category else {}
    if category is None:
        category = SupplyCategory()
        session.add(category)
    category.code, category.name_zh, category.name_en = code, data.name_zh.strip(), data.name_en.strip()
    category.requires_trial, category.active = data.requires_trial, data.active
    session.flush()
    changes = audit.diff(before, audit.snapshot(category, AUDITED_FIELDS))
    if changes:
        audit.record(session, actor, "update" if before else "create", "category", category.id, changes)
    return category


def ensure_defaults(session: Session) -> None:
    """Create the default categories that are missing (first start, demo data)."""
    existing = {c.code for c in list_categories(session)}
    for code, name_zh, name_en, trial in DEFAULT_CATEGORIES:
        if code not in existing:
            session.add(SupplyCategory(code=code, name_zh=name_zh, name_en=name_en, requires_trial=trial))
    session.flush()
