"""One short gen_* helper per model; every test takes its data from here."""

from __future__ import annotations

import itertools
import random
from datetime import date

from supplychain import credit_code
from supplychain.models import Supplier, SupplyCategory, User
from supplychain.services import categories, suppliers, users

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


def gen_root(session):
    """The root organisation of the group (GROUP, created when missing), as the migration makes it."""
    from supplychain.services import organisations

    existing = organisations.root(session)
    if existing is not None:
        return existing
    data = organisations.OrganisationData(code="GROUP", name_zh="示例集团", name_en="Example Group", kind="group",
                                          home_province="500000")
    return organisations.create_organisation(session, data, None)


def gen_organisation(session, code: str, parent=None, kind: str = "subsidiary", home_province: str = "500000",
                     **kwargs):
    """An organisation under `parent` (default: the root), reused when the code exists; audited like the pages.

    Other keyword arguments are OrganisationData fields (name_zh, name_en, opened_on).
    """
    from supplychain.services import organisations

    existing = organisations.find_by_code(session, code)
    if existing is not None:
        return existing
    parent = parent or gen_root(session)
    data = organisations.OrganisationData(
        code=code, name_zh=kwargs.pop("name_zh", f"{code} 公司"), name_en=kwargs.pop("name_en", code), kind=kind,
        parent_id=parent.id, home_province=home_province or "", **kwargs)
    return organisations.create_organisation(session, data, None)


def gen_user(session, role: str = "procurement", email: str | None = None, supplier: Supplier | None = None,
             password: str = PASSWORD, **kwargs) -> User:
    """An account with the shared test password."""
    n = next(_counter)
    email = email or f"{role}{n}@example.com"
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
    supplier = suppliers.create_supplier(session, supplier_data(**overrides), None, today or date.today())
    supplier.status = status
    session.flush()
    return supplier


