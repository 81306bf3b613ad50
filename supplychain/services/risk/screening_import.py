"""`flask screening import FILE` (issue 11 part 4): screening results in bulk, all or nothing.

The file is read by importer.read_file (encodings, Chinese and English headers, title rows, footers). Every row
is checked and every problem reported at once, with its line: an unknown supplier, a supplier outside the
importer's scope (a subsidiary imports results only for the suppliers it buys from), an unknown list code, a
date that is not one (or in the future), a result the list does not take. Only a file without a problem is
saved, each result with its audit entry. A row already recorded (same supplier, list, day and result) is
skipped with a note, so importing a file again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import credit_code as uscc
from supplychain import scope, screening_lists
from supplychain.importing import values
from supplychain.models import Supplier, User
from supplychain.models.screening import ScreeningResult
from supplychain.services.core import audit
from supplychain.services.imports.importer import ImportPlan, RowError, echo, new_records, read_file
from supplychain.services.registry import suppliers as registry
from supplychain.services.risk import screening
from supplychain.value_lists import member_conditions

REQUIRED = ("list_code", "checked_on", "result")
FIELD_OF = {"note": "findings"}  # service field -> file column


@dataclass
class ScreeningPlan(ImportPlan):
    """A screening import's plan: the checked results to save, with their file lines."""

    records: list[tuple[int, int, screening.ResultData]] = field(default_factory=list)  # (line, supplier, data)

    @property
    def count(self) -> int:
        """How many results would be saved."""
        return len(self.records)


@dataclass
class _Suppliers:
    """The suppliers a file names, looked up across the group, and those the importer's scope may see."""

    by_code: dict[str, int]
    by_key: dict[str, list[int]]
    visible: set[int]

    @classmethod
    def load(cls, session: Session, rows) -> _Suppliers:
        codes = sorted({uscc.normalize(r.values.get("credit_code") or "") for r in rows} - {""})
        keys = sorted({registry.name_key(r.values.get("supplier") or "") for r in rows} - {""})
        by_code: dict[str, int] = {}
        by_key: dict[str, list[int]] = {}
        for condition in member_conditions(session, Supplier.credit_code, codes):
            by_code.update(session.execute(scope.unscoped(
                select(Supplier.credit_code, Supplier.id).where(condition))).all())
        for condition in member_conditions(session, Supplier.name_key, keys):
            for key, supplier_id in session.execute(scope.unscoped(
                    select(Supplier.name_key, Supplier.id).where(condition))):
                by_key.setdefault(key, []).append(supplier_id)
        found = sorted(set(by_code.values()) | {i for ids in by_key.values() for i in ids})
        visible: set[int] = set()
        for condition in member_conditions(session, Supplier.id, found):  # scoped: the importer's suppliers only
            visible.update(session.scalars(select(Supplier.id).where(condition)))
        return cls(by_code, by_key, visible)

    def resolve(self, raw: dict, errors: dict) -> int | None:
        """The row's supplier by credit code, else by registered Chinese name; problems go into `errors`."""
        code = uscc.normalize(raw.get("credit_code") or "")
        name = (raw.get("supplier") or "").strip()
        column, found = ("credit_code", None) if code else ("supplier", None)
        if code:
            found = self.by_code.get(code)
            if found is None:
                errors.setdefault(column, []).append(_l("No supplier has the credit code %(code)s.", code=echo(code)))
                return None
        elif name:
            ids = self.by_key.get(registry.name_key(name), [])
            if len(ids) != 1:
                errors.setdefault(column, []).append(
                    _l("No supplier is registered as %(name)s.", name=echo(name)) if not ids else
                    _l("Several suppliers are called %(name)s: give the credit code.", name=echo(name)))
                return None
            found = ids[0]
        else:
            errors.setdefault("supplier", []).append(_l("Name the supplier: its credit code or registered name."))
            return None
        if found not in self.visible:
            errors.setdefault(column, []).append(_l(
                "%(supplier)s is outside your organisation's scope: none of its organisations buys from it.",
                supplier=echo(code or name)))
            return None
        return found


