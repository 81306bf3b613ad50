"""Incidents at suppliers, and the significant negative impacts of GRI 308-2 / 414-2."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import add_error
from supplychain.models import (
    INCIDENT_CATEGORIES,
    INCIDENT_SEVERITIES,
    INCIDENT_STATUSES,
    BlacklistEntry,
    CorrectiveAction,
    Incident,
    Supplier,
    User,
)
from supplychain.models.incidents import ENVIRONMENTAL_CATEGORIES, SIGNIFICANT_SEVERITIES, SOCIAL_CATEGORIES
from supplychain.services.core import audit, record_scope
from supplychain.services.registry import relationships
from supplychain.services.risk import recompute as risk_recompute

AUDITED_FIELDS = ("organisation_id", "category", "severity", "occurred_on", "description", "source", "status",
                  "closed_on")
DIMENSIONS = {"environmental": ENVIRONMENTAL_CATEGORIES, "social": SOCIAL_CATEGORIES}


@dataclass
class IncidentData:
    """An incident as entered."""

    category: str = ""
    severity: str = ""
    occurred_on: date | None = None
    description: str = ""
    source: str = ""
    status: str = "open"
    organisation_id: int | None = None


def check_incident(data: IncidentData, today: date, incident: Incident | None = None) -> dict:
    """Every problem with an incident, per field."""
    errors: dict[str, list] = {}
    if data.category not in INCIDENT_CATEGORIES:
        add_error(errors, "category", _l("Choose one of the categories."))
    if data.severity not in INCIDENT_SEVERITIES:
        add_error(errors, "severity", _l("Choose one of the severities."))
    if data.status not in INCIDENT_STATUSES:
        add_error(errors, "status", _l("Choose open or closed."))
    if data.occurred_on is None:
        add_error(errors, "occurred_on", _l("Enter the date of the incident."))
    elif data.occurred_on > today:
        add_error(errors, "occurred_on", _l("An incident cannot be dated in the future."))
    description = (data.description or "").strip()
    if not description:
        add_error(errors, "description", _l("Describe what happened."))
    elif len(description) > 5000:
        add_error(errors, "description", _l("At most %(n)d characters.", n=5000))
    if len((data.source or "").strip()) > 200:
        add_error(errors, "source", _l("At most %(n)d characters.", n=200))
    if data.status == "closed" and incident is not None:
        pending = [a for a in incident.actions if a.status != "verified"]
        if pending:
            add_error(errors, "status", _l("%(n)d corrective actions are not verified yet.", n=len(pending)))
    return errors


def save_incident(session: Session, supplier: Supplier, data: IncidentData, actor: User | None, today: date,
                  incident: Incident | None = None) -> Incident:
    """Record or edit an incident; closing it needs every corrective action verified; audited."""
    errors = check_incident(data, today, incident)
    organisation_id = record_scope.organisation_or_raise(session, errors, data.organisation_id, actor, incident)
    before = audit.snapshot(incident, AUDITED_FIELDS) if incident else {}
    if incident is None:
        incident = Incident(supplier_id=supplier.id, created_by_id=getattr(actor, "id", None))
        session.add(incident)
    incident.organisation_id = organisation_id
    incident.category, incident.severity = data.category, data.severity
    incident.occurred_on = data.occurred_on
    incident.description = data.description.strip()
    incident.source = (data.source or "").strip() or None
    if data.status == "closed" and incident.status != "closed":
        incident.closed_on = today
    elif data.status == "open":
        incident.closed_on = None
    incident.status = data.status
    relationships.ensure(session, organisation_id, supplier, actor, today)
    session.flush()
    changes = audit.diff(before, audit.snapshot(incident, AUDITED_FIELDS))
    if changes:
        audit.record(session, actor, "update" if before else "create", "incident", incident.id, changes,
                     supplier_id=incident.supplier_id)
    risk_recompute.refresh(session, [incident.supplier_id], today, actor)
    return incident


@dataclass
class IncidentFilters:
    """What the incident list filters by."""

    category: str = ""
    severity: str = ""
    status: str = ""
    significant: bool = False


def list_incidents(session: Session, filters: IncidentFilters, limit: int = 500) -> list[Incident]:
    """Incidents matching the filters, newest first."""
    stmt = select(Incident).order_by(Incident.occurred_on.desc(), Incident.id.desc())
    if filters.category:
        stmt = stmt.where(Incident.category == filters.category)
    if filters.severity:
        stmt = stmt.where(Incident.severity == filters.severity)
    if filters.status:
        stmt = stmt.where(Incident.status == filters.status)
    if filters.significant:
        stmt = stmt.where(Incident.severity.in_(SIGNIFICANT_SEVERITIES),
                          Incident.category.in_(ENVIRONMENTAL_CATEGORIES + SOCIAL_CATEGORIES))
    return list(session.scalars(stmt.limit(limit)))


def for_supplier(session: Session, supplier_id: int) -> list[Incident]:
    """A supplier's incidents, newest first."""
    stmt = (select(Incident).where(Incident.supplier_id == supplier_id)
            .order_by(Incident.occurred_on.desc(), Incident.id.desc()))
    return list(session.scalars(stmt))


