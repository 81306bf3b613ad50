"""Who a questionnaire campaign goes to: suppliers by risk tier, category, buying organisation, region, or an
uploaded list of credit codes (CSV or XLSX), the filters combined; every unknown code is reported with its row.

Only suppliers of the acting scope can be chosen (the session's scope limits every query), and suppliers that
left the group (exited, rejected, blacklisted) are never sent a questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import credit_code, regions, scope
from supplychain.errors import add_error
from supplychain.models import (
    RISK_TIERS,
    Organisation,
    Supplier,
    SupplierRelationship,
    SupplierRisk,
    SupplyCategory,
    supplier_categories,
)
from supplychain.services.imports import importer

# Suppliers no longer in the supply base are never invited.
LEFT_STATUSES = ("exited", "rejected", "blacklisted")
MAX_LIST_ROWS = 50_000
PREVIEW_NAMES = 20


@dataclass
class Selection:
    """The filters chosen (empty = any) and the codes of an uploaded list, if one was given."""

    tier: str = ""
    category_id: int | None = None
    organisation_id: int | None = None
    region: str = ""
    list_filename: str = ""
    list_codes: list[str] | None = None  # None: no list uploaded

    def as_record(self) -> dict:
        """What the campaign keeps of its selection (the list by its name and size, not its codes)."""
        record: dict = {key: value for key, value in (("tier", self.tier), ("category_id", self.category_id),
                                                      ("organisation_id", self.organisation_id),
                                                      ("region", self.region)) if value}
        if self.list_codes is not None:
            record["list"] = {"filename": self.list_filename, "codes": len(self.list_codes)}
        return record


@dataclass
class Chosen:
    """The suppliers a selection finds, and every problem with the selection (per field)."""

    supplier_ids: list[int] = field(default_factory=list)
    errors: dict[str, list] = field(default_factory=dict)


def read_list(filename: str, data: bytes) -> tuple[list[tuple[int, str]], list]:
    """The (row, credit code) pairs of an uploaded CSV or XLSX list, or the problems reading it (with rows).

    The list has a column 统一社会信用代码 / credit_code, or no header at all: a first row that already holds
    a credit code makes that column the list, from the first row on."""
    read = importer.read_file(filename, data, vocabulary="campaign_list", required=("credit_code",),
                              max_rows=MAX_LIST_ROWS)
    if read.problems and read.header is None:
        bare = _bare_list(filename, data)
        if bare is not None:
            return bare
    if read.problems:
        return [], [_row_problem(problem) for problem in read.problems]
    return [(row.line, credit_code.normalize(row.values.get("credit_code", ""))) for row in read.rows], []


def _row_problem(problem):
    return problem.message if problem.line is None else _l("Row %(line)d: %(problem)s", line=problem.line,
                                                           problem=problem.message)


def _looks_like_a_code(cell: str) -> bool:
    value = credit_code.normalize(cell)
    return len(value) == credit_code.LENGTH and value.isalnum()


def _bare_list(filename: str, data: bytes) -> tuple[list[tuple[int, str]], list] | None:
    """A list without a header row: the column whose first cell looks like a credit code (18 letters and
    digits; whether it is valid is checked row by row later), or None when no cell of the first row does."""
    records, problems = importer.read_records(filename, data, MAX_LIST_ROWS)
    if problems or not records:
        return None
    column = next((i for i, cell in enumerate(records[0][1]) if _looks_like_a_code(cell)), None)
    if column is None:
        return None
    if len(records) > MAX_LIST_ROWS:
        return [], [_l("The file has more than %(n)d rows. Split it into smaller files.", n=MAX_LIST_ROWS)]
    return [(line, credit_code.normalize(cells[column] if column < len(cells) else "")) for line, cells in records], []


def check_list(session: Session, rows: list[tuple[int, str]]) -> tuple[list[str], list]:
    """The known credit codes of a list and a message for each row naming no supplier of the scope."""
    wanted = {code for _, code in rows if code}
    known: set[str] = set()
    codes = sorted(wanted)
    for start in range(0, len(codes), 1000):
        known.update(session.scalars(select(Supplier.credit_code).where(
            Supplier.credit_code.in_(codes[start:start + 1000]))))
    problems = []
    for line, code in rows:
        if not code:
            problems.append(_l("Row %(line)d: no credit code.", line=line))
        elif not credit_code.is_valid(code):
            problems.append(_l("Row %(line)d: %(code)s is not a valid unified social credit code.", line=line,
                               code=code))
        elif code not in known:
            problems.append(_l("Row %(line)d: no supplier with the credit code %(code)s.", line=line, code=code))
    return sorted(known), problems


def check_filters(session: Session, selection: Selection) -> dict[str, list]:
    """Problems with the chosen filters: an unknown tier, category, region, or an organisation outside the scope."""
    errors: dict[str, list] = {}
    if selection.tier and selection.tier not in RISK_TIERS:
        add_error(errors, "tier", _l("Choose one of the offered options."))
    if selection.category_id and session.get(SupplyCategory, selection.category_id) is None:
        add_error(errors, "category_id", _l("Choose one of the offered options."))
    if selection.region and selection.region not in regions.REGION_KEYS:
        add_error(errors, "region", _l("Choose one of the offered options."))
    if selection.organisation_id:
        organisation = session.get(Organisation, selection.organisation_id)
        if organisation is None or not scope.current(session).allows(organisation.id):
            add_error(errors, "organisation_id", _l("Choose an organisation within your own."))
    return errors


def _statement(session: Session, selection: Selection, codes: list[str] | None):
    stmt = select(Supplier.id).where(Supplier.status.not_in(LEFT_STATUSES))
    if selection.tier:
        stmt = (stmt.join(SupplierRisk, SupplierRisk.supplier_id == Supplier.id)
                .where(SupplierRisk.tier == selection.tier))
    if selection.category_id:
        stmt = stmt.where(Supplier.id.in_(select(supplier_categories.c.supplier_id)
                                          .where(supplier_categories.c.category_id == selection.category_id)))
    if selection.organisation_id:
        buyers = sorted(scope.subtree_ids(session, selection.organisation_id))
        stmt = stmt.where(Supplier.id.in_(select(SupplierRelationship.supplier_id).where(
            SupplierRelationship.organisation_id.in_(buyers), SupplierRelationship.status == "active")))
    if selection.region:
        stmt = stmt.where(Supplier.region == selection.region)
    if codes is not None:
        stmt = stmt.where(Supplier.credit_code.in_(codes))
    return stmt.order_by(Supplier.id)


def choose(session: Session, selection: Selection) -> Chosen:
    """The suppliers of the selection within the session's scope, or every problem with it."""
    chosen = Chosen(errors=check_filters(session, selection))
    codes = selection.list_codes
    if chosen.errors:
        return chosen
    if codes is None:
        chosen.supplier_ids = list(session.scalars(_statement(session, selection, None)))
        return chosen
    found: list[int] = []
    for start in range(0, len(codes), 1000):
        found += session.scalars(_statement(session, selection, codes[start:start + 1000]))
    chosen.supplier_ids = sorted(set(found))
    return chosen


def preview_names(session: Session, supplier_ids: list[int]) -> list[Supplier]:
    """The first suppliers of a selection, by name, to show beside its count."""
    if not supplier_ids:
        return []
    stmt = select(Supplier).where(Supplier.id.in_(supplier_ids[:PREVIEW_NAMES])).order_by(Supplier.name_zh)
    return list(session.scalars(stmt))
