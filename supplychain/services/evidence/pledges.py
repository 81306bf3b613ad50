"""Integrity pledges: versioned templates, recording signed pledges, signing rates and missing pledges."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import ValidationFailed, add_error
from supplychain.models import PLEDGE_KINDS, IntegrityPledge, PledgeTemplate, Supplier, User, supplier_categories
from supplychain.services.core import attachments, audit, record_scope
from supplychain.services.evidence import requirements, soft_delete
from supplychain.services.registry import relationships

TEMPLATE_FIELDS = ("kind", "version", "title_zh", "title_en", "text_zh", "text_en", "effective_on")
PLEDGE_FIELDS = ("organisation_id", "kind", "template_id", "signatory_name", "signatory_title", "signed_on",
                 "valid_until", "method", "attachment_id", "text_sha256")
LIMITS = {"title_zh": 200, "title_en": 200, "text_zh": 20000, "text_en": 20000, "signatory_name": 100,
          "signatory_title": 100}


# --- templates ---------------------------------------------------------------------------------------------

@dataclass
class TemplateData:
    """A template version as entered."""

    kind: str = ""
    title_zh: str = ""
    title_en: str = ""
    text_zh: str = ""
    text_en: str = ""
    effective_on: date | None = None


def list_templates(session: Session, kind: str | None = None) -> list[PledgeTemplate]:
    """Every template version, by kind then newest version first."""
    stmt = select(PledgeTemplate).order_by(PledgeTemplate.kind, PledgeTemplate.version.desc())
    if kind:
        stmt = stmt.where(PledgeTemplate.kind == kind)
    return list(session.scalars(stmt))


def current_template(session: Session, kind: str, day: date) -> PledgeTemplate | None:
    """The newest version of a kind already in effect on the day."""
    stmt = (select(PledgeTemplate).where(PledgeTemplate.kind == kind, PledgeTemplate.effective_on <= day)
            .order_by(PledgeTemplate.effective_on.desc(), PledgeTemplate.version.desc()).limit(1))
    return session.scalar(stmt)


def is_signed(session: Session, template: PledgeTemplate) -> bool:
    """Whether any pledge was signed against this version (it can then never change)."""
    stmt = select(func.count(IntegrityPledge.id)).where(IntegrityPledge.template_id == template.id)
    return bool(session.scalar(stmt))


def template_digest(template: PledgeTemplate) -> str:
    """sha256 of the text a signatory agreed to (both languages), kept with each pledge."""
    text = "\n".join((template.title_zh, template.text_zh, template.title_en, template.text_en))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_template(session: Session, data: TemplateData, template: PledgeTemplate | None = None) -> dict:
    """Every problem with a template version, per field."""
    errors: dict[str, list] = {}
    if data.kind not in PLEDGE_KINDS:
        add_error(errors, "kind", _l("Choose one of the pledge kinds."))
    elif template is not None and data.kind != template.kind:
        add_error(errors, "kind", _l("A version keeps the kind of its template."))
    for name in ("title_zh", "title_en", "text_zh", "text_en"):
        value = (getattr(data, name) or "").strip()
        if not value:
            add_error(errors, name, _l("This field is required."))
        elif len(value) > LIMITS[name]:
            add_error(errors, name, _l("At most %(n)d characters.", n=LIMITS[name]))
    if data.effective_on is None:
        add_error(errors, "effective_on", _l("Enter the date the version takes effect."))
    if template is not None and is_signed(session, template):
        add_error(errors, "kind", _l("This version has been signed and cannot change: save a new version."))
    return errors


def save_template(session: Session, data: TemplateData, actor: User | None,
                  template: PledgeTemplate | None = None) -> PledgeTemplate:
    """Create the next version of a kind, or edit a version nobody has signed yet; audited."""
    errors = check_template(session, data, template)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(template, TEMPLATE_FIELDS) if template else {}
    if template is None:
        stmt = select(func.max(PledgeTemplate.version)).where(PledgeTemplate.kind == data.kind)
        latest = session.scalar(stmt)
        template = PledgeTemplate(kind=data.kind, version=(latest or 0) + 1)
        session.add(template)
    for name in ("title_zh", "title_en", "text_zh", "text_en"):
        setattr(template, name, getattr(data, name).strip())
    template.effective_on = data.effective_on
    session.flush()
    changes = audit.diff(before, audit.snapshot(template, TEMPLATE_FIELDS))
    if changes:
        action = "update" if before else "create"
        audit.record(session, actor, action, "pledge_template", template.id, changes)
    return template


# --- pledges -----------------------------------------------------------------------------------------------

@dataclass
class PledgeData:
    """A signed pledge as entered by procurement (a paper original, scanned)."""

    kind: str = ""
    template_id: int | None = None
    signatory_name: str = ""
    signatory_title: str = ""
    signed_on: date | None = None
    valid_until: date | None = None
    method: str = "paper"
    organisation_id: int | None = None


def check_pledge(session: Session, data: PledgeData, upload: attachments.Upload | None, max_bytes: int,
                 today: date) -> tuple[dict, attachments.CleanUpload | None]:
    """Every problem with a pledge, per field, and the checked scan."""
    errors: dict[str, list] = {}
    template = session.get(PledgeTemplate, data.template_id) if data.template_id else None
    if not data.kind and template is not None:
        data.kind = template.kind  # the form chooses a template version, which names its kind
    if data.kind not in PLEDGE_KINDS:
        add_error(errors, "kind", _l("Choose one of the pledge kinds."))
    if template is None:
        add_error(errors, "template_id", _l("Choose the template version that was signed."))
    elif data.kind in PLEDGE_KINDS and template.kind != data.kind:
        add_error(errors, "template_id", _l("This template is for another kind of pledge."))
    name = (data.signatory_name or "").strip()
    if not name:
        add_error(errors, "signatory_name", _l("Enter who signed."))
    for key in ("signatory_name", "signatory_title"):
        if len((getattr(data, key) or "").strip()) > LIMITS[key]:
            add_error(errors, key, _l("At most %(n)d characters.", n=LIMITS[key]))
    if data.method != "paper":
        add_error(errors, "method", _l("Only paper pledges are recorded here."))
    if data.signed_on is None:
        add_error(errors, "signed_on", _l("Enter the date of the signature."))
    elif data.signed_on > today:
        add_error(errors, "signed_on", _l("A signature cannot be dated in the future."))
    elif template is not None and template.effective_on > data.signed_on:
        add_error(errors, "signed_on", _l(
            "Version %(version)d only takes effect on %(date)s: it cannot have been signed on %(signed)s.",
            version=template.version, date=template.effective_on.isoformat(),
            signed=data.signed_on.isoformat()))
    elif template is not None:
        # A paper pledge is signed on the version in force that day, not on one already replaced (issue 13).
        in_force = current_template(session, template.kind, data.signed_on)
        if in_force is not None and in_force.id != template.id:
            add_error(errors, "template_id", _l(
                "Version %(version)d was replaced by version %(current)d on %(date)s, before the signature: "
                "choose version %(current)d.", version=template.version, current=in_force.version,
                date=in_force.effective_on.isoformat()))
    if data.valid_until is not None and data.signed_on is not None and data.valid_until < data.signed_on:
        add_error(errors, "valid_until", _l("The end of validity cannot be before the signature."))
    clean, problems = attachments.check_upload(upload, max_bytes)
    if problems:
        errors["scan"] = problems
    return errors, clean


def record_pledge(session: Session, supplier: Supplier, data: PledgeData, upload: attachments.Upload | None,
                  store: attachments.Store, actor: User | None, today: date) -> IntegrityPledge:
    """Record a paper pledge with its optional scan; every problem raised at once; audited."""
    errors, clean = check_pledge(session, data, upload, store.max_bytes, today)
    organisation_id = record_scope.organisation_or_raise(session, errors, data.organisation_id, actor)
    template = session.get(PledgeTemplate, data.template_id)
    scan = attachments.store(session, clean, store, supplier.id, actor) if clean else None
    pledge = IntegrityPledge(
        supplier_id=supplier.id, kind=data.kind, template_id=template.id,
        signatory_name=data.signatory_name.strip(),
        signatory_title=(data.signatory_title or "").strip() or None, signed_on=data.signed_on,
        valid_until=data.valid_until, method="paper", attachment_id=scan.id if scan else None,
        text_sha256=template_digest(template), created_by_id=getattr(actor, "id", None),
        organisation_id=organisation_id,
    )
    session.add(pledge)
    relationships.ensure(session, organisation_id, supplier, actor, today)
    session.flush()
    changes = audit.diff({}, audit.snapshot(pledge, PLEDGE_FIELDS))
    audit.record(session, actor, "create", "pledge", pledge.id, changes, supplier_id=supplier.id,
                 note=attachments.describe(scan))
    return pledge


def _signed_with(session: Session, key: str) -> IntegrityPledge | None:
    return session.scalar(select(IntegrityPledge).where(IntegrityPledge.signature_key == key))


def sign_in_portal(session: Session, supplier: Supplier, template: PledgeTemplate, signatory_name: str,
                   signatory_title: str, user: User, now: datetime, ip_address: str | None,
                   user_agent: str | None) -> IntegrityPledge:
    """A supplier user signs the version in effect: time, address, browser and the text's digest are kept."""
    errors: dict[str, list] = {}
    if not (signatory_name or "").strip():
        add_error(errors, "signatory_name", _l("Enter who signed."))
    if template.effective_on > now.date():
        add_error(errors, "template_id", _l("This version is not in effect yet."))
    if user.supplier_id != supplier.id:
        add_error(errors, "signatory_name", _l("Only the supplier's own users can sign for it."))
    if errors:
        raise ValidationFailed(errors)
    # One signature per supplier, text and day: a double click or six simultaneous submits store one.
    key = f"{supplier.id}:{template.id}:{now.date().isoformat()}"
    existing = _signed_with(session, key)
    if existing is not None:
        return existing
    pledge = IntegrityPledge(
        signature_key=key, supplier_id=supplier.id, kind=template.kind, template_id=template.id,
        signatory_name=signatory_name.strip()[:100],
        signatory_title=(signatory_title or "").strip()[:100] or None,
        signed_on=now.date(), method="portal", signed_at=now, ip_address=(ip_address or "")[:45] or None,
        user_agent=(user_agent or "")[:300] or None, text_sha256=template_digest(template),
        created_by_id=user.id, organisation_id=scope.record_organisation(session, None, None)[0],
    )
    session.add(pledge)
    try:
        session.flush()
    except IntegrityError:
        # Another submit of the same signature committed first: that one is the signature.
        session.rollback()
        existing = _signed_with(session, key)
        if existing is None:
            raise
        return existing
    changes = audit.diff({}, audit.snapshot(pledge, PLEDGE_FIELDS))
    audit.record(session, user, "sign", "pledge", pledge.id, changes, supplier_id=supplier.id)
    return pledge


