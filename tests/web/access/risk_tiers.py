"""Inherent risk tier settings (issue 11): administrators only; every staff role sees tiers on supplier pages."""

from tests.factories import gen_category, gen_supplier
from tests.web.access import allow

ADMIN = ("admin",)

RULES = {
    "risk_tiers.index": {"GET": allow(ADMIN)},
    "risk_tiers.scoring": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},  # empty weights: errors shown
    "risk_tiers.region_edit": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},  # no level: errors shown
    "risk_tiers.tier_edit": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=302)},  # all empty: "not set" saved
    "risk_tiers.recompute_now": {"POST": allow(ADMIN, ok=302)},
}


def sample(session) -> dict:
    """A supplier in a high-risk category (its tier is computed on registration), a region and a tier."""
    category = gen_category(session, code="engineering", name_zh="工程分包", name_en="Engineering subcontracting")
    category.risk_level = "high"
    gen_supplier(session, name_zh="风险分级抽样工程有限公司", categories=["engineering"])
    return {"risk_area": "overseas", "risk_tier": "high"}
