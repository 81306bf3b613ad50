"""Bulk work on evaluations (issue 13, build 4): a batch, its scoring grid (on screen or as XLSX), bulk
submit and bulk approval with one comment.

Two rules. Input (the scores of a grid or an uploaded file) is all or nothing: every bad cell is
reported at once with its row and criterion, and nothing is saved. Workflow actions (submit, approve)
go item by item: each evaluation is submitted or approved whole, or not at all, with the same checks
as one at a time (separation of duties included), and every evaluation that could not be done is
listed with its reasons. More than SYNC_LIMIT evaluations are submitted or approved by a background job
(supplychain/jobs.py: SUBMIT_KIND, APPROVE_KIND; one plan/run_part/finish over ACTIONS) with progress.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, defaultload, defer, lazyload, selectinload

from supplychain import clock
from supplychain.errors import Conflict, ValidationFailed
from supplychain.models import BackgroundJob, Evaluation, Supplier, User
from supplychain.scoring import parse_manual_score
from supplychain.security import EDITORS
from supplychain.services.evaluation import approvals, evaluations, lifecycle
from supplychain.services.risk import recompute as risk_recompute

SUBMIT_KIND = "bulk_submit"
APPROVE_KIND = "bulk_approve"
SYNC_LIMIT = 50  # more evaluations than this are submitted or approved by a background job
PART_SIZE = 100
MAX_BATCH = 2000
MAX_COMMENT = evaluations.MAX_NOTE


# --- the batch ---------------------------------------------------------------------------------------------

@dataclass
class BatchFilters:
    """Which evaluations form the batch."""

    category_id: int | None = None
    year: int | None = None
    status: str = "draft"
    kind: str = ""


def batch(session: Session, filters: BatchFilters, limit: int = MAX_BATCH) -> list[Evaluation]:
    """The evaluations of the batch, by supplier name (drafts, submitted or final ones)."""
    stmt = select(Evaluation).where(Evaluation.status == (filters.status or "draft"))
    if filters.category_id:
        stmt = stmt.where(Evaluation.category_id == filters.category_id)
    if filters.year:
        stmt = stmt.where(Evaluation.period_year == filters.year)
    if filters.kind:
        stmt = stmt.where(Evaluation.kind == filters.kind)
    # The approvals (separation of duties) in one query for the batch, not one per row; the suppliers'
    # categories and contacts are not shown.
    # The scheme version (a large JSON definition, decoded again on every joined row: 2,000 copies) is read
    # once on first use instead; the stored snapshot (about 10 kB of JSON per row: half the CPU of a page of
    # 2,000) and result only when someone opens them: the grade's name comes from the scheme version.
    supplier = defaultload(Evaluation.supplier)
    stmt = stmt.options(selectinload(Evaluation.approvals), supplier.lazyload(Supplier.categories),
                        supplier.lazyload(Supplier.contacts), lazyload(Evaluation.scheme_version),
                        defer(Evaluation.result), defer(Evaluation.snapshot))
    rows = list(session.scalars(stmt.order_by(Evaluation.id).limit(limit)))
    return sorted(rows, key=lambda e: (e.supplier.name_zh, e.id))


def by_ids(session: Session, ids: Iterable[int]) -> list[Evaluation]:
    """The evaluations with these numbers (unknown numbers are left out), in the order given."""
    wanted = [int(i) for i in ids][:MAX_BATCH]
    found = {e.id: e for e in session.scalars(select(Evaluation).where(Evaluation.id.in_(wanted)))}
    return [found[i] for i in wanted if i in found]


# --- item-by-item results ----------------------------------------------------------------------------------

def both_languages(message: Any) -> dict[str, str]:
    """A (lazy) message in Chinese and English, for results read later in either language."""
    try:
        with force_locale("zh"):
            zh = str(message)
        with force_locale("en"):
            en = str(message)
    except RuntimeError:
        zh = en = str(message)
    return {"zh": zh, "en": en}


@dataclass
class BatchResult:
    """What a bulk action did: the evaluations done and, for each one not done, why."""

    done: list[int] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)

    def fail(self, evaluation: Evaluation | None, evaluation_id: int, messages: Iterable) -> None:
        """Record an evaluation that was not done, with its reasons in both languages."""
        self.failures.append({
            "evaluation_id": evaluation_id,
            "supplier": evaluation.supplier.name_zh if evaluation is not None else "",
            "messages": [both_languages(m) for m in messages],
        })


def _messages(error: ValidationFailed | Conflict) -> list:
    if isinstance(error, ValidationFailed):
        return [m for messages in error.errors.values() for m in messages]
    return [_l("Someone else changed this evaluation in the meantime.")]


def _each(session: Session, ids: Iterable[int], action: Callable[[Evaluation], None]) -> BatchResult:
    result = BatchResult()
    ids = list(ids)
    # One query for the whole part (with the relationships Evaluation loads eagerly), not a look-up per id.
    loaded = {e.id: e for e in session.scalars(select(Evaluation).where(Evaluation.id.in_(ids)))} if ids else {}
    for evaluation_id in ids:
        evaluation = loaded.get(evaluation_id)
        if evaluation is None:
            result.fail(None, evaluation_id, [_l("This evaluation does not exist.")])
            continue
        try:
            with session.begin_nested():
                action(evaluation)
        except (ValidationFailed, Conflict) as error:
            session.expire(evaluation)
            result.fail(evaluation, evaluation_id, _messages(error))
        else:
            result.done.append(evaluation_id)
    return result


def submit_many(session: Session, ids: Iterable[int], actor: User, today: date, levels: int) -> BatchResult:
    """Submit each draft for approval, with the same checks as one at a time."""
    return _each(session, ids, lambda e: evaluations.submit(session, e, e.version_id, actor, today, levels))


def check_comment(comment: str) -> dict:
    """The one comment of a bulk approval: optional, at most MAX_COMMENT characters."""
    if len((comment or "").strip()) > MAX_COMMENT:
        return {"comment": [_l("At most %(n)d characters.", n=MAX_COMMENT)]}
    return {}


def approve_many(session: Session, ids: Iterable[int], actor: User, comment: str, today: date,
                 settings: lifecycle.LifecycleSettings) -> BatchResult:
    """Approve the level each evaluation awaits with one comment; separation of duties per evaluation."""
    if errors := check_comment(comment):
        raise ValidationFailed(errors)

    def approve(evaluation: Evaluation) -> None:
        evaluations.decide(session, evaluation, "approved", evaluation.approved_levels + 1, comment,
                           evaluation.version_id, actor, today, settings)

    # Each final approval changes a qualification, which changes its category peers' risk tiers: recompute
    # the suppliers concerned once for the whole batch instead of once per evaluation.
    with risk_recompute.deferred(session, today, actor):
        return _each(session, ids, approve)


def decidable(session: Session, actor: User, filters: BatchFilters) -> list[Evaluation]:
    """The submitted evaluations of the batch whose next level this user may decide."""
    return [e for e in batch(session, BatchFilters(filters.category_id, filters.year, "submitted", filters.kind))
            if approvals.can_decide(e, actor)]


# --- the background job ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class JobSettings:
    """What a bulk job needs from the app: lifecycle settings, approval levels, the day it was started."""

    lifecycle: lifecycle.LifecycleSettings
    today: date
    levels: int


@dataclass(frozen=True)
class JobAction:
    """A workflow action a bulk job does item by item: who may do it, how a part is done, what to say to the
    evaluations of a job whose starter may no longer do it."""

    roles: tuple[str, ...]
    run: Callable[[Session, list[int], User, dict, JobSettings], BatchResult]
    refused: Any


ACTIONS: dict[str, JobAction] = {
    SUBMIT_KIND: JobAction(
        EDITORS,
        lambda session, ids, actor, params, settings: submit_many(session, ids, actor, settings.today,
                                                                  settings.levels),
        _l("The person who started this submission can no longer submit evaluations.")),
    APPROVE_KIND: JobAction(
        approvals.APPROVER_ROLES,
        lambda session, ids, actor, params, settings: approve_many(session, ids, actor, params.get("comment", ""),
                                                                   settings.today, settings.lifecycle),
        _l("The person who started this approval can no longer approve.")),
}


def job_params(ids: Iterable[int], today: date, comment: str = "") -> dict:
    """The parameters of a bulk job: the evaluations (at most MAX_BATCH), the day, the approval's comment."""
    params: dict[str, Any] = {"evaluation_ids": [int(i) for i in ids][:MAX_BATCH], "today": today.isoformat()}
    if comment:
        params["comment"] = comment
    return params


