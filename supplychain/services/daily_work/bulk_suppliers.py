"""Bulk work on suppliers (issue 13, build 4): status changes with one reason, portal invitations,
reminders and training attendance for the ticked suppliers of a filtered list.

Input problems refuse the whole action (nothing is saved); a supplier an action does not apply to
(no contact e-mail, already invited, already attended) is skipped and named with the reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed
from supplychain.models import Invitation, Supplier, TrainingAttendance, User
from supplychain.services.core import users
from supplychain.services.daily_work import high_impact, notifications
from supplychain.services.evaluation.bulk import both_languages
from supplychain.services.evidence import pledges, training
from supplychain.services.portal import invitations
from supplychain.services.registry import suppliers

MAX_SUPPLIERS = 500  # at most this many in one action: all four run in the request (bench/bulk_suppliers_bench.py)


def listing(session: Session, filters: suppliers.SupplierFilters,
            limit: int = MAX_SUPPLIERS) -> list[Supplier]:
    """The suppliers of the filtered list that a bulk action can tick, by name (at most `limit`)."""
    page = suppliers.search(session, suppliers.SupplierFilters(**{**filters.__dict__, "sort": "name"}), 1, limit)
    return page.items


def missing_pledge(session: Session, today: date, kind: str | None = None,
                   limit: int = MAX_SUPPLIERS) -> list[Supplier]:
    """Active suppliers lacking a required pledge in force today (of one kind, or any), by name."""
    rows = pledges.missing_pledges(session, today, kind)
    return sorted((supplier for supplier, _ in rows), key=lambda s: (s.name_zh, s.id))[:limit]


def by_ids(session: Session, ids: list[int]) -> list[Supplier]:
    """The suppliers with these numbers, in the order given (unknown ones left out); more than MAX_SUPPLIERS
    is refused, not cut short (the actions run in the request, measured for at most that many)."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if len(wanted) > MAX_SUPPLIERS:
        raise ValidationFailed({"ids": [_l("At most %(n)d suppliers at once.", n=MAX_SUPPLIERS)]})
    found = {s.id: s for s in session.scalars(select(Supplier).where(Supplier.id.in_(wanted)))}
    return [found[i] for i in wanted if i in found]


@dataclass
class Outcome:
    """What a bulk action did per supplier: done, waiting for a second person, or skipped with a reason."""

    done: list[Supplier] = field(default_factory=list)
    requested: list[Supplier] = field(default_factory=list)
    skipped: list[tuple[Supplier, dict]] = field(default_factory=list)

    def skip(self, supplier: Supplier, message) -> None:
        """Name a supplier the action did not apply to, with why (in both languages)."""
        self.skipped.append((supplier, both_languages(message)))


def _need(ids_found: list[Supplier]) -> None:
    if not ids_found:
        raise ValidationFailed({"ids": [_l("Tick at least one supplier.")]})


def change_status_many(session: Session, chosen: list[Supplier], status: str, reason: str, actor: User,
                       second_approval: bool, now: datetime) -> Outcome:
    """One status and one reason for every ticked supplier; high-impact ones wait for a second person
    when the setting says so. A bad status or a missing reason changes nothing."""
    _need(chosen)
    errors = high_impact.status_change_errors(status, reason)
    if errors:
        raise ValidationFailed(errors)
    outcome = Outcome()
    for supplier in chosen:
        if supplier.status == status:
            outcome.skip(supplier, _l("Already has this status."))
        elif high_impact.needs_second_person(second_approval, status):
            try:
                with session.begin_nested():
                    high_impact.request_status_change(session, supplier, status, reason, actor, now)
            except ValidationFailed as failed:
                outcome.skip(supplier, next(iter(failed.errors.values()))[0])
            else:
                outcome.requested.append(supplier)
        else:
            suppliers.change_status(session, supplier, status, reason, actor)
            outcome.done.append(supplier)
    return outcome


