"""The group: organisations in a tree, who buys from which supplier, and per-category qualification."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, VersionedMixin
from .supplier import Supplier, SupplyCategory

ORGANISATION_KINDS = ("group", "subsidiary", "project")
RELATIONSHIP_STATUSES = ("active", "suspended", "ended")
QUALIFICATION_STATUSES = ("trial", "qualified", "conditional", "suspended", "exited", "rejected")


class Organisation(VersionedMixin, TimestampMixin, Base):
    """A part of the group: the listed parent, a subsidiary, a project or site. A tree of any depth."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="subsidiary")
    # GB/T 2260 code; suppliers in this province are "local" to this organisation.
    home_province: Mapped[str | None] = mapped_column(String(6))
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], lazy="joined", join_depth=1)

    @property
    def display_name(self) -> str:
        """Chinese name with the code."""
        return f"{self.name_zh} ({self.code})"

    @property
    def is_open(self) -> bool:
        """Not closed (a closed organisation keeps its records but takes no new ones)."""
        return self.closed_on is None

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"


relationship_categories = Table(
    "supplier_relationship_categories",
    Base.metadata,
    # Explicit names: the convention's would pass PostgreSQL's 63-character limit.
    Column("relationship_id", ForeignKey("supplier_relationships.id", ondelete="CASCADE",
                                         name="fk_relationship_categories_relationship"), primary_key=True),
    Column("category_id", ForeignKey("supply_categories.id", ondelete="CASCADE",
                                     name="fk_relationship_categories_category"), primary_key=True, index=True),
)


class SupplierRelationship(VersionedMixin, TimestampMixin, Base):
    """An organisation buys (or bought) from a supplier of the group master."""

    __tablename__ = "supplier_relationships"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    # Looked up by ix_supplier_relationships_supplier_org, which starts with it (migration 0034).
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="active")
    since_on: Mapped[date] = mapped_column(Date)
    until_on: Mapped[date | None] = mapped_column(Date)
    planned_until_on: Mapped[date | None] = mapped_column(Date)  # when the work is planned to end (migration 0025)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    __table_args__ = (
        UniqueConstraint("organisation_id", "supplier_id", name="uq_supplier_relationships_org_supplier"),
        # The scope filter asks "suppliers of these organisations": one index answers it.
        Index("ix_supplier_relationships_org_supplier", "organisation_id", "supplier_id", "status"),
        # The other way round: "is this supplier bought by one of these organisations" (the scope's correlated
        # EXISTS, the "local" column) answered from the index alone, without reading the table (migration 0023).
        Index("ix_supplier_relationships_supplier_org", "supplier_id", "organisation_id"),
    )

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    supplier: Mapped[Supplier] = relationship()
    categories: Mapped[list[SupplyCategory]] = relationship(
        secondary=relationship_categories, order_by=SupplyCategory.code, lazy="selectin"
    )
    buyer = relationship("User", foreign_keys=[buyer_id])

    def __repr__(self) -> str:
        return f"<SupplierRelationship org={self.organisation_id} supplier={self.supplier_id} {self.status}>"


class SupplierQualification(TimestampMixin, Base):
    """Whether a supplier is qualified for one supply category, and which evaluation decided it."""

    __tablename__ = "supplier_qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up by uq_supplier_qualifications_pair, which starts with it (migration 0034).
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("supply_categories.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    since_on: Mapped[date] = mapped_column(Date)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("supplier_id", "category_id", name="uq_supplier_qualifications_pair"),)

    supplier: Mapped[Supplier] = relationship()
    category: Mapped[SupplyCategory] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<SupplierQualification {self.supplier_id}/{self.category_id} {self.status}>"