def settings_for_job(app, job: BackgroundJob) -> JobSettings:
    """The lifecycle settings and approval levels of the app running the job; the day the user started it."""
    config = app.config
    return JobSettings(
        lifecycle.LifecycleSettings(int(config.get("CORRECTIVE_ACTION_DAYS", 90)), config["SECRET_KEY"] or ""),
        date.fromisoformat((job.params or {}).get("today") or clock.today().isoformat()),
        int(config.get("APPROVAL_LEVELS", 3)),
    )


def plan(session: Session, job: BackgroundJob, settings: JobSettings) -> list[list[int]]:
    """The evaluations to submit or approve, in parts of PART_SIZE; sets the job's total."""
    ids = [int(i) for i in (job.params or {}).get("evaluation_ids", [])][:MAX_BATCH]
    job.progress_total = len(ids)
    job.result = {"done": 0, "failures": []}
    return [ids[i : i + PART_SIZE] for i in range(0, len(ids), PART_SIZE)]


def run_part(session: Session, job: BackgroundJob, index: int, ids: list[int], settings: JobSettings,
             progress: Callable[[int], None]) -> None:
    """Do the job's action on one part, commit it, and add its failures to the job (row-locked: parts may run
    at once). The person who started the job must still be active and hold a role that may do the action."""
    action = ACTIONS[job.kind]
    actor = session.get(User, job.created_by_id) if job.created_by_id else None
    if actor is None or not actor.active or actor.role not in action.roles:
        outcome = BatchResult()
        for evaluation_id in ids:
            outcome.fail(session.get(Evaluation, evaluation_id), evaluation_id, [action.refused])
    else:
        outcome = action.run(session, ids, actor, job.params or {}, settings)
    session.commit()
    locked = session.scalars(select(BackgroundJob).where(BackgroundJob.id == job.id).with_for_update()
                             .execution_options(populate_existing=True)).one()
    result = dict(locked.result or {"done": 0, "failures": []})
    result["done"] = int(result.get("done", 0)) + len(outcome.done)
    result["failures"] = [*result.get("failures", []), *outcome.failures]
    locked.result = result
    session.commit()
    progress(len(ids))


