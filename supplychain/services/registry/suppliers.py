"""The supplier registry: validation, create, update, duplicate detection, search and region counts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from math import ceil

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, UnaryExpression, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload, noload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import operators

from supplychain import clock, credit_code, regions, scope
from supplychain.errors import ValidationFailed, add_error
from supplychain.importing.values import category_key, parse_supplier_type
from supplychain.models import (
    STATUSES,
    SUPPLIER_TYPES,
    Supplier,
    SupplierContact,
    SupplierRisk,
    SupplyCategory,
    User,
    supplier_categories,
)
from supplychain.services.core import audit, locking
from supplychain.services.registry import relationships, supplier_search
from supplychain.services.risk import recompute as risk_recompute
from supplychain.text_safety import starts_like_formula, strip_controls

# Registry fields the inherent risk tier is computed from: categories, and the country or region.
RISK_INPUT_FIELDS = {"category_codes", "country", "province_code", "region"}
LIMITS = {
    "name_zh": 200,
    "name_en": 200,
    "city": 100,
    "address": 300,
    "legal_representative": 100,
    "contact_name": 100,
    "contact_phone": 40,
    "contact_email": 254,
}
AUDITED_FIELDS = (
    "name_zh",
    "name_en",
    "credit_code",
    "country",
    "province_code",
    "region",
    "city",
    "address",
    "legal_representative",
    "status",
    "registered_on",
    "supplier_type",
    "category_codes",
    "contact_list",
)
SORTS = {
    "name": Supplier.name_zh,
    "-name": Supplier.name_zh.desc(),
    "registered": Supplier.registered_on,
    "-registered": Supplier.registered_on.desc(),
    "status": Supplier.status,
    "region": Supplier.region,
}
_COMPANY_NOISE = re.compile(r"[\s\-_.,，。·・()（）【】\[\]'\"“”]+")


@dataclass
class ContactData:
    """One contact person as entered."""

    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class SupplierData:
    """A supplier as entered in the form or a row of an import file (raw strings)."""

    name_zh: str = ""
    name_en: str = ""
    credit_code: str = ""
    country: str = "CN"
    province: str = ""
    city: str = ""
    address: str = ""
    categories: list[str] = field(default_factory=list)
    contacts: list[ContactData] = field(default_factory=list)
    registered_on: date | None = None
    # A key of SUPPLIER_TYPES, or its Chinese/English name in an import; blank: a manufacturer.
    supplier_type: str = ""
    # 法定代表人 (issue 11): None leaves the stored name as it is (an import without the column).
    legal_representative: str | None = None


@dataclass
class CleanSupplier:
    """Validated, normalised values ready to save."""

    name_zh: str
    name_en: str | None
    name_key: str
    credit_code: str | None
    country: str
    province_code: str | None
    region: str
    city: str | None
    address: str | None
    categories: list[SupplyCategory]
    contacts: list[ContactData]
    registered_on: date
    supplier_type: str = "manufacturer"
    legal_representative: str | None = None
    keep_legal_representative: bool = False

    @property
    def search_text(self) -> str:
        """What the list page's search box matches: names, credit code and pinyin, lower-cased."""
        return search_text(self.name_zh, self.name_en, self.credit_code)


def search_text(name_zh: str, name_en: str | None, code: str | None) -> str:
    """Lower-cased names, credit code and pinyin in one string (stored on the supplier for searching)."""
    return supplier_search.search_text(name_zh, name_en, code)


# A plain ASCII dot-atom local part, which email_validator always accepts as it is (RFC 5322).
_SIMPLE_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