def delete_pledge(session: Session, pledge: IntegrityPledge, reason: str, actor: User | None) -> None:
    """Remove a pledge recorded by mistake; needs a reason; the audit entry keeps what it said."""
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Give the reason for removing the pledge.")]})
    changes = {k: [v, None] for k, v in audit.snapshot(pledge, PLEDGE_FIELDS).items()}
    audit.record(session, actor, "delete", "pledge", pledge.id, changes, supplier_id=pledge.supplier_id,
                 note=reason.strip())
    pledge.signature_key = None  # the supplier may sign the same text again today
    soft_delete.mark(session, pledge, reason, actor)


def pledge_status(pledge: IntegrityPledge, today: date) -> str:
    """"valid", or "expired" once past its validity."""
    return "valid" if pledge.valid_on(today) else "expired"


def for_supplier(session: Session, supplier_id: int) -> list[IntegrityPledge]:
    """A supplier's pledges, newest first."""
    stmt = (select(IntegrityPledge).where(IntegrityPledge.supplier_id == supplier_id)
            .order_by(IntegrityPledge.signed_on.desc(), IntegrityPledge.id.desc()))
    return list(session.scalars(stmt))


# --- rates -------------------------------------------------------------------------------------------------

@dataclass
class Rate:
    """Signed out of required; the percentage is None when nobody is required to sign."""

    signed: int = 0
    required: int = 0
    signed_ids: list[int] = field(default_factory=list)  # suppliers (per kind and region: one per supplier)
    required_ids: list[int] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        """The signing rate in percent, one decimal, exactly half up (docs/disclosure.md)."""
        if not self.required:
            return None
        exact = Decimal(100 * self.signed) / Decimal(self.required)
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class SigningRates:
    """Signing rates on a day: per kind, overall (supplier-kind pairs) and per region."""

    as_of: date
    by_kind: dict[str, Rate] = field(default_factory=dict)
    by_region: dict[str, Rate] = field(default_factory=dict)
    overall: Rate = field(default_factory=Rate)
    suppliers_required: int = 0
    suppliers_complete: int = 0
    pledges_signed: int = 0


