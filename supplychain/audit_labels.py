"""The audit trail in words: actions, record types, field names and values in the reader's language.

The log stores keys ("update", "supplier", "on_dishonest_list", True, ISO timestamps) so that it
stays a faithful record; everything a person reads goes through these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from supplychain import clock
from supplychain.clock import moment_text
from supplychain.services.core.audit_names import PICKED_KINDS, Names, names_for, reference_kind

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
# Every other key the app logs (issue: the Chinese trail showed "status since", "created by id", "rows"…).
ENTITY_LABELS.update(training_session=_l("training session"), evaluation_history=_l("past evaluation"),
                     import_mapping=_l("import column mapping"), disclosure_publication=_l("published disclosure"))
FIELD_LABELS.update(
    # A supplier import's summary and a migrated status.
    status_since=_l("Status since"), created=_l("New records"), updated=_l("Records updated"),
    unchanged=_l("Records unchanged"), rows=_l("Rows in the file"), blank_erases=_l("Blank cells erase values"),
    migration=_l("Migration of an existing supply base"), statuses=_l("Statuses brought over"),
    deferred_checks=_l("Checks run once at the end of the load"), scans=_l("Scans stored"),
    # Pledges, certificates, training, past evaluations (also as imported).
    signatory_name=_l("Signatory"), signatory_title=_l("Signatory's title"), method=_l("Signing method"),
    created_by_id=_l("Entered by"), attachment_id=_l("Scan or file"), template_id=_l("Template"),
    text_sha256=_l("Fingerprint of the signed text (SHA-256)"), session_id=_l("Training session"),
    names=_l("Attendee names"), completed=_l("Completed"), year=_l("Year"), imported_by_id=_l("Imported by"),
    other_name=_l("Certificate name"), verification_method=_l("How it was verified"), verified_by_id=_l("Verified by"),
    revoked_on=_l("Revoked on"), trial_outcome=_l("Trial outcome"), held_on=_l("Training date"), mode=_l("Form"),
    organiser=_l("Organiser"), topic=_l("Topic"),
    # Blacklist, incidents and corrective actions.
    company_name=_l("Company name"), decided_by=_l("Decided by"),
    social_noncompliance=_l("Social-responsibility non-compliance"), terminated_on=_l("Terminated on"),
    until_on=_l("Until"), lift_reason=_l("Reason for lifting"), lifted_at=_l("Lifted at"), lifted_by_id=_l("Lifted by"),
    evidence_attachment_id=_l("Evidence file"), submission_note=_l("Supplier's note"), submitted_on=_l("Submitted on"),
    verification_note=_l("Verification note"), incident_id=_l("Incident"),
    # Disclosure, policies, questionnaires, campaigns and audits.
    entered_by=_l("Entered by"), value=_l("Value"), text=_l("Text"), text_zh=_l("Text (Chinese)"),
    text_en=_l("Text (English)"), title_zh=_l("Title (Chinese)"), title_en=_l("Title (English)"),
    intro_zh=_l("Introduction (Chinese)"), intro_en=_l("Introduction (English)"), ended_on=_l("Ended on"),
    superseded_by_id=_l("Superseded by"), copied_from=_l("Copied from version"), answers=_l("Answers saved"),
    total_score=_l("Score"), score=_l("Score"), results=_l("Checklist results"), tier=_l("Risk tier"),
    list=_l("Uploaded list"), filename=_l("File"), codes=_l("Codes in the list"),
    # Accounts, invitations, organisations, integration, purchasing.
    used_at=_l("Accepted at"), revoked_at=_l("Withdrawn at"), expires_at=_l("Expires at"),
    grants_admin=_l("Portal administrator"), email_mode=_l("E-mail notifications"), password=_l("Password"),
    home_province=_l("Home province"), opened_on=_l("Opened on"), parent_code=_l("Parent organisation"),
    mapping=_l("Column mapping"), received=_l("Received between"), months=_l("Months covered"),
    requires_trial=_l("Trial supply before qualification"), certificates=_l("Required certificates"),
    pledges=_l("Required pledges"), token_prefix=_l("Token prefix"), rate_limit=_l("Calls per minute"),
    scopes=_l("Scopes"), _settings=_l("Counted with"),
    # The fields of an import file a saved column mapping names (the words of import_labels).
    org=_l("Organisation"), province=_l("Province"), contact_name=_l("Contact"), contact_phone=_l("Phone"),
    contact_email=_l("E-mail"), qualified_categories=_l("Qualified categories"), supplier=_l("Supplier"),
    scan=_l("Scan"), session=_l("Training session"),
)
#: A key that means something narrower in one kind of record.
ENTITY_FIELD_LABELS = {
    "evaluation": {"level": _l("Approval step")},
    "evaluation_history": {"total": _l("Total score"), "source": _l("Imported from file")},
    "evidence_import": {"kind": _l("Kind of evidence")},
    "supplier_import": {"reason": _l("Reason for the migration")},
    "disclosure_figure": {"code": _l("Figure")},
    "pledge": {"kind": _l("Pledge kind")},
    "certification": {"number": _l("Certificate number")},
    "action_request": {"kind": _l("Request")},
    "annual_certificate": {"kind": _l("Certificate")},
    "organisation": {"kind": _l("Kind of organisation")},
}
#: Whole phrases where "<verb> <record>" does not read (an import is not "imported supplier import").
PAIR_PHRASES = {
    ("import", "supplier_import"): _l("Suppliers imported"),
    ("import", "evidence_import"): _l("Evidence imported"),
    ("import", "organisation_import"): _l("Organisations imported"),
    ("import", "screening_import"): _l("Screening results imported"),
    ("import", "spend_batch"): _l("Spend imported"),
    ("import", "receipt_batch"): _l("Receipts imported"),
    ("trial", "evaluation"): _l("Trial supply outcome recorded"),
    ("score", "evaluation"): _l("Evaluation scores entered"),
    ("request", "change_request"): _l("Change of registration requested"),
    ("request", "action_request"): _l("Approval requested"),
    ("login", "user"): _l("Logged in"), ("logout", "user"): _l("Logged out"),
    ("login_failed", "user"): _l("Login failed"), ("login_refused", "user"): _l("Login refused"),
    ("create", "disclosure_publication"): _l("Disclosure figures published"),
    ("update", "disclosure_publication"): _l("Disclosure figures published again"),
    ("move", "organisation"): _l("Organisation moved in the structure"),
}
#: Actions that are not a plain verb: the record goes inside the phrase.
ACTION_PHRASES = {
    "status": _l("%(record)s status changed"), "qualification": _l("%(record)s category qualification changed"),
    "risk_tier": _l("%(record)s risk tier changed"), "results": _l("%(record)s checklist answered"),
    "consequence": _l("%(record)s overdue consequence applied"), "rotate": _l("%(record)s token renewed"),
    "invite": _l("%(record)s invitations sent"), "remind": _l("%(record)s reminders sent"),
    "reopen": _l("%(record)s reopened"), "respond": _l("%(record)s answered"),
}
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
    """ "supplier changed", "修改供应商", "变更供应商状态", "导入供应商": the record type and the action in words."""
    phrase = PAIR_PHRASES.get((action, entity_type))
    if phrase is not None:
        return str(phrase)
    noun = ENTITY_LABELS.get(entity_type)
    record = str(noun) if noun is not None else entity_type.replace("_", " ")
    if action in ACTION_PHRASES:
        text = str(ACTION_PHRASES[action]) % {"record": record}
    else:
        verb = ACTION_LABELS.get(action)
        text = _("%(record)s %(action)s", action=verb or action, record=record)
    return text[:1].upper() + text[1:]  # "Supplier status changed" (Chinese has no case)


def entity_label(entity_type: str) -> str:
    """A record type in words."""
    label = ENTITY_LABELS.get(entity_type)
    return str(label) if label is not None else entity_type.replace("_", " ")


def verb_label(action: str) -> str:
    """An action in words."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action.replace("_", " ")