def significant_incidents(session: Session, start_on: date, end_on: date,
                          dimension: str | None = None) -> list[Incident]:
    """Major and critical incidents in the period: environmental (308-2), social (414-2) or both."""
    categories = DIMENSIONS.get(dimension, ENVIRONMENTAL_CATEGORIES + SOCIAL_CATEGORIES)
    stmt = (select(Incident).where(Incident.occurred_on >= start_on, Incident.occurred_on <= end_on,
                                   Incident.severity.in_(SIGNIFICANT_SEVERITIES),
                                   Incident.category.in_(categories))
            .order_by(Incident.occurred_on, Incident.id))
    return list(session.scalars(stmt))


@dataclass
class ImpactFigures:
    """GRI 308-2 / 414-2: suppliers with significant negative impacts, improvements agreed, terminations."""

    dimension: str | None
    incident_ids: list[int] = field(default_factory=list)
    supplier_ids: list[int] = field(default_factory=list)
    improved_supplier_ids: list[int] = field(default_factory=list)
    terminated_supplier_ids: list[int] = field(default_factory=list)

    @staticmethod
    def _share(part: list, whole: list) -> float | None:
        return round(100.0 * len(part) / len(whole), 1) if whole else None

    @property
    def improved_percent(self) -> float | None:
        """Share of those suppliers with which a corrective action was agreed."""
        return self._share(self.improved_supplier_ids, self.supplier_ids)

    @property
    def terminated_percent(self) -> float | None:
        """Share of those suppliers terminated (blacklisted) for it."""
        return self._share(self.terminated_supplier_ids, self.supplier_ids)


def impact_figures(session: Session, start_on: date, end_on: date,
                   dimension: str | None = None) -> ImpactFigures:
    """Suppliers with significant incidents in the period; of them, with a corrective action and terminated.

    "Improvements agreed" means a corrective action linked to one of those incidents; "terminated" means a
    blacklist entry recorded as a social-responsibility termination on or after the first such incident.
    """
    incidents = significant_incidents(session, start_on, end_on, dimension)
    figures = ImpactFigures(dimension, incident_ids=[i.id for i in incidents])
    first: dict[int, date] = {}
    for incident in incidents:
        first.setdefault(incident.supplier_id, incident.occurred_on)
    figures.supplier_ids = sorted(first)
    if not incidents:
        return figures
    actions = (select(CorrectiveAction.supplier_id)
               .where(CorrectiveAction.incident_id.in_(figures.incident_ids)))
    figures.improved_supplier_ids = sorted(set(session.scalars(actions)))
    stmt = select(BlacklistEntry).where(BlacklistEntry.supplier_id.in_(figures.supplier_ids),
                                        BlacklistEntry.terminated_on.is_not(None),
                                        BlacklistEntry.social_noncompliance.is_(True))
    figures.terminated_supplier_ids = sorted({e.supplier_id for e in session.scalars(stmt)
                                              if e.terminated_on >= first[e.supplier_id]})
    return figures