@lru_cache(maxsize=4096)
def _normalized_domain(domain: str) -> str | None:
    try:
        return validate_email(f"x@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


def normalized_email(email: str) -> str | None:
    """The normalised address, or None when invalid (email_validator's rules; domains checked once each).

    Imports check thousands of addresses on a handful of domains, so a simple local part is checked
    here and the domain's verdict is cached; anything unusual goes through email_validator whole.
    """
    local, at, domain = email.rpartition("@")
    if at and len(local) <= 64 and _SIMPLE_LOCAL_PART.fullmatch(local):
        normalized = _normalized_domain(domain)
        return f"{local}@{normalized}" if normalized else None
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def name_key(name: str) -> str:
    """Normalised legal name for duplicate detection: width, case, spaces and punctuation folded."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return _COMPANY_NOISE.sub("", folded)[:200]


def category_index(session: Session) -> dict[str, SupplyCategory]:
    """Active categories keyed by code, Chinese name and English name (case-folded), and by those names as
    `importing.values.category_key` folds them (traditional Chinese as simplified): see `find_category`."""
    index: dict[str, SupplyCategory] = {}
    active = list(session.scalars(select(SupplyCategory).where(SupplyCategory.active.is_(True))))
    for category in active:
        for key in (category.code, category.name_zh, category.name_en):
            index[key.strip().casefold()] = category
    for category in active:  # the folded names never shadow a code or a name as written
        for key in (category.code, category.name_zh, category.name_en):
            index.setdefault(category_key(key), category)
    return index


def find_category(categories: dict[str, SupplyCategory], text: str) -> SupplyCategory | None:
    """The category a cell or form value names: its code or name as written (any case), or its Chinese name
    in traditional characters (Hong Kong or Taiwan: 設備, 環保服務) or with other spacing; None if unknown."""
    value = (text or "").strip()
    return categories.get(value.casefold()) or categories.get(category_key(value))


FORMULA_NAME_MESSAGE = _l("A name cannot start with =, +, - or @: spreadsheets would run it as a formula.")


# Lazy strings, made once (not per row of an import): each is translated when shown.
_CODE_MESSAGES = {
    "length": _l("A Unified Social Credit Code has 18 characters."),
    "charset": _l("Only digits and the capital letters A–Y except I, O, S, V, Z are allowed."),
    "division": _l("Characters 3 to 8 must be the 6-digit administrative division code."),
    "check": _l("The check character (the 18th) is wrong: the code has a typo."),
}
_PHONE = re.compile(r"[0-9+()\- ]{5,40}")


def clean_supplier(
    data: SupplierData, categories: dict[str, SupplyCategory], today: date
) -> tuple[CleanSupplier | None, dict]:
    """Check a supplier's values without the database; every problem at once, per field."""
    errors: dict[str, list] = {}
    # Invisible and control characters (right-to-left overrides included) never belong in a record.
    texts = ("name_zh", "name_en", "city", "address")
    keep_representative = data.legal_representative is None
    given = [*(getattr(data, key) for key in texts), data.legal_representative, *(c.name for c in data.contacts)]
    if not all(not text or text.isprintable() for text in given):  # most rows have nothing to strip: no copy
        data = replace(data, **{key: strip_controls(getattr(data, key)) for key in texts},
                       legal_representative=strip_controls(data.legal_representative or ""),
                       contacts=[replace(c, name=strip_controls(c.name or "")) for c in data.contacts])
    name_zh = (data.name_zh or "").strip()
    if not name_zh:
        add_error(errors, "name_zh", _l("The Chinese legal name is required."))
    for key in ("name_zh", "name_en"):
        if starts_like_formula(getattr(data, key)):
            add_error(errors, key, FORMULA_NAME_MESSAGE)
    for key, value in (("name_zh", name_zh), ("name_en", data.name_en), ("city", data.city), ("address", data.address),
                       ("legal_representative", data.legal_representative)):
        if value and len(value.strip()) > LIMITS[key]:
            add_error(errors, key, _l("At most %(n)d characters.", n=LIMITS[key]))

    country = regions.find_country(data.country or "CN") if (data.country or "CN").strip() else None
    if country is None:
        add_error(errors, "country", _l("Unknown country: %(value)s.", value=data.country))
    province = regions.find_province(data.province) if (data.province or "").strip() else None
    if (data.province or "").strip() and province is None:
        add_error(errors, "province", _l("Unknown province: %(value)s.", value=data.province))
    if country == "CN" and province is None and "province" not in errors:
        add_error(errors, "province", _l("A province is required for a supplier in China."))
    if country and country != "CN" and province is not None and country not in ("HK", "MO", "TW"):
        add_error(errors, "province", _l("A province is only given for suppliers in China."))
    if country in ("HK", "MO", "TW"):
        province = regions.find_province(country) or province
    province_code = province.code if province else None

    code = credit_code.normalize(data.credit_code or "") or None
    # A Chinese supplier whose province is still missing is in the mainland too (Hong Kong, Macao and
    # Taiwan are chosen as countries): its missing credit code is reported with the missing province.
    mainland = country == "CN" and (province is None or regions.is_mainland(country, province_code))
    if code:
        problems = credit_code.validate(code)
        for problem in problems:
            add_error(errors, "credit_code", _CODE_MESSAGES.get(problem, problem))
        if country and country != "CN" and not problems and country not in ("HK", "MO", "TW"):
            add_error(errors, "credit_code", _l("Overseas suppliers have no Unified Social Credit Code."))
    elif mainland:
        add_error(errors, "credit_code", _l("The Unified Social Credit Code is required for a mainland supplier."))

    chosen: list[SupplyCategory] = []
    for raw in data.categories:
        raw = (raw or "").strip()
        if not raw:
            continue
        category = find_category(categories, raw)
        if category is None:
            add_error(errors, "categories", _l("Unknown supply category: %(value)s.", value=raw))
        elif category not in chosen:
            chosen.append(category)

    contacts: list[ContactData] = []
    for contact in data.contacts:
        name, phone, email = (contact.name or "").strip(), (contact.phone or "").strip(), (contact.email or "").strip()
        if not (name or phone or email):
            continue
        if not name:
            add_error(errors, "contact_name", _l("A contact needs a name."))
        for key, value in (("contact_name", name), ("contact_phone", phone), ("contact_email", email)):
            if len(value) > LIMITS[key]:
                add_error(errors, key, _l("At most %(n)d characters.", n=LIMITS[key]))
        if phone and not _PHONE.fullmatch(phone):
            add_error(errors, "contact_phone", _l("Enter a phone number with digits, spaces, +, - or brackets."))
        if email:
            normalized = normalized_email(email)
            if normalized is None:
                add_error(errors, "contact_email", _l("Not a valid e-mail address: %(value)s.", value=email))
            else:
                email = normalized
        contacts.append(ContactData(name, phone, email))

    registered_on = data.registered_on or today
    if registered_on > today:
        add_error(errors, "registered_on", _l("The registration date cannot be in the future."))
    supplier_type = parse_supplier_type(data.supplier_type) if (data.supplier_type or "").strip() else "manufacturer"
    if supplier_type is None:
        add_error(errors, "supplier_type", _l("Unknown supplier type: %(value)s. Use manufacturer, distributor, "
                                         "service provider or contractor.", value=(data.supplier_type or "")[:100]))
    if errors:
        return None, errors
    return CleanSupplier(
        name_zh=name_zh,
        name_en=(data.name_en or "").strip() or None,
        name_key=name_key(name_zh),
        credit_code=code,
        country=country,
        province_code=province_code,
        region=regions.region_for(country, province_code),
        city=(data.city or "").strip() or None,
        address=(data.address or "").strip() or None,
        categories=chosen,
        contacts=contacts,
        registered_on=registered_on,
        supplier_type=supplier_type,
        legal_representative=(data.legal_representative or "").strip() or None,
        keep_legal_representative=keep_representative,
    ), {}


def _visible(session: Session, supplier_id: int) -> bool:
    return session.scalar(select(Supplier.id).where(Supplier.id == supplier_id)) is not None


def duplicates(session: Session, clean: CleanSupplier, exclude_id: int | None = None) -> dict[str, list]:
    """Errors for another supplier with the same credit code or the same normalised name (with its id)."""
    errors: dict[str, list] = {}
    if clean.credit_code:
        other = session.scalar(scope.unscoped(select(Supplier).where(Supplier.credit_code == clean.credit_code)))
        if other is not None and other.id != exclude_id:
            add_error(
                errors,
                "credit_code",
                DuplicateMessage(other, _l("Already registered as %(name)s.", name=other.name_zh),
                                 _visible(session, other.id)),
            )
    other = session.scalar(scope.unscoped(
        select(Supplier).where(Supplier.name_key == clean.name_key, Supplier.id != (exclude_id or 0)).limit(1)
    ))
    if other is not None:
        add_error(
            errors,
            "name_zh",
            DuplicateMessage(other, _l("A supplier with this name exists: %(name)s.", name=other.name_zh),
                             _visible(session, other.id)),
        )
    return errors


class DuplicateMessage:
    """An error message that also names the existing record, so the page can link to it."""

    def __init__(self, supplier, message, in_scope: bool = True):
        self.supplier_id = supplier.id
        self.message = message
        # Outside the acting scope the link opens the group master's card, where a buyer can start buying.
        self.in_scope = in_scope

    def __str__(self) -> str:
        return str(self.message)


def apply_clean(supplier: Supplier, clean: CleanSupplier) -> None:
    """Copy validated values onto a supplier (new or existing), contacts by position."""
    for name in (
        "name_zh",
        "name_en",
        "name_key",
        "credit_code",
        "search_text",
        "country",
        "province_code",
        "region",
        "city",
        "address",
        "registered_on",
        "supplier_type",
    ):
        setattr(supplier, name, getattr(clean, name))
    if not clean.keep_legal_representative:
        supplier.legal_representative = clean.legal_representative
    supplier.categories = list(clean.categories)
    existing = list(supplier.contacts)
    for position, contact in enumerate(clean.contacts):
        if position < len(existing):
            row = existing[position]
        else:
            row = SupplierContact(position=position)
            supplier.contacts.append(row)
        row.position, row.name, row.phone, row.email = (
            position,
            contact.name,
            contact.phone or None,
            contact.email or None,
        )
    for row in existing[len(clean.contacts) :]:
        supplier.contacts.remove(row)


def audit_snapshot(supplier: Supplier) -> dict:
    """The audited view of a supplier, with categories and contacts flattened to text."""
    values = audit.snapshot(supplier, AUDITED_FIELDS[:-2])
    values["category_codes"] = sorted(c.code for c in supplier.categories)
    values["contact_list"] = [f"{c.name} {c.phone or ''} {c.email or ''}".strip() for c in supplier.contacts]
    return values


def validate(session: Session, data: SupplierData, today: date, exclude_id: int | None = None) -> CleanSupplier:
    """Every check a new or edited supplier must pass; raises ValidationFailed with all problems."""
    from supplychain.services.registry import registration_checks

    clean, errors = clean_supplier(data, category_index(session), today)
    if clean is not None:
        errors = duplicates(session, clean, exclude_id)
        for check in registration_checks.CHECKS:
            for key, messages in check(session, clean).items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationFailed(errors)
    return clean


def _flush_or_duplicate(session: Session, clean: CleanSupplier, exclude_id: int | None) -> None:
    """Flush; when a simultaneous registration won the race for the same code or name, say so like the form does.

    The unique credit code and the unique name of code-less suppliers are the last line: the check in
    `validate` ran before the other transaction committed. The transaction is rolled back here.
    """
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        errors = duplicates(session, clean, exclude_id)
        raise ValidationFailed(errors or {"name_zh": [_l("Someone registered this supplier at the same moment.")]}) \
            from None


def create_supplier(session: Session, data: SupplierData, actor: User | None, today: date,
                    organisation_id: int | None = None) -> Supplier:
    """Register a supplier (status "registered") for an organisation, which starts buying from it; audited."""
    organisation_id, problems = scope.record_organisation(session, organisation_id, actor)
    try:
        clean = validate(session, data, today)
    except ValidationFailed as failed:
        if problems:
            failed.errors["organisation_id"] = problems
        raise
    if problems:
        raise ValidationFailed({"organisation_id": problems})
    supplier = Supplier(status="registered")
    apply_clean(supplier, clean)
    session.add(supplier)
    _flush_or_duplicate(session, clean, None)
    relationships.ensure(session, organisation_id, supplier, actor, today)
    audit.record(
        session,
        actor,
        "create",
        "supplier",
        supplier.id,
        audit.diff({}, audit_snapshot(supplier)),
        supplier_id=supplier.id,
    )
    risk_recompute.refresh(session, [supplier.id], today, actor)
    return supplier


def update_supplier(
    session: Session, supplier: Supplier, data: SupplierData, actor: User | None, today: date
) -> Supplier:
    """Edit a supplier's registry data; audited field by field."""
    clean = validate(session, data, today, exclude_id=supplier.id)
    before = audit_snapshot(supplier)
    apply_clean(supplier, clean)
    locking.touch(supplier)  # categories and contacts live in other tables: the lock moves all the same
    supplier_id = supplier.id
    _flush_or_duplicate(session, clean, supplier_id)
    changes = audit.diff(before, audit_snapshot(supplier))
    if changes:
        audit.record(session, actor, "update", "supplier", supplier.id, changes, supplier_id=supplier.id)
    if set(changes) & RISK_INPUT_FIELDS:
        risk_recompute.refresh(session, [supplier.id], today, actor)
    return supplier


def change_status(session: Session, supplier: Supplier, status: str, reason: str, actor: User | None,
                  effective_on: date | None = None, today: date | None = None) -> None:
    """Set a lifecycle status with its reason and the day it takes effect (default: today), audited.

    The effective date is separate from when the change is recorded: a blacklisting decided last year and
    entered today takes effect last year, and year-end figures use it. It may be neither in the future
    nor before the supplier was registered."""
    errors: dict[str, list] = {}
    today = today or clock.today()
    effective_on = effective_on or today
    if status not in STATUSES:
        add_error(errors, "status", _l("Unknown status."))
    if not (reason or "").strip():
        add_error(errors, "reason", _l("Give the reason for the status change."))
    if effective_on > today:
        add_error(errors, "effective_on", _l("The effective date cannot be in the future."))
    elif supplier.registered_on is not None and effective_on < supplier.registered_on:
        add_error(errors, "effective_on", _l("The effective date cannot be before the supplier was registered "
                                        "(%(day)s).", day=supplier.registered_on.isoformat()))
    if errors:
        raise ValidationFailed(errors)
    if status == supplier.status:
        return
    audit.record(
        session,
        actor,
        "status",
        "supplier",
        supplier.id,
        {"status": [supplier.status, status], "effective_on": effective_on.isoformat()},
        supplier_id=supplier.id,
        note=reason.strip(),
    )
    supplier.status = status


@dataclass
class SupplierFilters:
    """What the list page filters by."""

    q: str = ""
    region: str = ""
    province: str = ""
    category: str = ""
    status: str = ""
    supplier_type: str = ""
    local: bool = False
    sort: str = "-registered"
    tier: str = ""  # inherent risk tier (issue 11): high, medium or low


def _filtered(stmt: Select, filters: SupplierFilters, local, skip_region: bool = False) -> Select:
    # Every word must match the names, credit code or pinyin (search_text is lower-cased).
    clause = supplier_search.matches(filters.q)
    if clause is not None:
        stmt = stmt.where(clause)
    if filters.region and not skip_region:
        stmt = stmt.where(Supplier.region == filters.region)
    if filters.province:
        stmt = stmt.where(Supplier.province_code == filters.province)
    if filters.status:
        stmt = stmt.where(Supplier.status == filters.status)
    if filters.supplier_type in SUPPLIER_TYPES:
        stmt = stmt.where(Supplier.supplier_type == filters.supplier_type)
    if filters.local:
        stmt = stmt.where(local)
    if filters.category:
        stmt = stmt.where(
            Supplier.id.in_(
                select(supplier_categories.c.supplier_id)
                .join(SupplyCategory)
                .where(SupplyCategory.code == filters.category)
            )
        )
    if filters.tier:
        stmt = stmt.where(Supplier.id.in_(select(SupplierRisk.supplier_id).where(SupplierRisk.tier == filters.tier)))
    return stmt


@dataclass
class Page:
    """One page of a list."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, ceil(self.total / self.per_page))


@dataclass
class RegionCounts:
    """Counts of the filtered suppliers per region (ignoring the region filter), and how many are local."""

    by_region: dict[str, int]
    local: int

    @property
    def total(self) -> int:
        """All regions together."""
        return sum(self.by_region.values())


def region_counts(session: Session, filters: SupplierFilters) -> RegionCounts:
    """One grouped query: counts per region and local count for the filters (the B5.1 preview).

    "Local" is per organisation: a supplier is local when it is in the home province of at least one
    organisation of the acting scope that buys from it.
    """
    local = scope.local_condition(session)
    stmt = _filtered(
        select(Supplier.region, func.count(Supplier.id), func.sum(case((local, 1), else_=0))), filters, local,
        skip_region=True,
    ).group_by(Supplier.region)
    by_region = {region.key: 0 for region in regions.REGIONS}
    local_total = 0
    for region, count, local_count in session.execute(stmt):
        by_region[region] = count
        local_total += int(local_count or 0)
    return RegionCounts(by_region, local_total)


# Below this many matches the page gathers them first and sorts them (see `search`).
GATHER_FIRST_BELOW = 500


def search(
    session: Session,
    filters: SupplierFilters,
    page: int = 1,
    per_page: int = 50,
    counts: RegionCounts | None = None,
) -> Page:
    """Suppliers matching the filters, sorted and paginated (the total comes from the region counts)."""
    counts = counts or region_counts(session, filters)
    total = counts.by_region.get(filters.region, 0) if filters.region else counts.total
    page = max(1, min(page, max(1, ceil(total / per_page))))
    if not total:  # the counts say nothing matches: no page to read (a full walk of the sort order otherwise)
        return Page([], 0, page, per_page)
    order = SORTS.get(filters.sort, SORTS["-registered"])
    if total < GATHER_FIRST_BELOW:
        # Few matches: the database gathers them by the filters, then sorts them. Given the order's own index,
        # PostgreSQL would walk it and test every supplier until the page is full, since it cannot know how
        # rare the matches are (a search word and a region that rarely go together: 100,000 rows for none).
        # The same order, written as an expression no index provides.
        order = _unindexed(order)
    local = scope.local_condition(session) if filters.local else None
    # The page shows each supplier's categories, not its contacts: the contacts load only if asked for, and
    # the categories come from the link table by the page's ids (a relationship load of them would repeat
    # the organisation scope's filter, which SQLite answers by reading every supplier of the scope).
    stmt = (_filtered(select(Supplier), filters, local).order_by(order, Supplier.id.desc())
            .options(noload(Supplier.categories), lazyload(Supplier.contacts)))
    # The page reaches its 50 rows in the sort's order: the scope is checked on those rows it reaches
    # (scope.row_by_row), not against a list of every supplier of the scope built first.
    items = list(session.scalars(scope.row_by_row(stmt.offset((page - 1) * per_page).limit(per_page))))
    _fill_categories(session, items)
    return Page(items, total, page, per_page)


def _unindexed(order):
    """The same sort key as an expression (coalesce of the column with itself), which no index provides."""
    descending = isinstance(order, UnaryExpression) and order.modifier is operators.desc_op
    column = order.element if isinstance(order, UnaryExpression) else order
    key = func.coalesce(column, column)
    return key.desc() if descending else key


def _fill_categories(session: Session, items: list[Supplier]) -> None:
    """Set the categories of already-loaded suppliers in one query (by code, as the relationship orders them)."""
    by_supplier: dict[int, list[SupplyCategory]] = {supplier.id: [] for supplier in items}
    if by_supplier:
        rows = session.execute(
            select(supplier_categories.c.supplier_id, SupplyCategory)
            .join(SupplyCategory, SupplyCategory.id == supplier_categories.c.category_id)
            .where(supplier_categories.c.supplier_id.in_(list(by_supplier)))
            .order_by(SupplyCategory.code))
        for supplier_id, category in rows:
            by_supplier[supplier_id].append(category)
    for supplier in items:
        set_committed_value(supplier, "categories", by_supplier[supplier.id])
