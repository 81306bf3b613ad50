"""Questionnaire campaigns (issue 11): procurement sends a questionnaire version to a selection of suppliers
with a due date; a background job invites them (portal and e-mail); the campaign page follows response,
submission and review rates and lists the non-responders.

Creating a campaign is all or nothing: every problem (no recipients, a due date in the past, an unknown code of
an uploaded list, …) is reported at once and nothing is saved. The recipients are written with the campaign;
the invitations go out in the ``campaign_invite`` job (supplychain/jobs.py), in parts, with progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, insert, select, update
from sqlalchemy.orm import Session

from supplychain import clock, scope
from supplychain.errors import ValidationFailed, add_error
from supplychain.models import (
    CAMPAIGN_CONSEQUENCES,
    BackgroundJob,
    Campaign,
    CampaignRecipient,
    CampaignReminder,
    Questionnaire,
    RiskTierSetting,
    SaqResponse,
    Supplier,
    SupplierRisk,
    User,
)
from supplychain.services.core import audit, locking
from supplychain.services.evidence import saq
from supplychain.services.risk import campaign_notices, campaign_selection

KIND = "campaign_invite"
PART_SIZE = 500
MAX_TITLE = 200
MAX_DESCRIPTION = 4000
MAX_REMINDER_DAYS = 365
# Responses that count as submitted (the supplier handed its answers in at least once).
SUBMITTED = ("submitted", "clarification", "reviewed")
OPEN_CAMPAIGN = ("sending", "open")


@dataclass
class CampaignData:
    """A campaign as entered."""

    title: str = ""
    description: str = ""
    questionnaire_id: int | None = None
    due_on: date | None = None
    organisation_id: int | None = None  # the sending organisation (default: the actor's)
    remind_before_days: int | None = 7
    remind_after_days: int | None = 7
    overdue_consequence: str = "none"


def published_questionnaires(session: Session) -> list[Questionnaire]:
    """The questionnaire versions a campaign may send (published ones), newest first."""
    stmt = select(Questionnaire).where(Questionnaire.status == "published")
    return list(session.scalars(stmt.order_by(Questionnaire.code, Questionnaire.version.desc())))


def default_questionnaire_id(session: Session, tier: str) -> int | None:
    """The questionnaire version a tier gets by default (its setting), else the current published one."""
    setting = session.get(RiskTierSetting, tier) if tier else None
    if setting is not None and setting.questionnaire_id:
        return setting.questionnaire_id
    current = saq.current(session)
    return current.id if current else None


def _check_wording(errors: dict[str, list], title: str, description: str) -> None:
    title = (title or "").strip()
    if not title:
        add_error(errors, "title", _l("Give the campaign a title."))
    elif len(title) > MAX_TITLE:
        add_error(errors, "title", _l("At most %(n)d characters.", n=MAX_TITLE))
    if len((description or "").strip()) > MAX_DESCRIPTION:
        add_error(errors, "description", _l("At most %(n)d characters.", n=MAX_DESCRIPTION))


def check(session: Session, data: CampaignData, today: date) -> dict[str, list]:
    """Every problem with a campaign's own fields, per field."""
    errors: dict[str, list] = {}
    _check_wording(errors, data.title, data.description)
    questionnaire = session.get(Questionnaire, data.questionnaire_id) if data.questionnaire_id else None
    if questionnaire is None or questionnaire.status != "published":
        add_error(errors, "questionnaire_id", _l("Choose a published questionnaire version."))
    if data.due_on is None:
        add_error(errors, "due_on", _l("Enter the due date."))
    elif data.due_on < today:
        add_error(errors, "due_on", _l("The due date cannot be in the past."))
    for name in ("remind_before_days", "remind_after_days"):
        value = getattr(data, name)
        if value is None or not 0 <= value <= MAX_REMINDER_DAYS:
            add_error(errors, name, _l("Enter a number of days from 0 to %(n)d.", n=MAX_REMINDER_DAYS))
    if data.overdue_consequence not in CAMPAIGN_CONSEQUENCES:
        add_error(errors, "overdue_consequence", _l("Choose one of the offered options."))
    return errors


