"""Every key, action and coded value the app writes to the audit log reads in words in Chinese (simplified and
traditional) and English: no field shown by its key, no action as "<verb><record key>", no status, kind or
reason as its key. The lists are what the app logged in a run of the service and web tests (audit.record,
audit.insert_entries and the importers' rows); a new key needs its label in supplychain/audit_labels.py."""

from __future__ import annotations

import re

import pytest

from supplychain.audit_labels import action_label, change_text, field_label

#: Every record type and action the app logs (from a run of the service and web tests) with the keys it logs.
WRITTEN = {
    "action_request/approve": ["status"],
    "action_request/request": ["kind", "reason", "status"],
    "annual_certificate/issue": ["evaluation_id", "kind"],
    "annual_certificate/reissue": ["evaluation_id", "kind"],
    "annual_certificate/revoke": ["revoked_on"],
    "api_client/create": ["active", "name", "organisation_id", "rate_limit", "scopes"],
    "api_client/revoke": ["active"],
    "api_client/rotate": ["token_prefix"],
    "audit/close": ["closed_on", "status"],
    "audit/create": ["actual_on", "auditors", "kind", "organisation_id", "planned_on", "status", "summary",
        "template_id"],
    "audit/results": ["results", "score"],
    "audit/update": ["actual_on", "status"],
    "audit_finding/create": ["corrective_action_id", "description", "dimension", "impact", "severity"],
    "blacklist_entry/create": ["company_name", "credit_code", "decided_by", "note", "reason", "since_on",
        "social_noncompliance", "supplier_id", "terminated_on", "until_on"],
    "blacklist_entry/lift": ["lift_reason", "lifted_at", "lifted_by_id"],
    "campaign/close": ["status"],
    "campaign/consequence": ["consequence"],
    "campaign/create": ["due_on", "overdue_consequence", "questionnaire", "recipients", "selection", "title"],
    "campaign/invite": ["invited"],
    "campaign/remind": ["reminded"],
    "campaign/respond": ["response_id"],
    "campaign/update": ["description", "due_on", "title"],
    "category/create": ["active", "code", "name_en", "name_zh", "requires_trial", "risk_level"],
    "category/update": ["name_en", "name_zh", "risk_level"],
    "category_requirement/update": ["certificates", "pledges"],
    "certification/create": ["attachment_id", "cert_type", "created_by_id", "expires_on", "issued_on", "issuer",
        "number", "scope"],
    "certification/delete": ["attachment_id", "cert_type", "expires_on", "issued_on", "issuer", "number",
        "other_name", "scope", "verification_method", "verified_by_id", "verified_on"],
    "certification/update": ["expires_on", "issued_on", "issuer", "scope", "verification_method", "verified_by_id",
        "verified_on"],
    "certification/verify": ["verification_method", "verified_by_id", "verified_on"],
    "change_request/approve": ["status"],
    "change_request/reject": ["status"],
    "change_request/request": ["credit_code", "name_en", "name_zh"],
    "checklist_template/create": ["code", "items", "name_zh", "version"],
    "corrective_action/create": ["action", "campaign_id", "due_on", "evaluation_id", "incident_id",
        "organisation_id", "owner", "status"],
    "corrective_action/delete": ["action", "due_on", "evaluation_id", "evidence_attachment_id", "incident_id",
        "organisation_id", "owner", "status", "submission_note", "submitted_on", "verification_note",
        "verified_by_id", "verified_on"],
    "corrective_action/reject": ["status", "verification_note"],
    "corrective_action/submit": ["evidence_attachment_id", "status", "submission_note", "submitted_on"],
    "corrective_action/update": ["action", "organisation_id", "owner"],
    "corrective_action/verify": ["status", "verification_note", "verified_by_id", "verified_on"],
    "disclosure_figure/create": ["code", "entered_by", "kind", "organisation_id", "reason", "source", "value",
        "year"],
    "disclosure_figure/delete": ["code", "entered_by", "kind", "organisation_id", "reason", "source", "value",
        "year"],
    "disclosure_figure/update": ["reason", "value"],
    "disclosure_narrative/create": ["text"],
    "disclosure_narrative/delete": ["text"],
    "disclosure_narrative/update": ["text"],
    "disclosure_publication/create": ["B5.1.local.share", "B5.1.total", "GRI.308-1.new", "KPI.total_suppliers",
        "_settings"],
    "disclosure_publication/update": [],
    "evaluation/approve": ["level", "status"],
    "evaluation/cancel": ["status"],
    "evaluation/create": ["kind", "period", "scheme"],
    "evaluation/return": ["level", "status"],
    "evaluation/score": ["after_sales", "capacity", "contract_compliance", "delivery_capability",
        "environmental_compliance", "on_time_delivery", "price_competitiveness", "process_capability",
        "qualification_scope", "quality_acceptance", "quality_control", "safety_management",
        "service_responsiveness", "trial_supply"],
    "evaluation/submit": ["grade", "status", "total"],
    "evaluation/trial": ["trial_outcome"],
    "evaluation_history/create": ["grade", "imported_by_id", "period", "source", "total", "year"],
    "evidence_import/import": ["created", "kind", "rows", "scans"],
    "import_mapping/create": ["mapping"],
    "incident/close": ["closed_on", "status"],
    "incident/create": ["category", "description", "occurred_on", "organisation_id", "severity", "source",
        "status"],
    "incident/delete": ["category", "closed_on", "description", "occurred_on", "organisation_id", "severity",
        "source", "status"],
    "incident/update": ["closed_on", "description", "organisation_id", "source", "status"],
    "integrity_screening/screening": ["checked_on", "on_dishonest_list"],
    "invitation/accept": ["used_at"],
    "invitation/create": ["email", "expires_at", "grants_admin", "name"],
    "invitation/revoke": ["revoked_at"],
    "notification_setting/update": ["email_mode"],
    "organisation/close": ["closed_on"],
    "organisation/create": ["code", "home_province", "kind", "name_en", "name_zh", "opened_on", "parent_code"],
    "organisation/move": ["name_en", "name_zh", "parent_code"],
    "organisation/reopen": ["closed_on"],
    "organisation/update": ["code", "home_province", "name_en", "name_zh", "parent_code"],
    "organisation_import/import": ["created", "rows", "unchanged", "updated"],
    "pledge/create": ["attachment_id", "created_by_id", "kind", "method", "organisation_id", "signatory_name",
        "signatory_title", "signed_on", "template_id", "text_sha256", "valid_until"],
    "pledge/delete": ["attachment_id", "kind", "method", "organisation_id", "signatory_name", "signatory_title",
        "signed_on", "template_id", "text_sha256", "valid_until"],
    "pledge/sign": ["kind", "method", "organisation_id", "signatory_name", "signatory_title", "signed_on",
        "template_id", "text_sha256"],
    "pledge_template/create": ["effective_on", "kind", "text_en", "text_zh", "title_en", "title_zh", "version"],
    "pledge_template/update": ["text_zh", "title_en", "title_zh"],
    "purchase_rules/update": ["no_relationship", "overdue_corrective_actions"],
    "receipt_batch/import": ["created", "received", "unchanged"],
    "region_risk/create": ["area", "level"],
    "risk_scoring/update": ["high_from", "medium_from", "weight_category", "weight_expired_licences",
        "weight_incidents", "weight_region", "weight_single_source", "weight_spend_share"],
    "risk_tier_setting/create": ["audit_interval_months", "rescreen_interval_months"],
    "saq_question/delete": ["code", "questionnaire"],
    "saq_question/save": ["code", "questionnaire"],
    "saq_questionnaire/create": ["copied_from", "version"],
    "saq_questionnaire/publish": ["status"],
    "saq_questionnaire/update": ["title_en", "title_zh"],
    "saq_response/create": ["questionnaire"],
    "saq_response/review": ["status", "total_score"],
    "saq_response/save": ["answers"],
    "saq_response/submit": ["answers"],
    "scheme/create": ["code", "version"],
    "screening_import/import": ["created", "rows"],
    "screening_result/screening": ["checked_on", "list_code", "note", "result", "source_reference"],
    "spend_batch/import": ["created", "months", "unchanged"],
    "supplier/create": ["address", "category_codes", "city", "contact_list", "country", "credit_code",
        "legal_representative", "name_en", "name_zh", "province_code", "region", "registered_on", "status",
        "supplier_type"],
    "supplier/qualification": ["category_id", "status"],
    "supplier/risk_tier": ["risk_score", "risk_tier"],
    "supplier/status": ["effective_on", "status", "status_since"],
    "supplier/update": ["address", "category_codes", "city", "contact_list", "legal_representative", "name_en",
        "name_zh", "registered_on", "supplier_type"],
    "supplier_import/import": ["blank_erases", "created", "deferred_checks", "migration", "reason", "rows",
        "statuses", "unchanged", "updated"],
    "supplier_relationship/create": ["buyer_id", "category_codes", "organisation_id", "planned_until_on",
        "since_on", "status", "supplier_id"],
    "supplier_relationship/status": ["status", "until_on"],
    "supplier_relationship/update": ["planned_until_on"],
    "supply_chain_policy/create": ["attachment_id", "effective_on", "number", "title_en", "title_zh"],
    "supply_chain_policy/update": ["effective_on", "ended_on", "number", "superseded_by_id"],
    "training_attendance/create": ["completed", "head_count", "names", "session_id", "supplier_id"],
    "training_attendance/delete": ["completed", "head_count", "names", "session_id", "supplier_id"],
    "training_session/create": ["held_on", "hours", "mode", "organisation_id", "organiser", "title", "topic"],
    "training_session/delete": ["held_on", "hours", "mode", "organisation_id", "organiser", "title", "topic"],
    "training_session/update": ["organisation_id", "organiser", "title"],
    "user/create": ["active", "email", "locale", "name", "organisation_id", "role", "supplier_id"],
    "user/login": [],
    "user/login_failed": ["email"],
    "user/login_refused": [],
    "user/logout": [],
    "user/update": ["active", "email", "name", "password"],
}


