"""Scoring schemes, evaluations, screening, annual certificates and dual sourcing."""

from tests.evaluation_factories import SETTINGS, TODAY, approve_all, gen_good_evidence, gen_submitted
from tests.factories import gen_supplier
from tests.web.access import EDITORS, ROLES, STAFF, allow

APPROVERS = ("reviewer", "admin")
ADMIN = ("admin",)
FORM = {200}  # a re-rendered form with its errors

RULES = {
    "evaluations.index": {"GET": allow(STAFF)},
    "evaluations.create": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    "evaluations.bulk": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    "evaluations.view": {"GET": allow(STAFF)},
    "evaluations.edit": {"GET": allow(EDITORS, ok={200, 302}), "POST": allow(EDITORS, ok=200)},
    # Posted with a CSRF token only: the missing lock version is a conflict, so nothing changes.
    "evaluations.submit": {"POST": allow(EDITORS, ok=302)},
    "evaluations.cancel": {"POST": allow(EDITORS, ok=302)},
    "evaluations.trial": {"POST": allow(EDITORS, ok=302)},
    "evaluations.approve": {"POST": allow(APPROVERS, ok=302)},
    "evaluations.reject": {"POST": allow(APPROVERS, ok=302)},
    "evaluations.screening_form": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    "evaluations.certificate_pdf": {"GET": allow(STAFF)},
    # Printed on the certificate for anyone to check, logged in or not.
    "evaluations.verify_certificate": {"GET": {role: 200 for role in ROLES}},
    "evaluations.dual_sourcing": {"GET": allow(STAFF)},
    "schemes.index": {"GET": allow(STAFF)},
    "schemes.view": {"GET": allow(STAFF)},
    "schemes.edit": {"GET": allow(ADMIN), "POST": allow(ADMIN, ok=200)},
}


def sample(session) -> dict:
    """A draft evaluation, an annual certificate from a final one, a stored scheme version."""
    from supplychain.models import Evaluation
    from supplychain.services.evaluation import evaluations

    supplier = gen_supplier(session, status="qualified", name_zh="访问测试评价供应商有限公司")
    gen_good_evidence(session, supplier)
    final = approve_all(
        session, gen_submitted(session, supplier=supplier, value=85, period=("year", 2025, 1))
    )
    from supplychain.models import AnnualCertificate

    certificate = session.query(AnnualCertificate).filter_by(evaluation_id=final.id).one()
    draft_data = evaluations.NewEvaluation(
        supplier.id, "periodic", supplier.categories[0].id, "quarter", 2026, 1
    )
    draft = evaluations.create_evaluation(session, draft_data, final.created_by, TODAY)
    assert isinstance(draft, Evaluation) and SETTINGS
    return {
        "evaluation_id": draft.id,
        "certificate_id": certificate.id,
        "verification_code": certificate.verification_code,
        "version_id": final.scheme_version_id,
        "scheme_kind": "periodic",
    }