def in_force(as_of: date):
    """SQL: the pledge is in force on the day (signed by then, not yet past its validity)."""
    return IntegrityPledge.signed_on <= as_of, or_(IntegrityPledge.valid_until.is_(None),
                                                    IntegrityPledge.valid_until >= as_of)


def valid_pledges(session: Session, as_of: date) -> set[tuple[int, str]]:
    """(supplier id, kind) of every pledge in force on the day."""
    stmt = select(IntegrityPledge.supplier_id, IntegrityPledge.kind).where(*in_force(as_of))
    return {(supplier_id, kind) for supplier_id, kind in session.execute(stmt)}


# The population of a signing rate: the suppliers in the supply chain (approved to supply) whose categories
# require the kind. The same on /pledges/, the dashboard and the disclosure (issue 12, D4).
IN_SUPPLY_CHAIN = ("trial", "qualified", "conditional")


RequiredPledges = list[tuple[int, str, tuple[str, ...]]]


def required_pledges(session: Session, statuses: tuple[str, ...] | None = None) -> RequiredPledges:
    """(supplier id, region, required kinds) of every supplier (of these statuses) whose categories require a
    pledge, by name; from plain rows: a group has tens of thousands of suppliers, and loading each as an object
    with its categories took seconds. The kinds are worked out once per distinct set of categories."""
    mapping = requirements.requirement_map(session)
    stmt = select(Supplier.id, Supplier.region).order_by(Supplier.name_zh, Supplier.id)
    if statuses is not None:
        stmt = stmt.where(Supplier.status.in_(statuses))
    categories: dict[int, list[int]] = {}
    for sid, category_id in session.execute(select(supplier_categories.c.supplier_id,
                                                   supplier_categories.c.category_id)):
        categories.setdefault(sid, []).append(category_id)
    kinds_of: dict[frozenset[int], tuple[str, ...]] = {}
    out = []
    for sid, region in session.execute(stmt):
        key = frozenset(categories.get(sid, ()))
        if key not in kinds_of:
            kinds_of[key] = requirements.required_from(key, mapping).pledges
        if kinds_of[key]:
            out.append((sid, region, kinds_of[key]))
    return out


