"""Importing past evidence in bulk (issue 15 item 8): pledges (with their scans from a ZIP), certificates,
training attendance and past evaluations as history. Same rules as the supplier import: the file is read by
importer.read_file (encodings, Chinese and English headers, title and two-row headers, footers), every row is
checked, and either all rows are saved (each with its audit entry) or none.

A row names its supplier by credit code, else by its registered Chinese name. A pledge names the group's
organisation that signed it with the supplier (its counterparty) by code in its `org` column; an empty cell
means the default organisation (the command's --org, else the importer's own, else the root). The
organisation must be open and inside the importer's scope, and the pledge opens its relationship with the
supplier when there is none, as a pledge entered by hand does. A row already recorded (same
supplier and kind and signing date and signatory; same certificate number; same attendance; same period) is
skipped with a note, so importing a file again adds nothing.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import credit_code as uscc
from supplychain import db
from supplychain.bulk_insert import insert_rows, pipelined, reserve_ids
from supplychain.gc_pause import gc_paused
from supplychain.importing import values
from supplychain.models import (
    Certification,
    EvaluationHistory,
    IntegrityPledge,
    PledgeTemplate,
    Supplier,
    SupplierRelationship,
    TrainingAttendance,
    TrainingSession,
    User,
)
from supplychain.models.base import utcnow
from supplychain.models.supplier import supplier_categories
from supplychain.services.core import attachments, audit
from supplychain.services.evidence.pledges import template_digest
from supplychain.services.imports.importer import (
    ImportPlan,
    Progress,
    RowError,
    echo,
    insert_relationships,
    new_records,
    organisation_resolver,
    read_file,
    relationships_to_open,
)
from supplychain.services.registry import suppliers as registry
from supplychain.value_lists import member_conditions

KINDS = ("pledges", "certificates", "training", "evaluations")
REQUIRED = {"pledges": ("kind", "signatory", "signed_on"), "certificates": ("cert_type", "number", "issuer",
            "issued_on"), "training": ("session",), "evaluations": ("period",)}
ENTITY = {"pledges": "pledge", "certificates": "certification", "training": "training_attendance",
          "evaluations": "evaluation_history"}
_PAPER = {"", "paper", "纸质", "纸质版", "纸本", "紙本", "紙質", "纸质承诺书"}
MAX_SCANS = 10_000
_YEAR = re.compile(r"(19|20)\d{2}")


@dataclass
class EvidencePlan(ImportPlan):
    """An evidence import's plan: the checked records to insert (plain dicts), and the scans of a ZIP."""

    kind: str = ""
    records: list[dict] = field(default_factory=list)
    scans: dict[str, attachments.CleanUpload] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many records would be saved."""
        return len(self.records)


def read_scans(data: bytes | None, max_bytes: int) -> tuple[dict[str, attachments.CleanUpload], list[RowError]]:
    """The scans of a ZIP by file name (without folders); each must be a PDF, PNG or JPEG."""
    if not data:
        return {}, []
    problems: list[RowError] = []
    scans: dict[str, attachments.CleanUpload] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            if len(infos) > MAX_SCANS or sum(i.file_size for i in infos) > 20 * max_bytes + 100 * 1024 * 1024:
                return {}, [RowError(None, "scan", _l("The ZIP holds too many or too large files."))]
            for info in infos:
                name = PurePosixPath(info.filename.replace("\\", "/")).name
                if not name or name.startswith(".") or name.startswith("__MACOSX"):
                    continue
                if info.file_size > max_bytes:
                    problems.append(RowError(None, "scan", _l("%(name)s: the file is larger than %(n)d MB.",
                                                              name=echo(name), n=max_bytes // (1024 * 1024))))
                    continue
                clean, refused = attachments.check_upload(attachments.Upload(name, archive.read(info)), max_bytes)
                if refused:
                    problems.extend(RowError(None, "scan", _l("%(name)s: %(problem)s", name=echo(name),
                                                              problem=problem)) for problem in refused)
                elif name in scans:
                    problems.append(RowError(None, "scan", _l("%(name)s is twice in the ZIP.", name=echo(name))))
                else:
                    scans[name] = clean
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}, [RowError(None, "scan", _l("The scans are not a readable ZIP file."))]
    return scans, problems


def _suppliers(session: Session, rows) -> tuple[dict[str, int], dict[str, list[int]]]:
    codes = {uscc.normalize(r.values.get("credit_code") or "") for r in rows} - {""}
    keys = {registry.name_key(r.values.get("supplier") or "") for r in rows} - {""}
    by_code: dict[str, int] = {}
    by_key: dict[str, list[int]] = {}
    for condition in member_conditions(session, Supplier.credit_code, sorted(codes)):
        by_code.update(session.execute(select(Supplier.credit_code, Supplier.id).where(condition)).all())
    for condition in member_conditions(session, Supplier.name_key, sorted(keys)):
        for key, supplier_id in session.execute(select(Supplier.name_key, Supplier.id).where(condition)):
            by_key.setdefault(key, []).append(supplier_id)
    return by_code, by_key


def _supplier_id(raw: dict, by_code, by_key, errors: dict) -> int | None:
    code = uscc.normalize(raw.get("credit_code") or "")
    name = (raw.get("supplier") or "").strip()
    if code:
        if code in by_code:
            return by_code[code]
        errors.setdefault("credit_code", []).append(_l("No supplier has the credit code %(code)s.",
                                                       code=echo(code)))
        return None
    if name:
        found = by_key.get(registry.name_key(name), [])
        if len(found) == 1:
            return found[0]
        errors.setdefault("supplier", []).append(
            _l("No supplier is registered as %(name)s.", name=echo(name)) if not found else
            _l("Several suppliers are called %(name)s: give the credit code.", name=echo(name)))
        return None
    errors.setdefault("supplier", []).append(_l("Name the supplier: its credit code or registered name."))
    return None


def _date(raw: dict, name: str, errors: dict, required: bool = False) -> date | None:
    text = (raw.get(name) or "").strip()
    if not text:
        if required:
            errors.setdefault(name, []).append(_l("Enter a date."))
        return None
    try:
        return values.parse_date(text)
    except ValueError:
        errors.setdefault(name, []).append(_l("Not a date: %(value)s. Write it as YYYY-MM-DD or 2024年5月6日.",
                                              value=echo(text)))
        return None


def _text(raw: dict, name: str, limit: int, errors: dict, required: bool = False) -> str | None:
    text = (raw.get(name) or "").strip()
    if required and not text:
        errors.setdefault(name, []).append(_l("This column must be filled in."))
    if len(text) > limit:
        errors.setdefault(name, []).append(_l("At most %(n)d characters.", n=limit))
    return text or None


def _counterparty(raw: dict, resolve, default: tuple[int, ...], errors: dict) -> int | None:
    """The one organisation of the group that signed the pledge (the default for an empty cell)."""
    cell = (raw.get("org") or "").strip()
    found, problems = resolve(cell) if cell else (default, [])
    if len(found) > 1:
        problems = [*problems, _l("A pledge is signed by one organisation: give one code.")]
    if problems:
        errors.setdefault("org", []).extend(problems)
        return None
    return found[0] if found else None


def _pledge(raw, today, errors, templates, scans) -> dict:
    kind = values.parse_pledge_kind(raw.get("kind") or "")
    if kind is None:
        errors.setdefault("kind", []).append(_l("Unknown pledge kind: %(value)s.", value=echo(raw.get("kind", ""))))
    template_text = fold(raw.get("template") or "")
    template = None
    if template_text not in _PAPER:
        number = re.sub(r"^(v|版本|第)", "", template_text).rstrip("版")
        template = templates.get((kind, int(number))) if number.isdigit() and kind else None
        if template is None:
            errors.setdefault("template", []).append(_l(
                "No template version %(value)s of this pledge kind: write its version number, or \"paper\".",
                value=echo(raw.get("template", ""))))
    signed_on = _date(raw, "signed_on", errors, required=True)
    valid_until = _date(raw, "valid_until", errors)
    if signed_on and signed_on > today:
        errors.setdefault("signed_on", []).append(_l("A signature cannot be dated in the future."))
    if signed_on and valid_until and valid_until < signed_on:
        errors.setdefault("valid_until", []).append(_l("The end of validity cannot be before the signature."))
    if template is not None and signed_on and template.effective_on > signed_on:
        errors.setdefault("signed_on", []).append(_l(
            "Version %(version)d only takes effect on %(date)s: it cannot have been signed on %(signed)s.",
            version=template.version, date=template.effective_on.isoformat(), signed=signed_on.isoformat()))
    scan = (raw.get("scan") or "").strip()
    if scan and PurePosixPath(scan.replace("\\", "/")).name not in scans:
        errors.setdefault("scan", []).append(_l("%(name)s is not in the ZIP of scans.", name=echo(scan)))
    return {"kind": kind, "template_id": template.id if template else None,
            "signatory_name": _text(raw, "signatory", 100, errors, required=True),
            "signatory_title": _text(raw, "signatory_title", 100, errors), "signed_on": signed_on,
            "valid_until": valid_until, "method": "paper",
            "text_sha256": template_digest(template) if template else None,
            "_scan": PurePosixPath(scan.replace("\\", "/")).name if scan else None}


def fold(text: str) -> str:
    """Width and case folded, spaces removed: how short codes and words in cells are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "").casefold())


