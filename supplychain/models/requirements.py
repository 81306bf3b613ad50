"""Which pledges and certificates each supply category requires (admin-editable)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .supplier import SupplyCategory

REQUIREMENT_KINDS = ("pledge", "certificate")


class CategoryRequirement(Base):
    """A pledge kind or certificate type that suppliers of a category must have."""

    __tablename__ = "category_requirements"
    __table_args__ = (
        UniqueConstraint("category_id", "kind", "value", name="uq_category_requirements_entry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("supply_categories.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[str] = mapped_column(String(40))

    category: Mapped[SupplyCategory] = relationship()
