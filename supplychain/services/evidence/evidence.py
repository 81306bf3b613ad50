"""Everything recorded about one supplier's due diligence, with statuses, for the supplier page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from supplychain.models import (
    BlacklistEntry,
    Certification,
    CorrectiveAction,
    Incident,
    IntegrityPledge,
    Supplier,
    TrainingAttendance,
    TrainingSession,
)
from supplychain.services.evidence import certifications, corrective_actions, incidents, pledges, requirements, training
from supplychain.services.registry import blacklist


@dataclass
class CertificateRow:
    """A certificate with its status badge."""

    cert: Certification
    status: str  # certificate_status: expired, unverified, expiring or valid
    days_left: int | None
    superseded: bool
    expiry: str = "valid"  # from the dates alone: valid, expiring or expired


@dataclass
class EvidenceSummary:
    """One supplier's evidence on a day."""

    today: date
    warning_days: int
    required: requirements.Required
    pledges: list[tuple[IntegrityPledge, str]] = field(default_factory=list)
    missing_pledges: list[str] = field(default_factory=list)
    certificates: list[CertificateRow] = field(default_factory=list)
    missing_certificates: list[str] = field(default_factory=list)
    trainings: list[tuple[TrainingAttendance, TrainingSession]] = field(default_factory=list)
    training_hours_12_months: float = 0.0
    last_training: TrainingSession | None = None
    incidents: list[Incident] = field(default_factory=list)
    actions: list[tuple[CorrectiveAction, str]] = field(default_factory=list)
    blacklist: list[tuple[BlacklistEntry, bool]] = field(default_factory=list)

    @property
    def attention(self) -> int:
        """Things needing attention: missing items, expired or expiring certificates, overdue actions."""
        certs = [r for r in self.certificates if not r.superseded and r.expiry in ("expired", "expiring")]
        overdue = [a for a, status in self.actions if status == "overdue"]
        return len(self.missing_pledges) + len(self.missing_certificates) + len(certs) + len(overdue)


def summary(session: Session, supplier: Supplier, today: date, warning_days: int) -> EvidenceSummary:
    """Pledges, certificates, training, incidents, corrective actions and blacklist entries of a supplier."""
    result = EvidenceSummary(today, warning_days, requirements.required_for(session, supplier))
    signed = pledges.for_supplier(session, supplier.id)
    result.pledges = [(p, pledges.pledge_status(p, today)) for p in signed]
    in_force = {p.kind for p, status in result.pledges if status == "valid"}
    result.missing_pledges = [k for k in result.required.pledges if k not in in_force]
    certs = certifications.for_supplier(session, supplier.id)
    replaced = certifications.superseded_ids(certs)
    result.certificates = [
        CertificateRow(c, certifications.certificate_status(c, today, warning_days),
                       certifications.days_left(c, today), c.id in replaced,
                       certifications.expiry_status(c.expires_on, today, warning_days))
        for c in certs
    ]
    held = certifications.present_types(certs, today)
    result.missing_certificates = [t for t in result.required.certificates if t not in held]
    result.trainings = training.for_supplier(session, supplier.id)
    result.training_hours_12_months = training.hours_last_12_months(session, supplier.id, today)
    result.last_training = training.last_session(session, supplier.id, today)
    result.incidents = incidents.for_supplier(session, supplier.id)
    result.actions = [(a, corrective_actions.display_status(a, today))
                      for a in corrective_actions.for_supplier(session, supplier.id)]
    result.blacklist = [(e, e.active_on(today)) for e in blacklist.for_supplier(session, supplier)]
    return result
