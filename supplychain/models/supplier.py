"""The supplier registry: suppliers, their contacts and supply categories."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, VersionedMixin

STATUSES = (
    "registered", "under_review", "trial", "qualified", "conditional",
    "suspended", "exited", "blacklisted", "rejected",
)

supplier_categories = Table(
    "supplier_categories",
    Base.metadata,
    Column("supplier_id", ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("supply_categories.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class SupplyCategory(VersionedMixin, Base):
    """An admin-editable reference list entry: what a supplier supplies."""

    __tablename__ = "supply_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    requires_trial: Mapped[bool] = mapped_column(Boolean, default=False)
    # Inherent risk of what is supplied (issue 11): engineering subcontracting, chemicals, waste services are high.
    risk_level: Mapped[str] = mapped_column(String(6), default="low", server_default="low")

    def __repr__(self) -> str:
        return f"<SupplyCategory {self.code}>"


class Supplier(VersionedMixin, TimestampMixin, Base):
    """A company that supplies (or wants to supply) the group."""

    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    # Normalised legal name (case, width, spaces, company suffix punctuation) for duplicate detection.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    # Lower-cased "name_zh name_en credit_code pinyin initials" (services/registry/supplier_search.py): the list page
    # and the supplier picker search one column, read from a covering index.
    search_text: Mapped[str] = mapped_column(String(1500), default="")
    country: Mapped[str] = mapped_column(String(2), default="CN", index=True)
    province_code: Mapped[str | None] = mapped_column(String(6), index=True)
    # Derived from country and province on every save; stored so B5.1 counts and filters are one indexed query.
    region: Mapped[str] = mapped_column(String(12), index=True)
    city: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    # 法定代表人: the person screened for a bribery conviction (issue 11 part 4).
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="registered", index=True)
    # Since when the status holds, when known from elsewhere (a migrated supply base); None: see the audit log.
    status_since: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date] = mapped_column(Date)
    # manufacturer, distributor, service or contractor (models.risk.SUPPLIER_TYPES; issue 11).
    supplier_type: Mapped[str] = mapped_column(String(20), default="manufacturer", server_default="manufacturer",
                                               index=True)

    __table_args__ = (
        # Led by status: the list counts a status per region from the index alone (migration 0024); PostgreSQL
        # needs the id in it for the scope's semi-join (SQLite's indexes end with the rowid; migration 0030).
        Index("ix_suppliers_list_filters", "status", "region", "province_code", "search_text",
              postgresql_include=["id"]),
        # The list's default order (registered_on DESC, id DESC) read from the index, no sort (migration 0030).
        Index("ix_suppliers_registered_on_id", "registered_on", "id"),
        # Suppliers without a credit code (overseas) are told apart by their normalised name: one row per
        # name even when two registrations or imports race (issue 14).
        Index("uq_suppliers_name_key_without_code", "name_key", unique=True,
              sqlite_where=text("credit_code IS NULL"), postgresql_where=text("credit_code IS NULL")),
        # PostgreSQL: a trigram index answers "contains" searches without reading every row (the picker's
        # rare words); SQLite gets a plain index of the column instead (migration 0012).
        Index("ix_suppliers_search_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
    )

    categories: Mapped[list[SupplyCategory]] = relationship(
        secondary=supplier_categories, order_by=SupplyCategory.code, lazy="selectin"
    )
    contacts: Mapped[list[SupplierContact]] = relationship(
        back_populates="supplier", cascade="all, delete-orphan", order_by="SupplierContact.position",
        lazy="selectin",
    )

    @property
    def display_name(self) -> str:
        """Chinese legal name, with the English one in brackets when there is one."""
        return f"{self.name_zh} ({self.name_en})" if self.name_en else self.name_zh

    def __repr__(self) -> str:
        return f"<Supplier {self.id} {self.name_zh}>"


class SupplierContact(Base):
    """A contact person at a supplier."""

    __tablename__ = "supplier_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))

    supplier: Mapped[Supplier] = relationship(back_populates="contacts")