def field_label(name: str, entity_type: str | None = None) -> str:
    """A field's name in words: its label (narrower for some record types), a disclosure figure (a publication
    logs its figures by code), a purchase rule's reason, else a criterion of the default schemes (a logged score),
    else the key with spaces."""
    label = ENTITY_FIELD_LABELS.get(entity_type or "", {}).get(name)
    if label is None and entity_type == "purchase_rules":
        from supplychain.services.integration.purchase_checks import REASON_LABELS

        label = REASON_LABELS.get(name)
    if label is None:
        label = FIELD_LABELS.get(name)
    if label is not None:
        return str(label)
    return scheme_term(name) or _figure_name(name) or name.replace("_", " ")


def change_pair(change: object) -> tuple[object, object]:
    """A logged change as (before, after): most are [old, new]; some entries log only the value set
    (a status change's "effective_on"), which reads as "— → value", not as its characters."""
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[0], change[1]
    return None, change


def is_pair(change: object) -> bool:
    """Whether a logged change is [old, new] (else it is one value: an import's count, a day a change takes
    effect)."""
    return isinstance(change, list | tuple) and len(change) == 2


@dataclass(frozen=True)
class ChangeLine:
    """One logged field in words: its label, the value before (None: the entry logs one value) and after."""

    label: str
    before: str | None
    after: str