def _certificate(raw, today, errors) -> dict:
    text = (raw.get("cert_type") or "").strip()
    cert_type = values.parse_cert_type(text) or ("other" if text else None)
    issued_on = _date(raw, "issued_on", errors, required=True)
    expires_on = _date(raw, "expires_on", errors)
    if issued_on and issued_on > today:
        errors.setdefault("issued_on", []).append(_l("The issue date cannot be in the future."))
    if issued_on and expires_on and expires_on < issued_on:
        errors.setdefault("expires_on", []).append(_l("The expiry date cannot be before the issue date."))
    if not text:
        errors.setdefault("cert_type", []).append(_l("This column must be filled in."))
    return {"cert_type": cert_type, "other_name": text[:200] if cert_type == "other" else None,
            "number": _text(raw, "number", 100, errors, required=True),
            "issuer": _text(raw, "issuer", 200, errors, required=True), "scope": _text(raw, "scope", 2000, errors),
            "issued_on": issued_on, "expires_on": expires_on}


def _attendance(raw, errors, sessions) -> dict:
    title = (raw.get("session") or "").strip()
    held_on = _date(raw, "held_on", errors)
    found = [s for s in sessions.get(title.casefold(), []) if held_on is None or s[1] == held_on]
    session_id = None
    if not title:
        errors.setdefault("session", []).append(_l("This column must be filled in."))
    elif not found:
        errors.setdefault("session", []).append(_l(
            "No training session is called %(title)s%(on)s: record the session first.", title=echo(title),
            on=f" ({held_on.isoformat()})" if held_on else ""))
    elif len(found) > 1:
        errors.setdefault("held_on", []).append(_l("Several sessions are called %(title)s: add the date.",
                                                   title=echo(title)))
    else:
        session_id = found[0][0]
    count_text = fold(raw.get("head_count") or "").rstrip("人")
    head_count = 1
    if count_text:
        if count_text.isdigit() and 1 <= int(count_text) <= 10_000:
            head_count = int(count_text)
        else:
            errors.setdefault("head_count", []).append(_l("Write the number of people (1 to 10,000)."))
    return {"session_id": session_id, "head_count": head_count, "names": _text(raw, "names", 2000, errors),
            "completed": True}


