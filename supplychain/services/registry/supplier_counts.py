"""The supplier list's counts per region, remembered for a few seconds per scope and filters (issues 9 and 14).

Counting a scope's suppliers per region (with the list's search and filters, and how many are local) is most
of a list request at 100,000 suppliers, and paging, sorting and clicking a region ask the same counts again.
They are kept for `seconds` (the LIST_COUNTS_SECONDS setting; 0 counts on every request) under the scope and
the filters that decide them, by services/core/remembered_counts.py: forgotten at once when this process changes a
supplier, a relationship, a risk tier or an organisation; a change by another worker shows after `seconds`.
"""

from __future__ import annotations

from dataclasses import astuple, replace

from sqlalchemy.orm import Session

from supplychain.services.core import remembered_counts
from supplychain.services.registry import suppliers
from supplychain.services.registry.suppliers import RegionCounts, SupplierFilters


def region_counts(session: Session, filters: SupplierFilters, seconds: float) -> RegionCounts:
    """`suppliers.region_counts`, answered from the last `seconds` when nothing it reads has changed since."""
    key = ("supplier list", astuple(replace(filters, region="", sort="")))  # the counts ignore region and order
    return remembered_counts.remembered(session, key, seconds, lambda: suppliers.region_counts(session, filters))


def forget() -> None:
    """Forget every remembered count (a change in this process, or a test)."""
    remembered_counts.forget()