@dataclass(frozen=True)
class EntryText:
    """An audit entry as a reader sees it: the entry itself (time, who, ids), the action in words, what the
    record is (the supplier's name), each change in words and the note in the reader's language."""

    entry: object
    action: str
    subject: str
    changes: tuple[ChangeLine, ...]
    note: str


def describe(entries, session=None, names=None) -> list[EntryText]:
    """Audit entries in words, the names of what they refer to (organisations, suppliers, categories, people,
    provinces…) looked up in bulk: one query per kind of record for all `entries`, never one per entry."""
    entries = list(entries or ())
    if names is None:
        names = names_for(session, entries) if session is not None else Names()
    described = []
    for entry in entries:
        changes = entry.changes or {}
        lines = []
        for key, change in changes.items():
            key = str(key)
            if is_pair(change):
                before, after = change_pair(change)
                lines.append(ChangeLine(field_label(key, entry.entity_type),
                                        change_text(key, before, entry.entity_type, names, entry.action),
                                        change_text(key, after, entry.entity_type, names, entry.action)))
            else:
                lines.append(ChangeLine(field_label(key, entry.entity_type), None,
                                        change_text(key, change, entry.entity_type, names, entry.action)))
        subject = _name(names, "supplier", entry.supplier_id) if entry.supplier_id else ""
        described.append(EntryText(entry, action_label(entry.action, entry.entity_type), subject, tuple(lines),
                                   entry_note_text(entry.note, entry.entity_type)))
    return described


def changes_line(text: EntryText) -> str:
    """An entry's changes on one line ("状态: 已登记 → 合格; 生效日期: 2026-03-01"), as the export writes them."""
    return "; ".join(f"{line.label}: {line.after}" if line.before is None
                     else f"{line.label}: {line.before} → {line.after}" for line in text.changes)


def _name(names, kind: str, key: object) -> str:
    """A referenced record's name in the reader's language, "#id" when it is not known. Names people typed (a
    supplier's, an organisation's) stay as typed, also for a traditional Chinese reader; names kept as a pair
    (a category's, a questionnaire's, a scheme's: audit_names.PICKED_KINDS) read as the rest of the pages show
    them (labels.pick)."""
    from supplychain.labels import pick, pick_name

    found = names.get(kind, key) if names is not None else None
    if found is None:
        return f"#{key}" if isinstance(key, int) or (isinstance(key, str) and key.isdigit()) else str(key)
    return pick(*found) if kind in PICKED_KINDS else pick_name(*found)


