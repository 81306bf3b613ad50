"""External screening (issue 11 part 4): staff read results and the due list, editors record results."""

from datetime import timedelta

from tests.evaluation_factories import TODAY
from tests.factories import gen_supplier
from tests.web.access import EDITORS, STAFF, allow

RULES = {
    "screening.due": {"GET": allow(STAFF)},
    "screening.history": {"GET": allow(STAFF)},
    # Posted with a CSRF token only: the form comes back with its errors, nothing is saved.
    "screening.record": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    # Posted without a file: the form comes back naming the missing file, nothing is saved.
    "screening.import_results": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
}


def sample(session) -> dict:
    """A supplier listed as a dishonest judgment debtor and never screened on the admission lists (so it is due)."""
    from supplychain.services.risk import screening

    supplier = gen_supplier(session, name_zh="筛查访问测试有限公司")
    data = screening.ResultData("judgment_debtor", TODAY - timedelta(days=3), "listed", "中国执行信息公开网", "")
    screening.add_result(session, supplier.id, data, None)
    return {}
