"""Purchase checks: may this organisation buy this category from this supplier now? allow, warn or block, and why.

The facts are gathered in a few queries; ``decide`` is pure: facts and the category's rules in,
outcome and reasons out. Every check is logged (``PurchaseCheck``) and shown on the supplier page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, lazyload

from supplychain import scope
from supplychain.errors import ValidationFailed
from supplychain.evidence_labels import label as evidence_label
from supplychain.labels import STATUS_LABELS
from supplychain.models import (
    CERT_TYPES,
    PURCHASE_OUTCOMES,
    PURCHASE_REASONS,
    BlacklistEntry,
    CategoryRequirement,
    Certification,
    CorrectiveAction,
    Organisation,
    PurchaseCheck,
    PurchaseRule,
    Supplier,
    SupplierQualification,
    SupplierRelationship,
    SupplyCategory,
    User,
)
from supplychain.services.core import audit
from supplychain.services.registry import qualifications

# The outcome of each reason when a category has no rule of its own.
DEFAULT_RULES = {
    "not_qualified": "block",
    "trial": "allow",
    "supplier_suspended": "block",
    "supplier_exited": "block",
    "blacklisted": "block",
    "licence_expired": "block",
    "overdue_corrective_actions": "warn",
    "no_relationship": "warn",
}
# A blacklisted supplier is always refused: admins cannot soften it.
FIXED_RULES = {"blacklisted": "block"}
SEVERITY = {"allow": 0, "warn": 1, "block": 2}

REASON_LABELS = {
    "not_qualified": _l("Not qualified for the category"),
    "trial": _l("In trial supply for the category"),
    "supplier_suspended": _l("Supplier suspended"),
    "supplier_exited": _l("Supplier exited"),
    "blacklisted": _l("Supplier blacklisted"),
    "licence_expired": _l("Required licence or certificate expired or missing"),
    "overdue_corrective_actions": _l("Conditional with overdue corrective actions"),
    "no_relationship": _l("The organisation has no active relationship with the supplier"),
}
OUTCOME_LABELS = {"allow": _l("allow"), "warn": _l("warn"), "block": _l("block")}


@dataclass(frozen=True)
class CheckFacts:
    """What a purchase check looks at, as plain values."""

    supplier_status: str
    blacklisted: bool
    qualification: str | None
    relationship: str | None
    expired_certificates: tuple[str, ...] = ()
    missing_certificates: tuple[str, ...] = ()
    overdue_actions: int = 0


@dataclass(frozen=True)
class Reason:
    """One reason of a check: its code, the outcome it causes, and the values its message names."""

    code: str
    outcome: str
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """JSON-safe form, as logged."""
        return {"code": self.code, "outcome": self.outcome, "detail": self.detail}


def reasons_found(facts: CheckFacts) -> list[tuple[str, dict]]:
    """Which reasons apply, with their details (pure)."""
    found: list[tuple[str, dict]] = []
    if facts.blacklisted or facts.supplier_status == "blacklisted":
        found.append(("blacklisted", {}))
    if facts.supplier_status == "suspended" or facts.qualification == "suspended":
        found.append(("supplier_suspended", {}))
    if facts.supplier_status == "exited" or facts.qualification == "exited":
        found.append(("supplier_exited", {}))
    if facts.qualification not in qualifications.QUALIFYING:
        found.append(("not_qualified", {"status": facts.qualification or "none"}))
    elif facts.qualification == "trial":
        found.append(("trial", {}))
    if facts.expired_certificates or facts.missing_certificates:
        found.append(("licence_expired", {"expired": list(facts.expired_certificates),
                                          "missing": list(facts.missing_certificates)}))
    conditional = facts.qualification == "conditional" or facts.supplier_status == "conditional"
    if conditional and facts.overdue_actions:
        found.append(("overdue_corrective_actions", {"count": facts.overdue_actions}))
    if facts.relationship != "active":
        found.append(("no_relationship", {"status": facts.relationship or "none"}))
    return found


def decide(facts: CheckFacts, rules: dict[str, str]) -> tuple[str, list[Reason]]:
    """The outcome (the most severe of the reasons' outcomes, allow without any) and the reasons (pure)."""
    reasons = []
    for code, detail in reasons_found(facts):
        outcome = FIXED_RULES.get(code) or rules.get(code) or DEFAULT_RULES[code]
        if outcome != "allow":
            reasons.append(Reason(code, outcome, detail))
    reasons.sort(key=lambda r: (-SEVERITY[r.outcome], PURCHASE_REASONS.index(r.code)))
    outcome = reasons[0].outcome if reasons else "allow"
    return outcome, reasons


def reason_message(reason: dict) -> str:
    """A reason in the reader's language."""
    code, detail = reason.get("code"), reason.get("detail") or {}
    text = str(REASON_LABELS.get(code, code))
    if code == "licence_expired":
        names = [evidence_label("cert_type", v) for v in (detail.get("expired") or []) + (detail.get("missing") or [])]
        return f"{text}: {', '.join(str(n) for n in names)}"
    if code == "overdue_corrective_actions":
        return str(_l("%(label)s: %(count)s overdue", label=text, count=detail.get("count", 0)))
    if code == "not_qualified" and detail.get("status") not in (None, "none"):
        return f"{text} ({STATUS_LABELS.get(detail['status'], detail['status'])})"
    return text


def rules_for(session: Session, category_id: int) -> dict[str, str]:
    """The category's outcome for every reason (its own rules over the defaults)."""
    rules = dict(DEFAULT_RULES)
    for row in session.scalars(select(PurchaseRule).where(PurchaseRule.category_id == category_id)):
        rules[row.reason] = row.outcome
    rules.update(FIXED_RULES)
    return rules


def set_rules(session: Session, category: SupplyCategory, outcomes: dict[str, str], actor: User | None) -> bool:
    """Replace a category's rules; audited; returns whether anything changed."""
    errors: dict[str, list] = {}
    for reason, outcome in outcomes.items():
        if reason not in PURCHASE_REASONS:
            errors.setdefault(reason, []).append(_l("Unknown reason."))
        elif outcome not in PURCHASE_OUTCOMES:
            errors.setdefault(reason, []).append(_l("Choose allow, warn or block."))
        elif reason in FIXED_RULES and outcome != FIXED_RULES[reason]:
            errors.setdefault(reason, []).append(_l("A blacklisted supplier is always blocked."))
    if errors:
        raise ValidationFailed(errors)
    before = rules_for(session, category.id)
    after = {**before, **outcomes}
    if before == after:
        return False
    rows = {r.reason: r for r in session.scalars(select(PurchaseRule).where(PurchaseRule.category_id == category.id))}
    for reason, outcome in after.items():
        if reason in FIXED_RULES:
            continue
        if reason in rows:
            rows[reason].outcome = outcome
        else:
            session.add(PurchaseRule(category_id=category.id, reason=reason, outcome=outcome))
    session.flush()
    audit.record(session, actor, "update", "purchase_rules", category.id, audit.diff(before, after),
                 note=category.code)
    return True


@dataclass
class CheckRequest:
    """What a platform asks: supplier (id or credit code), category code, organisation code."""

    supplier_id: int | None = None
    credit_code: str | None = None
    category: str = ""
    organisation: str = ""
    reference: str | None = None


def _supplier(session: Session, request: CheckRequest) -> Supplier | None:
    # The group master: any organisation may check a supplier that the group admitted (a new relationship).
    # A check reads the supplier's own columns only: its contacts and categories are not loaded.
    if request.supplier_id is not None:
        condition = Supplier.id == request.supplier_id
    else:
        code = (request.credit_code or "").strip().upper()
        if not code:
            return None
        condition = Supplier.credit_code == code
    return session.scalar(scope.unscoped(select(Supplier).where(condition)
                                         .options(lazyload(Supplier.contacts), lazyload(Supplier.categories))))


_RELATIONSHIP_ORDER = ("active", "suspended", "ended")  # the best status along the organisation's chain counts


def _required_certificates(category_id: int, supplier_id: int, today: date, held: bool):
    """SQL: the certificate types the category requires that the supplier never held (held=False), or held
    but has none in force today (held=True), as one comma-separated string (NULL when there are none)."""
    def certificate(*conditions):
        return select(Certification.id).where(Certification.supplier_id == supplier_id,
                                              Certification.cert_type == CategoryRequirement.value,
                                              Certification.issued_on <= today, *conditions).exists()

    in_force = certificate(or_(Certification.expires_on.is_(None), Certification.expires_on >= today))
    condition = and_(certificate(), ~in_force) if held else ~certificate()
    return (select(func.aggregate_strings(CategoryRequirement.value, ","))
            .where(CategoryRequirement.category_id == category_id, CategoryRequirement.kind == "certificate",
                   condition).scalar_subquery())


def _facts_statement(supplier: Supplier, category_id: int, chain: list[int], today: date):
    """One SELECT of scalar subqueries: every fact of a check in one round trip (issue 10's p95)."""
    blacklisted = select(BlacklistEntry.id).where(
        or_(BlacklistEntry.supplier_id == supplier.id,
            BlacklistEntry.credit_code == supplier.credit_code if supplier.credit_code else False),
        BlacklistEntry.lifted_at.is_(None), BlacklistEntry.since_on <= today,
        or_(BlacklistEntry.until_on.is_(None), BlacklistEntry.until_on >= today)).exists()
    qualification = select(SupplierQualification.status).where(
        SupplierQualification.supplier_id == supplier.id, SupplierQualification.category_id == category_id
    ).limit(1).scalar_subquery()
    rank = case({status: n for n, status in enumerate(_RELATIONSHIP_ORDER)}, value=SupplierRelationship.status)
    relationship = select(func.min(rank)).where(SupplierRelationship.supplier_id == supplier.id,
                                                SupplierRelationship.organisation_id.in_(chain)).scalar_subquery()
    overdue = select(func.count(CorrectiveAction.id)).where(
        CorrectiveAction.supplier_id == supplier.id, CorrectiveAction.status != "verified",
        CorrectiveAction.due_on < today).scalar_subquery()
    return scope.unscoped(select(
        blacklisted.label("blacklisted"), qualification.label("qualification"), relationship.label("relationship"),
        _required_certificates(category_id, supplier.id, today, held=True).label("expired"),
        _required_certificates(category_id, supplier.id, today, held=False).label("missing"),
        overdue.label("overdue")))


def _certificate_types(joined: str | None) -> tuple[str, ...]:
    """The known certificate types named in a comma-separated string, in their usual order."""
    named = set((joined or "").split(","))
    return tuple(t for t in CERT_TYPES if t in named)


def gather(session: Session, supplier: Supplier, category: SupplyCategory, organisation: Organisation,
           today: date) -> CheckFacts:
    """The facts of one check, read across the group (a check reveals only what the group shares)."""
    chain = scope.ancestor_ids(session, organisation.id)
    row = session.execute(_facts_statement(supplier, category.id, chain, today)).one()
    relationship = _RELATIONSHIP_ORDER[row.relationship] if row.relationship is not None else None
    return CheckFacts(supplier.status, bool(row.blacklisted), row.qualification, relationship,
                      _certificate_types(row.expired), _certificate_types(row.missing), row.overdue or 0)


def check(session: Session, request: CheckRequest, today: date, client_id: int | None = None) -> PurchaseCheck:
    """Answer and log a purchase check; unknown supplier, category or organisation are field errors."""
    errors: dict[str, list] = {}
    supplier = _supplier(session, request)
    if supplier is None:
        field_name = "credit_code" if request.supplier_id is None and request.credit_code else "supplier_id"
        if request.supplier_id is None and not request.credit_code:
            errors.setdefault("supplier_id", []).append(_l("Give the supplier's id or credit code."))
        else:
            errors.setdefault(field_name, []).append(_l("No such supplier in the group."))
    category = session.scalar(select(SupplyCategory).where(SupplyCategory.code == (request.category or "").strip()))
    if category is None:
        errors.setdefault("category", []).append(_l("Unknown category code: %(code)s.", code=request.category))
    organisation = scope.organisation_by_code(session, request.organisation or "")
    if organisation is None or not scope.current(session).allows(organisation.id):
        errors.setdefault("organisation", []).append(
            _l("Unknown organisation code: %(code)s.", code=request.organisation))
    if errors:
        raise ValidationFailed(errors)
    facts = gather(session, supplier, category, organisation, today)
    outcome, reasons = decide(facts, rules_for(session, category.id))
    record = PurchaseCheck(supplier_id=supplier.id, category_id=category.id, organisation_id=organisation.id,
                           client_id=client_id, outcome=outcome, reasons=[r.as_dict() for r in reasons],
                           reference=(request.reference or "")[:100] or None)
    session.add(record)
    session.flush()
    # The answer names them: set what is loaded already rather than loading it again.
    record.supplier, record.category, record.organisation = supplier, category, organisation
    return record


def for_supplier(session: Session, supplier_id: int, limit: int = 20) -> list[PurchaseCheck]:
    """The latest checks of a supplier that the session's scope may see, newest first."""
    stmt = (select(PurchaseCheck).where(PurchaseCheck.supplier_id == supplier_id)
            .order_by(PurchaseCheck.id.desc()).limit(limit))
    return list(session.scalars(stmt))
