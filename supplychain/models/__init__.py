"""Every model, imported here so Alembic and the metadata see every table."""

from .audit import AuditEntry
from .base import Base
from .supplier import STATUSES, Supplier, SupplierContact, SupplyCategory, supplier_categories
from .user import ROLES, STAFF_ROLES, User

__all__ = [
    "AuditEntry", "Base", "ROLES", "STAFF_ROLES", "STATUSES", "Supplier", "SupplierContact",
    "SupplyCategory", "User", "supplier_categories",
]
