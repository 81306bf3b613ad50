"""The group master and supplier relationships."""

from sqlalchemy import select

from supplychain.models import SupplierRelationship
from tests.factories import gen_supplier
from tests.web.access import EDITORS, STAFF, allow

RULES = {
    "relationships.search": {"GET": allow(STAFF)},
    # Every buyer of the group may see the shared card; only editors may start buying (a form error: 200).
    "relationships.card": {"GET": allow(STAFF), "POST": allow(EDITORS, ok=200)},
    "relationships.change_status": {"POST": allow(EDITORS, ok=302)},
    "relationships.planned_end": {"POST": allow(EDITORS, ok=302)},  # without a version: nothing changed
}


def sample(session) -> dict:
    """A relationship of a supplier (opened by its registration)."""
    supplier = gen_supplier(session, name_zh="集团主数据抽样有限公司")
    relationship = session.scalar(select(SupplierRelationship).where(SupplierRelationship.supplier_id == supplier.id))
    return {"relationship_id": relationship.id}