def invite_many(session: Session, chosen: list[Supplier], actor: User, now: datetime) -> tuple[Outcome, list]:
    """Invite the first contact with an e-mail address of each ticked supplier to the portal.

    Returns the outcome and the invitations made (the view e-mails them or shows their links).
    """
    _need(chosen)
    outcome = Outcome()
    made: list[Invitation] = []
    for supplier in chosen:
        contact = next((c for c in supplier.contacts if c.email), None)
        if contact is None:
            outcome.skip(supplier, _l("No contact with an e-mail address."))
            continue
        email = users.normalize_email(contact.email)
        pending = session.scalar(select(Invitation).where(Invitation.supplier_id == supplier.id,
                                                          Invitation.email == email,
                                                          Invitation.used_at.is_(None),
                                                          Invitation.revoked_at.is_(None),
                                                          Invitation.expires_at > now))
        if pending is not None:
            outcome.skip(supplier, _l("An invitation to %(email)s is still open.", email=email))
            continue
        try:
            with session.begin_nested():
                invitation = invitations.create_invitation(
                    session, supplier, invitations.InvitationData(email=email, name=contact.name,
                                                                  grants_admin=True), actor, now)
        except ValidationFailed as failed:
            outcome.skip(supplier, next(iter(failed.errors.values()))[0])
            continue
        made.append(invitation)
        outcome.done.append(supplier)
    return outcome, made


def remind_many(session: Session, chosen: list[Supplier], text: str, actor: User, now: datetime) -> Outcome:
    """Remind each ticked supplier (portal accounts and contacts) once; the same text twice a day tells nobody."""
    _need(chosen)
    text = (text or "").strip()
    if len(text) > 300:
        raise ValidationFailed({"subject": [_l("At most %(n)d characters.", n=300)]})
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    outcome = Outcome()
    for supplier in chosen:
        zh = f"{supplier.name_zh}：{text or '请登录供应商门户，完成待办事项（自评问卷、承诺书、证书）。'}"
        en = f"{supplier.name_zh}: {text or 'please log in to the supplier portal and complete what is open.'}"
        message = notifications.Message("reminder", f"reminder:{supplier.id}:{now.date().isoformat()}:{digest}",
                                        zh, en, "/portal/", supplier.id)
        targets = notifications.supplier_targets(session, supplier)
        if not targets:
            outcome.skip(supplier, _l("No portal account and no contact with an e-mail address."))
            continue
        told = notifications.notify_many(session, targets, message, now)
        if told:
            outcome.done.append(supplier)
        else:
            outcome.skip(supplier, _l("Already reminded of this today."))
    return outcome


def attend_many(session: Session, chosen: list[Supplier], training_id: int | None, head_count: int | None,
                actor: User, today: date) -> Outcome:
    """Record that every ticked supplier attended one session; any problem records nothing.

    A supplier whose attendance is already recorded for the session is skipped, not an error.
    """
    _need(chosen)
    outcome = Outcome()
    errors: dict[str, list] = {}
    plan = []
    recorded = set(session.scalars(select(TrainingAttendance.supplier_id)
                                   .where(TrainingAttendance.session_id == (training_id or 0))))
    for supplier in chosen:
        if supplier.id in recorded:
            outcome.skip(supplier, _l("This supplier's attendance is already recorded for the session."))
            continue
        data = training.AttendanceData(supplier_id=supplier.id, head_count=head_count, completed=True)
        for key, messages in training.check_attendance(session, training_id, data, today).items():
            for message in messages:
                text = f"{supplier.name_zh}: {message}" if key == "supplier" else message
                if text not in errors.setdefault(key, []):
                    errors[key].append(text)
        plan.append(data)
    if errors:
        raise ValidationFailed(errors)
    for data in plan:
        training.record_attendance(session, training_id, data, actor, today)
        outcome.done.append(next(s for s in chosen if s.id == data.supplier_id))
    return outcome