def create(session: Session, data: CampaignData, selection: campaign_selection.Selection,
           list_problems: list, actor: User | None, today: date) -> Campaign:
    """Save a campaign with its recipients (not yet invited), or raise every problem at once; audited.

    ``list_problems`` are the rows of an uploaded list that named no supplier (see campaign_selection).
    """
    errors = check(session, data, today)
    organisation_id, problems = scope.record_organisation(session, data.organisation_id, actor)
    for message in problems:
        add_error(errors, "organisation_id", message)
    chosen = campaign_selection.choose(session, selection)
    for name, messages in chosen.errors.items():
        errors.setdefault(name, []).extend(messages)
    if list_problems:
        errors.setdefault("file", []).extend(list_problems)
    if not chosen.errors and not list_problems and not chosen.supplier_ids:
        add_error(errors, "selection", _l("The selection finds no supplier: the campaign would have no recipients."))
    if errors:
        raise ValidationFailed(errors)
    campaign = Campaign(
        organisation_id=organisation_id, title=data.title.strip(), description=(data.description or "").strip() or None,
        questionnaire_id=data.questionnaire_id,
        due_on=data.due_on, selection=selection.as_record(), status="sending",
        remind_before_days=data.remind_before_days, remind_after_days=data.remind_after_days,
        overdue_consequence=data.overdue_consequence, created_by_id=getattr(actor, "id", None),
    )
    session.add(campaign)
    session.flush()
    ids = chosen.supplier_ids
    for start in range(0, len(ids), 5000):
        session.execute(insert(CampaignRecipient), [{"campaign_id": campaign.id, "supplier_id": supplier_id}
                                                    for supplier_id in ids[start:start + 5000]])
    questionnaire = session.get(Questionnaire, data.questionnaire_id)
    audit.record(session, actor, "create", "campaign", campaign.id, {
        "title": [None, campaign.title], "questionnaire": [None, f"{questionnaire.code} v{questionnaire.version}"],
        "due_on": [None, campaign.due_on.isoformat()], "recipients": [None, len(ids)],
        "selection": [None, campaign.selection], "overdue_consequence": [None, campaign.overdue_consequence],
    })
    return campaign


def attach_job(session: Session, campaign: Campaign, job: BackgroundJob) -> None:
    """Remember the invitation job of a campaign (a plain UPDATE: the job may already be changing the campaign)."""
    session.execute(update(Campaign).where(Campaign.id == campaign.id).values(job_id=job.id)
                    .execution_options(synchronize_session=False))
    session.commit()


# --- the invitation job -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InviteSettings:
    """When the job runs (its notices carry this moment)."""

    now: datetime


def settings_for_job(app, job: BackgroundJob) -> InviteSettings:
    """The moment the invitations are written."""
    return InviteSettings(clock.now())


def plan(session: Session, job: BackgroundJob, settings: InviteSettings) -> list[list[int]]:
    """The recipients not invited yet, in parts of PART_SIZE; sets the job's total."""
    campaign_id = int((job.params or {})["campaign_id"])
    ids = list(session.scalars(select(CampaignRecipient.id).where(CampaignRecipient.campaign_id == campaign_id,
                                                                    CampaignRecipient.invited_at.is_(None))
                               .order_by(CampaignRecipient.id)))
    job.progress_total = len(ids)
    job.result = {"invited": 0, "notices": 0}
    return [ids[i:i + PART_SIZE] for i in range(0, len(ids), PART_SIZE)]


def run_part(session: Session, job: BackgroundJob, index: int, ids: list[int], settings: InviteSettings,
             progress: Callable[[int], None]) -> None:
    """Invite one part (see ``invite``); commits, then counts the part."""
    campaign = session.get(Campaign, int((job.params or {})["campaign_id"]))
    invited, written = invite(session, campaign, ids, settings.now)
    session.commit()
    # Row-locked: on RQ the parts run at once and each adds its counts.
    locked = session.scalars(select(BackgroundJob).where(BackgroundJob.id == job.id).with_for_update()
                             .execution_options(populate_existing=True)).one()
    result = dict(locked.result or {})
    result["invited"] = int(result.get("invited", 0)) + invited
    result["notices"] = int(result.get("notices", 0)) + written
    locked.result = result
    session.commit()
    progress(len(ids))


def invite(session: Session, campaign: Campaign, recipient_ids: list[int], now: datetime) -> tuple[int, int]:
    """Invite these recipients (those not invited yet): a notice to each supplier's accounts and contacts, and an
    open self-assessment on the same version counted for the campaign; returns (invited, notices written)."""
    rows = list(session.execute(select(CampaignRecipient, Supplier)
                                .join(Supplier, Supplier.id == CampaignRecipient.supplier_id)
                                .where(CampaignRecipient.id.in_(recipient_ids),
                                       CampaignRecipient.invited_at.is_(None))))
    supplier_ids = [supplier.id for _, supplier in rows]
    targets = campaign_notices.targets_by_supplier(session, supplier_ids)
    texts = {supplier.id: campaign_notices.invitation_text(campaign, supplier) for _, supplier in rows}
    written = campaign_notices.tell(session, "campaign_invitation", f"campaign:{campaign.id}:invite", texts, targets,
                                    now)
    open_responses = _open_responses(session, campaign.questionnaire_id, supplier_ids)
    for recipient, _supplier in rows:
        recipient.invited_at = now
        recipient.response_id = recipient.response_id or open_responses.get(recipient.supplier_id)
    session.flush()
    return len(rows), written


