"""What the API tells a platform about a supplier: status, qualification per category, blacklist, certificates,
latest grade and the relationships within the client's scope. Plain dictionaries, read in a few queries.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, lazyload

from supplychain import scope
from supplychain.models import (
    BlacklistEntry,
    Certification,
    Evaluation,
    Organisation,
    Supplier,
    SupplierQualification,
    SupplierRelationship,
    SupplyCategory,
    relationship_categories,
)
from supplychain.services import certifications
from supplychain.services import suppliers as registry

CERT_WARNING_DAYS = 60


def get_by_id(session: Session, supplier_id: int) -> Supplier | None:
    """A supplier the session's scope may see."""
    if not 0 < supplier_id <= 2_147_483_647:
        return None
    # Contacts are not part of the API's answer: do not load them.
    return session.scalar(select(Supplier).where(Supplier.id == supplier_id).options(lazyload(Supplier.contacts)))


def get_by_credit_code(session: Session, code: str) -> Supplier | None:
    """A supplier the session's scope may see, by its Unified Social Credit Code (case-insensitive)."""
    return session.scalar(select(Supplier).where(Supplier.credit_code == (code or "").strip().upper())
                          .options(lazyload(Supplier.contacts)))


def summary(supplier: Supplier) -> dict:
    """The few fields of a search result."""
    return {"id": supplier.id, "name_zh": supplier.name_zh, "name_en": supplier.name_en,
            "credit_code": supplier.credit_code, "status": supplier.status, "supplier_type": supplier.supplier_type,
            "region": supplier.region,
            "province_code": supplier.province_code, "categories": [c.code for c in supplier.categories]}


def search(session: Session, q: str, status: str, category: str, page: int, per_page: int,
           supplier_type: str = "") -> registry.Page:
    """The list page's search (same filters, same scope), one page."""
    filters = registry.SupplierFilters(q=q or "", status=status or "", category=category or "",
                                       supplier_type=supplier_type or "", sort="name")
    return registry.search(session, filters, page=page, per_page=per_page)


def document(session: Session, supplier: Supplier, today: date) -> dict:
    """Everything a platform needs to decide whether to buy from the supplier."""
    data = summary(supplier)
    data.update(country=supplier.country, updated_at=supplier.updated_at)
    entry = session.execute(scope.unscoped(select(BlacklistEntry.since_on, BlacklistEntry.until_on,
                                                  BlacklistEntry.reason).where(
        or_(BlacklistEntry.supplier_id == supplier.id,
            BlacklistEntry.credit_code == supplier.credit_code if supplier.credit_code else False),
        BlacklistEntry.lifted_at.is_(None), BlacklistEntry.since_on <= today,
        or_(BlacklistEntry.until_on.is_(None), BlacklistEntry.until_on >= today)).order_by(BlacklistEntry.id)
        .limit(1))).first()
    data["blacklist"] = ({"blacklisted": True, "since_on": entry.since_on, "until_on": entry.until_on,
                          "reason": entry.reason} if entry else
                         {"blacklisted": False, "since_on": None, "until_on": None, "reason": None})
    rows = session.execute(scope.unscoped(
        select(SupplyCategory.code, SupplierQualification.status, SupplierQualification.since_on,
               SupplierQualification.evaluation_id)
        .join(SupplyCategory, SupplyCategory.id == SupplierQualification.category_id)
        .where(SupplierQualification.supplier_id == supplier.id).order_by(SupplyCategory.code)))
    data["qualifications"] = [{"category": code, "status": status, "since_on": since, "evaluation_id": ev}
                              for code, status, since, ev in rows]
    certs = list(session.scalars(select(Certification).where(Certification.supplier_id == supplier.id)
                                 .order_by(Certification.cert_type, Certification.expires_on)))
    superseded = certifications.superseded_ids(certs)
    data["certificates"] = [{"type": c.cert_type, "number": c.number, "issued_on": c.issued_on,
                             "expires_on": c.expires_on,
                             "status": certifications.certificate_status(c, today, CERT_WARNING_DAYS)}
                            for c in certs if c.id not in superseded]
    latest = session.execute(select(Evaluation.grade, Evaluation.id, Evaluation.kind, Evaluation.finalised_at)
                             .where(Evaluation.supplier_id == supplier.id, Evaluation.status == "final",
                                    Evaluation.grade.is_not(None))
                             .order_by(Evaluation.finalised_at.desc(), Evaluation.id.desc()).limit(1)).first()
    data["latest_grade"] = ({"grade": latest.grade, "evaluation_id": latest.id, "kind": latest.kind,
                             "finalised_at": latest.finalised_at} if latest else None)
    data["relationships"] = _relationships(session, supplier.id)
    return data


def _relationships(session: Session, supplier_id: int) -> list[dict]:
    """The supplier's relationships within the session's scope, with their category codes, in one query."""
    rows = session.execute(
        select(SupplierRelationship.id, Organisation.code, SupplierRelationship.status, SupplierRelationship.since_on,
               SupplierRelationship.until_on, SupplyCategory.code)
        .join(Organisation, Organisation.id == SupplierRelationship.organisation_id)
        .outerjoin(relationship_categories, relationship_categories.c.relationship_id == SupplierRelationship.id)
        .outerjoin(SupplyCategory, SupplyCategory.id == relationship_categories.c.category_id)
        .where(SupplierRelationship.supplier_id == supplier_id)
        .order_by(Organisation.code, SupplierRelationship.id, SupplyCategory.code))
    found: dict[int, dict] = {}
    for relationship_id, organisation, status, since_on, until_on, category in rows:
        item = found.setdefault(relationship_id, {"organisation": organisation, "status": status,
                                                  "since_on": since_on, "until_on": until_on, "categories": []})
        if category is not None:
            item["categories"].append(category)
    return list(found.values())
