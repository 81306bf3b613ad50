"""Contractors on project sites (issue 11, part 5): where each works, its inductions and safety training there,
and the qualified-subcontractor list (合格分包商名录) of each project.

A contractor works on a project site when the project (an organisation of kind "project") has a supplier
relationship with it: the relationship's dates are when it works there, and the organisation scope that
already limits every relationship limits the contractors a project's staff see. Site inductions and safety
training are training sessions held by the project, with a head count per contractor.

The qualified-subcontractor list is never stored: it is derived at read time from the supplier's status, its
qualification per category and its relationship with the project, so blacklisting or suspending a contractor
takes it off every project's list at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.models import (
    Organisation,
    Supplier,
    SupplierQualification,
    SupplierRelationship,
    TrainingAttendance,
    TrainingSession,
)

CONTRACTOR = "contractor"
PROJECT = "project"
INDUCTION = "induction"
# Training of a project's programme counted per contractor: the site induction (入场安全教育) and the project's
# safety and environment training.
SITE_TOPICS = (INDUCTION, "safety", "environment")
# A contractor is on a project's list while it (and its qualification for the work) is qualified or conditional
# (qualified with corrective actions open); trial, suspended, exited, blacklisted and rejected ones are not.
LISTED_STATUSES = ("qualified", "conditional")
# Why a contractor working on a site is not on its list, in the order they are checked.
REASONS = ("supplier_status", "relationship_status", "not_started", "ended", "not_qualified")


def listing_reason(supplier_status: str, relationship_status: str, since_on: date | None, until_on: date | None,
                   category_statuses: list[str], today: date) -> str | None:
    """Why the contractor is off the project's list today (a key of REASONS), or None when it is on it.

    `category_statuses` are its qualification statuses for the categories it works in on the project (all its
    qualifications when the relationship names no category).
    """
    if supplier_status not in LISTED_STATUSES:
        return "supplier_status"
    if relationship_status != "active":
        return "relationship_status"
    if since_on is not None and since_on > today:
        return "not_started"
    if until_on is not None and until_on < today:
        return "ended"
    if not any(status in LISTED_STATUSES for status in category_statuses):
        return "not_qualified"
    return None


def past_planned_end(relationship_status: str, planned_until_on: date | None, today: date) -> bool:
    """The work is past its planned end and not closed: the planned end is before today and the relationship
    is not ended (a suspended one still has to be closed or given a new planned end)."""
    return planned_until_on is not None and planned_until_on < today and relationship_status != "ended"


@dataclass
class SiteTraining:
    """One contractor's training at one project: inductions and safety/environment sessions with head counts."""

    inductions: int = 0
    inducted_workers: int = 0
    last_induction_on: date | None = None
    safety_sessions: int = 0
    safety_workers: int = 0

    @property
    def workers(self) -> int:
        """Workers trained at the project in all (each attendance's head count)."""
        return self.inducted_workers + self.safety_workers


@dataclass(frozen=True)
class ContractorEntry:
    """A contractor working (or having worked) on a project site, with its training there and its listing."""

    project: Organisation
    supplier: Supplier
    relationship: SupplierRelationship
    category_codes: tuple[str, ...]
    training: SiteTraining
    reason: str | None
    overrun: bool = False  # past its planned end and not closed (see past_planned_end)

    @property
    def listed(self) -> bool:
        """On the project's qualified-subcontractor list today."""
        return self.reason is None


@dataclass
class ProjectList:
    """A project's contractors, those on its qualified-subcontractor list first, and its training figures."""

    project: Organisation
    entries: list[ContractorEntry] = field(default_factory=list)
    sessions: int = 0
    workers: int = 0

    @property
    def listed(self) -> list[ContractorEntry]:
        """The qualified-subcontractor list."""
        return [entry for entry in self.entries if entry.listed]

    @property
    def not_listed(self) -> list[ContractorEntry]:
        """Contractors on the site that are not on the list, each with its reason."""
        return [entry for entry in self.entries if not entry.listed]

    @property
    def overrunning(self) -> list[ContractorEntry]:
        """Contractors whose work is past its planned end and not closed."""
        return [entry for entry in self.entries if entry.overrun]

    @property
    def inducted(self) -> int:
        """Contractors with at least one site induction at the project."""
        return sum(1 for entry in self.entries if entry.training.inductions)


def projects(session: Session) -> list[Organisation]:
    """The project sites the acting scope may see, by code."""
    return [org for org in scope.organisations_in_scope(session) if org.kind == PROJECT]


def get_project(session: Session, project_id: int) -> Organisation:
    """A project site inside the acting scope; LookupError for anything else (the page answers 404)."""
    project = session.get(Organisation, project_id)
    if project is None or project.kind != PROJECT or not scope.current(session).allows(project.id):
        raise LookupError(project_id)
    return project