def _population(session: Session, statuses, population: Iterable[int] | None = None,
                required: RequiredPledges | None = None):
    """(supplier id, region, required kinds) of the population: the suppliers of these statuses, or the ids
    given. `required` (required_pledges of every supplier) saves reading them again."""
    if required is None:
        required = required_pledges(session, statuses if population is None else None)
    elif population is None:
        # Statuses are not in the rows: read the suppliers of these statuses.
        population = session.scalars(select(Supplier.id).where(Supplier.status.in_(statuses)))
    wanted = None if population is None else set(population)
    for sid, region, kinds in required:
        if wanted is None or sid in wanted:
            yield sid, region, kinds


def signing_rates(session: Session, as_of: date, statuses: tuple[str, ...] = IN_SUPPLY_CHAIN,
                  population: Iterable[int] | None = None, required: RequiredPledges | None = None) -> SigningRates:
    """Of the suppliers in the supply chain whose categories require a pledge kind, how many have one in
    force on the day. `population` (supplier ids: those in the supply chain on a past day) replaces the
    current statuses; `required` (required_pledges) is for a caller computing several days."""
    signed = valid_pledges(session, as_of)
    result = SigningRates(as_of, by_kind={kind: Rate() for kind in PLEDGE_KINDS})
    for supplier_id, region_key, required_kinds in _population(session, statuses, population, required):
        result.suppliers_required += 1
        complete = True
        region = result.by_region.setdefault(region_key, Rate())
        for kind in required_kinds:
            has = (supplier_id, kind) in signed
            complete = complete and has
            for rate in (result.by_kind[kind], region, result.overall):
                rate.required += 1
                rate.signed += int(has)
            result.by_kind[kind].required_ids.append(supplier_id)
            if has:
                result.by_kind[kind].signed_ids.append(supplier_id)
        result.suppliers_complete += int(complete)
    year_start = date(as_of.year, 1, 1)
    result.pledges_signed = session.scalar(select(func.count(IntegrityPledge.id)).where(
        IntegrityPledge.signed_on >= year_start, IntegrityPledge.signed_on <= as_of)) or 0
    return result


