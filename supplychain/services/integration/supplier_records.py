"""What the API tells a platform about a supplier: status, qualification per category, blacklist, certificates,
latest grade and the relationships within the client's scope. Plain dictionaries: the supplier, then its
facts in one statement (``supplier_facts``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from supplychain.models import Supplier
from supplychain.services.evidence import certifications
from supplychain.services.registry import suppliers as registry

from . import supplier_facts

CERT_WARNING_DAYS = 60
_OWN_COLUMNS_ONLY = (lazyload(Supplier.contacts), lazyload(Supplier.categories))


def get_by_id(session: Session, supplier_id: int) -> Supplier | None:
    """A supplier the session's scope may see."""
    if not 0 < supplier_id <= 2_147_483_647:
        return None
    # Contacts are not part of the API's answer, and the document reads the categories with its other facts.
    return session.scalar(select(Supplier).where(Supplier.id == supplier_id).options(*_OWN_COLUMNS_ONLY))


def get_by_credit_code(session: Session, code: str) -> Supplier | None:
    """A supplier the session's scope may see, by its Unified Social Credit Code (case-insensitive)."""
    return session.scalar(select(Supplier).where(Supplier.credit_code == (code or "").strip().upper())
                          .options(*_OWN_COLUMNS_ONLY))


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
    """Everything a platform needs to decide whether to buy from the supplier (its facts in one statement)."""
    facts = supplier_facts.read(session, supplier, today)
    data = {"id": supplier.id, "name_zh": supplier.name_zh, "name_en": supplier.name_en,
            "credit_code": supplier.credit_code, "status": supplier.status, "supplier_type": supplier.supplier_type,
            "region": supplier.region, "province_code": supplier.province_code, "categories": facts.categories,
            "country": supplier.country, "updated_at": supplier.updated_at}
    since_on, until_on, reason = facts.blacklist or (None, None, None)
    data["blacklist"] = {"blacklisted": facts.blacklist is not None, "since_on": since_on, "until_on": until_on,
                         "reason": reason}
    data["qualifications"] = [{"category": code, "status": status, "since_on": since, "evaluation_id": ev}
                              for code, status, since, ev in facts.qualifications]
    superseded = certifications.superseded_ids(facts.certificates)
    data["certificates"] = [{"type": c.cert_type, "number": c.number, "issued_on": c.issued_on,
                             "expires_on": c.expires_on,
                             "status": certifications.certificate_status(c, today, CERT_WARNING_DAYS)}
                            for c in facts.certificates if c.id not in superseded]
    grade = facts.grade
    data["latest_grade"] = ({"grade": grade[0], "evaluation_id": grade[1], "kind": grade[2],
                             "finalised_at": grade[3]} if grade else None)
    relationships: dict[int, dict] = {}
    for relationship_id, organisation, status, since_on, until_on, category in facts.relationships:
        item = relationships.setdefault(relationship_id, {"organisation": organisation, "status": status,
                                                          "since_on": since_on, "until_on": until_on,
                                                          "categories": []})
        if category is not None:
            item["categories"].append(category)
    data["relationships"] = list(relationships.values())
    return data
