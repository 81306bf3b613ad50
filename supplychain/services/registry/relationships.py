"""Who in the group buys from which supplier: opening, suspending and ending supplier relationships.

One supplier record serves the whole group (one credit code, one admission). A relationship says
that an organisation buys from it, for some categories, since a date, with a responsible buyer.
A buyer sees the suppliers their subtree has a relationship with (supplychain.scope); the group
master is searched across the whole group and shows only what the group shares: name, credit
code, status and per-category qualification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import Conflict, ValidationFailed, add_error
from supplychain.models import (
    RELATIONSHIP_STATUSES,
    Organisation,
    Supplier,
    SupplierQualification,
    SupplierRelationship,
    SupplyCategory,
    User,
)
from supplychain.services.core import audit
from supplychain.services.registry import supplier_search

AUDITED_FIELDS = ("organisation_id", "supplier_id", "status", "since_on", "until_on", "planned_until_on", "buyer_id")
CLOSED_SUPPLIER_STATUSES = ("blacklisted",)


@dataclass
class RelationshipData:
    """What a buyer enters to start buying from a supplier of the group master."""

    organisation_id: int | None
    supplier_id: int | None
    category_codes: list[str] = field(default_factory=list)
    since_on: date | None = None
    buyer_id: int | None = None
    planned_until_on: date | None = None  # when the work is planned to end (a contractor on a project site)


def _snapshot(relationship: SupplierRelationship) -> dict:
    values = audit.snapshot(relationship, AUDITED_FIELDS)
    values["category_codes"] = sorted(c.code for c in relationship.categories)
    return values


def _existing(session: Session, organisation_id: int, supplier_id: int) -> SupplierRelationship | None:
    return session.scalar(scope.unscoped(select(SupplierRelationship).where(
        SupplierRelationship.organisation_id == organisation_id, SupplierRelationship.supplier_id == supplier_id)))


def open_relationship(
    session: Session, data: RelationshipData, actor: User | None, today: date
) -> SupplierRelationship:
    """Start (or restart) buying from a supplier; every problem reported at once, audited."""
    errors: dict[str, list] = {}
    organisation = session.get(Organisation, data.organisation_id) if data.organisation_id else None
    if organisation is None or not scope.current(session).allows(organisation.id):
        add_error(errors, "organisation_id", _l("Choose an organisation within your own."))
    elif not organisation.is_open:
        add_error(errors, "organisation_id", _l("This organisation is closed."))
    supplier = session.scalar(scope.unscoped(select(Supplier).where(Supplier.id == data.supplier_id))) \
        if data.supplier_id else None
    if supplier is None:
        add_error(errors, "supplier_id", _l("Choose a supplier of the group."))
    elif supplier.status in CLOSED_SUPPLIER_STATUSES:
        add_error(errors, "supplier_id", _l("%(name)s is blacklisted: no organisation may start buying from it.",
                                       name=supplier.name_zh))
    codes = sorted(set(data.category_codes or []))
    categories = list(session.scalars(select(SupplyCategory).where(SupplyCategory.code.in_(codes)))) if codes else []
    if len(categories) != len(codes):
        add_error(errors, "categories", _l("Choose categories from the list."))
    _check_planned_end(errors, data.since_on or today, data.planned_until_on)
    if data.buyer_id is not None:
        buyer = session.get(User, data.buyer_id)
        if buyer is None or not buyer.is_staff:
            add_error(errors, "buyer_id", _l("The responsible buyer must be a staff user."))
    existing = None
    if not errors:
        existing = _existing(session, organisation.id, supplier.id)
        if existing is not None and existing.status == "active":
            add_error(errors, "supplier_id", _l("%(org)s already buys from this supplier.", org=organisation.name_zh))
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(existing) if existing is not None else {}
    relationship = existing or SupplierRelationship(organisation_id=organisation.id, supplier_id=supplier.id)
    relationship.status = "active"
    relationship.since_on = data.since_on or today
    relationship.until_on = None
    relationship.planned_until_on = data.planned_until_on
    relationship.buyer_id = data.buyer_id or getattr(actor, "id", None)
    relationship.categories = categories or list(supplier.categories)
    session.add(relationship)
    session.flush()
    audit.record(session, actor, "update" if existing else "create", "supplier_relationship", relationship.id,
                 audit.diff(before, _snapshot(relationship)), supplier_id=supplier.id,
                 note=organisation.display_name)
    return relationship


def ensure(session: Session, organisation_id: int | None, supplier: Supplier, actor: User | None,
           today: date) -> SupplierRelationship | None:
    """The organisation's relationship with the supplier, opened when a record first links them."""
    if organisation_id is None:
        return None
    existing = _existing(session, organisation_id, supplier.id)
    if existing is not None:
        return existing
    relationship = SupplierRelationship(organisation_id=organisation_id, supplier_id=supplier.id, status="active",
                                        since_on=today, buyer_id=getattr(actor, "id", None),
                                        categories=list(supplier.categories))
    session.add(relationship)
    session.flush()
    audit.record(session, actor, "create", "supplier_relationship", relationship.id,
                 audit.diff({}, _snapshot(relationship)), supplier_id=supplier.id)
    return relationship


