"""Organisation scope: the one mechanism that limits what a staff user (or a report boundary) sees.

A scope is a plain value: the set of organisation ids whose records may be seen, or ``None`` for the
whole group. The web layer activates the acting user's scope on the request's session, the CLI and
jobs activate the one their caller asked for, and one ``do_orm_execute`` hook adds the criteria
below to every ORM query of that session — lists, counts, look-ups by id, relationship loads. A
service therefore cannot forget the scope, and an object outside it is simply "not found". The public
verification pages (a printed scorecard's or certificate's code) read through ``whole_group``: they answer
everyone the same.

What a scope allows:
- suppliers that an organisation of the scope has a relationship with (the group master is
  searched explicitly through ``unscoped``, showing only the fields the group shares);
- records that carry an organisation (pledges, trainings, incidents, corrective actions,
  evaluations, relationships) when that organisation is in the scope;
- supplier-owned records (certificates, screenings, questionnaires, attachments, …) of visible
  suppliers; of a visible supplier's audit trail, the entries of records that carry an organisation only
  when that organisation is in the scope (another subsidiary's evaluation scores stay its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, event, false, func, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from supplychain.models import (
    ActionRequest,
    AnnualCertificate,
    Attachment,
    Audit,
    AuditEntry,
    AuditFinding,
    BackgroundJob,
    Campaign,
    CampaignRecipient,
    CampaignReminder,
    Certification,
    ChangeRequest,
    CorrectiveAction,
    DisclosureFigure,
    DisclosureNarrative,
    DisclosurePublication,
    Evaluation,
    Incident,
    IntegrityPledge,
    Invitation,
    Organisation,
    PortalMember,
    PurchaseCheck,
    ReceiptLine,
    SaqResponse,
    ScorecardIssue,
    ScreeningResult,
    SpendLine,
    Supplier,
    SupplierChange,
    SupplierQualification,
    SupplierRelationship,
    SupplierRisk,
    SupplyChainPolicy,
    TrainingAttendance,
    TrainingSession,
    User,
)

# The relationships as a plain table: the ORM criteria of SupplierRelationship would only repeat the same
# organisation filter (inside the supplier criteria, the local condition).
_RELATIONSHIPS = SupplierRelationship.__table__

_SESSION_KEY = "organisation_scope"
_UNSCOPED = "unscoped"
_ROW_BY_ROW = "scope_row_by_row"

# Records that carry the organisation that made them. A disclosure editor's entries (figures, narratives,
# policies) without an organisation are the whole group's: only a whole-group scope sees them as records.
ORGANISATION_RECORDS = (IntegrityPledge, TrainingSession, Incident, CorrectiveAction, Evaluation, SupplierRelationship,
                        PurchaseCheck, SpendLine, ReceiptLine, Audit, AuditFinding, DisclosureFigure,
                        DisclosureNarrative, SupplyChainPolicy, DisclosurePublication, Campaign)
# Audit entries of a record that carries an organisation belong to that organisation: a subsidiary reads the trail of
# a supplier it shares without another organisation's evaluations (scores, comments), relationships, pledges,
# incidents or actions (issue 9, item 3). Plain tables: the ORM criteria of these models must not apply inside.
AUDITED_ORGANISATION_RECORDS = {
    "evaluation": Evaluation.__table__, "supplier_relationship": SupplierRelationship.__table__,
    "pledge": IntegrityPledge.__table__, "incident": Incident.__table__,
    "corrective_action": CorrectiveAction.__table__,
    "training_session": TrainingSession.__table__, "audit": Audit.__table__, "audit_finding": AuditFinding.__table__,
    "campaign": Campaign.__table__,
}
_TRAINING_SESSIONS, _ATTENDANCES = TrainingSession.__table__, TrainingAttendance.__table__

# Records that belong to a supplier: visible with the supplier.
SUPPLIER_RECORDS = (
    Certification, ScreeningResult, SaqResponse, ChangeRequest, Invitation, PortalMember, Attachment,
    AnnualCertificate, ScorecardIssue, SupplierQualification, AuditEntry, SupplierChange, SupplierRisk,
    ActionRequest,
)


@dataclass(frozen=True)
class Scope:
    """The organisations whose records may be seen; ``organisation_ids=None`` means the whole group."""

    organisation_ids: frozenset[int] | None = None

    @property
    def everything(self) -> bool:
        """Whether the scope is the whole group."""
        return self.organisation_ids is None

    def allows(self, organisation_id: int | None) -> bool:
        """Whether records of this organisation are inside the scope."""
        return self.everything or organisation_id in self.organisation_ids

    def narrowed_to(self, subtree: frozenset[int]) -> Scope:
        """This scope limited to a subtree (a reporting boundary inside what the user may see)."""
        return Scope(subtree if self.everything else subtree & self.organisation_ids)


EVERYTHING = Scope()


def children_index(session: Session) -> dict[int | None, list[int]]:
    """Organisation ids by parent id (None for the root), read in one query."""
    index: dict[int | None, list[int]] = {}
    rows = session.execute(select(Organisation.id, Organisation.parent_id).execution_options(**{_UNSCOPED: True}))
    for org_id, parent_id in rows:
        index.setdefault(parent_id, []).append(org_id)
    return index


def subtree_ids(session: Session, organisation_id: int) -> frozenset[int]:
    """The organisation and all its descendants."""
    index = children_index(session)
    seen: set[int] = set()
    stack = [organisation_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(index.get(current, ()))
    return frozenset(seen)


def ancestor_ids(session: Session, organisation_id: int | None) -> list[int]:
    """The organisation and its ancestors, nearest first (empty without an organisation)."""
    parents = dict(session.execute(unscoped(select(Organisation.id, Organisation.parent_id))).all())
    chain: list[int] = []
    while organisation_id is not None and organisation_id not in chain:
        chain.append(organisation_id)
        organisation_id = parents.get(organisation_id)
    return chain


def for_organisation(session: Session, organisation: Organisation | None) -> Scope:
    """The scope of a staff member of this organisation: everything for the root, else its subtree."""
    if organisation is None:
        # A staff account without an organisation sees nothing (the user service refuses to create one).
        return Scope(frozenset())
    if organisation.parent_id is None:
        return EVERYTHING
    return Scope(subtree_ids(session, organisation.id))


def root(session: Session) -> Organisation | None:
    """The root of the group (the listed parent)."""
    return session.scalar(unscoped(select(Organisation).where(Organisation.parent_id.is_(None))
                                   .order_by(Organisation.id).limit(1)))


def organisation_by_code(session: Session, code: str) -> Organisation | None:
    """The organisation with this code (case-insensitive), across the whole group."""
    wanted = (code or "").strip().upper()
    return session.scalar(unscoped(select(Organisation).where(func.upper(Organisation.code) == wanted)))


def record_organisation(session: Session, chosen_id: int | None, actor) -> tuple[int | None, list]:
    """The organisation a new record belongs to, and the problems with the choice.

    The chosen organisation when it is open and inside the acting scope; without a choice the actor's
    own organisation, or the root for the command line and jobs.
    """
    if chosen_id:
        organisation = session.get(Organisation, chosen_id)
        if organisation is None or not current(session).allows(organisation.id):
            return None, [_l("Choose an organisation within your own.")]
        if not organisation.is_open:
            return None, [_l("This organisation is closed.")]
        return organisation.id, []
    if getattr(actor, "organisation_id", None):
        return actor.organisation_id, []
    top = root(session)
    return (top.id if top else None), []


def activate(session: Session, scope: Scope) -> None:
    """Apply a scope to every following ORM query of this session."""
    session.info[_SESSION_KEY] = scope


def current(session: Session) -> Scope:
    """The scope active on this session (the whole group when none was activated)."""
    return session.info.get(_SESSION_KEY, EVERYTHING)


def narrow_to_boundary(session: Session, organisation_id: int | None) -> Organisation | None:
    """Report for one organisation's subtree within the session's scope; returns the boundary's organisation.

    Without an organisation: the whole scope (None for the whole group, else the scope's top organisation).
    An organisation outside the scope raises LookupError (the page answers 404).
    """
    active = current(session)
    if organisation_id is None:
        if active.everything:
            return None
        tops = [org for org in organisations_in_scope(session) if org.parent_id not in active.organisation_ids]
        return tops[0] if len(tops) == 1 else None
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or not active.allows(organisation.id):
        raise LookupError(organisation_id)
    if organisation.parent_id is not None or not active.everything:
        activate(session, active.narrowed_to(subtree_ids(session, organisation.id)))
    return organisation


def unscoped(statement):
    """Mark a statement to run across the whole group (the group master search, duplicate checks)."""
    return statement.execution_options(**{_UNSCOPED: True})


@contextmanager
def whole_group(session: Session) -> Iterator[Session]:
    """Run a block across the whole group, whatever scope the session has; the scope comes back after it.

    The block form of ``unscoped`` (which marks one statement): it also covers the relationship loads of
    the objects the block reads. Only for the public verification pages, which answer anyone holding a
    printed code the same, logged in or not, and show no more than they show logged out.
    """
    saved = session.info.get(_SESSION_KEY)
    session.info[_SESSION_KEY] = EVERYTHING
    try:
        yield session
    finally:
        if saved is None:
            session.info.pop(_SESSION_KEY, None)
        else:
            session.info[_SESSION_KEY] = saved


def row_by_row(statement):
    """Mark a query that reaches few rows (a page of the list, a page's risk tiers): the scope applies row by row.

    The same condition as a correlated EXISTS on the relationships, probed for each row the query reaches,
    instead of `IN (every supplier the scope buys from)`, which SQLite builds first (37,000 ids for a
    subsidiary, 15–60 ms of CPU) even to check 50 rows. PostgreSQL plans both shapes as the same semi-join.
    """
    return statement.execution_options(**{_ROW_BY_ROW: True})


def visible_supplier_ids(organisation_ids: frozenset[int]):
    """A subquery: suppliers that one of these organisations has a relationship with."""
    return select(SupplierRelationship.supplier_id).where(
        SupplierRelationship.organisation_id.in_(sorted(organisation_ids))
    )


def users_in_scope(statement: Select, scope: Scope) -> Select:
    """Limit a query of users to staff of the scope's organisations and users of its suppliers.

    Users are not filtered by the session hook: a record's author from another organisation must still
    load as a name, but account lists and account pages go through here.
    """
    if scope.everything:
        return statement
    ids = sorted(scope.organisation_ids)
    return statement.where(or_(User.organisation_id.in_(ids),
                               User.supplier_id.in_(visible_supplier_ids(scope.organisation_ids))))


def organisations_in_scope(session: Session) -> list[Organisation]:
    """The organisations the session's scope may see, by code (choices for forms and filters)."""
    stmt = unscoped(select(Organisation).order_by(Organisation.code))
    active = current(session)
    if not active.everything:
        stmt = stmt.where(Organisation.id.in_(sorted(active.organisation_ids)))
    return list(session.scalars(stmt))


def local_condition(session: Session):
    """SQL: the supplier is in the home province of at least one organisation of the scope that buys from it.

    When every organisation of the scope has the same home province (a subsidiary and its sites, as a
    rule) this is simply "in that province", since every supplier the scope sees is bought by one of
    them: one indexed comparison instead of a look-up per supplier.

    Otherwise the organisations are grouped by home province (a group has a handful of provinces), and
    the condition reads "in province P and bought by one of P's organisations" for each P: only the
    suppliers of a home province are looked up, each by one probe of the index on (supplier_id,
    organisation_id), without reading the relationships or the organisations row by row (issue 14: the
    list page's counts at 100,000 suppliers).
    """
    active = current(session)
    stmt = unscoped(select(Organisation.id, Organisation.home_province))
    if not active.everything:
        stmt = stmt.where(Organisation.id.in_(sorted(active.organisation_ids)))
    by_province: dict[str | None, list[int]] = {}
    for organisation_id, province in session.execute(stmt):
        by_province.setdefault(province or None, []).append(organisation_id)
    if not active.everything and len(by_province) == 1:
        (province,) = by_province
        return Supplier.province_code == province if province else false()
    branches = [
        and_(Supplier.province_code == province,
             select(_RELATIONSHIPS.c.id).where(_RELATIONSHIPS.c.supplier_id == Supplier.id,
                                               _RELATIONSHIPS.c.organisation_id.in_(sorted(ids))).exists())
        for province, ids in sorted(by_province.items(), key=lambda item: item[0] or "") if province
    ]
    return or_(*branches) if branches else false()


def local_supplier_ids(session: Session) -> set[int]:
    """Suppliers of the session's scope that are local to at least one of its organisations buying from them."""
    return set(session.scalars(select(Supplier.id).where(local_condition(session))))



@lru_cache(maxsize=256)
def _criteria(scope: Scope, correlated: bool = False) -> tuple:
    # Lambda criteria with the ids as a tracked closure variable: SQLAlchemy caches the compiled SQL once
    # and binds the ids as a parameter, so a scoped query costs no more to compile than an unscoped one.
    #
    # Two shapes of the same condition. A query of the application (a list, a count, a search) asks
    # "supplier IN (the suppliers the scope buys from)": the database reads that list once and checks every
    # candidate row against it. A relationship load (the categories of the 50 suppliers of a page, the
    # certificates of one supplier) asks a correlated EXISTS instead: SQLite would otherwise build the whole
    # list (tens of thousands of ids) for a handful of rows, once per load.
    #
    # Remembered per scope and shape (a scope is a frozen value): building these ~35 options cost more than
    # 10 ms of CPU per request of a subsidiary's list page, repeated for every query of the request.
    ids = tuple(sorted(scope.organisation_ids))
    if not ids:
        return tuple(with_loader_criteria(model, false())
                     for model in (Supplier, BackgroundJob, CampaignRecipient, CampaignReminder, *ORGANISATION_RECORDS,
                                   *SUPPLIER_RECORDS))
    if correlated:
        options = [with_loader_criteria(Supplier, lambda cls: select(_RELATIONSHIPS.c.id).where(
                                            _RELATIONSHIPS.c.supplier_id == cls.id,
                                            _RELATIONSHIPS.c.organisation_id.in_(ids)).exists(),
                                        include_aliases=True, track_closure_variables=True,
                                        propagate_to_loaders=False)]
        options += [with_loader_criteria(model, lambda cls: select(_RELATIONSHIPS.c.id).where(
                                             _RELATIONSHIPS.c.supplier_id == cls.supplier_id,
                                             _RELATIONSHIPS.c.organisation_id.in_(ids)).exists(),
                                         include_aliases=True, track_closure_variables=True,
                                         propagate_to_loaders=False)
                    for model in SUPPLIER_RECORDS]
    else:
        options = [with_loader_criteria(Supplier, lambda cls: cls.id.in_(
                                            select(_RELATIONSHIPS.c.supplier_id)
                                            .where(_RELATIONSHIPS.c.organisation_id.in_(ids))),
                                        include_aliases=True, track_closure_variables=True,
                                        propagate_to_loaders=False)]
        options += [with_loader_criteria(model, lambda cls: cls.supplier_id.in_(
                                             select(_RELATIONSHIPS.c.supplier_id)
                                             .where(_RELATIONSHIPS.c.organisation_id.in_(ids))),
                                         include_aliases=True, track_closure_variables=True,
                                         propagate_to_loaders=False)
                    for model in SUPPLIER_RECORDS]
    options.append(with_loader_criteria(AuditEntry, _audit_entries_of(ids), propagate_to_loaders=False))
    options += [with_loader_criteria(model, lambda cls: cls.organisation_id.in_(ids), include_aliases=True,
                                     track_closure_variables=True, propagate_to_loaders=False)
                for model in ORGANISATION_RECORDS]
    options.append(with_loader_criteria(
        BackgroundJob,
        lambda cls: cls.created_by_id.in_(select(User.id).where(User.organisation_id.in_(ids))),
        include_aliases=True, track_closure_variables=True, propagate_to_loaders=False,
    ))
    options.append(with_loader_criteria(
        TrainingAttendance,
        lambda cls: cls.session_id.in_(select(TrainingSession.id).where(TrainingSession.organisation_id.in_(ids))),
        include_aliases=True, track_closure_variables=True, propagate_to_loaders=False,
    ))
    # A campaign's recipients and reminders are seen with the campaign (the sending organisation's).
    options.append(with_loader_criteria(
        CampaignRecipient,
        lambda cls: cls.campaign_id.in_(select(Campaign.id).where(Campaign.organisation_id.in_(ids))),
        include_aliases=True, track_closure_variables=True,
    ))
    options.append(with_loader_criteria(
        CampaignReminder,
        lambda cls: cls.recipient_id.in_(
            select(CampaignRecipient.id).join(Campaign, Campaign.id == CampaignRecipient.campaign_id)
            .where(Campaign.organisation_id.in_(ids))),
        include_aliases=True, track_closure_variables=True,
    ))
    return tuple(options)


@lru_cache(maxsize=64)
def _audit_entries_of(ids: tuple[int, ...]):
    """SQL: an audit entry the scope may read of a visible supplier: not of a record that carries an organisation,
    or of one made by an organisation of the scope (an index look-up of the scope's records, not a scan)."""
    branches = [and_(AuditEntry.entity_type == entity_type,
                     AuditEntry.entity_id.in_(select(table.c.id).where(table.c.organisation_id.in_(ids))))
                for entity_type, table in AUDITED_ORGANISATION_RECORDS.items()]
    branches.append(and_(AuditEntry.entity_type == "training_attendance", AuditEntry.entity_id.in_(
        select(_ATTENDANCES.c.id).join(_TRAINING_SESSIONS, _TRAINING_SESSIONS.c.id == _ATTENDANCES.c.session_id)
        .where(_TRAINING_SESSIONS.c.organisation_id.in_(ids)))))
    return or_(AuditEntry.entity_type.not_in([*AUDITED_ORGANISATION_RECORDS, "training_attendance"]), *branches)


@event.listens_for(Session, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    """Add the active scope's criteria to every ORM select of a scoped session.

    Every select gets them here, relationship and column loads included (the criteria are not propagated
    from the query that loaded the parent objects, so each load carries exactly one set, in its shape).
    """
    if not state.is_select or state.execution_options.get(_UNSCOPED):
        return
    scope = state.session.info.get(_SESSION_KEY)
    if scope is None or scope.everything:
        return
    correlated = state.is_relationship_load or state.is_column_load or state.execution_options.get(_ROW_BY_ROW, False)
    state.statement = state.statement.options(*_criteria(scope, correlated))