def _row(raw: dict, today: date, errors: dict) -> screening.ResultData | None:
    """A row's result as the service's input, with every problem of its own cells."""
    text = {name: (raw.get(name) or "").strip() for name in ("list_code", "checked_on", "result",
                                                             "source_reference", "findings")}
    entry = screening_lists.find(text["list_code"])
    if not text["list_code"]:
        errors.setdefault("list_code", []).append(_l("Name the list (its code)."))
    elif entry is None:
        errors.setdefault("list_code", []).append(_l("Unknown list code: %(code)s. Use one of: %(codes)s.",
                                                     code=echo(text["list_code"]),
                                                     codes=", ".join(screening_lists.CODES)))
    checked_on = None
    if not text["checked_on"]:
        errors.setdefault("checked_on", []).append(_l("Enter a date."))
    else:
        try:
            checked_on = values.parse_date(text["checked_on"])
        except ValueError:
            errors.setdefault("checked_on", []).append(
                _l("Not a date: %(value)s. Write it as YYYY-MM-DD or 2024年5月6日.", value=echo(text["checked_on"])))
    result = screening_lists.parse_result(entry, text["result"]) if entry else None
    if entry is not None and result is None:
        errors.setdefault("result", []).append(_l("Not a result of this list: %(value)s. Use one of: %(results)s.",
                                                  value=echo(text["result"]), results=", ".join(entry.results)))
    if errors.keys() & {"list_code", "checked_on", "result"}:
        return None
    data = screening.ResultData(entry.code, checked_on, result, text["source_reference"], text["findings"])
    for name, messages in screening.check_result(data, today).items():
        errors.setdefault(FIELD_OF.get(name, name), []).extend(messages)
    return data


def plan_file(session: Session, filename: str, data: bytes, today: date, encoding: str | None = None
              ) -> ScreeningPlan:
    """Read and check a screening file within the session's scope; nothing is written."""
    read = read_file(filename, data, encoding, vocabulary="screening", required=REQUIRED)
    plan = ScreeningPlan(warnings=list(read.warnings), notes=list(read.notes), encoding=read.encoding,
                         header=read.header, total_rows=len(read.rows),
                         ignored_columns=list(read.header.unknown) if read.header else [])
    plan.errors.extend(read.problems)
    if read.problems:
        return plan
    suppliers = _Suppliers.load(session, read.rows)
    checked: list[tuple[int, int, screening.ResultData]] = []
    for row in read.rows:
        errors: dict[str, list] = {}
        supplier_id = suppliers.resolve(row.values, errors)
        result = _row(row.values, today, errors)
        for name, messages in errors.items():
            plan.errors.extend(RowError(row.line, name, message) for message in messages)
        if not errors:
            checked.append((row.line, supplier_id, result))
    existing = _existing(session, {supplier_id for _line, supplier_id, _data in checked})
    keyed = ((line, (supplier_id, result.list_code, result.checked_on, result.result), (line, supplier_id, result))
             for line, supplier_id, result in checked)
    plan.records.extend(record for _line, record in new_records(plan, keyed, existing))
    plan.errors.sort(key=lambda error: error.line or 0)
    return plan


def _existing(session: Session, supplier_ids: set[int]) -> set[tuple]:
    found: set[tuple] = set()
    for condition in member_conditions(session, ScreeningResult.supplier_id, sorted(supplier_ids)):
        found.update(tuple(row) for row in session.execute(
            select(ScreeningResult.supplier_id, ScreeningResult.list_code, ScreeningResult.checked_on,
                   ScreeningResult.result).where(condition)))
    return found


def apply_plan(session: Session, plan: ScreeningPlan, actor: User | None, source: str) -> int:
    """Save every planned result with its audit entry; the caller commits once."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    note = f"import {source}"[:1000]
    for _line, supplier_id, result in plan.records:
        screening.add_result(session, supplier_id, result, actor, note=note)
    audit.record(session, actor, "import", "screening_import", None,
                 {"created": len(plan.records), "rows": plan.total_rows}, note=note)
    session.flush()
    return len(plan.records)


def import_file(session: Session, filename: str, data: bytes, actor: User | None, today: date,
                dry_run: bool = False, encoding: str | None = None) -> tuple[ScreeningPlan, int | None]:
    """Read, check and (unless dry_run or any error) save a screening file: all rows or none."""
    plan = plan_file(session, filename, data, today, encoding)
    if not plan.ok or dry_run:
        return plan, None
    return plan, apply_plan(session, plan, actor, filename)