def kind_rate(session: Session, as_of: date, kind: str, statuses: tuple[str, ...] = IN_SUPPLY_CHAIN) -> Rate:
    """signing_rates(session, as_of, statuses).by_kind[kind] as two counts in one SQL statement, without ids.

    The same definitions: the suppliers of these statuses whose categories require the kind
    (requirements.requires_pledge, the union of required_from), and of them those with a pledge of the kind
    in force on the day (in_force); the scope and the soft deletion apply to the pledges as everywhere.
    For a page that shows the figure, not the records behind it (the dashboard).
    """
    has_pledge = (select(IntegrityPledge.id)
                  .where(IntegrityPledge.supplier_id == Supplier.id, IntegrityPledge.kind == kind, *in_force(as_of))
                  .exists())
    required, signed = session.execute(
        select(func.count(Supplier.id), func.sum(case((has_pledge, 1), else_=0)))
        .where(Supplier.status.in_(statuses), requirements.requires_pledge(kind))).one()
    return Rate(signed=int(signed or 0), required=int(required or 0))


def missing_pledges(
    session: Session, as_of: date, kind: str | None = None,
    statuses: tuple[str, ...] = requirements.ACTIVE_STATUSES,
) -> list[tuple[Supplier, list[str]]]:
    """Suppliers lacking a required pledge in force on the day, with the kinds they lack."""
    signed = valid_pledges(session, as_of)
    lacking_by_id = {}
    for supplier_id, _region, required in _population(session, statuses):
        lacking = [k for k in required if (supplier_id, k) not in signed and (kind is None or k == kind)]
        if lacking:
            lacking_by_id[supplier_id] = lacking
    loaded: dict[int, Supplier] = {}
    ids = list(lacking_by_id)
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        loaded.update((s.id, s) for s in session.scalars(select(Supplier).where(Supplier.id.in_(chunk))))
    return [(loaded[sid], lacking) for sid, lacking in lacking_by_id.items() if sid in loaded]
