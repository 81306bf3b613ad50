"""Translatable labels for the stored keys of audits and inspections (kinds, statuses, findings, the plan)."""

from flask_babel import lazy_gettext as _l

from supplychain.labels import label_lookup
from supplychain.services.risk.reasons import TIER_LABELS

AUDIT_KIND_LABELS = {
    "admission_visit": _l("Admission site visit"),
    "periodic": _l("Periodic audit"),
    "unannounced": _l("Unannounced inspection"),
    "third_party": _l("Third-party audit"),
    "site_hse": _l("Project-site HSE inspection"),
}
AUDIT_STATUS_LABELS = {"planned": _l("Planned"), "held": _l("Held"), "closed": _l("Closed")}
CHECKLIST_RESULT_LABELS = {"pass": _l("Pass"), "fail": _l("Fail"), "na": _l("Not applicable")}
FINDING_DIMENSION_LABELS = {"environmental": _l("Environmental"), "social": _l("Social")}
FINDING_IMPACT_LABELS = {"actual": _l("Actual impact"), "potential": _l("Potential impact")}
PLAN_STATE_LABELS = {"overdue": _l("Overdue"), "due": _l("Due"), "planned": _l("Planned"), "ok": _l("Not due")}
BADGES = {
    "planned": "info", "held": "primary", "closed": "secondary", "pass": "success", "fail": "danger",
    "na": "secondary", "overdue": "danger", "due": "warning", "ok": "success", "high": "danger",
    "medium": "warning", "low": "success", "actual": "dark", "potential": "warning",
}
GROUPS = {
    "audit_kind": AUDIT_KIND_LABELS, "audit_status": AUDIT_STATUS_LABELS, "checklist_result": CHECKLIST_RESULT_LABELS,
    "finding_dimension": FINDING_DIMENSION_LABELS, "finding_impact": FINDING_IMPACT_LABELS,
    "plan_state": PLAN_STATE_LABELS, "tier": TIER_LABELS,
}

label, badge = label_lookup(GROUPS, BADGES)