def change_relationship(session: Session, relationship: SupplierRelationship, status: str, reason: str,
                        expected_version: int | None, actor: User | None, today: date) -> bool:
    """Suspend, end or reactivate a relationship with a reason; refuses a stale form (optimistic lock). The
    relationship's own status changes nothing: no audit entry, no new version; False is returned."""
    if not str(expected_version or "").isdigit() or int(expected_version) != relationship.version_id:
        raise Conflict()
    errors: dict[str, list] = {}
    if status not in RELATIONSHIP_STATUSES:
        add_error(errors, "status", _l("Unknown status."))
    elif status == relationship.status:
        return False
    if not (reason or "").strip():
        add_error(errors, "reason", _l("Give the reason for the status change."))
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(relationship)
    relationship.status = status
    relationship.until_on = today if status == "ended" else None
    session.flush()
    audit.record(session, actor, "status", "supplier_relationship", relationship.id,
                 audit.diff(before, _snapshot(relationship)), supplier_id=relationship.supplier_id,
                 note=reason.strip())
    return True


def _check_planned_end(errors: dict[str, list], since_on: date, planned_until_on: date | None) -> None:
    if planned_until_on is not None and planned_until_on < since_on:
        add_error(errors, "planned_until_on",
                  _l("The planned end (%(end)s) cannot be before the work starts (%(start)s).",
                     end=planned_until_on.isoformat(), start=since_on.isoformat()))


def set_planned_end(session: Session, relationship: SupplierRelationship, planned_until_on: date | None,
                    expected_version, actor: User | None) -> None:
    """Set or clear when the work is planned to end (not before it started); refuses a stale form; audited."""
    if not str(expected_version or "").isdigit() or int(expected_version) != relationship.version_id:
        raise Conflict()
    errors: dict[str, list] = {}
    _check_planned_end(errors, relationship.since_on, planned_until_on)
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(relationship)
    relationship.planned_until_on = planned_until_on
    session.flush()
    changes = audit.diff(before, _snapshot(relationship))
    if changes:
        audit.record(session, actor, "update", "supplier_relationship", relationship.id, changes,
                     supplier_id=relationship.supplier_id, note=relationship.organisation.display_name)


def for_supplier(session: Session, supplier_id: int) -> list[SupplierRelationship]:
    """The supplier's relationships inside the acting scope, by organisation code."""
    stmt = (select(SupplierRelationship).join(SupplierRelationship.organisation)
            .where(SupplierRelationship.supplier_id == supplier_id).order_by(Organisation.code))
    return list(session.scalars(stmt))


def get_relationship(session: Session, relationship_id: int) -> SupplierRelationship | None:
    """One relationship, if the acting scope may see it."""
    return session.get(SupplierRelationship, relationship_id)


