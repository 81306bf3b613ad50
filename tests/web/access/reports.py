"""Reports routes: scorecard PDFs, exports, the disclosure (staff), the public verification page."""

from supplychain.models import BackgroundJob
from supplychain.services.evaluation import exports
from tests.factories import gen_category, gen_supplier
from tests.report_factories import gen_final_evaluation
from tests.web.access import ROLES, STAFF, allow

EXPORTERS = ("reviewer", "procurement", "admin")  # auditors are read-only: they start no exports

EVERYONE = {role: 200 for role in ROLES}

RULES = {
    "reports.index": {
        "GET": allow(STAFF),
        "POST": allow(EXPORTERS, ok=200),
    },  # POST without a period: form errors; auditors (read-only) start no exports
    "reports.job": {"GET": allow(STAFF)},
    "reports.download": {"GET": allow(STAFF, ok=404)},  # the sample export found nothing: no file
    "reports.retry": {"POST": allow(EXPORTERS, ok=302)},
    # Supplier users may open their own scorecards; the sample belongs to another supplier.
    "reports.scorecard_pdf": {"GET": {**allow(STAFF), "supplier": 404}},
    "disclosure.index": {"GET": allow(STAFF)},
    "disclosure.figure": {"GET": allow(STAFF)},
    "disclosure.export": {"GET": allow(STAFF)},
    "verify.form": {"GET": EVERYONE},
    "verify.code": {"GET": EVERYONE},  # an unknown code: the page says it does not verify
}


def sample(session) -> dict:
    """A final evaluation of another supplier, a finished empty export, a disclosure year and figure."""
    gen_category(session, "equipment", "设备", "Equipment")
    supplier = gen_supplier(session, status="qualified", name_zh="访问测试记分卡供应商有限公司")
    evaluation = gen_final_evaluation(session, supplier, year=2024)
    job = BackgroundJob(
        kind=exports.KIND,
        params={"period": "2019"},
        status="finished",
        attempts=1,
        progress_done=0,
        progress_total=0,
        result={"count": 0, "empty": True, "failures": []},
    )
    session.add(job)
    session.flush()
    return {
        "final_evaluation_id": evaluation.id,
        "export_id": job.id,
        "report_year": 2024,
        "figure_code": "KPI.total_suppliers",
        "file_format": "csv",
        "scorecard_code": "AAAAA-BBBBB",
    }