def change_text(field: str, value: object, entity_type: str | None = None, names=None,
                action: str | None = None) -> str:
    """A logged value of a field in words: a key becomes its label (in the meaning it has for `entity_type`:
    an audit's kind "periodic" is not an evaluation's), an id or code the name of what it refers to (`names`,
    from services.core.audit_names), a province code its province; anything else value_text."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict):
        if field in _DICT_TEXTS:
            return _DICT_TEXTS[field](value, entity_type, names)
        return "; ".join(f"{field_label(str(k), entity_type)}: {change_text(str(k), v, entity_type, names, action)}"
                         for k, v in value.items()) or "—"
    kind = reference_kind(entity_type or "", field)
    if kind is not None and not isinstance(value, bool):
        if isinstance(value, list | tuple):
            return ", ".join(_name(names, kind, v) for v in value) or "—"
        if isinstance(value, int | str):
            return _name(names, kind, value)
    if field in _RECORD_NUMBERS and isinstance(value, int) and not isinstance(value, bool):
        return f"#{value}"
    if field in _RANGES and isinstance(value, list | tuple) and len(value) == 2:
        first, last = (str(v)[:_RANGES[field]] for v in value)
        return first if first == last else f"{first} – {last}"
    if field == "note" and isinstance(value, str):
        return note_text(value)
    if field == "code" and entity_type == "disclosure_figure" and isinstance(value, str):
        return _figure_name(value) or value
    if isinstance(value, list | tuple):
        return ", ".join(change_text(field, v, entity_type, names, action) for v in value) or "—"
    if isinstance(value, str):
        label = _key_label(field, value, entity_type or "", action)
        if label:
            return label
    return value_text(value)


def _key_label(field: str, value: str, entity_type: str, action: str | None) -> str | None:
    """The label of a logged key (a status, a kind, a reason…), None when the value is no key of the field."""
    if field == "status":
        table = _status_labels(entity_type, action)
        label = table.get(value) if table is not None else None
        if label is None:
            from supplychain.labels import STATUS_LABELS

            label = STATUS_LABELS.get(value) or _EVALUATION_STATUS.get(value)
        if label is None:
            return None
        # A status on its own starts with a capital, as the pages' badges show it ("Active", not "active").
        text = str(label)
        return text[:1].upper() + text[1:]
    if field == "kind":
        table = _kind_labels(entity_type)
        if table is not None and value in table:
            return str(table[value])
    if field in _KEYED_FIELDS:
        label = _keyed_labels(field).get(value)
        if label is not None:
            return str(label)
    if field in _VALUE_LABELS:
        return _VALUE_LABELS[field](value) or None
    if (entity_type, field) in _ENTITY_VALUE_LABELS:
        return _from(_ENTITY_VALUE_LABELS[entity_type, field])(value)
    if entity_type == "purchase_rules":
        from supplychain.services.integration.purchase_checks import OUTCOME_LABELS

        label = OUTCOME_LABELS.get(value)
        return str(label) if label is not None else None
    return None


def _status_labels(entity_type: str, action: str | None) -> dict | None:
    """The statuses of a record type (a request for a status change logs the supplier status it asks for)."""
    from supplychain import inspection_labels, portal_labels
    from supplychain.evidence_labels import ACTION_STATUS_LABELS, INCIDENT_STATUS_LABELS
    from supplychain.labels import STATUS_LABELS

    if entity_type == "action_request":
        return STATUS_LABELS if action == "request" else REQUEST_STATUS_LABELS
    if entity_type == "campaign":
        return CAMPAIGN_STATUS_LABELS
    if entity_type == "supplier_relationship":
        return RELATIONSHIP_STATUS_LABELS
    return {
        "supplier": STATUS_LABELS, "evaluation": _EVALUATION_STATUS, "audit": inspection_labels.AUDIT_STATUS_LABELS,
        "incident": INCIDENT_STATUS_LABELS, "corrective_action": ACTION_STATUS_LABELS,
        "saq_response": portal_labels.RESPONSE_STATUS_LABELS,
        "saq_questionnaire": portal_labels.QUESTIONNAIRE_STATUS_LABELS,
        "change_request": portal_labels.CHANGE_REQUEST_STATUS_LABELS,
    }.get(entity_type)


def _kind_labels(entity_type: str) -> dict | None:
    """What "kind" means for a record type."""
    from supplychain.evidence_labels import PLEDGE_KIND_LABELS
    from supplychain.inspection_labels import AUDIT_KIND_LABELS

    if entity_type in ("pledge", "pledge_template"):
        return PLEDGE_KIND_LABELS
    if entity_type == "evaluation":
        return EVALUATION_KIND_LABELS
    if entity_type == "audit":
        return AUDIT_KIND_LABELS
    if entity_type == "annual_certificate":
        from supplychain.labels import pick
        from supplychain.services.evaluation.certificates_annual import KIND_NAMES

        return {key: pick(*names) for key, names in KIND_NAMES.items()}
    if entity_type == "disclosure_figure":
        from forms.disclosure import KIND_LABELS

        return dict(KIND_LABELS)
    if entity_type == "organisation":
        from supplychain.labels import ORGANISATION_KIND_LABELS

        return ORGANISATION_KIND_LABELS
    if entity_type == "evidence_import":
        from forms.evidence_import import KIND_NAMES

        return KIND_NAMES
    if entity_type == "action_request":
        return REQUEST_KIND_LABELS
    return None


def scheme_term(key: str) -> str | None:
    """A criterion, dimension or grade of the default schemes in words (logged scores and grades use their keys)."""
    from config.schemes import DEFAULT_SCHEMES
    from supplychain.labels import pick

    for scheme in DEFAULT_SCHEMES.values():
        for band in scheme.bands:
            if band.key == key:
                return pick(band.name_zh, band.name_en)
        for dimension in scheme.dimensions:
            if dimension.key == key:
                return pick(dimension.name_zh, dimension.name_en)
            for criterion in dimension.criteria:
                if criterion.key == key:
                    return pick(criterion.name_zh, criterion.name_en)
    return None


def _figure_name(code: str) -> str | None:
    """A disclosure figure by its code ("B5.1.total"): its reference and label ("B5.1 年末供应链中的供应商总数")."""
    if "." not in code:
        return None
    from supplychain.labels import pick
    from supplychain.services.disclosure.definitions import SPEC_BY_CODE, figure_ref

    spec = SPEC_BY_CODE.get(code)
    if spec is None:
        return None
    return " ".join(part for part in (figure_ref(code), pick(spec.label_zh, spec.label_en)) if part)


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


def _province(value: str) -> str | None:
    from supplychain.labels import province_label

    return province_label(value) or None


def _screening_list(value: str) -> str | None:
    from supplychain.labels import pick
    from supplychain.screening_lists import BY_CODE

    entry = BY_CODE.get(value)
    return pick(entry.label_zh, entry.label_en) if entry is not None else None


def _screening_result(value: str) -> str | None:
    from supplychain.labels import pick
    from supplychain.screening_lists import RESULT_LABELS

    names = RESULT_LABELS.get(value)
    return pick(names[1], names[0]) if names is not None else None


def _period(value: str) -> str | None:
    """A period logged in Chinese ("2025年上半年") in the reader's language ("2025 H1")."""
    from supplychain.labels import lang, lang_tag

    match = _PERIOD.fullmatch(value.strip())
    if match is None:
        return None
    if lang() == "en":
        year, half, quarter = match.group(1), match.group(2), match.group(3)
        if quarter:
            return f"{year} Q{quarter}"
        if half:
            return f"{year} H{1 if half.startswith('上') else 2}"
        return year
    if lang_tag() == "zh_Hant":
        from supplychain.hant import to_hant

        return to_hant(value)
    return value


