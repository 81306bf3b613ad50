"""ESG training of suppliers: sessions, attendance, hours per supplier and yearly figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain import credit_code
from supplychain.errors import ValidationFailed, add_error
from supplychain.models import (
    ESG_TOPICS,
    TRAINING_MODES,
    TRAINING_TOPICS,
    Supplier,
    TrainingAttendance,
    TrainingSession,
    User,
)
from supplychain.services.core import audit, record_scope
from supplychain.services.evidence import requirements
from supplychain.services.registry import relationships

SESSION_FIELDS = ("organisation_id", "title", "topic", "held_on", "hours", "mode", "organiser")
ATTENDANCE_FIELDS = ("session_id", "supplier_id", "head_count", "names", "completed")
MAX_HOURS = 200
MAX_HEAD_COUNT = 10000


@dataclass
class SessionData:
    """A training session as entered."""

    title: str = ""
    topic: str = ""
    held_on: date | None = None
    hours: float | None = None
    mode: str = "onsite"
    organiser: str = ""
    organisation_id: int | None = None


def check_session(data: SessionData, training: TrainingSession | None, today: date) -> dict:
    """Every problem with a session, per field."""
    errors: dict[str, list] = {}
    title = (data.title or "").strip()
    if not title:
        add_error(errors, "title", _l("This field is required."))
    elif len(title) > 200:
        add_error(errors, "title", _l("At most %(n)d characters.", n=200))
    if data.topic not in TRAINING_TOPICS:
        add_error(errors, "topic", _l("Choose one of the topics."))
    if data.mode not in TRAINING_MODES:
        add_error(errors, "mode", _l("Choose on-site or online."))
    if data.held_on is None:
        add_error(errors, "held_on", _l("Enter the date of the session."))
    elif training is not None and data.held_on > today and any(a.completed for a in training.attendances):
        add_error(errors, "held_on", _l("Suppliers completed this session: it cannot move to a future date."))
    if data.hours is None:
        add_error(errors, "hours", _l("Enter the length in hours."))
    elif not 0 < data.hours <= MAX_HOURS:
        add_error(errors, "hours", _l("Between 0 and %(n)d hours.", n=MAX_HOURS))
    if len((data.organiser or "").strip()) > 200:
        add_error(errors, "organiser", _l("At most %(n)d characters.", n=200))
    return errors


def save_session(session: Session, data: SessionData, actor: User | None, today: date,
                 training: TrainingSession | None = None) -> TrainingSession:
    """Create or edit a training session; audited."""
    errors = check_session(data, training, today)
    organisation_id = record_scope.organisation_or_raise(session, errors, data.organisation_id, actor, training)
    before = audit.snapshot(training, SESSION_FIELDS) if training else {}
    if training is None:
        training = TrainingSession()
        session.add(training)
    training.title, training.topic, training.held_on = data.title.strip(), data.topic, data.held_on
    training.hours, training.mode = round(float(data.hours), 2), data.mode
    training.organiser = (data.organiser or "").strip() or None
    training.organisation_id = organisation_id
    session.flush()
    changes = audit.diff(before, audit.snapshot(training, SESSION_FIELDS))
    if changes:
        action = "update" if before else "create"
        audit.record(session, actor, action, "training_session", training.id, changes)
    return training


def list_sessions(session: Session, year: int | None = None) -> list[TrainingSession]:
    """Sessions, newest first, optionally of one year."""
    stmt = select(TrainingSession).order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())
    if year:
        stmt = stmt.where(TrainingSession.held_on >= date(year, 1, 1),
                          TrainingSession.held_on <= date(year, 12, 31))
    return list(session.scalars(stmt))


def find_supplier(session: Session, text: str) -> Supplier | None:
    """A supplier by credit code, by number (#12, 12 or the picker's "#12 name") or by its exact name."""
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"#?\d{1,9}", text):
        return session.get(Supplier, int(text.lstrip("#")))
    picked = re.fullmatch(r"#(\d{1,9}) .*", text)  # what the supplier picker writes: "#12 name"
    if picked:
        return session.get(Supplier, int(picked.group(1)))
    code = credit_code.normalize(text)
    if len(code) == 18:
        found = session.scalar(select(Supplier).where(Supplier.credit_code == code))
        if found is not None:
            return found
    stmt = select(Supplier).where((Supplier.name_zh == text) | (Supplier.name_en == text))
    return session.scalar(stmt.order_by(Supplier.id).limit(1))


@dataclass
class AttendanceData:
    """A supplier's attendance as entered."""

    supplier_id: int | None = None
    head_count: int | None = 1
    names: str = ""
    completed: bool = True


def check_attendance(session: Session, training_id: int | None, data: AttendanceData, today: date) -> dict:
    """Every problem with an attendance: the session and supplier must exist, once per session."""
    errors: dict[str, list] = {}
    training = session.get(TrainingSession, training_id) if training_id else None
    if training is None:
        add_error(errors, "session_id", _l("This training session does not exist."))
    supplier = session.get(Supplier, data.supplier_id) if data.supplier_id else None
    if supplier is None:
        add_error(errors, "supplier", _l("No such supplier: enter its credit code, number or exact name."))
    if data.head_count is None or not 1 <= data.head_count <= MAX_HEAD_COUNT:
        add_error(errors, "head_count", _l("Between 1 and %(n)d people.", n=MAX_HEAD_COUNT))
    names = [n for n in re.split(r"[,，、;；\n]+", data.names or "") if n.strip()]
    if len(data.names or "") > 4000:
        add_error(errors, "names", _l("At most %(n)d characters.", n=4000))
    elif data.head_count and len(names) > data.head_count:
        add_error(errors, "names", _l("%(n)d names for a head count of %(count)d.", n=len(names),
                                 count=data.head_count))
    if training is not None and data.completed and training.held_on > today:
        add_error(errors, "completed", _l("The session has not taken place yet: nobody can have completed it."))
    if training is not None and supplier is not None:
        stmt = select(TrainingAttendance).where(TrainingAttendance.session_id == training.id,
                                                TrainingAttendance.supplier_id == supplier.id)
        if session.scalar(stmt) is not None:
            add_error(errors, "supplier", _l("This supplier's attendance is already recorded for the session."))
    return errors


