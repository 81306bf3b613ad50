"""What the spend and receipt batches share: per-line errors, references looked up in bulk, parsing.

A batch comes from an ERP or platform (through the API) or from a file (`flask spend import`). It is
all or nothing: every line is checked first, every problem is reported with the line it is on, and
only a batch without a problem is written. Lines are idempotent by the sender's external id: the
same id with the same content is a no-op, the same id with other content is a conflict, never an
overwrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import ValidationFailed
from supplychain.models import Organisation, Supplier, SupplierRelationship, SupplyCategory
from supplychain.value_lists import chunks

LOOKUP_CHUNK = 2000  # external ids looked up at once (SQLite >= 3.32 and PostgreSQL take far more)
INSERT_CHUNK = 5000
MAX_EXTERNAL_ID = 100
_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
ECHO_LIMIT = 60


@dataclass(frozen=True)
class LineError:
    """One problem of one line: its number (file row, or position in the batch from 1), field, message.

    ``conflict`` marks a line that contradicts what was sent before under the same external id (or for
    the same organisation, supplier, category and month), as opposed to a line that is invalid in itself.
    """

    line: int
    external_id: str
    field: str
    message: object
    conflict: bool = False

    def __str__(self) -> str:
        ident = f" ({self.external_id})" if self.external_id else ""
        return f"line {self.line}{ident}: {self.field + ': ' if self.field else ''}{self.message}"


class BatchRejected(ValidationFailed):
    """A batch refused as a whole; ``lines`` lists every problem, ``errors`` maps "line N.field" to messages."""

    def __init__(self, line_errors: list[LineError]):
        self.lines = sorted(line_errors, key=lambda e: (e.line, e.field))
        errors: dict[str, list] = {}
        for error in self.lines:
            errors.setdefault(f"line {error.line}" + (f".{error.field}" if error.field else ""), []).append(
                error.message)
        super().__init__(errors)

    @property
    def conflict(self) -> bool:
        """True when every problem is a conflict with lines sent before (an API answers 409)."""
        return bool(self.lines) and all(error.conflict for error in self.lines)


@dataclass
class BatchResult:
    """What a batch did: lines written, and lines already stored with the same content."""

    created: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        """Every line of the batch."""
        return self.created + self.unchanged


def echo(value: object) -> str:
    """A value shortened for a message, so one absurd cell cannot swamp the report."""
    text = str(value if value is not None else "").strip()
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…"


def text(value: object) -> str:
    """A cell or JSON value as stripped text ("" for None)."""
    return "" if value is None else str(value).strip()


def parse_month(value: object) -> date:
    """The first day of a month written YYYY-MM (or a date YYYY-MM-01); ValueError otherwise."""
    if isinstance(value, date):
        if value.day != 1:
            raise ValueError(value)
        return value
    return _month(text(value))


@lru_cache(maxsize=4096)  # a ledger file has a few distinct months
def _month(value: str) -> date:
    match = _MONTH.fullmatch(value)
    if not match:
        raise ValueError(value)
    year, month, day = match.groups()
    if day is not None and int(day) != 1:
        raise ValueError(value)
    return date(int(year), int(month), 1)


def parse_date(value: object) -> date:
    """A date written YYYY-MM-DD (also / or . between, as spreadsheets write it); ValueError otherwise."""
    if isinstance(value, date):
        return value
    match = _DATE.fullmatch(text(value))
    if not match:
        raise ValueError(value)
    return date(*(int(part) for part in match.groups()))


def parse_decimal(value: object, places: int, maximum: Decimal) -> Decimal:
    """A non-negative number with at most `places` decimals and below `maximum`; ValueError otherwise.

    A float (a JSON number) is read through its shortest repr, i.e. as the decimal the sender wrote
    (1200.5 is 1200.5, not its binary neighbour); thousands separators are not guessed at.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            number = Decimal(text(value))
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueError(value)
    if number < 0 or number >= maximum:
        raise ValueError(value)
    return number