def _history(raw, errors) -> dict:
    period = _text(raw, "period", 40, errors, required=True)
    year = _YEAR.search(period or "")
    grade = _text(raw, "grade", 40, errors)
    total_text = fold(raw.get("total") or "").rstrip("分")
    total = None
    if total_text:
        try:
            total = float(total_text)
            if not 0 <= total <= 1000:
                raise ValueError(total_text)
        except ValueError:
            errors.setdefault("total", []).append(_l("Not a score: %(value)s.", value=echo(raw.get("total", ""))))
    if not grade and not total_text:
        errors.setdefault("grade", []).append(_l("Give the grade or the total."))
    return {"period": period, "year": int(year.group(0)) if year else None, "grade": grade, "total": total,
            "note": _text(raw, "note", 500, errors)}


def _existing(session: Session, kind: str, supplier_ids: set[int]) -> set[tuple]:
    """Keys of the records already there, to skip rows imported before."""
    if kind == "pledges":
        columns = (IntegrityPledge.supplier_id, IntegrityPledge.kind, IntegrityPledge.signed_on,
                   IntegrityPledge.signatory_name)
    elif kind == "certificates":
        columns = (Certification.supplier_id, Certification.number)
    elif kind == "training":
        columns = (TrainingAttendance.supplier_id, TrainingAttendance.session_id)
    else:
        columns = (EvaluationHistory.supplier_id, EvaluationHistory.period)
    found: set[tuple] = set()
    for condition in member_conditions(session, columns[0], sorted(supplier_ids)):
        found.update(tuple(row) for row in session.execute(select(*columns).where(condition)))
    return found


def _key(kind: str, record: dict) -> tuple:
    if kind == "pledges":
        return record["supplier_id"], record["kind"], record["signed_on"], record["signatory_name"]
    if kind == "certificates":
        return record["supplier_id"], record["number"]
    if kind == "training":
        return record["supplier_id"], record["session_id"]
    return record["supplier_id"], record["period"]