def _open_responses(session: Session, questionnaire_id: int, supplier_ids: list[int]) -> dict[int, int]:
    """Per supplier, its self-assessment in progress on this questionnaire version (to count it for the campaign)."""
    if not supplier_ids:
        return {}
    stmt = (select(SaqResponse.supplier_id, SaqResponse.id)
            .where(SaqResponse.supplier_id.in_(supplier_ids), SaqResponse.questionnaire_id == questionnaire_id,
                   SaqResponse.status.in_(saq.OPEN_STATUSES)).order_by(SaqResponse.id))
    return dict(session.execute(stmt).all())


def finish(session: Session, job: BackgroundJob, settings: InviteSettings) -> None:
    """Every part ran: the campaign is open (reminders may go) and the invitations are audited."""
    campaign = session.get(Campaign, int((job.params or {})["campaign_id"]))
    session.refresh(job)
    invited = session.scalar(select(func.count(CampaignRecipient.id)).where(
        CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.invited_at.is_not(None)))
    if campaign.status == "sending":
        session.execute(update(Campaign).where(Campaign.id == campaign.id).values(status="open")
                        .execution_options(synchronize_session=False))
    creator = session.get(User, job.created_by_id) if job.created_by_id else None
    audit.record(session, creator, "invite", "campaign", campaign.id, {"invited": [None, invited]},
                 note=f"job #{job.id}")


# --- rates and non-responders ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rates:
    """How far a campaign got: recipients, invited, started, submitted and reviewed (rates of recipients)."""

    recipients: int
    invited: int
    responded: int
    submitted: int
    reviewed: int

    def rate(self, count: int) -> float:
        """A count as a percentage of the recipients (one decimal)."""
        return round(100.0 * count / self.recipients, 1) if self.recipients else 0.0

    @property
    def response_rate(self) -> float:
        """Recipients who opened the questionnaire (started a self-assessment)."""
        return self.rate(self.responded)

    @property
    def submission_rate(self) -> float:
        """Recipients who submitted their answers."""
        return self.rate(self.submitted)

    @property
    def review_rate(self) -> float:
        """Recipients whose answers procurement has reviewed."""
        return self.rate(self.reviewed)


def rates(session: Session, campaign_ids: list[int]) -> dict[int, Rates]:
    """The rates of several campaigns in one query."""
    if not campaign_ids:
        return {}
    submitted = case((SaqResponse.status.in_(SUBMITTED), 1), else_=0)
    reviewed = case((SaqResponse.status == "reviewed", 1), else_=0)
    invited = case((CampaignRecipient.invited_at.is_not(None), 1), else_=0)
    stmt = (select(CampaignRecipient.campaign_id, func.count(CampaignRecipient.id), func.sum(invited),
                   func.count(SaqResponse.id), func.sum(submitted), func.sum(reviewed))
            .outerjoin(SaqResponse, SaqResponse.id == CampaignRecipient.response_id)
            .where(CampaignRecipient.campaign_id.in_(campaign_ids)).group_by(CampaignRecipient.campaign_id))
    found = {campaign_id: Rates(0, 0, 0, 0, 0) for campaign_id in campaign_ids}
    for campaign_id, total, invited_count, responded, submitted_count, reviewed_count in session.execute(stmt):
        found[campaign_id] = Rates(total, int(invited_count or 0), responded, int(submitted_count or 0),
                                   int(reviewed_count or 0))
    return found


def list_campaigns(session: Session, limit: int = 200) -> list[Campaign]:
    """The campaigns of the scope, newest first."""
    return list(session.scalars(select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())
                                .limit(limit)))


@dataclass(frozen=True)
class NonResponder:
    """A recipient that has not submitted: the supplier, its tier, what it did and how often it was reminded."""

    recipient: CampaignRecipient
    supplier: Supplier
    tier: str | None
    response_status: str | None
    reminders: int
    last_reminded_at: datetime | None