_PERIOD = re.compile(r"(\d{4})年(?:度)?(?:(上半年|下半年)|第(\d)季度)?")


def _locale(value: str) -> str | None:
    return {"zh": "简体中文", "zh_Hant": "繁體中文", "en": "English"}.get(value)


def _names_list(value: str) -> str | None:
    """Attendee names, logged one per line, on one line."""
    from supplychain.labels import lang

    if "\n" not in value:
        return None
    return (", " if lang() == "en" else "、").join(part.strip() for part in value.splitlines() if part.strip())


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
    "country": _region_or_country, "province_code": _province, "home_province": _province,
    "list_code": _screening_list, "result": _screening_result, "period": _period, "locale": _locale,
    "names": _names_list,
    "supplier_type": _from("supplychain.labels.SUPPLIER_TYPE_LABELS"), "role": _from("forms.users.ROLE_LABELS"),
    "pledge_kind": _kind, "cert_type": _from("supplychain.evidence_labels.CERT_TYPE_LABELS"),
    "certificates": _from("supplychain.evidence_labels.CERT_TYPE_LABELS"),
    "pledges": _from("supplychain.evidence_labels.PLEDGE_KIND_LABELS"),
    "method": _from("supplychain.evidence_labels.PLEDGE_METHOD_LABELS"),
    "verification_method": _from("supplychain.evidence_labels.VERIFICATION_LABELS"),
    "topic": _from("supplychain.evidence_labels.TOPIC_LABELS"),
    "mode": _from("supplychain.evidence_labels.MODE_LABELS"),
    "consequence": _from("supplychain.audit_labels.CONSEQUENCE_LABELS"),
    "overdue_consequence": _from("supplychain.audit_labels.CONSEQUENCE_LABELS"),
    "email_mode": _from("forms.notifications.EMAIL_MODE_LABELS"),
    "tier": _from("supplychain.services.risk.reasons.TIER_LABELS"),
    "trial_outcome": _from("supplychain.audit_labels.TRIAL_OUTCOME_LABELS"),
    "_settings": lambda value: _counted_with(value),
}
#: Keys whose meaning depends on the record: a blacklisting's reason (an import's reason is free text).
_ENTITY_VALUE_LABELS = {
    ("blacklist_entry", "reason"): "supplychain.evidence_labels.BLACKLIST_REASON_LABELS",
    ("action_request", "reason"): "supplychain.evidence_labels.BLACKLIST_REASON_LABELS",
    ("incident", "category"): "supplychain.evidence_labels.INCIDENT_CATEGORY_LABELS",
}
#: Logged [first, last] days of a batch, shown as a range (months by their month).
_RANGES = {"received": 10, "months": 7}
#: Logged ids of records that have no name but their number.
_RECORD_NUMBERS = ("evaluation_id", "incident_id", "corrective_action_id", "response_id")