def finish(session: Session, job: BackgroundJob, settings: JobSettings) -> None:
    """Nothing to assemble: the parts wrote their results."""
    job.result = dict(job.result or {"done": 0, "failures": []})


# --- the scoring grid --------------------------------------------------------------------------------------

@dataclass
class GridColumn:
    """A manual criterion of the scheme: a column of the grid, with its rubric."""

    key: str
    name_zh: str
    name_en: str
    weight: float
    rubric_zh: str
    rubric_en: str


@dataclass
class GridRow:
    """One evaluation of the grid with its current scores."""

    evaluation: Evaluation
    scores: dict[str, Any]


@dataclass
class Grid:
    """Drafts of one scheme version, the manual criteria as columns."""

    columns: list[GridColumn]
    rows: list[GridRow]
    scheme_version_id: int | None
    other_versions: int = 0  # drafts of the batch scored by another scheme version (not in this grid)


def grid(drafts: list[Evaluation], scheme_version_id: int | None = None) -> Grid:
    """The scoring grid of a batch: the drafts of one scheme version (the most common unless one is asked)."""
    drafts = [e for e in drafts if e.status == "draft"]
    if not drafts:
        return Grid([], [], None)
    counts: dict[int, int] = {}
    for e in drafts:
        counts[e.scheme_version_id] = counts.get(e.scheme_version_id, 0) + 1
    version = scheme_version_id if scheme_version_id in counts else max(counts, key=lambda v: (counts[v], -v))
    rows = [e for e in drafts if e.scheme_version_id == version]
    columns = [GridColumn(c.key, c.name_zh, c.name_en, float(c.weight or 0), c.rubric_zh or "", c.rubric_en or "")
               for c in evaluations.manual_criteria(rows[0])]
    return Grid(columns, [GridRow(e, dict(e.manual_scores or {})) for e in rows], version,
                len(drafts) - len(rows))


def cell_name(evaluation_id: int, key: str) -> str:
    """The form field of one cell."""
    return f"score-{evaluation_id}-{key}"


def save_grid(session: Session, the_grid: Grid, raw: dict[tuple[int, str], Any], versions: dict[int, int | None],
              actor: User) -> int:
    """Save every row's manual scores (blank allowed) or nothing: errors keyed by cell name, all at once.

    Returns how many evaluations changed. A row someone else saved meanwhile is a conflict for that row.
    """
    errors: dict[str, list] = {}
    for row in the_grid.rows:
        for column in the_grid.columns:
            _, error = parse_manual_score(raw.get((row.evaluation.id, column.key)))
            if error is not None:
                errors[cell_name(row.evaluation.id, column.key)] = [evaluations.MANUAL_MESSAGES[error]]
        expected = versions.get(row.evaluation.id)
        if expected is not None and expected != row.evaluation.version_id:
            errors[f"row-{row.evaluation.id}"] = [_l("Someone else changed this evaluation in the meantime.")]
    if errors:
        raise ValidationFailed(errors)
    changed = 0
    for row in the_grid.rows:
        e = row.evaluation
        scores = {c.key: raw.get((e.id, c.key)) for c in the_grid.columns}
        before = dict(e.manual_scores or {})
        evaluations.save_scores(session, e, scores, dict(e.manual_notes or {}), e.version_id, actor)
        changed += before != (e.manual_scores or {})
    return changed


