"""Translatable labels for the portal's stored keys: questionnaire sections and types, statuses."""

from flask_babel import lazy_gettext as _l

from supplychain.labels import label_lookup

THEME_LABELS = {
    "environment": _l("Environment"),
    "labour_human_rights": _l("Labour and human rights"),
    "health_safety": _l("Health and safety"),
    "business_ethics": _l("Business ethics"),
    "management_systems": _l("Management systems"),
    "sustainable_procurement": _l("Sustainable procurement"),
}
QUESTION_TYPE_LABELS = {
    "yes_no": _l("Yes / no"), "single": _l("Single choice"), "multiple": _l("Multiple choice"),
    "number": _l("Numeric answer"), "text": _l("Free text"), "file": _l("File evidence"),
}
QUESTIONNAIRE_STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "retired": _l("Retired")}
RESPONSE_STATUS_LABELS = {
    "draft": _l("Draft"), "submitted": _l("Submitted, under review"),
    "clarification": _l("Clarification requested"), "reviewed": _l("Reviewed"),
}
REVIEW_STATE_LABELS = {
    "pending": _l("Waiting for review"), "accepted": _l("Accepted"),
    "clarification": _l("Clarification requested"),
}
INVITATION_STATUS_LABELS = {
    "pending": _l("Pending"), "used": _l("Accepted"), "revoked": _l("Withdrawn"), "expired": _l("Expired"),
}
CHANGE_REQUEST_STATUS_LABELS = {"pending": _l("Waiting for procurement"), "approved": _l("Approved"),
                                "rejected": _l("Change rejected")}  # not 未准入, a supplier status
CHANGE_FIELD_LABELS = {"name_zh": _l("Legal name (Chinese)"), "name_en": _l("English name"),
                       "credit_code": _l("Unified Social Credit Code")}
BADGES = {
    "draft": "secondary", "published": "success", "retired": "dark", "submitted": "primary",
    "clarification": "warning", "reviewed": "success", "pending": "info", "accepted": "success",
    "used": "success", "revoked": "dark", "expired": "secondary", "approved": "success", "rejected": "danger",
}
GROUPS = {
    "theme": THEME_LABELS, "qtype": QUESTION_TYPE_LABELS, "questionnaire_status": QUESTIONNAIRE_STATUS_LABELS,
    "response_status": RESPONSE_STATUS_LABELS, "review_state": REVIEW_STATE_LABELS,
    "invitation_status": INVITATION_STATUS_LABELS, "change_status": CHANGE_REQUEST_STATUS_LABELS,
    "change_field": CHANGE_FIELD_LABELS,
}

label, badge = label_lookup(GROUPS, BADGES)


def install(state) -> None:
    """Make the labels available to every template (each portal blueprint registers it once)."""
    state.app.jinja_env.globals.update(pt_label=label, pt_badge=badge)
