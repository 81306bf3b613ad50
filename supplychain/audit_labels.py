"""The audit trail in words: actions, record types, field names and values in the reader's language.

The log stores keys ("update", "supplier", "on_dishonest_list", True, ISO timestamps) so that it
stays a faithful record; everything a person reads goes through these functions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from supplychain import clock
from supplychain.clock import moment_text

ACTION_LABELS = {
    "create": _l("created"), "update": _l("changed"), "delete": _l("deleted"), "import": _l("imported"),
    "verify": _l("verified"), "submit": _l("submitted"), "approve": _l("approved"), "reject": _l("rejected"),
    "return": _l("returned"), "cancel": _l("cancelled"), "finalise": _l("finalised"), "sign": _l("signed"),
    "lift": _l("lifted"), "accept": _l("accepted"), "revoke": _l("withdrawn"), "request": _l("requested"),
    "review": _l("reviewed"), "publish": _l("published"), "save": _l("saved"), "status": _l("status changed"),
    "close": _l("closed"), "issue": _l("issued"), "login": _l("logged in"), "pending": _l("pending"),
    "approved": _l("approved"), "rejected": _l("rejected"), "screen": _l("screened"), "trial": _l("trial recorded"),
    "consequence": _l("consequence applied"), "score": _l("scored"), "screening": _l("recorded"),
    "respond": _l("responded"), "withdraw": _l("withdrawn"),
    "login_failed": _l("login failed"), "login_refused": _l("login refused"), "logout": _l("logged out"),
    "move": _l("moved"), "reopen": _l("reopened"), "qualification": _l("qualification changed"),
    "rotate": _l("token renewed"),
    "risk_tier": _l("risk tier changed"), "results": _l("checklist answered"),
    "invite": _l("invited"), "remind": _l("reminded"), "reissue": _l("reissued"),
}
ENTITY_LABELS = {
    "supplier": _l("supplier"), "user": _l("user account"), "category": _l("supply category"),
    "certification": _l("certificate"), "pledge": _l("integrity pledge"), "pledge_template": _l("pledge template"),
    "training": _l("training session"), "training_attendance": _l("training attendance"),
    "incident": _l("incident"), "corrective_action": _l("corrective action"),
    "blacklist_entry": _l("blacklist entry"), "evaluation": _l("evaluation"), "scheme": _l("scoring scheme"),
    "screening": _l("integrity screening"), "annual_certificate": _l("annual supplier certificate"),
    "invitation": _l("portal invitation"), "change_request": _l("change request"),
    "saq_response": _l("self-assessment"), "saq_questionnaire": _l("questionnaire"),
    "saq_question": _l("questionnaire question"), "supplier_import": _l("supplier import"),
    "category_requirement": _l("category requirement"), "integrity_screening": _l("integrity screening"),
    "attachment": _l("attachment"), "organisation": _l("organisation"),
    "supplier_relationship": _l("supplier relationship"), "organisation_import": _l("organisation import"),
    "api_client": _l("API client"), "spend_batch": _l("spend batch"), "receipt_batch": _l("receipt batch"),
    "scorecard": _l("scorecard"), "export_job": _l("scorecard export"), "disclosure": _l("disclosure"),
    "risk_scoring": _l("risk weights and thresholds"), "region_risk": _l("region risk"),
    "risk_tier_setting": _l("risk tier setting"),
    "audit": _l("audit"), "audit_finding": _l("audit finding"), "checklist_template": _l("audit checklist"),
    "campaign": _l("questionnaire campaign"),
}
FIELD_LABELS = {
    "name_zh": _l("Chinese name"), "name_en": _l("English name"), "credit_code": _l("Credit code"),
    "country": _l("Country"), "province_code": _l("Province"), "city": _l("City"), "address": _l("Address"),
    "categories": _l("Categories"), "contacts": _l("Contacts"), "status": _l("Status"),
    "registered_on": _l("Registered on"), "supplier_type": _l("Supplier type"),
    "region": _l("Region"), "email": _l("E-mail"), "name": _l("Name"),
    "role": _l("Role"), "active": _l("Active"), "locale": _l("Language"), "supplier_id": _l("Supplier"),
    "on_dishonest_list": _l("On the national dishonest list"),
    "principal_bribery_conviction": _l("Principal convicted of bribery"),
    "cert_type": _l("Type"), "number": _l("Number"), "issuer": _l("Issuer"), "scope": _l("Scope"),
    "issued_on": _l("Issued on"), "expires_on": _l("Expires on"), "verified_on": _l("Verified on"),
    "kind": _l("Kind"), "signed_on": _l("Signed on"), "signatory": _l("Signatory"), "reason": _l("Reason"),
    "severity": _l("Severity"), "category": _l("Category"), "occurred_on": _l("Date"),
    "description": _l("Description"), "action": _l("Action required"), "owner": _l("Owner"),
    "due_on": _l("Deadline"), "total": _l("Total"), "grade": _l("Grade"), "outcome": _l("Outcome"),
    "comment": _l("Comment"), "level": _l("Level"), "valid_from": _l("Valid from"),
    "valid_until": _l("Valid until"), "hours": _l("Hours"), "head_count": _l("Head count"),
    "integrity_pledge_refused": _l("Integrity pledge refused"), "checked_on": _l("Checked on"),
    "source": _l("Source"), "note": _l("Note"),
    "risk_tier": _l("Risk tier"), "risk_score": _l("Risk score"), "risk_level": _l("Risk level"),
}
# External screening (issue 11 part 4).
ENTITY_LABELS.update(screening_result=_l("screening result"), screening_import=_l("screening import"))
# Records audited since without a name in words (the audit log's type filter lists ENTITY_LABELS).
ENTITY_LABELS.update(action_request=_l("approval request"), disclosure_figure=_l("disclosure figure"),
                     disclosure_narrative=_l("disclosure narrative"), evidence_import=_l("evidence import"),
                     notification_setting=_l("notification setting"), purchase_rules=_l("purchase rules"),
                     supply_chain_policy=_l("supply chain policy"))
# Evaluations, suppliers and relationships (issue 13 audit: no field key left in the trail).
FIELD_LABELS.update(period=_l("Period"), scheme=_l("Scheme"), effective_on=_l("Effective from"),
                    category_codes=_l("Categories"), category_id=_l("Category"), contact_list=_l("Contacts"),
                    buyer_id=_l("Buyer"), since_on=_l("Since"))
FIELD_LABELS.update(list_code=_l("List or check"), result=_l("Result"), source_reference=_l("Source reference"),
                    legal_representative=_l("Legal representative"))
# Risk tiers, campaigns and audits (issue 11): the fields their audit entries log.
FIELD_LABELS.update(
    weight_category=_l("Category risk"), weight_region=_l("Country or region risk"),
    weight_spend_share=_l("Share of spend"), weight_single_source=_l("Single source"),
    weight_incidents=_l("Incident history"), weight_expired_licences=_l("Expired licences"),
    high_from=_l("High risk from (points)"), medium_from=_l("Medium risk from (points)"),
    area=_l("Region or country code"), questionnaire_id=_l("Questionnaire version"),
    audit_interval_months=_l("Audit interval (months)"), rescreen_interval_months=_l("Re-screening interval (months)"),
    title=_l("Title"), questionnaire=_l("Questionnaire"), recipients=_l("Recipients"), selection=_l("Selection"),
    overdue_consequence=_l("Overdue HIGH-tier suppliers"), consequence=_l("Consequence"), invited=_l("Invited"),
    reminded=_l("Reminded"), response_id=_l("Self-assessment"), campaign_id=_l("Questionnaire campaign"),
    organisation_id=_l("Organisation"), planned_on=_l("Planned date"), actual_on=_l("Held on"),
    auditors=_l("Auditors"), template_id=_l("Checklist"), summary=_l("Summary"), closed_on=_l("Closed on"),
    dimension=_l("Environmental or social"), impact=_l("Impact"), corrective_action_id=_l("Corrective action"),
    code=_l("Code"), version=_l("Version"), items=_l("Items, one per line"), evaluation_id=_l("Evaluation"),
    planned_until_on=_l("Planned end of the work"),
)
_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


def report_zone() -> tzinfo:
    """The app's report time zone (REPORT_TIMEZONE, clock.report_zone)."""
    return clock.report_zone(current_app.config.get("REPORT_TIMEZONE"))