@gc_paused()
def plan_file(session: Session, kind: str, filename: str, data: bytes, today: date, encoding: str | None = None,
              mapping: dict | None = None, scans_zip: bytes | None = None,
              max_scan_bytes: int = 20 * 1024 * 1024, actor: User | None = None,
              default_org: str = "", progress: Progress | None = None) -> EvidencePlan:
    """Read and check an evidence file (and the ZIP of scans for pledges); nothing is written.

    `actor` and `default_org` give a pledge without an `org` cell its organisation (see the module's text);
    `progress(done, total)` is called as rows are checked."""
    if kind not in KINDS:
        raise ValueError(f"unknown evidence kind {kind!r}")
    read = read_file(filename, data, encoding, mapping, vocabulary=kind, required=REQUIRED[kind])
    # The reader names missing columns by their keys and calls a total row "not a supplier": said again with the
    # columns' labels, in the words of an evidence file.
    plan = EvidencePlan(kind=kind, warnings=list(read.warnings), notes=list(read.notes),
                        encoding=read.encoding, header=read.header, total_rows=len(read.rows),
                        ignored_columns=list(read.header.unknown) if read.header else [])
    plan.errors.extend(read.problems)
    if kind == "pledges":
        plan.scans, problems = read_scans(scans_zip, max_scan_bytes)
        plan.errors.extend(problems)
        resolve_org, default_org_ids, problems = organisation_resolver(session, actor, default_org)
        plan.errors.extend(RowError(None, "org", problem) for problem in problems)
    if read.problems:
        return plan
    by_code, by_key = _suppliers(session, read.rows)
    templates = {(t.kind, t.version): t for t in session.scalars(select(PledgeTemplate))} if kind == "pledges" else {}
    sessions: dict[str, list[tuple[int, date]]] = {}
    if kind == "training":
        for session_id, title, held_on in session.execute(select(TrainingSession.id, TrainingSession.title,
                                                                 TrainingSession.held_on)):
            sessions.setdefault(title.strip().casefold(), []).append((session_id, held_on))
    checked: list[tuple[int, dict]] = []
    for number, row in enumerate(read.rows, start=1):
        if progress is not None and number % 5000 == 0:
            progress(number, len(read.rows))
        errors: dict[str, list] = {}
        supplier_id = _supplier_id(row.values, by_code, by_key, errors)
        if kind == "pledges":
            record = _pledge(row.values, today, errors, templates, plan.scans)
            record["organisation_id"] = _counterparty(row.values, resolve_org, default_org_ids, errors)
        elif kind == "certificates":
            record = _certificate(row.values, today, errors)
        elif kind == "training":
            record = _attendance(row.values, errors, sessions)
        else:
            record = _history(row.values, errors)
        for name, messages in errors.items():
            plan.errors.extend(RowError(row.line, name, message) for message in messages)
        if not errors:
            record["supplier_id"] = supplier_id
            checked.append((row.line, record))
    used = {record.get("_scan") for _line, record in checked if record.get("_scan")}
    for name in sorted(set(plan.scans) - used):
        if not any(name == PurePosixPath((r.values.get("scan") or "").replace("\\", "/")).name for r in read.rows):
            plan.errors.append(RowError(None, "scan", _l("%(name)s in the ZIP matches no row.", name=echo(name))))
    existing = _existing(session, kind, {record["supplier_id"] for _line, record in checked})
    for line, record in new_records(plan, ((line, _key(kind, record), record) for line, record in checked), existing):
        record["_line"] = line
        plan.records.append(record)
    plan.errors.sort(key=lambda error: error.line or 0)
    return plan


_TABLES = {"pledges": IntegrityPledge, "certificates": Certification, "training": TrainingAttendance,
           "evaluations": EvaluationHistory}