def _site_training(session: Session, project_ids: list[int], today: date,
                   supplier_id: int | None = None) -> dict[tuple[int, int], SiteTraining]:
    """Training per (project, contractor) up to today, from completed attendances at the projects' sessions."""
    stmt = (select(TrainingSession.organisation_id, TrainingAttendance.supplier_id, TrainingSession.topic,
                   func.count(TrainingSession.id), func.coalesce(func.sum(TrainingAttendance.head_count), 0),
                   func.max(TrainingSession.held_on))
            .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
            .where(TrainingSession.organisation_id.in_(project_ids), TrainingSession.topic.in_(SITE_TOPICS),
                   TrainingSession.held_on <= today, TrainingAttendance.completed.is_(True))
            .group_by(TrainingSession.organisation_id, TrainingAttendance.supplier_id, TrainingSession.topic))
    if supplier_id is not None:
        stmt = stmt.where(TrainingAttendance.supplier_id == supplier_id)
    found: dict[tuple[int, int], SiteTraining] = defaultdict(SiteTraining)
    for project_id, contractor_id, topic, sessions, workers, last in session.execute(stmt):
        figures = found[(project_id, contractor_id)]
        if topic == INDUCTION:
            figures.inductions += sessions
            figures.inducted_workers += int(workers)
            figures.last_induction_on = last
        else:
            figures.safety_sessions += sessions
            figures.safety_workers += int(workers)
    return found


def _qualification_statuses(session: Session, supplier_ids: list[int]) -> dict[int, dict[int, str]]:
    """Each supplier's qualification status per category id."""
    found: dict[int, dict[int, str]] = defaultdict(dict)
    if not supplier_ids:
        return found
    stmt = select(SupplierQualification.supplier_id, SupplierQualification.category_id,
                  SupplierQualification.status).where(SupplierQualification.supplier_id.in_(supplier_ids))
    for supplier_id, category_id, status in session.execute(stmt):
        found[supplier_id][category_id] = status
    return found


def _entries(session: Session, projects_by_id: dict[int, Organisation], today: date,
             supplier_id: int | None = None) -> list[ContractorEntry]:
    """Contractors of these projects (or one contractor's projects), listing decided today."""
    if not projects_by_id:
        return []
    project_ids = sorted(projects_by_id)
    stmt = (select(SupplierRelationship, Supplier).join(Supplier, Supplier.id == SupplierRelationship.supplier_id)
            .where(SupplierRelationship.organisation_id.in_(project_ids), Supplier.supplier_type == CONTRACTOR)
            .order_by(Supplier.name_zh, Supplier.id))
    if supplier_id is not None:
        stmt = stmt.where(Supplier.id == supplier_id)
    rows = list(session.execute(stmt).tuples())
    qualifications = _qualification_statuses(session, sorted({supplier.id for _rel, supplier in rows}))
    training = _site_training(session, project_ids, today, supplier_id)
    entries = []
    for relationship, supplier in rows:
        held = qualifications.get(supplier.id, {})
        category_ids = [category.id for category in relationship.categories]
        statuses = [held[i] for i in category_ids if i in held] if category_ids else list(held.values())
        reason = listing_reason(supplier.status, relationship.status, relationship.since_on, relationship.until_on,
                                statuses, today)
        entries.append(ContractorEntry(
            projects_by_id[relationship.organisation_id], supplier, relationship,
            tuple(category.code for category in relationship.categories),
            training.get((relationship.organisation_id, supplier.id), SiteTraining()), reason,
            past_planned_end(relationship.status, relationship.planned_until_on, today)))
    return entries


def _project_totals(session: Session, project_ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    """Site training sessions held by each project up to today, and the workers trained (all attendances)."""
    if not project_ids:
        return {}
    sessions = dict(session.execute(
        select(TrainingSession.organisation_id, func.count(TrainingSession.id))
        .where(TrainingSession.organisation_id.in_(project_ids), TrainingSession.topic.in_(SITE_TOPICS),
               TrainingSession.held_on <= today)
        .group_by(TrainingSession.organisation_id)).tuples().all())
    workers = dict(session.execute(
        select(TrainingSession.organisation_id, func.coalesce(func.sum(TrainingAttendance.head_count), 0))
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .where(TrainingSession.organisation_id.in_(project_ids), TrainingSession.topic.in_(SITE_TOPICS),
               TrainingSession.held_on <= today, TrainingAttendance.completed.is_(True))
        .group_by(TrainingSession.organisation_id)).tuples().all())
    return {i: (sessions.get(i, 0), int(workers.get(i, 0))) for i in project_ids}


def project_lists(session: Session, today: date, chosen: list[Organisation] | None = None) -> list[ProjectList]:
    """Every visible project (or the chosen ones) with its contractors, listing and training figures."""
    chosen = projects(session) if chosen is None else chosen
    by_id = {project.id: project for project in chosen}
    lists = {project.id: ProjectList(project) for project in chosen}
    for entry in _entries(session, by_id, today):
        lists[entry.project.id].entries.append(entry)
    for project_id, (sessions, workers) in _project_totals(session, sorted(by_id), today).items():
        lists[project_id].sessions, lists[project_id].workers = sessions, workers
    for project_list in lists.values():
        project_list.entries.sort(key=lambda entry: (not entry.listed, entry.supplier.name_zh, entry.supplier.id))
    return [lists[project.id] for project in chosen]


def project_list(session: Session, project_id: int, today: date) -> ProjectList:
    """One project's contractors and its qualified-subcontractor list; LookupError outside the scope."""
    return project_lists(session, today, [get_project(session, project_id)])[0]


def sites_of(session: Session, supplier_id: int, today: date) -> list[ContractorEntry]:
    """The project sites (within the acting scope) where a contractor works or worked, latest first, with its
    training there."""
    by_id = {project.id: project for project in projects(session)}
    entries = _entries(session, by_id, today, supplier_id)
    return sorted(entries, key=lambda entry: (-entry.relationship.since_on.toordinal(), entry.project.code))
