"""Several organisations evaluate one supplier in a period (issue 9, item 5): each evaluation stands on its own,
the group-level consequence follows one rule, and a reader sees only what the group allows (item 3).

The rule (``docs/disclosure.md``, "Reporting boundaries"): the **lowest grade** of the period's final periodic
evaluations governs the supplier's group-wide status (suspension, exit, the year's certificate); every
evaluation at that grade governs it. What a reader sees of the period's evaluations:
- every evaluation made inside the reader's scope, with its organisation, scheme, score, grade and date;
- of the others only the group-level outcome: how many there are and the governing grade level. That level is
  what the supplier's status and qualification (which the group shares with every organisation) already tell;
  another organisation's name, scheme, score and date stay with that organisation.
The scorecard, the evaluation page and the scorecard export all go through :func:`outcome`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.models import Organisation
from supplychain.models.evaluation import Evaluation
from supplychain.models.scheme import SchemeVersion
from supplychain.services.evaluation.lifecycle import LEVEL_ORDER, grade_level

RULE = "lowest_grade"
RULE_TEXT = ("本期最低等级决定集团层面的后果（暂停、退出、年度证书）",
             "The lowest grade of the period governs the group-level consequence (suspension, exit, certificate)")
LEVEL_NAMES = {
    "excellent": ("优秀", "Excellent"),
    "qualified": ("合格", "Qualified"),
    "conditional": ("有条件合格", "Conditional"),
    "unqualified": ("不合格", "Unqualified"),
}


@dataclass(frozen=True)
class PeriodEvaluation:
    """One organisation's final periodic evaluation of the supplier for the period."""

    evaluation_id: int
    organisation_id: int | None
    organisation_code: str
    organisation_zh: str
    organisation_en: str
    scheme_zh: str
    scheme_en: str
    scheme_version: int
    total: float | None
    grade_zh: str
    grade_en: str
    as_of: date | None
    level: str
    governs: bool = False


@dataclass(frozen=True)
class PeriodOutcome:
    """The period's evaluations as one reader may see them, and the group-level outcome."""

    governing_level: str
    count: int  # final periodic evaluations of the supplier in the period, across the group
    shown: tuple[PeriodEvaluation, ...]  # those inside the reader's scope, lowest grade first
    hidden: int  # those outside it: only counted
    not_governing: frozenset[int] = frozenset()  # the period's evaluations above the governing grade

    def governs(self, evaluation_id: int) -> bool:
        """Whether this evaluation is at the governing grade, whoever reads (True when not among the period's)."""
        return evaluation_id not in self.not_governing

    def figures(self, evaluation_id: int) -> dict:
        """The part that does not depend on the reader (a scorecard's verified figures)."""
        return {"rule": RULE, "evaluations": self.count, "governing_level": self.governing_level,
                "governs": self.governs(evaluation_id)}


def outcome(period: Sequence[PeriodEvaluation], visible: Callable[[int | None], bool]) -> PeriodOutcome:
    """Pure: mark the governing evaluations (lowest grade) and keep those the reader may see."""
    lowest = max((e.level for e in period), key=LEVEL_ORDER.index, default="qualified")
    marked = [replace(e, governs=e.level == lowest) for e in period]
    marked.sort(key=lambda e: (-LEVEL_ORDER.index(e.level), e.total if e.total is not None else 0, e.evaluation_id))
    shown = tuple(e for e in marked if visible(e.organisation_id))
    not_governing = frozenset(e.evaluation_id for e in marked if not e.governs)
    return PeriodOutcome(lowest, len(marked), shown, len(marked) - len(shown), not_governing)


def _period_key(evaluation) -> tuple:
    return (evaluation.supplier_id, evaluation.period_type, evaluation.period_year, evaluation.period_index)


def load(session: Session, evaluations: Iterable[Evaluation]) -> dict[int, list[PeriodEvaluation]]:
    """The final periodic evaluations of each periodic evaluation's supplier and period, across the group.

    Read unscoped on purpose: the rule counts every organisation's grade; :func:`outcome` decides what is shown.
    """
    periodic = [e for e in evaluations if e.kind == "periodic" and e.period_year is not None]
    if not periodic:
        return {}
    rows = session.execute(scope.unscoped(
        select(Evaluation.id, Evaluation.supplier_id, Evaluation.organisation_id, Evaluation.period_type,
               Evaluation.period_year, Evaluation.period_index, Evaluation.total, Evaluation.as_of,
               Evaluation.result, Evaluation.snapshot, SchemeVersion.name_zh, SchemeVersion.name_en,
               SchemeVersion.version)
        .join(SchemeVersion, SchemeVersion.id == Evaluation.scheme_version_id)
        .where(Evaluation.supplier_id.in_(sorted({e.supplier_id for e in periodic})),
               Evaluation.kind == "periodic", Evaluation.status == "final",
               Evaluation.period_year.in_(sorted({e.period_year for e in periodic})))
        .order_by(Evaluation.id)))
    organisations = {o.id: o for o in session.scalars(scope.unscoped(select(Organisation)))}
    by_period: dict[tuple, list[PeriodEvaluation]] = defaultdict(list)
    for row in rows:
        organisation = organisations.get(row.organisation_id)
        band_key = (row.result or {}).get("band")
        band = next((b for b in ((row.snapshot or {}).get("scheme") or {}).get("bands", [])
                     if b.get("key") == band_key), {})
        by_period[_period_key(row)].append(PeriodEvaluation(
            evaluation_id=row.id, organisation_id=row.organisation_id,
            organisation_code=organisation.code if organisation else "",
            organisation_zh=organisation.name_zh if organisation else "—",
            organisation_en=(organisation.name_en or organisation.name_zh) if organisation else "—",
            scheme_zh=row.name_zh or "", scheme_en=row.name_en or row.name_zh or "", scheme_version=row.version,
            total=row.total, grade_zh=band.get("name_zh", band_key or ""), grade_en=band.get("name_en", band_key or ""),
            as_of=row.as_of, level=grade_level(_Graded(row.result, row.snapshot)),
        ))
    return {e.id: by_period.get(_period_key(e), []) for e in periodic}


@dataclass(frozen=True)
class _Graded:
    """What :func:`lifecycle.grade_level` reads of an evaluation."""

    result: dict | None
    snapshot: dict | None


def for_reader(session: Session, evaluation: Evaluation) -> PeriodOutcome | None:
    """The period's evaluations as the session's scope may see them (None for an admission review)."""
    period = load(session, [evaluation]).get(evaluation.id)
    if period is None:
        return None
    return outcome(period, scope.current(session).allows)
