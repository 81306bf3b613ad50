"""The admin-editable list of supply categories."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import ValidationFailed
from supplychain.models import RISK_LEVELS, SupplyCategory, User, supplier_categories
from supplychain.services.core import audit
from supplychain.services.risk import recompute as risk_recompute

AUDITED_FIELDS = ("code", "name_zh", "name_en", "active", "requires_trial", "risk_level")
DEFAULT_CATEGORIES = (
    ("raw_materials", "原材料", "Raw materials", False, "medium"),
    ("equipment", "设备", "Equipment", True, "low"),
    ("components", "零部件", "Components and parts", True, "low"),
    ("engineering", "工程分包", "Engineering subcontracting", False, "high"),
    ("services", "服务", "Services", False, "low"),
    ("logistics", "物流", "Logistics", False, "medium"),
    ("environmental_services", "环保服务", "Environmental services", False, "high"),
)


@dataclass
class CategoryData:
    """A category as entered."""

    code: str
    name_zh: str
    name_en: str
    requires_trial: bool = False
    active: bool = True
    risk_level: str = "low"  # inherent risk of what is supplied (issue 11): high, medium or low


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
    if data.risk_level not in RISK_LEVELS:
        errors["risk_level"] = [_l("Choose high, medium or low.")]
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(category, AUDITED_FIELDS) if category else {}
    if category is None:
        category = SupplyCategory()
        session.add(category)
    category.code, category.name_zh, category.name_en = code, data.name_zh.strip(), data.name_en.strip()
    category.requires_trial, category.active = data.requires_trial, data.active
    category.risk_level = data.risk_level
    session.flush()
    changes = audit.diff(before, audit.snapshot(category, AUDITED_FIELDS))
    if changes:
        audit.record(session, actor, "update" if before else "create", "category", category.id, changes)
    if before and "risk_level" in changes:
        risk_recompute.refresh(session, supplier_ids(session, category.id), actor=actor)
    return category


def supplier_ids(session: Session, category_id: int) -> list[int]:
    """Every supplier that lists the category, across the group (whose risk tiers depend on its level)."""
    return list(session.scalars(scope.unscoped(select(supplier_categories.c.supplier_id)
                                               .where(supplier_categories.c.category_id == category_id))))


def ensure_defaults(session: Session) -> None:
    """Create the default categories that are missing (first start, demo data)."""
    existing = {c.code for c in list_categories(session)}
    for code, name_zh, name_en, trial, risk_level in DEFAULT_CATEGORIES:
        if code not in existing:
            session.add(SupplyCategory(code=code, name_zh=name_zh, name_en=name_en, requires_trial=trial,
                                       risk_level=risk_level))
    session.flush()