#: Logged values that are keys, by (record type, action where it matters, field).
CODED = [
    ("action_request", "", "kind", "blacklist"),
    ("action_request", "", "kind", "status"),
    ("action_request", "", "reason", "bribery"),
    ("action_request", "approve", "status", "approved"),
    ("action_request", "approve", "status", "pending"),
    ("action_request", "request", "status", "suspended"),
    ("annual_certificate", "", "kind", "excellent"),
    ("annual_certificate", "", "kind", "qualified"),
    ("audit", "", "kind", "admission_visit"),
    ("audit", "", "kind", "periodic"),
    ("audit", "", "kind", "site_hse"),
    ("audit", "", "kind", "unannounced"),
    ("audit", "", "results", {"1": "pass", "2": "fail", "3": "na"}),
    ("audit", "", "results", {"1": "pass", "2": "fail", "3": "pass"}),
    ("audit", "", "results", {}),
    ("audit", "", "status", "closed"),
    ("audit", "", "status", "held"),
    ("audit", "", "status", "planned"),
    ("audit_finding", "", "dimension", "environmental"),
    ("audit_finding", "", "dimension", "social"),
    ("audit_finding", "", "impact", "actual"),
    ("audit_finding", "", "impact", "potential"),
    ("audit_finding", "", "severity", "critical"),
    ("audit_finding", "", "severity", "major"),
    ("audit_finding", "", "severity", "minor"),
    ("blacklist_entry", "", "reason", "bribery"),
    ("blacklist_entry", "", "reason", "illegal_labour"),
    ("blacklist_entry", "", "reason", "quality_failure"),
    ("campaign", "", "consequence", "conditional"),
    ("campaign", "", "consequence", "corrective_action"),
    ("campaign", "", "overdue_consequence", "corrective_action"),
    ("campaign", "", "overdue_consequence", "none"),
    ("campaign", "", "selection", {"region": "southwest"}),
    ("campaign", "", "selection", {"tier": "high"}),
    ("campaign", "", "selection", {}),
    ("campaign", "", "status", "closed"),
    ("campaign", "", "status", "open"),
    ("category", "", "risk_level", "high"),
    ("category", "", "risk_level", "low"),
    ("category", "", "risk_level", "medium"),
    ("category_requirement", "", "certificates", ["safety_production_licence"]),
    ("category_requirement", "", "certificates", []),
    ("category_requirement", "", "pledges", ["integrity", "wage_guarantee"]),
    ("category_requirement", "", "pledges", ["integrity"]),
    ("category_requirement", "", "pledges", []),
    ("certification", "", "cert_type", "iso14001"),
    ("certification", "", "cert_type", "iso45001"),
    ("certification", "", "verification_method", "cnca_register"),
    ("certification", "", "verification_method", "original_seen"),
    ("change_request", "", "status", "approved"),
    ("change_request", "", "status", "pending"),
    ("change_request", "", "status", "rejected"),
    ("corrective_action", "", "status", "open"),
    ("corrective_action", "", "status", "submitted"),
    ("corrective_action", "", "status", "verified"),
    ("disclosure_figure", "", "code", "KPI.rejected_social"),
    ("disclosure_figure", "", "code", "KPI.suppliers_reviewed"),
    ("disclosure_figure", "", "kind", "baseline"),
    ("disclosure_figure", "", "kind", "restatement"),
    ("disclosure_figure", "", "kind", "target"),
    ("disclosure_publication", "", "_settings", "in_supply_chain/1"),
    ("evaluation", "", "kind", "admission"),
    ("evaluation", "", "kind", "periodic"),
    ("evaluation", "", "status", "cancelled"),
    ("evaluation", "", "status", "draft"),
    ("evaluation", "", "status", "final"),
    ("evaluation", "", "status", "submitted"),
    ("evaluation", "", "trial_outcome", "failed"),
    ("evaluation", "", "trial_outcome", "passed"),
    ("evidence_import", "", "kind", "certificates"),
    ("evidence_import", "", "kind", "evaluations"),
    ("evidence_import", "", "kind", "pledges"),
    ("evidence_import", "", "kind", "training"),
    ("incident", "", "category", "environmental"),
    ("incident", "", "category", "labour"),
    ("incident", "", "category", "quality"),
    ("incident", "", "category", "safety"),
    ("incident", "", "severity", "critical"),
    ("incident", "", "severity", "major"),
    ("incident", "", "severity", "minor"),
    ("incident", "", "status", "closed"),
    ("incident", "", "status", "open"),
    ("notification_setting", "", "email_mode", "digest"),
    ("notification_setting", "", "email_mode", "immediate"),
    ("notification_setting", "", "email_mode", "off"),
    ("organisation", "", "home_province", "140000"),
    ("organisation", "", "home_province", "440000"),
    ("organisation", "", "kind", "group"),
    ("organisation", "", "kind", "project"),
    ("organisation", "", "kind", "subsidiary"),
    ("pledge", "", "kind", "anti_bribery"),
    ("pledge", "", "kind", "clean_government"),
    ("pledge", "", "kind", "code_of_conduct"),
    ("pledge", "", "kind", "integrity"),
    ("pledge", "", "kind", "wage_guarantee"),
    ("pledge", "", "method", "paper"),
    ("pledge", "", "method", "portal"),
    ("pledge_template", "", "kind", "clean_government"),
    ("purchase_rules", "", "no_relationship", "block"),
    ("purchase_rules", "", "no_relationship", "warn"),
    ("purchase_rules", "", "overdue_corrective_actions", "block"),
    ("purchase_rules", "", "overdue_corrective_actions", "warn"),
    ("region_risk", "", "area", "RU"),
    ("region_risk", "", "area", "VN"),
    ("region_risk", "", "level", "high"),
    ("region_risk", "", "level", "medium"),
    ("saq_questionnaire", "", "status", "draft"),
    ("saq_questionnaire", "", "status", "published"),
    ("saq_response", "", "status", "clarification"),
    ("saq_response", "", "status", "reviewed"),
    ("saq_response", "", "status", "submitted"),
    ("screening_result", "", "list_code", "abnormal_operations"),
    ("screening_result", "", "list_code", "environmental_rating"),
    ("screening_result", "", "result", "black"),
    ("screening_result", "", "result", "blue"),
    ("supplier", "", "country", "CN"),
    ("supplier", "", "country", "DE"),
    ("supplier", "", "province_code", "110000"),
    ("supplier", "", "province_code", "120000"),
    ("supplier", "", "region", "east"),
    ("supplier", "", "region", "north"),
    ("supplier", "", "region", "northwest"),
    ("supplier", "", "region", "overseas"),
    ("supplier", "", "region", "south"),
    ("supplier", "", "region", "southwest"),
    ("supplier", "", "risk_tier", "high"),
    ("supplier", "", "risk_tier", "low"),
    ("supplier", "", "risk_tier", "medium"),
    ("supplier", "", "status", "blacklisted"),
    ("supplier", "", "status", "conditional"),
    ("supplier", "", "status", "exited"),
    ("supplier", "", "status", "qualified"),
    ("supplier", "", "status", "registered"),
    ("supplier", "", "status", "rejected"),
    ("supplier", "", "status", "suspended"),
    ("supplier", "", "status", "trial"),
    ("supplier", "", "status", "under_review"),
    ("supplier", "", "supplier_type", "contractor"),
    ("supplier", "", "supplier_type", "distributor"),
    ("supplier", "", "supplier_type", "manufacturer"),
    ("supplier", "", "supplier_type", "service"),
    ("supplier_relationship", "", "status", "active"),
    ("supplier_relationship", "", "status", "ended"),
    ("supplier_relationship", "", "status", "suspended"),
    ("training_session", "", "mode", "online"),
    ("training_session", "", "mode", "onsite"),
    ("training_session", "", "topic", "anti_corruption"),
    ("training_session", "", "topic", "esg"),
    ("training_session", "", "topic", "labour_rights"),
    ("training_session", "", "topic", "quality"),
    ("training_session", "", "topic", "safety"),
    ("user", "", "role", "admin"),
    ("user", "", "role", "auditor"),
    ("user", "", "role", "procurement"),
    ("user", "", "role", "reviewer"),
    ("user", "", "role", "supplier"),
]