def in_report_zone(moment: datetime) -> datetime:
    """A stored timestamp converted to the report time zone (naive ones are UTC, as SQLite returns them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(report_zone())


def local_time(moment: datetime | None, seconds: bool = False) -> str:
    """A stored timestamp in the report time zone, with the zone's offset: "2026-11-27 22:05 +08:00"."""
    if moment is None:
        return ""
    # The same form as the PDFs print (reports.layout.fmt_datetime): "2026-11-27 22:05 +08:00".
    return moment_text(moment, report_zone(), seconds)


def local_date(moment: datetime | date | None) -> str:
    """The day of a stored timestamp in the report time zone (ISO); a date is shown as it is."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    return in_report_zone(moment).date().isoformat()


def action_label(action: str, entity_type: str) -> str:
    """ "supplier changed", "修改供应商": the record type and the action in words."""
    verb = ACTION_LABELS.get(action)
    noun = ENTITY_LABELS.get(entity_type)
    return _("%(record)s %(action)s", action=verb or action, record=noun or entity_type.replace("_", " "))


def entity_label(entity_type: str) -> str:
    """A record type in words."""
    label = ENTITY_LABELS.get(entity_type)
    return str(label) if label is not None else entity_type.replace("_", " ")


def verb_label(action: str) -> str:
    """An action in words."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action.replace("_", " ")


