"""Audits and inspections of suppliers: plan and hold them, answer the checklist, record findings.

Findings at or above the configured severity open a corrective action by themselves; an audit closes only
when every corrective action of its findings is verified (supplychain.services.risk.audit_closing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed, add_error
from supplychain.models import (
    AUDIT_KINDS,
    AUDIT_STATUSES,
    CHECKLIST_RESULTS,
    FINDING_DIMENSIONS,
    FINDING_IMPACTS,
    FINDING_SEVERITIES,
    Audit,
    AuditFinding,
    ChecklistItem,
    ChecklistTemplate,
    CorrectiveAction,
    Supplier,
    User,
)
from supplychain.services.core import attachments, audit, record_scope
from supplychain.services.evidence import corrective_actions
from supplychain.services.registry import relationships
from supplychain.services.risk.audit_closing import AUDITED_FIELDS

FINDING_FIELDS = ("severity", "dimension", "impact", "description", "corrective_action_id")
SEVERITY_RANK = {name: rank for rank, name in enumerate(FINDING_SEVERITIES)}
MAX_PHOTOS = 10


def _text_problem(errors: dict, name: str, value: str, size: int, missing) -> None:
    text = (value or "").strip()
    if not text:
        add_error(errors, name, missing)
    elif len(text) > size:
        add_error(errors, name, _l("At most %(n)d characters.", n=size))


@dataclass
class AuditData:
    """An audit as entered."""

    kind: str = ""
    planned_on: date | None = None
    actual_on: date | None = None
    auditors: str = ""
    template_id: int | None = None
    summary: str = ""
    organisation_id: int | None = None


def _before_registration(day: date | None, supplier: Supplier) -> bool:
    return day is not None and supplier.registered_on is not None and day < supplier.registered_on


def check_audit(session: Session, supplier: Supplier, data: AuditData, today: date,
                existing: Audit | None = None) -> dict:
    """Every problem with an audit, per field: kind, dates (never before the supplier existed), auditors."""
    errors: dict[str, list] = {}
    if data.kind not in AUDIT_KINDS:
        add_error(errors, "kind", _l("Choose the kind of audit."))
    registered = supplier.registered_on.isoformat() if supplier.registered_on else ""
    if data.planned_on is None:
        add_error(errors, "planned_on", _l("Enter the planned date."))
    elif _before_registration(data.planned_on, supplier):
        add_error(errors, "planned_on", _l("An audit cannot be dated before the supplier was registered (%(day)s).",
                                      day=registered))
    if data.actual_on is not None:
        if data.actual_on > today:
            add_error(errors, "actual_on", _l("The audit cannot have been held in the future."))
        if _before_registration(data.actual_on, supplier):
            add_error(errors, "actual_on", _l("An audit cannot be dated before the supplier was registered (%(day)s).",
                                         day=registered))
    _text_problem(errors, "auditors", data.auditors, 300, _l("Name the auditors."))
    if len((data.summary or "").strip()) > 5000:
        add_error(errors, "summary", _l("At most %(n)d characters.", n=5000))
    if data.template_id is not None and session.get(ChecklistTemplate, data.template_id) is None:
        add_error(errors, "template_id", _l("Choose one of the checklists."))
    if existing is not None:
        if existing.status == "closed":
            add_error(errors, "kind", _l("A closed audit cannot change."))
        if existing.results and data.template_id != existing.template_id:
            add_error(errors, "template_id", _l("The checklist has answers: it cannot be changed any more."))
        if existing.findings and data.actual_on is None:
            add_error(errors, "actual_on", _l("The audit has findings: it was held, enter the date."))
    return errors


def save_audit(session: Session, supplier: Supplier, data: AuditData, actor: User | None, today: date,
               existing: Audit | None = None) -> Audit:
    """Plan or edit an audit; it is held once its actual date is in; audited."""
    errors = check_audit(session, supplier, data, today, existing)
    organisation_id = record_scope.organisation_or_raise(session, errors, data.organisation_id, actor, existing)
    before = audit.snapshot(existing, AUDITED_FIELDS) if existing else {}
    record = existing
    if record is None:
        record = Audit(supplier_id=supplier.id, results={}, created_by_id=getattr(actor, "id", None))
        session.add(record)
    record.organisation_id = organisation_id
    record.kind, record.planned_on, record.actual_on = data.kind, data.planned_on, data.actual_on
    record.auditors = data.auditors.strip()
    record.template_id = data.template_id
    record.summary = (data.summary or "").strip() or None
    record.status = "held" if data.actual_on else "planned"
    for finding in record.findings:
        finding.organisation_id = organisation_id
    relationships.ensure(session, organisation_id, supplier, actor, today)
    session.flush()
    changes = audit.diff(before, audit.snapshot(record, AUDITED_FIELDS))
    if changes:
        audit.record(session, actor, "update" if before else "create", "audit", record.id, changes,
                     supplier_id=supplier.id)
    return record


def checklist_score(items: list[ChecklistItem], results: dict[str, str]) -> float | None:
    """Share of answered items that pass, in per cent with one decimal; "not applicable" counts for nothing."""
    answers = [results.get(str(item.id)) for item in items]
    passed, failed = answers.count("pass"), answers.count("fail")
    if passed + failed == 0:
        return None
    return round(100.0 * passed / (passed + failed), 1)


def check_results(record: Audit, results: dict[str, str]) -> dict:
    """Every problem with checklist answers: the audit held and open, every item answered pass, fail or n/a."""
    errors: dict[str, list] = {}
    if record.template is None:
        add_error(errors, "results", _l("Choose a checklist for this audit first."))
        return errors
    if record.status == "closed":
        add_error(errors, "results", _l("A closed audit cannot change."))
    if record.actual_on is None:
        add_error(errors, "results", _l("Enter the date the audit was held before its results."))
    for item in record.template.items:
        if results.get(str(item.id)) not in CHECKLIST_RESULTS:
            add_error(errors, f"item_{item.id}", _l("Answer pass, fail or not applicable."))
    return errors


def save_results(session: Session, record: Audit, results: dict[str, str], actor: User | None) -> Audit:
    """Store the checklist answers and the score they give; audited."""
    errors = check_results(record, results)
    if errors:
        raise ValidationFailed(errors)
    before = {"results": dict(record.results or {}), "score": record.score}
    record.results = {str(item.id): results[str(item.id)] for item in record.template.items}
    record.score = checklist_score(record.template.items, record.results)
    session.flush()
    changes = audit.diff(before, {"results": record.results, "score": record.score})
    if changes:
        audit.record(session, actor, "results", "audit", record.id, changes, supplier_id=record.supplier_id)
    return record


@dataclass
class FindingData:
    """A finding as entered."""

    severity: str = ""
    dimension: str = ""
    impact: str = ""
    description: str = ""


@dataclass
class ActionPolicy:
    """When a finding opens a corrective action by itself, and how long the supplier has for it."""

    severity: str = "major"
    days: int = 90

    def applies_to(self, severity: str) -> bool:
        """Whether a finding of this severity opens a corrective action."""
        return SEVERITY_RANK.get(severity, -1) >= SEVERITY_RANK.get(self.severity, len(SEVERITY_RANK))


def check_finding(record: Audit, data: FindingData, uploads: list[attachments.Upload], max_bytes: int,
                  existing: AuditFinding | None = None) -> tuple[dict, list[attachments.CleanUpload]]:
    """Every problem with a finding (a severity is required) and with its files, at once."""
    errors: dict[str, list] = {}
    if record.status == "closed":
        add_error(errors, "description", _l("A closed audit cannot change."))
    if record.actual_on is None:
        add_error(errors, "description", _l("Enter the date the audit was held before its findings."))
    if data.severity not in FINDING_SEVERITIES:
        add_error(errors, "severity", _l("Choose the severity of the finding."))
    if data.dimension not in FINDING_DIMENSIONS:
        add_error(errors, "dimension", _l("Choose environmental or social."))
    if data.impact not in FINDING_IMPACTS:
        add_error(errors, "impact", _l("Choose actual or potential impact."))
    _text_problem(errors, "description", data.description, 5000, _l("Describe the finding."))
    cleaned = []
    if len(uploads) > MAX_PHOTOS:
        add_error(errors, "photos", _l("At most %(n)d files.", n=MAX_PHOTOS))
    for upload in uploads:
        clean, problems = attachments.check_upload(upload, max_bytes)
        for problem in problems:
            add_error(errors, "photos", f"{upload.filename}: {problem}")
        if clean is not None:
            cleaned.append(clean)
    return errors, cleaned


def save_finding(session: Session, record: Audit, data: FindingData, uploads: list[attachments.Upload],
                 store: attachments.Store, policy: ActionPolicy, actor: User | None, today: date,
                 existing: AuditFinding | None = None) -> AuditFinding:
    """Record or edit a finding with its photos or reports; at or above the policy's severity a corrective
    action opens and is linked; audited."""
    errors, cleaned = check_finding(record, data, uploads, store.max_bytes, existing)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(existing, FINDING_FIELDS) if existing else {}
    finding = existing
    if finding is None:
        finding = AuditFinding(audit_id=record.id, supplier_id=record.supplier_id,
                               created_by_id=getattr(actor, "id", None))
        session.add(finding)
    finding.organisation_id = record.organisation_id
    finding.severity, finding.dimension, finding.impact = data.severity, data.dimension, data.impact
    finding.description = data.description.strip()
    stored = [attachments.store(session, clean, store, record.supplier_id, actor) for clean in cleaned]
    finding.attachments.extend(stored)
    session.flush()
    if finding.corrective_action_id is None and policy.applies_to(finding.severity):
        finding.corrective_action_id = open_action(session, record, finding, policy, actor, today).id
        session.flush()
    changes = audit.diff(before, audit.snapshot(finding, FINDING_FIELDS))
    if changes or stored:
        audit.record(session, actor, "update" if before else "create", "audit_finding", finding.id, changes,
                     supplier_id=record.supplier_id,
                     note="; ".join(attachments.describe(a) or "" for a in stored) or None)
    return finding


def open_action(session: Session, record: Audit, finding: AuditFinding, policy: ActionPolicy,
                 actor: User | None, today: date) -> CorrectiveAction:
    """The corrective action a serious finding opens: the supplier corrects what the audit found."""
    action = CorrectiveAction(supplier_id=record.supplier_id, organisation_id=record.organisation_id,
                              status="open", action=finding.description, owner=record.supplier.name_zh[:100],
                              due_on=today + timedelta(days=policy.days), created_by_id=getattr(actor, "id", None))
    session.add(action)
    session.flush()
    audit.record(session, actor, "create", "corrective_action", action.id,
                 audit.diff({}, audit.snapshot(action, corrective_actions.AUDITED_FIELDS)),
                 supplier_id=record.supplier_id, note=f"audit {record.id}, finding {finding.id}")
    return action


@dataclass
class AuditFilters:
    """What the audit list filters by."""

    kind: str = ""
    status: str = ""


def list_audits(session: Session, filters: AuditFilters, limit: int = 500) -> list[Audit]:
    """Audits matching the filters, the most recent first (planned date)."""
    stmt = select(Audit).order_by(Audit.planned_on.desc(), Audit.id.desc())
    if filters.kind in AUDIT_KINDS:
        stmt = stmt.where(Audit.kind == filters.kind)
    if filters.status in AUDIT_STATUSES:
        stmt = stmt.where(Audit.status == filters.status)
    return list(session.scalars(stmt.limit(limit)))


def for_supplier(session: Session, supplier_id: int) -> list[Audit]:
    """A supplier's audits within the scope, the most recent first."""
    stmt = (select(Audit).where(Audit.supplier_id == supplier_id)
            .order_by(Audit.planned_on.desc(), Audit.id.desc()))
    return list(session.scalars(stmt))


def finding_of_action(session: Session, action_id: int) -> AuditFinding | None:
    """The audit finding that opened a corrective action, if the acting scope may see it (with its audit)."""
    return session.scalar(select(AuditFinding).where(AuditFinding.corrective_action_id == action_id)
                          .order_by(AuditFinding.id).limit(1))