#: Logged fields whose values are keys with a label (issue 11: a finding's kind of impact, a risk level).
_KEYED_FIELDS = ("dimension", "impact", "severity", "level", "risk_level", "risk_tier")


def _keyed_labels(field: str) -> dict:
    from supplychain.evidence_labels import SEVERITY_LABELS
    from supplychain.inspection_labels import FINDING_DIMENSION_LABELS, FINDING_IMPACT_LABELS
    from supplychain.services.risk.reasons import TIER_LABELS

    # A risk level or tier as the risk pages name it ("Medium risk", 中风险), not the bare "medium".
    return {"dimension": FINDING_DIMENSION_LABELS, "impact": FINDING_IMPACT_LABELS,
            "severity": SEVERITY_LABELS}.get(field, TIER_LABELS)


def _counted_with(value: str) -> str | None:
    """A publication's settings ("in_supply_chain/1"): what B5.1 counts and the decimal places of percentages."""
    from supplychain.labels import pick
    from supplychain.services.disclosure.definitions import POPULATION_LABELS

    population, _sep, places = value.partition("/")
    names = POPULATION_LABELS.get(population)
    if names is None or not places.isdigit():
        return None
    return _("%(population)s; percentages to %(places)s decimal places", population=pick(*names),
             places=places)


def _checklist_results(value: dict, entity_type, names) -> str:
    """An audit's checklist answers ({"1": "pass"}) in words: "1: 符合; 2: 不符合"."""
    from supplychain.inspection_labels import CHECKLIST_RESULT_LABELS

    return "; ".join(f"{item}: {CHECKLIST_RESULT_LABELS.get(result, result)}"
                     for item, result in value.items()) or "—"


def _column_mapping(value: dict, entity_type, names) -> str:
    """A saved column mapping ({"厂商名称": "name_zh"}): each header with the field it fills."""
    return "; ".join(f"{header} → {field_label(name) if name else '—'}" for header, name in value.items()) or "—"


_DICT_TEXTS = {"results": _checklist_results, "mapping": _column_mapping}

_EVALUATION_STATUS = {
    "draft": _l("Draft"), "submitted": _l("Submitted"), "final": _l("Final"), "returned": _l("Returned"),
    "cancelled": _l("Cancelled"), "open": _l("Open"), "closed": _l("Closed"), "verified": _l("Verified"),
    "active": _l("Active"), "published": _l("Published"),
}
EVALUATION_KIND_LABELS = {"admission": _l("Admission review"), "periodic": _l("Periodic evaluation")}
#: An approval request's statuses and kinds (not a supplier's "rejected", 未准入).
REQUEST_STATUS_LABELS = {"pending": _l("Waiting for approval"), "approved": _l("Approved"),
                         "rejected": _l("Request rejected")}
