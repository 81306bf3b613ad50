"""Spend and delivery figures: staff only, each drilling down to its lines."""

from datetime import date

from tests.factories import gen_root, gen_supplier
from tests.purchasing_factories import gen_receipt, gen_spend
from tests.web.access import STAFF, allow

RULES = {
    "spend.index": {"GET": allow(STAFF)},
    "spend.lines": {"GET": allow(STAFF)},  # without a figure: the lines behind the total
    "spend.receipt_lines": {"GET": allow(STAFF)},  # without a supplier: every receipt line of the year
}


def sample(session) -> dict:
    """Spend and a receipt of this year, so the pages (and the isolation test) have something to show."""
    year = date.today().year
    supplier = gen_supplier(session, name_zh="支出抽样供应商有限公司")
    root = gen_root(session)
    gen_spend(session, supplier, root, month=f"{year}-01")
    gen_receipt(session, supplier, root, due_on=date(year, 1, 10), received_on=date(year, 1, 10))
    return {}
