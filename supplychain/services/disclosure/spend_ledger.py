"""The disclosure's figures that stand on the spend ledger (issue 12): B5.1's population "with spend in the
year" and B5.4's green share of spend.

A month's spend line belongs to the year of its month; "in the year to D" takes the months that start on or
before D. Every query goes through the session, so the reporting boundary (organisation scope) applies: a
subsidiary's disclosure counts its own subtree's spend only. Amounts are never converted between currencies:
the green share is computed in one currency (setting DISCLOSURE_SPEND_CURRENCY).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain.models import SpendLine


def suppliers_with_spend(session: Session, first: date, last: date) -> set[int]:
    """Suppliers with a spend line (any currency) of a month from `first` to `last`, in the session's scope."""
    return set(session.scalars(select(SpendLine.supplier_id).where(
        SpendLine.month_on >= first.replace(day=1), SpendLine.month_on <= last).distinct()))


@dataclass(frozen=True)
class GreenSpend:
    """One currency's spend in a period: the total and the part with suppliers selected as green."""

    currency: str
    total: Decimal
    green: Decimal
    suppliers: frozenset[int]  # every supplier with spend
    green_suppliers: frozenset[int]  # of them, those selected with environmental criteria


def green_spend(session: Session, first: date, last: date, currency: str, green_ids: set[int]) -> GreenSpend | None:
    """The spend in `currency` from `first` to `last`, and the part with the suppliers in `green_ids`;
    None when no spend in that currency is recorded for the period (the figure is then unavailable)."""
    rows = session.execute(select(SpendLine.supplier_id, func.sum(SpendLine.amount)).where(
        SpendLine.month_on >= first.replace(day=1), SpendLine.month_on <= last, SpendLine.currency == currency,
    ).group_by(SpendLine.supplier_id)).all()
    if not rows:
        return None
    amounts = {sid: Decimal(amount or 0) for sid, amount in rows}
    green = {sid for sid in amounts if sid in green_ids}
    return GreenSpend(currency, sum(amounts.values(), Decimal(0)), sum((amounts[s] for s in green), Decimal(0)),
                      frozenset(amounts), frozenset(green))