@gc_paused()
def apply_plan(session: Session, plan: EvidencePlan, actor: User | None, source: str,
               store: attachments.Store | None = None, accept_warnings: bool = False,
               progress: Progress | None = None) -> int:
    """Insert every planned record with its audit entry (and store the scans); the caller commits once.

    `progress(done, total)` is called as records are saved."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    if plan.warnings and not accept_warnings:
        raise ValueError("an import plan with warnings needs them accepted")
    db.no_statement_timeout(session)  # one COPY carries all of the file's records
    at = utcnow()
    note = f"import {source}"[:1000]
    actor_id = getattr(actor, "id", None)
    stored: dict[str, int] = {}
    if plan.scans and plan.records:
        if store is None:
            raise ValueError("scans need a store")
        for name in sorted({r["_scan"] for r in plan.records if r.get("_scan")}):
            first = next(r for r in plan.records if r.get("_scan") == name)
            stored[name] = attachments.store(session, plan.scans[name], store, first["supplier_id"], actor).id
    table = _TABLES[plan.kind].__table__
    rows = []
    for record in plan.records:
        row = {key: value for key, value in record.items() if not key.startswith("_")}
        if plan.kind == "pledges":
            row |= {"attachment_id": stored.get(record.get("_scan")), "created_by_id": actor_id, "created_at": at}
        elif plan.kind == "certificates":
            row |= {"created_by_id": actor_id, "created_at": at}
        elif plan.kind == "evaluations":
            row |= {"source": source[:300], "imported_at": at, "imported_by_id": actor_id}
        rows.append(row)
    entries = []
    # The relationships pledges open are looked up before any COPY is queued (a look-up would wait for them).
    opening = _signers_relationships(session, rows) if plan.kind == "pledges" else {}
    with pipelined(session):  # PostgreSQL stores the records while their audit entries are written here
        reserve_ids(session, SupplierRelationship.__table__, len(opening))
        # Straight to the driver (COPY on PostgreSQL: Core's multi-row INSERT … RETURNING was parsed by psycopg
        # in Python, most of the import's time there). The ids come back in no guaranteed order: sorted, they
        # are the rows' in insertion order, as they were handed out.
        ids = sorted(found for (found,) in insert_rows(session, table, rows, ("id",)))
        for record_id, row in zip(ids, rows, strict=True):
            changes = {name: [None, value.isoformat() if isinstance(value, date | datetime) else value]
                       for name, value in row.items()
                       if value is not None and name not in ("created_at", "imported_at", "supplier_id")}
            entries.append({"at": at, "actor_id": actor_id, "actor_email": getattr(actor, "email", None),
                            "action": "create", "entity_type": ENTITY[plan.kind], "entity_id": record_id,
                            "supplier_id": row["supplier_id"], "changes": changes, "note": note})
            if progress is not None and len(entries) % 1000 == 0:
                progress(len(entries), len(rows))
        if progress is not None:
            progress(len(entries), len(rows))
        audit.insert_entries(session, entries)
        insert_relationships(session, opening, actor, note, at)
    audit.record(session, actor, "import", "evidence_import", None,
                 {"kind": plan.kind, "created": len(rows), "rows": plan.total_rows, "scans": len(stored)}, note=note)
    session.flush()
    return len(rows)


def _signers_relationships(session: Session, rows: list[dict]) -> dict[tuple[int, int], list[int]]:
    """The relationships these pledges open: each pledge's organisation starts one with its supplier (with the
    supplier's categories) when it has none, as a pledge entered by hand does."""
    pairs = {(row["organisation_id"], row["supplier_id"]) for row in rows if row.get("organisation_id")}
    categories: dict[int, list[int]] = {}
    for condition in member_conditions(session, supplier_categories.c.supplier_id,
                                       sorted({supplier_id for _org, supplier_id in pairs})):
        for supplier_id, category_id in session.execute(
                select(supplier_categories.c.supplier_id, supplier_categories.c.category_id).where(condition)):
            categories.setdefault(supplier_id, []).append(category_id)
    return relationships_to_open(session, {pair: categories.get(pair[1], []) for pair in pairs})


def import_file(session: Session, kind: str, filename: str, data: bytes, actor: User | None, today: date,
                dry_run: bool = False, encoding: str | None = None, mapping: dict | None = None,
                scans_zip: bytes | None = None, store: attachments.Store | None = None,
                accept_warnings: bool = False, default_org: str = "",
                progress: Progress | None = None) -> tuple[EvidencePlan, int | None]:
    """Read, check and (unless dry_run, errors or warnings not accepted) save an evidence file; `progress(done,
    total)` as records are saved."""
    plan = plan_file(session, kind, filename, data, today, encoding, mapping, scans_zip,
                     store.max_bytes if store else 20 * 1024 * 1024, actor, default_org)
    if not plan.ok or dry_run or (plan.warnings and not accept_warnings):
        return plan, None
    return plan, apply_plan(session, plan, actor, filename, store, accept_warnings, progress)


def history_for(session: Session, supplier_id: int) -> list[EvaluationHistory]:
    """A supplier's imported past evaluations, newest period first."""
    return list(session.scalars(select(EvaluationHistory).where(EvaluationHistory.supplier_id == supplier_id)
                                .order_by(EvaluationHistory.year.desc(), EvaluationHistory.period.desc())))