def active_count(session: Session, organisation_id: int) -> int:
    """How many suppliers an organisation buys from at present (closing it needs none)."""
    return session.scalar(scope.unscoped(select(func.count(SupplierRelationship.id)).where(
        SupplierRelationship.organisation_id == organisation_id, SupplierRelationship.status == "active"))) or 0


@dataclass(frozen=True)
class MasterEntry:
    """What every buyer of the group may see of a supplier: no evaluations, no notes."""

    id: int
    name_zh: str
    name_en: str | None
    credit_code: str | None
    status: str
    region: str
    qualifications: tuple[tuple[str, str, str], ...]  # (category code, category name, status)
    organisation_count: int
    in_scope: bool


def master_entries(session: Session, supplier_ids: list[int]) -> list[MasterEntry]:
    """The shared view of these suppliers of the group master, in the given order."""
    if not supplier_ids:
        return []
    stmt = scope.unscoped(select(Supplier).where(Supplier.id.in_(supplier_ids)))
    suppliers = {s.id: s for s in session.scalars(stmt)}
    quals: dict[int, list] = {}
    rows = session.execute(scope.unscoped(
        select(SupplierQualification.supplier_id, SupplyCategory.code, SupplyCategory.name_zh,
               SupplierQualification.status)
        .join(SupplyCategory, SupplyCategory.id == SupplierQualification.category_id)
        .where(SupplierQualification.supplier_id.in_(supplier_ids)).order_by(SupplyCategory.code)))
    for sid, code, name, status in rows:
        quals.setdefault(sid, []).append((code, name, status))
    counts = dict(session.execute(scope.unscoped(
        select(SupplierRelationship.supplier_id, func.count(SupplierRelationship.id))
        .where(SupplierRelationship.supplier_id.in_(supplier_ids), SupplierRelationship.status == "active")
        .group_by(SupplierRelationship.supplier_id))).all())
    visible = set(session.scalars(select(Supplier.id).where(Supplier.id.in_(supplier_ids))))
    return [
        MasterEntry(s.id, s.name_zh, s.name_en, s.credit_code, s.status, s.region, tuple(quals.get(s.id, ())),
                    counts.get(s.id, 0), s.id in visible)
        for sid in supplier_ids if (s := suppliers.get(sid)) is not None
    ]


@dataclass(frozen=True)
class SupplierRef:
    """How a record names its supplier to a reader: the name the group shares, and whether the reader's scope
    holds the supplier (its page opens) or not (a record of their own organisation naming a supplier only
    other organisations buy from: a training it attended, an incident, an audit)."""

    id: int
    name_zh: str
    in_scope: bool


def supplier_refs(session: Session, supplier_ids) -> dict[int, SupplierRef]:
    """The suppliers these records name, by id: the names the group shares and whether the session's scope holds
    each (two queries per thousand suppliers)."""
    ids = sorted({supplier_id for supplier_id in supplier_ids if supplier_id})
    refs: dict[int, SupplierRef] = {}
    for start in range(0, len(ids), 1000):  # a long list (every overdue action) in bounded IN lists
        chunk = ids[start:start + 1000]
        # Columns, not Supplier objects: an object loaded across the group would answer later relationship loads
        # of this request from the identity map, past the scope.
        names = session.execute(scope.unscoped(select(Supplier.id, Supplier.name_zh)
                                               .where(Supplier.id.in_(chunk)))).all()
        visible = set(session.scalars(scope.row_by_row(select(Supplier.id).where(Supplier.id.in_(chunk)))))
        refs.update((supplier_id, SupplierRef(supplier_id, name, supplier_id in visible))
                    for supplier_id, name in names)
    return refs


def search_master(session: Session, query: str, limit: int = 50) -> list[MasterEntry]:
    """Suppliers of the whole group master matching every word of the query (names, credit code, pinyin)."""
    clause = supplier_search.matches(query)
    if clause is None:
        return []
    stmt = select(Supplier.id).where(clause)
    ids = list(session.scalars(scope.unscoped(stmt.order_by(Supplier.name_zh).limit(limit))))
    return master_entries(session, ids)