REQUEST_KIND_LABELS = {"status": _l("Status change"), "blacklist": _l("Blacklisting")}
TRIAL_OUTCOME_LABELS = {"passed": _l("Passed"), "failed": _l("Failed")}
# The words of the pages that own these keys (views.risk.campaigns, views.relationships), here because a label
# module imports no view; tests/web/test_audit_vocabulary_words.py keeps them the same.
CAMPAIGN_STATUS_LABELS = {"sending": _l("Sending invitations"), "open": _l("Open for answers"),
                          "closed": _l("Campaign closed")}
CONSEQUENCE_LABELS = {
    "none": _l("Nothing (list them only)"), "corrective_action": _l("Open a corrective action"),
    "conditional": _l("Set the status to Conditional"), "suspended": _l("Suspend the supplier"),
}
RELATIONSHIP_STATUS_LABELS = {"active": _l("active"), "suspended": _l("suspended"), "ended": _l("ended")}


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
    from supplychain.labels import pick

    if not note:
        return ""
    halves = split_bilingual(note)
    if halves is None:
        return note
    return pick(*halves)


_IMPORT_NOTE = re.compile(r"import(?: (?P<file>.+))?", re.S)
_MIGRATION_NOTE = re.compile(r"migration: (?P<reason>.*) \((?P<source>import(?: .+)?)\)", re.S)
# certificates_annual: "2025 年度合格供应商证书 / Qualified Supplier certificate: 评价 #4 定级 qualified (…)".
_CERTIFICATE_NOTE = re.compile(r"(?P<year>\d{4}) (?P<zh>[^/]+?) / (?P<en>[^:]+): 评价 #(?P<evaluation>\d+) 定级 "
                               r"(?P<grade>\w+) \(evaluation #\d+ graded \w+\)")
_GRADE_NOTE = re.compile(r"评价 #(?P<evaluation>\d+) 定级 (?P<grade>\w+) / evaluation #\d+ graded \w+")
_FINDING_NOTE = re.compile(r"audit (?P<audit>\d+), finding (?P<finding>\d+)")
_REFUSED_NOTE = re.compile(r"(?P<address>\S*) supplier (?P<status>[a-z_]+)")
# risk.campaigns: a campaign's invitations are sent by a background job.
_JOB_NOTE = re.compile(r"job #(?P<job>\d+)")
# registry.blacklist: a status change caused by a blacklisting (the reason in English) or by lifting one.
_BLACKLIST_NOTE = re.compile(r"Blacklist entry #(?P<entry>\d+): (?P<reason>.+)", re.S)
_BLACKLIST_LIFTED_NOTE = re.compile(r"Blacklist entry #(?P<entry>\d+) lifted: (?P<reason>.*)", re.S)


def entry_note_text(note: str | None, entity_type: str | None = None) -> str:
    """An audit entry's note in the reader's language: one written in both halves (note_text), or one the app
    writes in a fixed form ("import suppliers.csv", "migration: <reason> (import <file>)", "portal", a saved
    column mapping's "suppliers: <name>")."""
    fixed = _fixed_note(note) if note else None
    if fixed is None and note and entity_type == "import_mapping":
        fixed = _mapping_note(note)
    if fixed is None and note and entity_type in _KEY_NOTES:
        fixed = _KEY_NOTES[entity_type](note)
    return fixed if fixed is not None else note_text(note)


def _tier_note(note: str) -> str | None:
    from supplychain.services.risk.reasons import TIER_LABELS

    label = TIER_LABELS.get(note)
    return str(label) if label is not None else None


#: Records whose note is the key of the row they set: a region risk's region or country, a tier's setting.
_KEY_NOTES = {"region_risk": lambda note: _region_or_country(note), "risk_tier_setting": _tier_note}


