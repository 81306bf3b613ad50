"""One short gen_* helper per model; every test takes its data from here."""

from __future__ import annotations

import itertools
import random
from datetime import date

from supplychain import clock, credit_code, scope
from supplychain.models import (
    QUALIFICATION_STATUSES,
    Organisation,
    Supplier,
    SupplierQualification,
    SupplyCategory,
    User,
)
from supplychain.services.core import users
from supplychain.services.registry import categories, suppliers

PASSWORD = "Correct-Horse-9"
_counter = itertools.count(1)
_rng = random.Random(7)


def gen_category(session, code: str = "equipment", name_zh: str = "设备", name_en: str = "Equipment",
                 requires_trial: bool = False) -> SupplyCategory:
    """A supply category (reused when the code exists)."""
    from sqlalchemy import select

    existing = session.scalar(select(SupplyCategory).where(SupplyCategory.code == code))
    if existing is not None:
        return existing
    return categories.save_category(session, categories.CategoryData(code, name_zh, name_en, requires_trial), None)


def gen_root(session) -> Organisation:
    """The root organisation of the group (GROUP, created when missing), as the migration makes it."""
    existing = scope.root(session)
    if existing is not None:
        return existing
    root = Organisation(code="GROUP", name_zh="示例集团", name_en="Example Group", kind="group",
                        home_province="500000")
    session.add(root)
    session.flush()
    return root


def gen_organisation(session, code: str, parent: Organisation | None = None, kind: str = "subsidiary",
                     home_province: str = "500000", **kwargs) -> Organisation:
    """An organisation under `parent` (default: the root), reused when the code exists."""
    existing = scope.organisation_by_code(session, code)
    if existing is not None:
        return existing
    org = Organisation(code=code, name_zh=kwargs.pop("name_zh", f"{code} 公司"), name_en=kwargs.pop("name_en", code),
                       kind=kind, home_province=home_province, parent=parent or gen_root(session), **kwargs)
    session.add(org)
    session.flush()
    return org


def gen_user(session, role: str = "procurement", email: str | None = None, supplier: Supplier | None = None,
             password: str = PASSWORD, organisation: Organisation | None = None, **kwargs) -> User:
    """An account with the shared test password; staff belong to `organisation` (default: the root)."""
    n = next(_counter)
    email = email or f"{role}{n}@example.com"
    if role != "supplier" and "organisation_id" not in kwargs:
        kwargs["organisation_id"] = (organisation or gen_root(session)).id
    data = users.UserData(email=email, role=role, name=kwargs.pop("name", f"{role} {n}"),
                          supplier_id=supplier.id if supplier else None, **kwargs)
    return users.create_user(session, data, password, actor=None)


def gen_credit_code(province_code: str = "500000") -> str:
    """A valid, unique Unified Social Credit Code."""
    return credit_code.generate(_rng, province_code[:2] + "0100")


def supplier_data(**overrides) -> suppliers.SupplierData:
    """Valid form/import values for a mainland supplier in Chongqing, overridable."""
    n = next(_counter)
    values = dict(
        name_zh=f"重庆测试机械有限公司{n}", name_en=f"Chongqing Test Machinery {n}", credit_code=gen_credit_code(),
        country="CN", province="500000", city="重庆", address="渝北区 1 号", categories=["equipment"],
        contacts=[suppliers.ContactData("王伟", "13800000000", f"wang{n}@example.cn")],
    )
    values.update(overrides)
    return suppliers.SupplierData(**values)


def gen_supplier(session, status: str = "registered", today: date | None = None, **overrides) -> Supplier:
    """A registered supplier (categories created as needed), optionally with another status."""
    for code in overrides.get("categories", ["equipment"]):
        gen_category(session, code=code, name_zh=code, name_en=code)
    organisation = overrides.pop("organisation", None) or gen_root(session)
    supplier = suppliers.create_supplier(session, supplier_data(**overrides), None, today or clock.today(),
                                         organisation_id=organisation.id)
    supplier.status = status
    if status in QUALIFICATION_STATUSES:  # as the migration qualifies an existing supply base
        for category in supplier.categories:
            session.add(SupplierQualification(supplier_id=supplier.id, category_id=category.id, status=status,
                                              since_on=supplier.registered_on, note="test data"))
    session.flush()
    return supplier


def gen_tier(session, supplier, tier: str = "high", score: float = 80.0):
    """Set a supplier's risk tier over the one computed when it was registered."""
    from supplychain.models import SupplierRisk

    risk = session.merge(SupplierRisk(supplier_id=supplier.id, tier=tier, score=score, factors=[]))
    session.flush()
    return risk