def field_label(name: str) -> str:
    """A field's name in words: its label, else a criterion of the default schemes (a logged score), else the key
    with spaces."""
    label = FIELD_LABELS.get(name)
    if label is not None:
        return str(label)
    return scheme_term(name) or name.replace("_", " ")


def change_pair(change: object) -> tuple[object, object]:
    """A logged change as (before, after): most are [old, new]; some entries log only the value set
    (a status change's "effective_on"), which reads as "— → value", not as its characters."""
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[0], change[1]
    return None, change


def change_text(field: str, value: object, entity_type: str | None = None) -> str:
    """A logged value of a field in words; status keys become their labels (`entity_type` tells an audit's
    kind "periodic" from an evaluation's)."""
    if field == "kind" and entity_type == "audit" and isinstance(value, str):
        from supplychain.inspection_labels import AUDIT_KIND_LABELS

        if value in AUDIT_KIND_LABELS:
            return str(AUDIT_KIND_LABELS[value])
    if field == "status" and isinstance(value, str):
        from supplychain.labels import STATUS_LABELS

        label = STATUS_LABELS.get(value) or _EVALUATION_STATUS.get(value)
        if label is not None:
            return str(label)
    if field in _KEYED_FIELDS and isinstance(value, str):
        label = _keyed_labels(field).get(value)
        if label is not None:
            return str(label)
    if isinstance(value, str) and field in _VALUE_LABELS:
        label = _VALUE_LABELS[field](value)
        if label:
            return label
    if isinstance(value, list) and field in _VALUE_LABELS:
        return ", ".join(_VALUE_LABELS[field](v) or value_text(v) if isinstance(v, str) else value_text(v)
                         for v in value) or "—"
    return value_text(value)


def scheme_term(key: str) -> str | None:
    """A criterion, dimension or grade of the default schemes in words (logged scores and grades use their keys)."""
    from config.schemes import DEFAULT_SCHEMES
    from supplychain.labels import pick_text

    for scheme in DEFAULT_SCHEMES.values():
        for band in scheme.bands:
            if band.key == key:
                return pick_text(band.name_zh, band.name_en)
        for dimension in scheme.dimensions:
            if dimension.key == key:
                return pick_text(dimension.name_zh, dimension.name_en)
            for criterion in dimension.criteria:
                if criterion.key == key:
                    return pick_text(criterion.name_zh, criterion.name_en)
    return None


def _kind(value: str) -> str | None:
    """An evaluation's, pledge's, audit's or annual certificate's kind in words."""
    from supplychain.evidence_labels import PLEDGE_KIND_LABELS
    from supplychain.inspection_labels import AUDIT_KIND_LABELS

    label = {**AUDIT_KIND_LABELS, **PLEDGE_KIND_LABELS, **EVALUATION_KIND_LABELS}.get(value)
    return str(label) if label is not None else scheme_term(value)


