"""Demo contractors (issue 11, part 5): engineering suppliers are contractors, and two named contractors work on
the demo project site CQ-PRJ-01 with their site inductions and a safety session, so the project's
qualified-subcontractor list has something to show. Loading twice adds nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from supplychain import credit_code, scope
from supplychain.models import (
    Supplier,
    SupplierQualification,
    SupplierRelationship,
    SupplyCategory,
    TrainingAttendance,
    TrainingSession,
    supplier_categories,
)
from supplychain.services.registry import suppliers
from supplychain.services.risk.contractors import CONTRACTOR, INDUCTION

SITE = "CQ-PRJ-01"
CATEGORY = "engineering"


@dataclass(frozen=True)
class DemoContractor:
    """A named demo contractor and the workers it sends to each induction."""

    name_zh: str
    name_en: str
    city_district: str
    inducted: tuple[int, int]  # workers at the first and at the second induction
    safety: int  # workers at the safety session


CONTRACTORS = (
    DemoContractor("重庆两江建筑劳务分包有限公司", "Chongqing Liangjiang Construction Labour Subcontracting Co., Ltd.",
                   "渝北区龙兴镇工业园 8 号", (24, 6), 18),
    DemoContractor("重庆渝安钢结构工程有限公司", "Chongqing Yu'an Steel Structure Engineering Co., Ltd.",
                   "江北区港城工业园 16 号", (16, 0), 12),
)


def _engineering_are_contractors(session: Session) -> None:
    """Suppliers of engineering subcontracting are contractors, as migration 0016 made the existing ones."""
    engineering = (select(supplier_categories.c.supplier_id).join(SupplyCategory)
                   .where(SupplyCategory.code == CATEGORY))
    session.execute(update(Supplier).where(Supplier.id.in_(engineering), Supplier.supplier_type != CONTRACTOR)
                    .values(supplier_type=CONTRACTOR).execution_options(synchronize_session=False))


def _contractor(session: Session, demo: DemoContractor, site_id: int, rng: random.Random, today: date) -> Supplier:
    """The demo contractor, registered (qualified for engineering, working on the site) when missing."""
    existing = session.scalar(scope.unscoped(select(Supplier).where(
        Supplier.name_key == suppliers.name_key(demo.name_zh))))
    if existing is not None:
        return existing
    code = credit_code.generate(rng, "500112")
    while session.scalar(scope.unscoped(select(Supplier.id).where(Supplier.credit_code == code))) is not None:
        code = credit_code.generate(rng, "500112")
    data = suppliers.SupplierData(name_zh=demo.name_zh, name_en=demo.name_en, credit_code=code, country="CN",
                                  province="500000", city="重庆", address=demo.city_district, categories=[CATEGORY],
                                  registered_on=today - timedelta(days=420), supplier_type=CONTRACTOR)
    supplier = suppliers.create_supplier(session, data, None, today, organisation_id=site_id)
    supplier.status = "qualified"
    category = session.scalar(select(SupplyCategory).where(SupplyCategory.code == CATEGORY))
    session.add(SupplierQualification(supplier_id=supplier.id, category_id=category.id, status="qualified",
                                      since_on=supplier.registered_on, note="demo data"))
    relationship = session.scalar(scope.unscoped(select(SupplierRelationship).where(
        SupplierRelationship.organisation_id == site_id, SupplierRelationship.supplier_id == supplier.id)))
    relationship.since_on = today - timedelta(days=75)
    session.flush()
    return supplier


def _session(session: Session, site_id: int, title: str, topic: str, held_on: date, hours: float,
             attendances: list[tuple[Supplier, int]]) -> None:
    training = TrainingSession(title=title, topic=topic, held_on=held_on, hours=hours, mode="onsite",
                               organiser="项目部安全环保部", organisation_id=site_id)
    session.add(training)
    session.flush()
    for supplier, head_count in attendances:
        if head_count:
            session.add(TrainingAttendance(session_id=training.id, supplier_id=supplier.id, head_count=head_count,
                                           completed=True))


def load(session: Session, today: date, seed: int = 2024) -> None:
    """Demo contractors on the project site with their inductions (nothing when the site is missing)."""
    site = scope.organisation_by_code(session, SITE)
    if site is None:
        return
    _engineering_are_contractors(session)
    rng = random.Random(seed)
    contractors = [_contractor(session, demo, site.id, rng, today) for demo in CONTRACTORS]
    held = session.scalar(scope.unscoped(select(TrainingSession.id).where(
        TrainingSession.organisation_id == site.id, TrainingSession.topic == INDUCTION).limit(1)))
    if held is None:
        pairs = list(zip(contractors, CONTRACTORS, strict=True))
        _session(session, site.id, "分包单位进场三级安全教育", INDUCTION, today - timedelta(days=70), 8.0,
                 [(supplier, demo.inducted[0]) for supplier, demo in pairs])
        _session(session, site.id, "新进场作业人员安全教育", INDUCTION, today - timedelta(days=20), 4.0,
                 [(supplier, demo.inducted[1]) for supplier, demo in pairs])
        _session(session, site.id, "高处作业与临时用电安全培训", "safety", today - timedelta(days=35), 3.0,
                 [(supplier, demo.safety) for supplier, demo in pairs])
    session.flush()
