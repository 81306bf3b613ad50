"""Periodic scorecard exports: every final evaluation of a period (and filters) as PDFs in one ZIP
with an index in CSV and XLSX (issue 6). Run as a background job by :mod:`supplychain.jobs`.

Files live under the export folder (EXPORT_FOLDER, else <UPLOAD_FOLDER>/exports): several workers
on several machines must share it, as they share the database. A job's attempt works in
``job-<id>/attempt-<n>/``: ``plan.json`` lists the evaluations of each part, each part writes its
PDFs and a ``part.json`` (index rows and failures) once its codes are committed, and the assembly
zips them into ``job-<id>/<name>.zip`` and removes the attempt folder. An evaluation that fails is
listed in the job's result with the error, and in ``failures.csv`` inside the ZIP.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import shutil
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from supplychain import regions, scope
from supplychain.errors import ValidationFailed
from supplychain.models import BackgroundJob, Organisation, Supplier, SupplyCategory
from supplychain.models.evaluation import Evaluation
from supplychain.models.scheme import SchemeVersion
from supplychain.services.evaluation import lifecycle, period_evaluations, scorecards
from supplychain.services.evaluation.periods import Period
from supplychain.text_safety import spreadsheet_cell, spreadsheet_row

log = logging.getLogger(__name__)

KIND = "scorecard_export"
PART_SIZE = 200
MIN_PART_SIZE = 25
PROGRESS_EVERY = 0.5  # seconds between progress writes within a part
INDEX_COLUMNS = (
    "file",
    "evaluation_id",
    "supplier_id",
    "supplier_name_zh",
    "supplier_name_en",
    "credit_code",
    "region",
    "category",
    "kind",
    "period",
    "total",
    "grade",
    "percentile",
    "organisation",
    "evaluations_in_period",
    "group_level_grade",
    "governs_group_status",
    "verification_code",
    "verification_url",
)
FAILURE_COLUMNS = ("evaluation_id", "supplier_id", "supplier_name_zh", "error")
_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:[-_/ ]?\s*([HhQq])\s*([1-4]))?\s*$")


@dataclass(frozen=True)
class ExportFilters:
    """A validated export request."""

    period: str  # "2024", "2024-H1", "2024-Q3"
    year: int
    period_type: str  # year | half | quarter
    period_index: int
    category: str = ""
    region: str = ""
    grade: str = ""
    language: str = "both"

    @property
    def range(self) -> Period:
        """The calendar period covered."""
        return Period(self.period_type, self.year, self.period_index)

    def as_params(self) -> dict:
        """The filters as job parameters."""
        return {
            "period": self.period,
            "category": self.category,
            "region": self.region,
            "grade": self.grade,
            "language": self.language,
        }


def grade_keys(session: Session) -> list[str]:
    """Every grade (band key) of every stored scheme version, in band order of first appearance."""
    keys: list[str] = []
    for definition in session.scalars(select(SchemeVersion.definition).order_by(SchemeVersion.id)):
        for band in (definition or {}).get("bands", []):
            if band.get("key") and band["key"] not in keys:
                keys.append(band["key"])
    return keys


def parse_period(text: str | None, today: date) -> tuple[int, str, int] | None:
    """2024, 2024-H1, 2024Q3 → (year, type, index); None when malformed, out of range or in the future."""
    match = _PERIOD_RE.match(text or "")
    if not match:
        return None
    year = int(match.group(1))
    letter, index = (match.group(2) or "").upper(), int(match.group(3) or 1)
    period_type = {"": "year", "H": "half", "Q": "quarter"}[letter]
    if (period_type == "half" and index > 2) or not 2000 <= year <= today.year:
        return None
    if Period(period_type, year, index).start > today:
        return None
    return year, period_type, index


def period_text(year: int, period_type: str, index: int) -> str:
    """The canonical spelling: 2024, 2024-H1, 2024-Q3."""
    return {"year": f"{year}", "half": f"{year}-H{index}", "quarter": f"{year}-Q{index}"}[period_type]


def parse_filters(session: Session, raw: Mapping[str, Any], today: date) -> ExportFilters:
    """Validate what a form or the CLI asked for; every problem at once, per field."""
    errors: dict[str, list] = {}
    period = parse_period(str(raw.get("period") or ""), today)
    if period is None:
        errors["period"] = [
            _l(
                "Enter a year (2024), a half-year (2024-H1) or a quarter (2024-Q3) "
                "that has started, from 2000 on."
            )
        ]
    category = (raw.get("category") or "").strip()
    if category and session.scalar(select(SupplyCategory.id).where(SupplyCategory.code == category)) is None:
        errors["category"] = [_l("Unknown supply category.")]
    region = (raw.get("region") or "").strip()
    if region and region not in regions.REGION_KEYS:
        errors["region"] = [_l("Unknown region.")]
    grade = (raw.get("grade") or "").strip()
    if grade and grade not in grade_keys(session):
        errors["grade"] = [_l("Unknown grade.")]
    language = (raw.get("language") or "both").strip()
    if language not in scorecards.LANGUAGE_CHOICES:
        errors["language"] = [_l("Choose Chinese, English or both.")]
    if errors:
        raise ValidationFailed(errors)
    year, period_type, index = period
    return ExportFilters(
        period_text(year, period_type, index), year, period_type, index, category, region, grade, language
    )


def matching_ids(session: Session, filters: ExportFilters) -> list[int]:
    """Final evaluations of the period matching the filters, by category, region and supplier name.

    The period holds a periodic evaluation whose own period lies inside it (a year holds its
    halves and quarters), and an admission evaluation decided (as of) a day inside it."""
    span = filters.range
    in_period = and_(
        Evaluation.kind == "periodic",
        Evaluation.period_start >= span.start,
        Evaluation.period_end <= span.end,
    ) | and_(Evaluation.kind == "admission", Evaluation.as_of >= span.start, Evaluation.as_of <= span.end)
    stmt = (
        select(Evaluation.id)
        .join(Supplier, Supplier.id == Evaluation.supplier_id)
        .join(SupplyCategory, SupplyCategory.id == Evaluation.category_id)
        .where(Evaluation.status == "final", in_period)
    )
    if filters.category:
        stmt = stmt.where(SupplyCategory.code == filters.category)
    if filters.region:
        stmt = stmt.where(Supplier.region == filters.region)
    if filters.grade:
        stmt = stmt.where(Evaluation.grade == filters.grade)
    stmt = stmt.order_by(SupplyCategory.code, Supplier.region, Supplier.name_zh, Supplier.id, Evaluation.id)
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------------------------- job parts


@dataclass(frozen=True)
class ExportSettings:
    """Where exports go and how scorecards are made."""

    folder: Path
    scorecard: scorecards.ScorecardSettings
    part_size: int = PART_SIZE


def export_folder(config: Mapping[str, Any], instance_path: str | os.PathLike) -> Path:
    """EXPORT_FOLDER, else <UPLOAD_FOLDER>/exports (UPLOAD_FOLDER defaults to instance/uploads)."""
    folder = config.get("EXPORT_FOLDER")
    if folder:
        return Path(folder)
    return Path(config.get("UPLOAD_FOLDER") or Path(instance_path) / "uploads") / "exports"


def settings_for_job(app, job: BackgroundJob) -> ExportSettings:
    """The export settings of a job from the app running it (the QR base URL comes from the job)."""
    return ExportSettings(
        export_folder(app.config, app.instance_path),
        scorecards.settings_from(
            app.config,
            (job.params or {}).get("base_url"),
            explicit=bool((job.params or {}).get("explicit_base_url")),
        ),
        int(app.config.get("EXPORT_PART_SIZE") or PART_SIZE),
    )


def _attempt_dir(settings: ExportSettings, job: BackgroundJob) -> Path:
    return settings.folder / f"job-{job.id}" / f"attempt-{job.attempts}"


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def plan(session: Session, job: BackgroundJob, settings: ExportSettings) -> list[list[int]]:
    """The evaluations to export, in parts; sets the job's total (0: nothing to export)."""
    from supplychain.clock import today

    filters = parse_filters(session, job.params or {}, today())
    ids = matching_ids(session, filters)
    job.progress_total = len(ids)
    # Parts of at most part_size, but at least ~16 of them when there are enough evaluations, so that
    # several workers share even a small export evenly.
    size = max(1, min(settings.part_size, max(MIN_PART_SIZE, -(-len(ids) // 16))))
    parts = [ids[i : i + size] for i in range(0, len(ids), size)]
    if parts:
        folder = _attempt_dir(settings, job)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        _write_json(folder / "plan.json", parts)
    return parts


def _failure(evaluation_id: int, supplier_id: int | None, name: str, error: str) -> dict:
    return {
        "evaluation_id": evaluation_id,
        "supplier_id": supplier_id,
        "supplier_name_zh": name,
        "error": error,
    }


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def run_part(
    session: Session,
    job: BackgroundJob,
    index: int,
    evaluation_ids: list[int],
    settings: ExportSettings,
    progress: Callable[[int], None],
) -> None:
    """Render one part's scorecards into its folder; each evaluation succeeds or is listed as failed."""
    language = (job.params or {}).get("language") or "both"
    langs = scorecards.LANGUAGE_CHOICES.get(language, ("zh", "en"))
    folder = _attempt_dir(settings, job) / f"part-{index:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    failures: list[dict] = []
    done, pending, last = 0, 0, time.monotonic()
    try:
        evaluations = scorecards.load_evaluations(session, evaluation_ids)
        found = {e.id for e in evaluations}
        for missing in [i for i in evaluation_ids if i not in found]:
            failures.append(_failure(missing, None, "", "the evaluation no longer exists"))
            pending += 1
        context = scorecards.load_context(session, evaluations)
        organisations = {o.id: o for o in session.scalars(scope.unscoped(select(Organisation)))}
        generated_at = scorecards.now()
        made: list[scorecards.Scorecard] = []
        for evaluation in evaluations:
            try:
                scorecard = scorecards.build(evaluation, context, settings.scorecard, langs, generated_at)
                pdf = scorecards.render(scorecard, langs, settings.scorecard)
                name = scorecards.file_name(evaluation)
                (folder / name).write_bytes(pdf)
                made.append(scorecard)
                rows.append(_index_row(name, evaluation, scorecard, settings,
                                       organisations.get(evaluation.organisation_id)))
            except Exception as exc:  # noqa: BLE001 - one bad supplier must not stop the export
                log.exception("scorecard of evaluation %s failed", evaluation.id)
                failures.append(
                    _failure(
                        evaluation.id, evaluation.supplier_id, evaluation.supplier.name_zh, _error_text(exc)
                    )
                )
            pending += 1
            if time.monotonic() - last >= PROGRESS_EVERY:
                progress(pending)
                done, pending, last = done + pending, 0, time.monotonic()
        scorecards.record_issues(session, made)
        session.commit()
    except Exception as exc:  # noqa: BLE001 - the whole part failed: list every evaluation in it
        log.exception("export part %s of job %s failed", index, job.id)
        session.rollback()
        listed = {f["evaluation_id"] for f in failures}
        failures += [_failure(i, None, "", _error_text(exc)) for i in evaluation_ids if i not in listed]
        rows = []
        pending = len(evaluation_ids) - done
    _write_json(folder / "part.json", {"rows": rows, "failures": failures})
    if pending:
        progress(pending)


def _index_row(
    name: str, evaluation: Evaluation, scorecard: scorecards.Scorecard, settings: ExportSettings,
    organisation: Organisation | None = None,
) -> dict:
    figures = scorecard.figures
    return {
        "file": f"scorecards/{name}",
        "evaluation_id": evaluation.id,
        "supplier_id": evaluation.supplier_id,
        "supplier_name_zh": figures["supplier_name_zh"],
        "supplier_name_en": figures["supplier_name_en"],
        "credit_code": figures["credit_code"] or "",
        # Names, not keys (issue 13, D9): "西南 Southwest", "设备 Equipment", "年度评审 Annual evaluation".
        "region": _both(*_region_names(evaluation.supplier.region)),
        "category": _both(evaluation.category.name_zh, evaluation.category.name_en),
        "kind": _both(*scorecards.KIND_NAMES.get(
            "admission" if evaluation.kind == "admission" else (evaluation.period_type or "year"),
            (evaluation.kind, evaluation.kind))),
        "period": figures["period"],
        "total": figures["total"],
        "grade": _both(figures.get("grade_name_zh") or "", figures.get("grade_name_en") or "") or figures["grade"],
        "percentile": figures["percentile"],
        # The period's group-level outcome (issue 9, item 5): counts and the governing grade, never another
        # organisation's evaluation (the reader's own organisations' evaluations are rows of their own).
        **_group_columns(evaluation, figures, organisation),
        "verification_code": scorecards.display_code(scorecard.code),
        "verification_url": scorecards.verification_url(settings.scorecard, scorecard.code),
    }


def _group_columns(evaluation: Evaluation, figures: dict, organisation: Organisation | None) -> dict:
    outcome = figures.get("group_outcome")
    if outcome is None:  # an admission review, or the only evaluation of its period
        level = None if evaluation.kind == "admission" else lifecycle.grade_level(evaluation)
        outcome = {"evaluations": 1 if level else "", "governing_level": level, "governs": bool(level)}
    level_names = period_evaluations.LEVEL_NAMES.get(outcome["governing_level"] or "", ("", ""))
    return {
        "organisation": (f"{organisation.code} {_both(organisation.name_zh, organisation.name_en)}"
                         if organisation else ""),
        "evaluations_in_period": outcome["evaluations"],
        "group_level_grade": _both(*level_names),
        "governs_group_status": ("是 yes" if outcome["governs"] else "否 no") if outcome["governing_level"] else "",
    }


def _both(zh: str | None, en: str | None) -> str:
    return " ".join(part for part in dict.fromkeys((zh or "", en or "")) if part)


def _region_names(key: str | None) -> tuple[str, str]:
    region = regions.get_region(key) if key in regions.REGION_KEYS else None
    return (region.name_zh, region.name_en) if region else (key or "", key or "")


def zip_name(params: Mapping[str, Any], job_id: int) -> str:
    """scorecards-2024[-category][-region][-grade]-job<id>.zip (ASCII)."""
    bits = [params.get("period") or ""] + [params.get(k) or "" for k in ("category", "region", "grade")]
    slug = "-".join(re.sub(r"[^A-Za-z0-9_]+", "", b) for b in bits if b)
    return f"scorecards-{slug}-job{job_id}.zip"


def finish(session: Session, job: BackgroundJob, settings: ExportSettings) -> None:
    """Zip every part's PDFs with the index and failures; sets the job's result and output path."""
    total = job.progress_total or 0
    result: dict[str, Any] = {
        "count": total,
        "exported": 0,
        "failed": 0,
        "failures": [],
        "filters": filters_summary(job.params or {}),
    }
    if not total:
        result["empty"] = True
        job.result = result
        return
    folder = _attempt_dir(settings, job)
    parts = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    rows: list[dict] = []
    failures: list[dict] = []
    part_dirs = []
    for index, ids in enumerate(parts):
        part_dir = folder / f"part-{index:05d}"
        part_dirs.append(part_dir)
        try:
            part = json.loads((part_dir / "part.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            failures += [_failure(i, None, "", "its part did not finish (worker stopped)") for i in ids]
            continue
        rows += part["rows"]
        failures += part["failures"]
    name = zip_name(job.params or {}, job.id)
    target = settings.folder / f"job-{job.id}" / name
    tmp = target.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for part_dir in part_dirs:
            for pdf in sorted(part_dir.glob("*.pdf")):
                # PDF streams are already compressed: stored, not deflated again.
                archive.write(pdf, f"scorecards/{pdf.name}", compress_type=zipfile.ZIP_STORED)
        archive.writestr("index.csv", _csv(INDEX_COLUMNS, rows))
        archive.writestr("index.xlsx", _xlsx(INDEX_COLUMNS, rows))
        if failures:
            archive.writestr("failures.csv", _csv(FAILURE_COLUMNS, failures))
    tmp.replace(target)
    shutil.rmtree(folder, ignore_errors=True)
    result.update(
        exported=len(rows),
        failed=len(failures),
        failures=failures,
        file_name=name,
        size=target.stat().st_size,
    )
    job.result = result
    job.output_path = str(target.relative_to(settings.folder))


def _csv(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_cell(value) for key, value in row.items()} for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens Chinese text correctly


def _xlsx(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("index")
    sheet.append(list(columns))
    for row in rows:
        sheet.append(spreadsheet_row(row.get(c) for c in columns))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def output_file(job: BackgroundJob, settings_folder: Path) -> Path | None:
    """The ZIP of a finished job, if it is still there."""
    if job.status != "finished" or not job.output_path:
        return None
    path = (settings_folder / job.output_path).resolve()
    if settings_folder.resolve() not in path.parents or not path.is_file():
        return None
    return path


def filters_summary(params: Mapping[str, Any]) -> dict:
    """The filters of a job for display (no internal parameters)."""
    return {k: params.get(k) or "" for k in ("period", "category", "region", "grade", "language")}


__all__ = [
    "ExportFilters",
    "ExportSettings",
    "KIND",
    "export_folder",
    "finish",
    "grade_keys",
    "matching_ids",
    "output_file",
    "parse_filters",
    "parse_period",
    "plan",
    "run_part",
    "settings_for_job",
]


# --------------------------------------------------------------------------------------------- pages


@dataclass
class ExportPage:
    """What the export page offers and shows: the filter choices and the latest export jobs."""

    categories: list[SupplyCategory]
    grades: list[tuple[str, str, str]]  # key, Chinese name, English name
    jobs: list[BackgroundJob]


def grade_names(session: Session) -> list[tuple[str, str, str]]:
    """(key, Chinese name, English name) of every grade of the stored schemes, best first."""
    names: dict[str, tuple[str, str, float]] = {}
    for definition in session.scalars(select(SchemeVersion.definition).order_by(SchemeVersion.id)):
        for band in (definition or {}).get("bands", []):
            if band.get("key"):
                names.setdefault(
                    band["key"],
                    (
                        band.get("name_zh") or band["key"],
                        band.get("name_en") or band["key"],
                        float(band.get("min_score") or 0),
                    ),
                )
    return [(key, zh, en) for key, (zh, en, _) in sorted(names.items(), key=lambda item: -item[1][2])]


def page(session: Session, limit: int = 20) -> ExportPage:
    """The export page's choices and the latest export jobs, newest first."""
    categories = list(session.scalars(select(SupplyCategory).order_by(SupplyCategory.code)))
    recent = list(
        session.scalars(
            select(BackgroundJob)
            .where(BackgroundJob.kind == KIND)
            .order_by(BackgroundJob.id.desc())
            .limit(limit)
        )
    )
    return ExportPage(categories, grade_names(session), recent)


def job_params(filters, base_url: str) -> dict:
    """The parameters of an export job for validated filters (start it with jobs.enqueue, KIND)."""
    return {**filters.as_params(), "base_url": base_url}


def get_job(session: Session, job_id: int) -> BackgroundJob | None:
    """An export job by id (None for another kind of job)."""
    job = session.get(BackgroundJob, job_id)
    return job if job is not None and job.kind == KIND else None
