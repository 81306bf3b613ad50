"""Translatable labels for the stored keys of the evidence records (kinds, types, statuses, reasons)."""

from flask_babel import lazy_gettext as _l

from supplychain.labels import label_lookup

PLEDGE_KIND_LABELS = {
    "integrity": _l("Integrity pledge"),
    "clean_government": _l("Clean-government responsibility letter"),
    "anti_bribery": _l("Anti-commercial-bribery pledge"),
    "code_of_conduct": _l("Supplier code of conduct"),
    "wage_guarantee": _l("Migrant-worker wage payment guarantee"),
}
# "paper" says nothing of a scan: an imported pledge may have none (its scan, if any, is shown beside it).
PLEDGE_METHOD_LABELS = {"paper": _l("Paper original"), "portal": _l("Signed in the portal")}
PLEDGE_STATUS_LABELS = {"valid": _l("In force"), "expired": _l("Expired"), "missing": _l("Missing")}
CERT_TYPE_LABELS = {
    "iso9001": _l("ISO 9001 quality management"),
    "iso14001": _l("ISO 14001 environmental management"),
    "iso45001": _l("ISO 45001 occupational health and safety"),
    "iso50001": _l("ISO 50001 energy management"),
    "iso27001": _l("ISO 27001 information security"),
    "iso14064": _l("ISO 14064 greenhouse gas verification"),
    "iatf16949": _l("IATF 16949 automotive quality"),
    "sa8000": _l("SA8000 social accountability"),
    "production_licence": _l("Production licence"),
    "safety_production_licence": _l("Safety production licence"),
    "pollutant_permit": _l("Pollutant discharge permit / environmental service qualification"),
    "other": _l("Other certificate"),
}
CERT_STATUS_LABELS = {
    "valid": _l("Valid"), "expiring": _l("Expiring"), "expired": _l("Expired"),
    "unverified": _l("Unverified"),
}
VERIFICATION_LABELS = {
    "original_seen": _l("Original seen"),
    "issuer_register": _l("Checked in the issuer's register"),
    "cnca_register": _l("Checked in the national CNCA register"),
    "other": _l("Other check"),
}
TOPIC_LABELS = {
    "esg": _l("ESG and social responsibility"), "safety": _l("Safety production"),
    "environment": _l("Environment"), "anti_corruption": _l("Anti-corruption and integrity"),
    "labour_rights": _l("Labour rights"), "quality": _l("Quality"), "induction": _l("Site safety induction"),
    "other": _l("Other topic"),
}
MODE_LABELS = {"onsite": _l("On site"), "online": _l("Online")}
INCIDENT_CATEGORY_LABELS = {
    "environmental": _l("Environmental"), "labour": _l("Labour"), "safety": _l("Safety"),
    "ethics": _l("Ethics and bribery"), "quality": _l("Quality incident"),
}
SEVERITY_LABELS = {"minor": _l("Minor"), "major": _l("Major"), "critical": _l("Critical")}
INCIDENT_STATUS_LABELS = {"open": _l("Open"), "closed": _l("Closed")}
ACTION_STATUS_LABELS = {
    "open": _l("Open"), "submitted": _l("Submitted"), "verified": _l("Verified"), "overdue": _l("Overdue"),
}
BLACKLIST_REASON_LABELS = {
    "bid_rigging": _l("Bid rigging"), "bribery": _l("Bribery"),
    "illegal_labour": _l("Illegal labour practice"),
    "environmental_incident": _l("Environmental incident"), "fraud": _l("Fraud"),
    "quality_failure": _l("Serious quality failure"), "other": _l("Other reason"),
}
BADGES = {
    "valid": "success", "expiring": "warning", "expired": "danger", "unverified": "secondary",
    "missing": "danger", "open": "info", "submitted": "primary", "verified": "success", "overdue": "danger",
    "closed": "secondary", "minor": "secondary", "major": "warning", "critical": "danger",
}
GROUPS = {
    "pledge_kind": PLEDGE_KIND_LABELS, "pledge_method": PLEDGE_METHOD_LABELS,
    "pledge_status": PLEDGE_STATUS_LABELS, "cert_type": CERT_TYPE_LABELS, "cert_status": CERT_STATUS_LABELS,
    "verification": VERIFICATION_LABELS, "topic": TOPIC_LABELS, "mode": MODE_LABELS,
    "incident_category": INCIDENT_CATEGORY_LABELS, "severity": SEVERITY_LABELS,
    "incident_status": INCIDENT_STATUS_LABELS, "action_status": ACTION_STATUS_LABELS,
    "blacklist_reason": BLACKLIST_REASON_LABELS,
}

label, badge = label_lookup(GROUPS, BADGES)


def choices(group: str) -> list[tuple[str, str]]:
    """(key, label) pairs for a select field."""
    return list(GROUPS[group].items())