def record_attendance(session: Session, training_id: int | None, data: AttendanceData, actor: User | None,
                      today: date) -> TrainingAttendance:
    """Record a supplier's attendance at a session; audited on the supplier."""
    errors = check_attendance(session, training_id, data, today)
    if errors:
        raise ValidationFailed(errors)
    names = "\n".join(n.strip() for n in re.split(r"[,，、;；\n]+", data.names or "") if n.strip()) or None
    attendance = TrainingAttendance(session_id=training_id, supplier_id=data.supplier_id,
                                    head_count=data.head_count, names=names, completed=bool(data.completed))
    session.add(attendance)
    training = session.get(TrainingSession, training_id)
    relationships.ensure(session, training.organisation_id, session.get(Supplier, data.supplier_id), actor, today)
    session.flush()
    audit.record(session, actor, "create", "training_attendance", attendance.id,
                 audit.diff({}, audit.snapshot(attendance, ATTENDANCE_FIELDS)), supplier_id=data.supplier_id)
    return attendance


def remove_attendance(session: Session, attendance: TrainingAttendance, actor: User | None,
                      reason: str = "") -> None:
    """Remove an attendance recorded by mistake; needs a reason; audited with what it said."""
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Give the reason for removing the attendance.")]})
    changes = {k: [v, None] for k, v in audit.snapshot(attendance, ATTENDANCE_FIELDS).items()}
    audit.record(session, actor, "delete", "training_attendance", attendance.id, changes,
                 supplier_id=attendance.supplier_id, note=reason.strip())
    session.delete(attendance)
    session.flush()


def for_supplier(session: Session, supplier_id: int) -> list[tuple[TrainingAttendance, TrainingSession]]:
    """A supplier's attendances with their sessions, newest first."""
    stmt = (select(TrainingAttendance, TrainingSession).join(TrainingSession)
            .where(TrainingAttendance.supplier_id == supplier_id)
            .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc()))
    return [(a, s) for a, s in session.execute(stmt)]


def year_before(today: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def hours_last_12_months(session: Session, supplier_id: int, today: date) -> float:
    """Hours of training the supplier completed in the 12 months up to today (all topics)."""
    stmt = (select(func.coalesce(func.sum(TrainingSession.hours), 0.0)).join(TrainingAttendance)
            .where(TrainingAttendance.supplier_id == supplier_id, TrainingAttendance.completed.is_(True),
                   TrainingSession.held_on > year_before(today), TrainingSession.held_on <= today))
    return float(session.scalar(stmt) or 0.0)


def last_session(session: Session, supplier_id: int, today: date) -> TrainingSession | None:
    """The latest session the supplier attended up to today."""
    stmt = (select(TrainingSession).join(TrainingAttendance)
            .where(TrainingAttendance.supplier_id == supplier_id, TrainingSession.held_on <= today)
            .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc()).limit(1))
    return session.scalar(stmt)


@dataclass
class YearFigures:
    """A year's supplier ESG training: sessions, people, and the share of active suppliers trained."""

    year: int
    sessions: int = 0
    people: int = 0
    suppliers_trained: int = 0
    active_suppliers: int = 0
    session_ids: list[int] = field(default_factory=list)
    trained_supplier_ids: list[int] = field(default_factory=list)

    @property
    def share_trained(self) -> float | None:
        """Percentage of active suppliers with a completed ESG session in the year (one decimal)."""
        if not self.active_suppliers:
            return None
        return round(100.0 * self.suppliers_trained / self.active_suppliers, 1)


def year_figures(session: Session, year: int,
                 statuses: tuple[str, ...] = requirements.ACTIVE_STATUSES) -> YearFigures:
    """ESG-topic sessions held in the year and the active suppliers that completed one.

    Active means the supplier's current status is one of `statuses` and it registered by the end of the year.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    figures = YearFigures(year)
    in_year = (TrainingSession.held_on >= start, TrainingSession.held_on <= end,
               TrainingSession.topic.in_(ESG_TOPICS))
    stmt = select(TrainingSession.id).where(*in_year).order_by(TrainingSession.id)
    figures.session_ids = list(session.scalars(stmt))
    figures.sessions = len(figures.session_ids)
    active = select(Supplier.id).where(Supplier.status.in_(statuses), Supplier.registered_on <= end)
    figures.active_suppliers = session.scalar(select(func.count()).select_from(active.subquery())) or 0
    figures.people = session.scalar(select(func.coalesce(func.sum(TrainingAttendance.head_count), 0))
                                    .join(TrainingSession).where(*in_year)) or 0
    trained = (select(TrainingAttendance.supplier_id).join(TrainingSession)
               .where(*in_year, TrainingAttendance.completed.is_(True),
                      TrainingAttendance.supplier_id.in_(active)).distinct())
    figures.trained_supplier_ids = sorted(session.scalars(trained))
    figures.suppliers_trained = len(figures.trained_supplier_ids)
    return figures
