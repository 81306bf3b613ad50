"""Purchasing data sent by the group's ERPs and platforms: the spend ledger and purchase receipts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supplychain.scoring.facts import is_on_time

from .base import Base, TimestampMixin
from .organisation import Organisation
from .supplier import Supplier, SupplyCategory

# Amounts: up to 10**16 in the currency's unit, in cents. Quantities: three decimals (kg, m, pieces).
AMOUNT = Numeric(18, 2)
QUANTITY = Numeric(18, 3)


class SpendLine(TimestampMixin, Base):
    """What one organisation paid one supplier for one category in one month (GRI 204-1 spend)."""

    __tablename__ = "spend_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The sender's id for the line: a re-sent line with the same id and content is a no-op.
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("supply_categories.id", ondelete="RESTRICT"))
    # The first day of the month the spend belongs to.
    month_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    currency: Mapped[str] = mapped_column(String(3))
    order_count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("organisation_id", "supplier_id", "category_id", "month_on",
                         name="uq_spend_lines_org_supplier_category_month"),
        # Figures read one year of one currency, by supplier.
        Index("ix_spend_lines_month_currency", "month_on", "currency", "supplier_id"),
    )

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    supplier: Mapped[Supplier] = relationship()
    category: Mapped[SupplyCategory] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<SpendLine {self.external_id} {self.amount} {self.currency}>"


class ReceiptLine(TimestampMixin, Base):
    """One purchase-order line received: when it was due, when it came, and how much passed inspection."""

    __tablename__ = "receipt_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("supply_categories.id", ondelete="RESTRICT"))
    # The sender's purchase-order line reference (e.g. "PO-2026-0012/3"), shown when drilling down.
    po_line: Mapped[str | None] = mapped_column(String(100))
    due_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date)
    quantity_received: Mapped[Decimal] = mapped_column(QUANTITY)
    quantity_accepted: Mapped[Decimal] = mapped_column(QUANTITY)
    quantity_rejected: Mapped[Decimal] = mapped_column(QUANTITY)

    __table_args__ = (
        # Rates per supplier and period read the supplier's receipts by received date.
        Index("ix_receipt_lines_supplier_received", "supplier_id", "received_on"),
    )

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    supplier: Mapped[Supplier] = relationship()
    category: Mapped[SupplyCategory] = relationship(lazy="joined")

    @property
    def on_time(self) -> bool:
        """Received on or before its due date (the rule every rate uses: scoring.facts.is_on_time)."""
        return is_on_time(self.due_on, self.received_on)

    def __repr__(self) -> str:
        return f"<ReceiptLine {self.external_id} due {self.due_on} received {self.received_on}>"