def _mapping_note(note: str) -> str | None:
    """A saved column mapping's note, "<kind of import>: <name>", with the kind in words."""
    from forms.evidence_import import KIND_NAMES

    kind, sep, name = note.partition(": ")
    label = {"suppliers": _l("Suppliers"), **KIND_NAMES}.get(kind)
    return f"{label}: {name}" if sep and label is not None else None


def _fixed_note(note: str) -> str | None:
    """A note the app writes in English words, in the reader's language (None: the note is someone's text)."""
    from supplychain.labels import STATUS_LABELS

    if note == "portal":
        return _("Changed by the supplier in the portal")
    match = _MIGRATION_NOTE.fullmatch(note)
    if match is not None:
        return _("Migration: %(reason)s (%(source)s)", reason=match["reason"],
                 source=_fixed_note(match["source"]) or match["source"])
    match = _IMPORT_NOTE.fullmatch(note)
    if match is not None:
        return _("Imported from %(file)s", file=match["file"]) if match["file"] else _("Imported")
    match = _CERTIFICATE_NOTE.fullmatch(note)
    if match is not None:
        from supplychain.labels import pick

        grade = scheme_term(match["grade"]) or match["grade"]
        return pick(f"{match['year']} {match['zh']}：评价 #{match['evaluation']} 定级 {grade}",
                         f"{match['year']} {match['en']}: evaluation #{match['evaluation']} graded {grade}")
    match = _GRADE_NOTE.fullmatch(note)
    if match is not None:
        from supplychain.labels import pick

        grade = scheme_term(match["grade"]) or match["grade"]
        return pick(f"评价 #{match['evaluation']} 定级 {grade}",
                         f"evaluation #{match['evaluation']} graded {grade}")
    match = _FINDING_NOTE.fullmatch(note)
    if match is not None:
        return _("Audit #%(audit)s, finding #%(finding)s", audit=match["audit"], finding=match["finding"])
    match = _JOB_NOTE.fullmatch(note)
    if match is not None:
        return _("Sent by background job #%(job)s", job=match["job"])
    match = _BLACKLIST_LIFTED_NOTE.fullmatch(note)
    if match is not None:
        return _("Blacklist entry #%(entry)s lifted: %(reason)s", entry=match["entry"], reason=match["reason"])
    match = _BLACKLIST_NOTE.fullmatch(note)
    if match is not None:
        return _("Blacklist entry #%(entry)s: %(reason)s", entry=match["entry"],
                 reason=_blacklist_reason(match["reason"]))
    match = _REFUSED_NOTE.fullmatch(note)
    if match is not None and match["status"] in STATUS_LABELS:
        return _("%(address)s: the supplier is %(status)s", address=match["address"],
                 status=STATUS_LABELS[match["status"]])
    return None


def _blacklist_reason(written: str) -> str:
    """A blacklisting's reason as registry.blacklist writes it in a status note ("bid rigging") in words."""
    from supplychain.evidence_labels import BLACKLIST_REASON_LABELS
    from supplychain.services.registry.blacklist import REASON_NAMES

    for key, english in REASON_NAMES.items():
        if english == written and key in BLACKLIST_REASON_LABELS:
            return str(BLACKLIST_REASON_LABELS[key])
    return written


def filter_options(keys, labels: dict) -> list[tuple[str, str]]:
    """The audit log's filter drop-down for the recorded `keys`: (key, label) sorted by key, each meaning once.
    A key that means the same as another (FILTER_SYNONYMS) is offered as that other key, which filters both
    (`filter_keys`)."""
    wanted = {FILTER_SYNONYMS.get(key, key) for key in keys}
    return [(key, str(labels[key])) for key in sorted(wanted) if key in labels]


def filter_keys(key: str) -> tuple[str, ...]:
    """The recorded keys an option of `filter_options` stands for: the key and those that mean the same."""
    return (key, *sorted(alias for alias, canonical in FILTER_SYNONYMS.items() if canonical == key))


#: Keys with the label of another key (the drop-downs would list the label twice) → the key they duplicate.
FILTER_SYNONYMS = {"training": "training_session", "integrity_screening": "screening", "approved": "approve",
                   "rejected": "reject", "withdraw": "revoke"}
