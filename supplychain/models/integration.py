"""Integration with procurement platforms: API clients, their calls, the changes feed and purchase checks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .organisation import Organisation
from .supplier import Supplier, SupplyCategory

# What a client may do; an endpoint names the scope it needs.
API_SCOPES = ("suppliers:read", "changes:read", "purchase-checks:write", "spend:write", "receipts:write")
PURCHASE_OUTCOMES = ("allow", "warn", "block")
# Why a purchase check may warn or block; each category sets the outcome of each reason.
PURCHASE_REASONS = (
    "not_qualified", "trial", "supplier_suspended", "supplier_exited", "blacklisted", "licence_expired",
    "overdue_corrective_actions", "no_relationship",
)


class ApiClient(Base):
    """A procurement platform or ERP that calls the API with a bearer token (stored as its SHA-256 only)."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, so an admin can tell tokens apart without storing them.
    token_prefix: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[str] = mapped_column(String(300), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    rate_limit: Mapped[int] = mapped_column(Integer, default=600)  # calls per minute
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def scope_list(self) -> list[str]:
        """The scopes as a list, in the order of API_SCOPES."""
        granted = set(self.scopes.split())
        return [s for s in API_SCOPES if s in granted]

    def __repr__(self) -> str:
        return f"<ApiClient {self.name}>"


class ApiCall(Base):
    """One call of the API by a client: the compact audit trail of machine access."""

    __tablename__ = "api_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(300))
    status: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_api_calls_client_at", "client_id", "at"),)


class SupplierChange(Base):
    """The changes feed: one row per changed supplier record, written in the changing transaction.

    The id is the cursor. Rows are numbered inside a short lock taken at commit (see
    supplychain.services.integration.changes), so ids appear in commit order and a reader that
    resumes after an id never skips a row committed later.
    """

    __tablename__ = "supplier_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(Integer, index=True)  # no foreign key: a deletion is a change too
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PurchaseRule(Base):
    """What a reason does to a purchase check in one category (default: see services.integration.purchase_checks)."""

    __tablename__ = "purchase_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("supply_categories.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(10))

    __table_args__ = (UniqueConstraint("category_id", "reason", name="uq_purchase_rules_category_reason"),)

    category: Mapped[SupplyCategory] = relationship()


class PurchaseCheck(Base):
    """One answer given to a platform (or a buyer) at the moment of a purchase: allow, warn or block, and why."""

    __tablename__ = "purchase_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("supply_categories.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    reference: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_purchase_checks_supplier_at", "supplier_id", "at"),)

    supplier: Mapped[Supplier] = relationship()
    category: Mapped[SupplyCategory] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    client: Mapped[ApiClient | None] = relationship(lazy="joined")