# Words allowed in a Chinese label or value: standards, figure codes and acronyms.
ALLOWED = re.compile(r"ISO|IATF|SA|SHA|API|ESG|GRI|KPI|HSE|CNCA|B5|HK")
CHINESE = ({"Accept-Language": "zh-CN"}, {"Accept-Language": "zh-TW"})


def _latin_words(text: str) -> list[str]:
    return [word for word in re.findall(r"[A-Za-z]{2,}", text) if not ALLOWED.fullmatch(word)]


@pytest.mark.parametrize("headers", CHINESE)
def test_every_logged_action_and_key_has_a_chinese_name(app, headers):
    with app.test_request_context(headers=headers):
        for written, keys in WRITTEN.items():
            entity_type, action = written.split("/")
            assert not _latin_words(action_label(action, entity_type)), written
            for key in keys:
                assert not _latin_words(field_label(key, entity_type)), (written, key, field_label(key, entity_type))


def test_every_logged_key_has_an_english_name(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for written, keys in WRITTEN.items():
            entity_type, action = written.split("/")
            assert "_" not in action_label(action, entity_type), written
            for key in keys:
                label = field_label(key, entity_type)
                assert "_" not in label and label != key.replace("_", " "), (written, key)


@pytest.mark.parametrize("headers", CHINESE)
def test_every_logged_key_value_reads_in_chinese(app, headers):
    with app.test_request_context(headers=headers):
        for entity_type, action, field, value in CODED:
            text = change_text(field, value, entity_type, action=action or None)
            assert not _latin_words(text), (entity_type, field, value, text)


def test_every_logged_key_value_reads_in_english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for entity_type, action, field, value in CODED:
            text = change_text(field, value, entity_type, action=action or None)
            keys = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
            assert not any("_" in str(key) and str(key) in text for key in keys), (entity_type, field, value, text)


def test_the_log_names_campaign_and_relationship_keys_as_their_pages_do(app):
    """audit_labels repeats these words (a label module imports no view): the same in every language."""
    from supplychain import audit_labels
    from supplychain.views import relationships
    from supplychain.views.risk import campaigns

    pairs = ((audit_labels.CAMPAIGN_STATUS_LABELS, campaigns.CAMPAIGN_STATUS_LABELS),
             (audit_labels.CONSEQUENCE_LABELS, campaigns.CONSEQUENCE_LABELS),
             (audit_labels.RELATIONSHIP_STATUS_LABELS, relationships.RELATIONSHIP_STATUS_LABELS))
    for headers in ({"Accept-Language": "en"}, *CHINESE):
        with app.test_request_context(headers=headers):
            for ours, theirs in pairs:
                assert {k: str(v) for k, v in ours.items()} == {k: str(v) for k, v in theirs.items()}


def test_risk_levels_and_statuses_read_as_the_pages_show_them(app):
    """A risk level or tier by the risk pages' words ("Medium risk"), a status with a capital ("Active")."""
    from supplychain.services.risk.reasons import TIER_LABELS

    for headers in ({"Accept-Language": "en"}, *CHINESE):
        with app.test_request_context(headers=headers):
            for entity_type, field in (("region_risk", "level"), ("category", "risk_level"),
                                       ("supplier", "risk_tier"), ("supplier", "tier")):
                assert change_text(field, "medium", entity_type) == str(TIER_LABELS["medium"]), (headers, field)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert change_text("level", "medium", "region_risk") == "Medium risk"
        assert change_text("status", "active", "supplier_relationship") == "Active"
        assert change_text("status", "suspended", "supplier_relationship") == "Suspended"
        assert change_text("level", 2, "evaluation") == "2"  # an approval step stays a number


def test_the_filter_options_never_repeat_a_label(app):
    from supplychain.audit_labels import ACTION_LABELS, ENTITY_LABELS, FILTER_SYNONYMS, filter_keys, filter_options

    for headers in ({"Accept-Language": "en"}, *CHINESE):
        with app.test_request_context(headers=headers):
            for labels in (ENTITY_LABELS, ACTION_LABELS):
                options = filter_options(labels, labels)
                keys = [key for key, _label in options]
                assert keys == sorted(set(labels) - set(FILTER_SYNONYMS))
                shown = [label for _key, label in options]
                assert len(shown) == len(set(shown)), (headers, shown)
    for alias, key in FILTER_SYNONYMS.items():
        assert alias in ENTITY_LABELS or alias in ACTION_LABELS
        assert key in ENTITY_LABELS or key in ACTION_LABELS
        assert alias in filter_keys(key)
    # A log holding only the older key still offers the meaning, under the key that filters both.
    assert filter_options(["approved"], ACTION_LABELS) == [("approve", str(ACTION_LABELS["approve"]))]