def _region_or_country(value: str) -> str | None:
    from supplychain import regions
    from supplychain.labels import country_label, region_label

    if value in regions.REGION_KEYS:
        return region_label(value)
    name = country_label(value.upper())
    return name if name != value.upper() else None


def _screening_list(value: str) -> str | None:
    from supplychain.labels import pick_text
    from supplychain.screening_lists import BY_CODE

    entry = BY_CODE.get(value)
    return pick_text(entry.label_zh, entry.label_en) if entry is not None else None


def _screening_result(value: str) -> str | None:
    from supplychain.labels import pick_text
    from supplychain.screening_lists import RESULT_LABELS

    names = RESULT_LABELS.get(value)
    return pick_text(names[1], names[0]) if names is not None else None


def _from(labels: str):
    def look_up(value: str) -> str | None:
        import importlib

        module, name = labels.rsplit(".", 1)
        label = getattr(importlib.import_module(module), name).get(value)
        return str(label) if label is not None else None

    return look_up


#: Logged values that are keys, in words (issue 13 D9: the audit trail reads in the user's language).
_VALUE_LABELS = {
    "grade": scheme_term, "kind": _kind, "region": _region_or_country, "area": _region_or_country,
    "list_code": _screening_list, "result": _screening_result,
    "supplier_type": _from("supplychain.labels.SUPPLIER_TYPE_LABELS"), "role": _from("forms.users.ROLE_LABELS"),
    "pledge_kind": _kind, "cert_type": _from("supplychain.evidence_labels.CERT_TYPE_LABELS"),
}


#: Logged fields whose values are keys with a label (issue 11: a finding's kind of impact, a risk level).
_KEYED_FIELDS = ("dimension", "impact", "severity", "level", "risk_level", "risk_tier")


def _keyed_labels(field: str) -> dict:
    from supplychain.evidence_labels import SEVERITY_LABELS
    from supplychain.inspection_labels import FINDING_DIMENSION_LABELS, FINDING_IMPACT_LABELS
    from supplychain.services.risk.reasons import LEVEL_LABELS

    return {"dimension": FINDING_DIMENSION_LABELS, "impact": FINDING_IMPACT_LABELS,
            "severity": SEVERITY_LABELS}.get(field, LEVEL_LABELS)


_EVALUATION_STATUS = {
    "draft": _l("Draft"), "submitted": _l("Submitted"), "final": _l("Final"), "returned": _l("Returned"),
    "cancelled": _l("Cancelled"), "open": _l("Open"), "closed": _l("Closed"), "verified": _l("Verified"),
    "active": _l("Active"), "published": _l("Published"),
}
EVALUATION_KIND_LABELS = {"admission": _l("Admission review"), "periodic": _l("Periodic evaluation")}


def value_text(value: object) -> str:
    """A logged value in words: yes/no, "—" for nothing, timestamps in the report zone, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(str(k))}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _ISO_TIMESTAMP.match(text):
        try:
            return local_time(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            return text
    return text


def _has_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def split_bilingual(note: str) -> tuple[str, str] | None:
    """The (Chinese, English) halves of a note written "中文 / English" or "中文 / English 中文 / English";
    None when the note has another shape (it is then shown as written)."""
    parts = note.split(" / ")
    if len(parts) == 2 and _has_cjk(parts[0]) and not _has_cjk(parts[1]):
        return parts[0].strip(), parts[1].strip()
    if len(parts) == 3 and _has_cjk(parts[0]) and not _has_cjk(parts[2]):
        middle = parts[1]
        cut = next((i for i, ch in enumerate(middle) if _has_cjk(ch)), None)
        if cut:
            return f"{parts[0].strip()} {middle[cut:].strip()}", f"{middle[:cut].strip()} {parts[2].strip()}"
    return None


def note_text(note: str | None) -> str:
    """An audit note in the reader's language when it was written in both (issue 13, D9)."""
    from supplychain.labels import lang

    if not note:
        return ""
    halves = split_bilingual(note)
    if halves is None:
        return note
    return halves[1] if lang() == "en" else halves[0]