def non_responders(session: Session, campaign: Campaign, limit: int | None = None) -> list[NonResponder]:
    """Recipients without a submitted self-assessment, by supplier name (the first `limit` of them)."""
    reminders = (select(CampaignReminder.recipient_id, func.count(CampaignReminder.id).label("n"),
                        func.max(CampaignReminder.sent_at).label("last"))
                 .group_by(CampaignReminder.recipient_id).subquery())
    stmt = (select(CampaignRecipient, Supplier, SupplierRisk.tier, SaqResponse.status, reminders.c.n,
                   reminders.c.last)
            .join(Supplier, Supplier.id == CampaignRecipient.supplier_id)
            .outerjoin(SupplierRisk, SupplierRisk.supplier_id == Supplier.id)
            .outerjoin(SaqResponse, SaqResponse.id == CampaignRecipient.response_id)
            .outerjoin(reminders, reminders.c.recipient_id == CampaignRecipient.id)
            .where(CampaignRecipient.campaign_id == campaign.id,
                   (SaqResponse.id.is_(None)) | (SaqResponse.status.not_in(SUBMITTED)))
            .order_by(Supplier.name_zh, Supplier.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [NonResponder(recipient, supplier, tier, status, int(count or 0), last)
            for recipient, supplier, tier, status, count, last in session.execute(stmt)]


def reminders_of(session: Session, campaign: Campaign, limit: int = 500) -> list[tuple[CampaignReminder, Supplier]]:
    """The reminders sent in a campaign, newest first, with their supplier."""
    stmt = (select(CampaignReminder, Supplier)
            .join(CampaignRecipient, CampaignRecipient.id == CampaignReminder.recipient_id)
            .join(Supplier, Supplier.id == CampaignRecipient.supplier_id)
            .where(CampaignRecipient.campaign_id == campaign.id)
            .order_by(CampaignReminder.sent_at.desc(), CampaignReminder.id.desc()).limit(limit))
    return [tuple(row) for row in session.execute(stmt)]


def close(session: Session, campaign: Campaign, version, actor: User | None, now: datetime) -> None:
    """Close a campaign (no more reminders or consequences); the form's version guards against a stale page."""
    locking.check(campaign, version)
    if campaign.status == "closed":
        raise ValidationFailed({"campaign": [_l("This campaign is already closed.")]})
    if campaign.status == "sending":
        raise ValidationFailed({"campaign": [_l("The invitations are still being sent; close it afterwards.")]})
    campaign.status, campaign.closed_at = "closed", now
    locking.flush(session, campaign)
    audit.record(session, actor, "close", "campaign", campaign.id, {"status": ["open", "closed"]})


@dataclass
class CampaignEdit:
    """What may change on an open campaign: its wording and its due date."""

    title: str = ""
    description: str = ""
    due_on: date | None = None


EDITED_FIELDS = ("title", "description", "due_on")


def check_edit(campaign: Campaign, data: CampaignEdit, today: date) -> dict[str, list]:
    """Every problem with an edit of a campaign, per field: only an open campaign changes; no title, a title or
    description too long, no due date or one in the past (a due date that does not change may stay past)."""
    errors: dict[str, list] = {}
    if campaign.status != "open":
        add_error(errors, "campaign", _l("The invitations are still being sent; edit it afterwards.")
                  if campaign.status == "sending" else _l("A closed campaign cannot be changed."))
    _check_wording(errors, data.title, data.description)
    if data.due_on is None:
        add_error(errors, "due_on", _l("Enter the due date."))
    elif data.due_on < today and data.due_on != campaign.due_on:
        add_error(errors, "due_on", _l("The due date cannot be in the past (%(day)s is before today, %(today)s).",
                                  day=data.due_on.isoformat(), today=today.isoformat()))
    return errors


def edit(session: Session, campaign: Campaign, data: CampaignEdit, version, actor: User | None, today: date,
         now: datetime) -> bool:
    """Change an open campaign's title, description and due date (the form's version guards against a stale
    page); audited. A new due date reschedules the reminders: each stage is due again from the new date, and
    the reminders sent before count for nothing. Returns whether the due date moved."""
    locking.check(campaign, version)
    errors = check_edit(campaign, data, today)
    if errors:
        raise ValidationFailed(errors)
    before = {"title": campaign.title, "description": campaign.description or "", "due_on": campaign.due_on}
    after = {"title": data.title.strip(), "description": (data.description or "").strip(), "due_on": data.due_on}
    changes = {name: [str(before[name]), str(after[name])] for name in EDITED_FIELDS if before[name] != after[name]}
    if not changes:
        return False
    campaign.title, campaign.description, campaign.due_on = after["title"], after["description"] or None, data.due_on
    moved = "due_on" in changes
    if moved:
        campaign.rescheduled_at = now
    locking.flush(session, campaign)
    audit.record(session, actor, "update", "campaign", campaign.id, changes)
    if moved:
        tell_due_date_moved(session, campaign, before["due_on"], now)
    return moved


def waiting_recipients(session: Session, campaign: Campaign) -> list[tuple[CampaignRecipient, Supplier]]:
    """Invited recipients without a submitted self-assessment."""
    stmt = (select(CampaignRecipient, Supplier).join(Supplier, Supplier.id == CampaignRecipient.supplier_id)
            .outerjoin(SaqResponse, SaqResponse.id == CampaignRecipient.response_id)
            .where(CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.invited_at.is_not(None),
                   (SaqResponse.id.is_(None)) | (SaqResponse.status.not_in(SUBMITTED)))
            .order_by(CampaignRecipient.id))
    return [tuple(row) for row in session.execute(stmt)]


def tell_due_date_moved(session: Session, campaign: Campaign, before: date, now: datetime) -> int:
    """Tell each invited supplier that has not submitted that the due date moved (portal accounts in the app,
    every address by e-mail through `flask notifications send`), once per change: the key names the campaign's
    version after the change. Returns the notices written."""
    link_responses(session, campaign)
    rows = waiting_recipients(session, campaign)
    if not rows:
        return 0
    targets = campaign_notices.targets_by_supplier(session, [supplier.id for _, supplier in rows])
    texts = {supplier.id: campaign_notices.due_date_text(campaign, supplier, before) for _, supplier in rows}
    return campaign_notices.tell(session, "campaign_due_date", f"campaign:{campaign.id}:due_on:v{campaign.version_id}",
                                 texts, targets, now)


# --- the supplier's side (portal) --------------------------------------------------------------------------

def invitations_for(session: Session, supplier_id: int) -> list[CampaignRecipient]:
    """The supplier's invitations of open campaigns it has not submitted yet, the soonest due first."""
    stmt = (select(CampaignRecipient).join(Campaign, Campaign.id == CampaignRecipient.campaign_id)
            .outerjoin(SaqResponse, SaqResponse.id == CampaignRecipient.response_id)
            .where(CampaignRecipient.supplier_id == supplier_id, CampaignRecipient.invited_at.is_not(None),
                   Campaign.status.in_(OPEN_CAMPAIGN),
                   (SaqResponse.id.is_(None)) | (SaqResponse.status.not_in(SUBMITTED)))
            .order_by(Campaign.due_on, Campaign.id))
    return list(session.scalars(stmt))


def invitation_of(session: Session, supplier_id: int, recipient_id: int) -> CampaignRecipient | None:
    """One of the supplier's own invitations (None for anyone else's)."""
    stmt = select(CampaignRecipient).where(CampaignRecipient.id == recipient_id,
                                           CampaignRecipient.supplier_id == supplier_id,
                                           CampaignRecipient.invited_at.is_not(None))
    return session.scalar(stmt)


def start_response(session: Session, supplier: Supplier, recipient: CampaignRecipient,
                   actor: User | None) -> SaqResponse:
    """Open the campaign's questionnaire for the supplier (or take its open one on the same version) and link it."""
    campaign = recipient.campaign
    if campaign.status not in OPEN_CAMPAIGN:
        raise ValidationFailed({"response": [_l("This campaign is closed.")]})
    current = saq.open_response(session, supplier.id)
    if current is not None and current.questionnaire_id != campaign.questionnaire_id:
        raise ValidationFailed({"response": [_l(
            "Another self-assessment is in progress: submit it first, then answer this questionnaire.")]})
    response = current or saq.start(session, supplier, actor, campaign.questionnaire)
    if recipient.response_id != response.id:
        recipient.response_id = response.id
        session.flush()
        audit.record(session, actor, "respond", "campaign", campaign.id, {"response_id": [None, response.id]},
                     supplier_id=supplier.id)
    return response


def link_responses(session: Session, campaign: Campaign) -> int:
    """Link recipients without a self-assessment to one they started on the campaign's version since it was sent
    (e.g. from the portal's own start button); returns how many were linked."""
    stmt = (select(CampaignRecipient, SaqResponse.id)
            .join(SaqResponse, (SaqResponse.supplier_id == CampaignRecipient.supplier_id)
                  & (SaqResponse.questionnaire_id == campaign.questionnaire_id))
            .where(CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.response_id.is_(None),
                   SaqResponse.created_at >= campaign.created_at)
            .order_by(SaqResponse.id))
    linked = 0
    for recipient, response_id in session.execute(stmt):
        if recipient.response_id is None:
            recipient.response_id = response_id
            linked += 1
    session.flush()
    return linked
