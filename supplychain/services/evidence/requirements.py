"""Which pledges and certificates each supply category requires, and what a supplier is missing."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import (
    CERT_TYPES,
    PLEDGE_KINDS,
    CategoryRequirement,
    Supplier,
    SupplyCategory,
    User,
    supplier_categories,
)
from supplychain.services.core import audit

# Suppliers in cooperation or on the way to it: the population of signing rates and training shares.
ACTIVE_STATUSES = ("registered", "under_review", "trial", "qualified", "conditional")

# Requirements the demo data and a fresh installation can start from (admins change them).
DEFAULT_REQUIREMENTS = {
    "*": {"pledge": ("integrity", "anti_bribery", "code_of_conduct"), "certificate": ()},
    "equipment": {"pledge": (), "certificate": ("iso9001", "iso14001", "iso45001")},
    "components": {"pledge": (), "certificate": ("iso9001", "iso14001", "iso45001")},
    "raw_materials": {"pledge": (), "certificate": ("iso9001",)},
    "engineering": {"pledge": ("clean_government", "wage_guarantee"),
                    "certificate": ("iso45001", "safety_production_licence")},
    "environmental_services": {"pledge": (), "certificate": ("iso14001", "pollutant_permit")},
}


@dataclass(frozen=True)
class Required:
    """The pledge kinds and certificate types a supplier must have, from its categories."""

    pledges: tuple[str, ...]
    certificates: tuple[str, ...]


def requirement_map(session: Session) -> dict[int, dict[str, set[str]]]:
    """{category id: {"pledge": kinds, "certificate": types}} for every category with a requirement."""
    result: dict[int, dict[str, set[str]]] = {}
    for row in session.scalars(select(CategoryRequirement)):
        result.setdefault(row.category_id, {"pledge": set(), "certificate": set()})[row.kind].add(row.value)
    return result


def required_from(category_ids, mapping: dict[int, dict[str, set[str]]]) -> Required:
    """What suppliers of these categories must have (the union over their categories)."""
    pledges: set[str] = set()
    certificates: set[str] = set()
    for category_id in category_ids:
        entry = mapping.get(category_id)
        if entry:
            pledges |= entry["pledge"]
            certificates |= entry["certificate"]
    return Required(tuple(k for k in PLEDGE_KINDS if k in pledges),
                    tuple(t for t in CERT_TYPES if t in certificates))


def requires_pledge(kind: str):
    """SQL: the supplier's categories require this pledge kind (one of them does: required_from's union)."""
    return (select(CategoryRequirement.id)
            .join(supplier_categories, supplier_categories.c.category_id == CategoryRequirement.category_id)
            .where(supplier_categories.c.supplier_id == Supplier.id, CategoryRequirement.kind == "pledge",
                   CategoryRequirement.value == kind)
            .exists())


def required_for(session: Session, supplier: Supplier) -> Required:
    """The pledges and certificates this supplier must have, from the categories it supplies."""
    return required_from([c.id for c in supplier.categories], requirement_map(session))


def set_requirements(session: Session, category: SupplyCategory, pledge_kinds, cert_types,
                     actor: User | None) -> bool:
    """Replace a category's requirements; audited; returns whether anything changed."""
    pledge_kinds, cert_types = set(pledge_kinds), set(cert_types)
    errors: dict[str, list] = {}
    if unknown := pledge_kinds - set(PLEDGE_KINDS):
        errors["pledges"] = [_l("Unknown pledge kind: %(value)s.", value=", ".join(sorted(unknown)))]
    if unknown := cert_types - set(CERT_TYPES):
        errors["certificates"] = [_l("Unknown certificate type: %(value)s.",
                                     value=", ".join(sorted(unknown)))]
    if errors:
        raise ValidationFailed(errors)
    stmt = select(CategoryRequirement).where(CategoryRequirement.category_id == category.id)
    rows = list(session.scalars(stmt))
    before = {"pledges": sorted(r.value for r in rows if r.kind == "pledge"),
              "certificates": sorted(r.value for r in rows if r.kind == "certificate")}
    after = {"pledges": sorted(pledge_kinds), "certificates": sorted(cert_types)}
    if before == after:
        return False
    wanted = {("pledge", v) for v in pledge_kinds} | {("certificate", v) for v in cert_types}
    for row in rows:
        if (row.kind, row.value) not in wanted:
            session.delete(row)
    present = {(r.kind, r.value) for r in rows}
    for kind, value in sorted(wanted - present):
        session.add(CategoryRequirement(category_id=category.id, kind=kind, value=value))
    session.flush()
    audit.record(session, actor, "update", "category_requirement", category.id, audit.diff(before, after),
                 note=category.code)
    return True


def ensure_defaults(session: Session) -> None:
    """Give categories without any requirement the default ones (demo data, first start)."""
    mapping = requirement_map(session)
    for category in session.scalars(select(SupplyCategory)):
        if category.id in mapping:
            continue
        for code in ("*", category.code):
            for kind, values in DEFAULT_REQUIREMENTS.get(code, {}).items():
                for value in values:
                    session.add(CategoryRequirement(category_id=category.id, kind=kind, value=value))
    session.flush()