XLSX_FIXED = ("evaluation_id", "supplier", "credit_code")


# Row 2 of the grid workbook, over the fixed columns, per interface language (labels.lang_tag).
_FIXED_NAMES = {"zh": ("编号", "供应商", "统一社会信用代码"), "zh_Hant": ("編號", "供應商", "統一社會信用代碼"),
                "en": ("No.", "Supplier", "Credit code")}


def grid_xlsx(the_grid: Grid, language: str = "zh") -> bytes:
    """The grid as an XLSX workbook: one row per evaluation, one column per criterion, a rubric sheet.

    Row 1 holds the machine keys the upload reads, row 2 the names people read ("zh", "zh_Hant" or "en");
    criteria keep the names their scheme gives them. Text is written as text.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "scores"
    sheet.append([*XLSX_FIXED, *(c.key for c in the_grid.columns)])
    sheet.append([*_FIXED_NAMES.get(language, _FIXED_NAMES["zh"]),
                  *((c.name_en if language == "en" else c.name_zh) for c in the_grid.columns)])
    for row in the_grid.rows:
        e = row.evaluation
        sheet.append([e.id, (e.supplier.name_zh), (e.supplier.credit_code or ""),
                      *(row.scores.get(c.key) for c in the_grid.columns)])
    sheet.freeze_panes = "D3"
    rubric = book.create_sheet("rubric")
    rubric.append(["key", "criterion", "weight", "rubric"])
    for c in the_grid.columns:
        rubric.append([c.key, (c.name_en if language == "en" else c.name_zh), c.weight,
                       (c.rubric_en if language == "en" else c.rubric_zh)])
    _as_text(sheet)
    _as_text(rubric)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _as_text(sheet) -> None:
    # openpyxl stores a string starting with "=" as a formula: keep every text cell a plain string.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def read_grid_xlsx(the_grid: Grid, content: bytes) -> dict[tuple[int, str], Any]:
    """The scores of an uploaded grid; every problem (file, row, criterion) at once, nothing applied."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book["scores"] if "scores" in book.sheetnames else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except Exception:  # noqa: BLE001 - any unreadable file means the same to the user
        raise ValidationFailed({"file": [_l("This is not an XLSX file of the scoring grid.")]}) from None
    if not rows or [str(v or "").strip() for v in rows[0][:3]] != list(XLSX_FIXED):
        raise ValidationFailed({"file": [_l("The first row must be the grid's header "
                                            "(evaluation_id, supplier, credit_code, criteria); "
                                            "download the grid and fill it in.")]})
    header = [str(v or "").strip() for v in rows[0]]
    known = {c.key for c in the_grid.columns}
    in_grid = {row.evaluation.id for row in the_grid.rows}
    errors: list = []
    unknown = [h for h in header[3:] if h and h not in known]
    if unknown:
        errors.append(_l("Unknown criteria in the first row: %(keys)s.", keys=", ".join(unknown)))
    raw: dict[tuple[int, str], Any] = {}
    for line, values in enumerate(rows[2:], start=3):
        if not any(v not in (None, "") for v in values):
            continue
        try:
            evaluation_id = int(values[0])
        except (TypeError, ValueError):
            errors.append(_l("Row %(row)d: the evaluation number is missing or not a number.", row=line))
            continue
        if evaluation_id not in in_grid:
            errors.append(_l("Row %(row)d: evaluation %(id)d is not a draft of this grid.", row=line,
                             id=evaluation_id))
            continue
        for index, key in enumerate(header[3:], start=3):
            if key not in known:
                continue
            value = values[index] if index < len(values) else None
            _, error = parse_manual_score(value)
            if error is not None:
                column = next(c for c in the_grid.columns if c.key == key)
                errors.append(_l("Row %(row)d, %(criterion)s: %(message)s", row=line,
                                 criterion=column.name_zh, message=evaluations.MANUAL_MESSAGES[error]))
            raw[(evaluation_id, key)] = value
    if errors:
        raise ValidationFailed({"file": errors})
    # Criteria or evaluations the file leaves out keep their current scores.
    for row in the_grid.rows:
        for column in the_grid.columns:
            raw.setdefault((row.evaluation.id, column.key), row.scores.get(column.key))
    return raw
