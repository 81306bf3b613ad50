"""Ranking of a supplier's total among the suppliers of the same category (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def percentile(score: float, scores_in_category: Iterable[float]) -> float:
    """Percentage of the category's scores at or below ``score`` (0-100, one decimal, ROUND_HALF_UP).

    The category's scores normally include the supplier's own, so the best supplier is at 100
    and a supplier alone in its category is at 100. Raises ValueError for an empty category.
    """
    scores = list(scores_in_category)
    if not scores:
        raise ValueError("percentile of an empty category")
    at_or_below = sum(1 for s in scores if s <= score)
    value = Decimal(at_or_below) * 100 / Decimal(len(scores))
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
