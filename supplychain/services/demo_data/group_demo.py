"""The demo group: a parent, three subsidiaries in three provinces, one project site, a buyer in each.

Suppliers are spread over the subsidiaries (suppliers of a subsidiary's province go to it), about a
fifth are shared by two subsidiaries, and engineering suppliers also work for the project site, so a
subsidiary's buyer sees a different supplier list, dashboard and disclosure from the group's.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.models import (
    QUALIFICATION_STATUSES,
    CorrectiveAction,
    Evaluation,
    Incident,
    IntegrityPledge,
    Organisation,
    Supplier,
    SupplierQualification,
    SupplierRelationship,
    TrainingSession,
)

ROOT = ("GROUP", "示例集团有限公司", "Example Group Co., Ltd.")
# code, Chinese name, English name, kind, home province, parent code
UNITS = (
    ("CQ-MACH", "重庆机械有限公司", "Chongqing Machinery Co., Ltd.", "subsidiary", "500000", "GROUP"),
    ("SX-ENERGY", "山西能源装备有限公司", "Shanxi Energy Equipment Co., Ltd.", "subsidiary", "140000", "GROUP"),
    ("GS-HEAT", "甘肃热力有限公司", "Gansu Heating Co., Ltd.", "subsidiary", "620000", "GROUP"),
    ("CQ-PRJ-01", "两江新区厂房扩建项目", "Liangjiang plant extension project", "project", "500000", "CQ-MACH"),
)
# e-mail, name, organisation code
BUYERS = (
    ("buyer.cq@example.com", "重庆采购 赵磊", "CQ-MACH"),
    ("buyer.sx@example.com", "山西采购 孙芳", "SX-ENERGY"),
    ("buyer.gs@example.com", "甘肃采购 马超", "GS-HEAT"),
    ("buyer.site@example.com", "项目采购 胡涛", "CQ-PRJ-01"),
)
SHARED_SHARE = 0.2


def ensure_group(session: Session, company_name: str | None, home_province: str) -> dict[str, Organisation]:
    """The demo tree (the migration's root is reused and kept as it is), by code."""
    root = scope.root(session)
    if root is None:
        root = Organisation(code=ROOT[0], name_zh=company_name or ROOT[1], name_en=ROOT[2], kind="group",
                            home_province=home_province)
        session.add(root)
        session.flush()
    orgs = {"GROUP": root, root.code: root}
    for code, name_zh, name_en, kind, province, parent in UNITS:
        org = scope.organisation_by_code(session, code)
        if org is None:
            org = Organisation(code=code, name_zh=name_zh, name_en=name_en, kind=kind, home_province=province,
                               parent=orgs.get(parent, root))
            session.add(org)
            session.flush()
        orgs[code] = org
    return orgs


def _relate(session: Session, org: Organisation, supplier: Supplier, since: date) -> None:
    session.add(SupplierRelationship(organisation_id=org.id, supplier_id=supplier.id, status="active",
                                     since_on=since, categories=list(supplier.categories)))


def spread_suppliers(session: Session, orgs: dict[str, Organisation], seed: int) -> None:
    """Give every demo supplier without a relationship one or two subsidiaries (and the site for engineering)."""
    rng = random.Random(seed)
    related = set(session.scalars(scope.unscoped(select(SupplierRelationship.supplier_id))))
    subsidiaries = [orgs[code] for code, *_rest, parent in UNITS if parent == "GROUP"]
    by_province = {org.home_province: org for org in subsidiaries}
    site = orgs["CQ-PRJ-01"]
    for supplier in session.scalars(scope.unscoped(select(Supplier).order_by(Supplier.id))):
        if supplier.id in related:
            continue
        first = by_province.get(supplier.province_code) or rng.choice(subsidiaries)
        _relate(session, first, supplier, supplier.registered_on)
        if rng.random() < SHARED_SHARE:
            second = rng.choice([org for org in subsidiaries if org is not first])
            _relate(session, second, supplier, supplier.registered_on)
        if any(c.code == "engineering" for c in supplier.categories) and first.code == "CQ-MACH":
            _relate(session, site, supplier, supplier.registered_on)
    session.flush()


def qualify_by_status(session: Session) -> None:
    """Demo suppliers made qualified (or trial, conditional) directly are qualified for the categories they
    list, as the migration qualifies an existing supply base."""
    qualified = set(session.execute(scope.unscoped(
        select(SupplierQualification.supplier_id, SupplierQualification.category_id))).tuples())
    for supplier in session.scalars(scope.unscoped(select(Supplier).where(
            Supplier.status.in_(QUALIFICATION_STATUSES)))):
        for category in supplier.categories:
            if (supplier.id, category.id) not in qualified:
                session.add(SupplierQualification(supplier_id=supplier.id, category_id=category.id,
                                                  status=supplier.status, since_on=supplier.registered_on,
                                                  note="demo data"))
    session.flush()


def assign_records(session: Session) -> None:
    """Records loaded without an organisation belong to the (first) subsidiary that buys from the supplier."""
    first_org = {}
    for supplier_id, org_id in session.execute(scope.unscoped(
            select(SupplierRelationship.supplier_id, SupplierRelationship.organisation_id)
            .order_by(SupplierRelationship.id))):
        first_org.setdefault(supplier_id, org_id)
    root = scope.root(session)
    for model in (IntegrityPledge, Incident, Evaluation, CorrectiveAction):
        rows = session.execute(scope.unscoped(select(model.id, model.supplier_id).where(
            (model.organisation_id.is_(None)) | (model.organisation_id == root.id))))
        for record_id, supplier_id in rows.all():
            if supplier_id in first_org:
                session.execute(update(model).where(model.id == record_id)
                                .values(organisation_id=first_org[supplier_id]))
    subsidiaries = sorted({org_id for org_id in first_org.values()})
    sessions = session.scalars(scope.unscoped(select(TrainingSession).order_by(TrainingSession.id))).all()
    for index, training in enumerate(sessions):
        if subsidiaries and training.organisation_id in (None, root.id) and index % 3:
            training.organisation_id = subsidiaries[index % len(subsidiaries)]
    session.flush()