@dataclass
class References:
    """Organisations, categories, suppliers and relationships a batch names, each looked up once."""

    organisations: dict[str, int]  # upper-cased code -> id, only those inside the session's scope
    categories: dict[str, tuple[int, bool]]  # upper-cased code -> (id, active)
    by_credit_code: dict[str, int]
    supplier_ids: set[int]
    relationships: set[tuple[int, int]]  # (organisation id, supplier id)
    # A million-line file names a few thousand (organisation, supplier, category) triples: resolve each once.
    _memo: dict = field(default_factory=dict, repr=False)

    @classmethod
    def for_lines(cls, session: Session, lines) -> References:
        """Everything the lines of a batch (spend or receipts) name by credit code or supplier id."""
        return cls.load(session, {text(i.credit_code).upper() for i in lines if text(i.credit_code)},
                        {int(i.supplier_id) for i in lines if str(i.supplier_id or "").strip().isdigit()})

    @classmethod
    def load(cls, session: Session, credit_codes: set[str], supplier_ids: set[int]) -> References:
        """Look up everything a batch may name, in a few queries."""
        active = scope.current(session)
        organisations = {
            code.upper(): org_id
            for code, org_id in session.execute(scope.unscoped(select(Organisation.code, Organisation.id)))
            if active.allows(org_id)
        }
        categories = {code.upper(): (cat_id, bool(on)) for code, cat_id, on in session.execute(
            select(SupplyCategory.code, SupplyCategory.id, SupplyCategory.active))}
        by_code: dict[str, int] = {}
        for chunk in chunks(sorted(credit_codes)):
            stmt = scope.unscoped(select(Supplier.credit_code, Supplier.id).where(Supplier.credit_code.in_(chunk)))
            by_code.update(session.execute(stmt).all())
        known: set[int] = set(by_code.values())
        for chunk in chunks(sorted(supplier_ids - known)):
            known.update(session.scalars(scope.unscoped(select(Supplier.id).where(Supplier.id.in_(chunk)))))
        relationships: set[tuple[int, int]] = set()
        for chunk in chunks(sorted(known)):
            stmt = scope.unscoped(select(SupplierRelationship.organisation_id, SupplierRelationship.supplier_id)
                                  .where(SupplierRelationship.supplier_id.in_(chunk)))
            relationships.update(tuple(row) for row in session.execute(stmt))
        return cls(organisations, categories, by_code, known, relationships)

    def resolved(self, organisation: object, credit_code: object, supplier_id: object, category: object
                 ) -> tuple[tuple[int | None, int | None, int | None], tuple[tuple[str, object], ...]]:
        """`resolve`, remembered: ((organisation id, supplier id, category id), ((field, message), …))."""
        key = (organisation, credit_code, supplier_id, category)
        found = self._memo.get(key)
        if found is None:
            problems: list[tuple[str, object]] = []
            ids = self.resolve(organisation, credit_code, supplier_id, category,
                               lambda name, message: problems.append((name, message)))
            found = self._memo[key] = (ids, tuple(problems))
        return found

    def resolve(self, organisation: object, credit_code: object, supplier_id: object, category: object,
                add) -> tuple[int | None, int | None, int | None]:
        """(organisation id, supplier id, category id) of a line; `add(field, message)` reports problems.

        The supplier is named by its credit code or, for suppliers without one (overseas), by its id.
        The organisation must buy from the supplier (a supplier relationship, whatever its status).
        """
        org_id = self.organisations.get(text(organisation).upper())
        if not text(organisation):
            add("organisation", _l("Name the organisation (its code)."))
        elif org_id is None:
            add("organisation", _l("Unknown organisation: %(code)s.", code=echo(organisation)))
        found = None
        code = text(credit_code).upper()
        if code:
            found = self.by_credit_code.get(code)
            if found is None:
                add("credit_code", _l("No supplier with the credit code %(code)s.", code=echo(code)))
        elif text(supplier_id):
            try:
                number = int(text(supplier_id))
            except ValueError:
                number = None
            found = number if number in self.supplier_ids else None
            if found is None:
                add("supplier_id", _l("No supplier with the id %(id)s.", id=echo(supplier_id)))
        else:
            add("credit_code", _l("Name the supplier: its credit code, or its id when it has none."))
        if org_id is not None and found is not None and (org_id, found) not in self.relationships:
            add("organisation", _l("This organisation has no relationship with the supplier: open one first."))
        category_id = None
        entry = self.categories.get(text(category).upper())
        if not text(category):
            add("category", _l("Name the supply category (its code)."))
        elif entry is None:
            add("category", _l("Unknown supply category: %(code)s.", code=echo(category)))
        elif not entry[1]:
            add("category", _l("The supply category %(code)s is no longer in use.", code=echo(category)))
        else:
            category_id = entry[0]
        return org_id, found, category_id


def external_id(value: object, add) -> str:
    """The sender's id of a line, checked: present and at most MAX_EXTERNAL_ID characters."""
    ident = text(value)
    if not ident:
        add("external_id", _l("Every line needs its external id (the sender's own id of the line)."))
    elif len(ident) > MAX_EXTERNAL_ID:
        add("external_id", _l("At most %(n)d characters.", n=MAX_EXTERNAL_ID))
    return ident


def check_lines(session: Session, lines: list, check) -> tuple[list[tuple[int, dict]], list[LineError]]:
    """Every line of a batch checked by ``check(refs, item, number)``, which gives (row, []) or (None, problems);
    a line is numbered by its own ``line``, else its position. Returns the good lines as (number, row), and the
    problems of the others."""
    refs = References.for_lines(session, lines)
    problems: list[LineError] = []
    checked: list[tuple[int, dict]] = []
    for position, item in enumerate(lines, start=1):
        number = item.line or position
        row, errors = check(refs, item, number)
        if errors:
            problems.extend(errors)
        else:
            checked.append((number, row))
    return checked, problems


def repeated_with_other_content(number: int, ident: str, first_line: int) -> LineError:
    """An external id the batch already had, on ``first_line``, with other content: a conflict."""
    return LineError(number, ident, "external_id", _l(
        "The external id %(id)s is already on line %(line)d with other content.", id=echo(ident),
        line=first_line), conflict=True)


def resent_with_other_content(number: int, ident: str) -> LineError:
    """An external id already stored with other content: a conflict (a stored line is never overwritten)."""
    return LineError(number, ident, "external_id", _l(
        "The external id %(id)s was sent before with other content; a stored line is never overwritten.",
        id=echo(ident)), conflict=True)
