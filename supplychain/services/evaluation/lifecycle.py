"""What a final evaluation does to the supplier (issue 4 "Lifecycle consequences"), each step audited.

Admission: pass → trial (where the category requires trial supply) or qualified; fail → rejected,
counted as "potential supplier rejected for social-responsibility non-compliance" when a social,
environmental or ethical red line failed. Trial outcome: pass → qualified, fail → rejected.
Periodic: Excellent / Qualified → the year's certificate; Conditional → corrective actions for the
weakest dimensions with a due date; Unqualified → suspended, a second consecutive one → exited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import ValidationFailed
from supplychain.models import CorrectiveAction, Supplier, User
from supplychain.models.evaluation import Evaluation
from supplychain.services.core import audit
from supplychain.services.evaluation import certificates_annual
from supplychain.services.evaluation.periods import period_label
from supplychain.services.registry import qualifications
from supplychain.services.registry import suppliers as supplier_service

# A band's action (config/schemes.py BAND_ACTIONS) read as a grade level; admission and periodic
# actions map to the same four levels so a scheme of either kind drives the same consequences.
ACTION_LEVEL = {
    "excellent_certificate": "excellent",
    "priority_admission": "excellent",
    "qualified_certificate": "qualified",
    "admission": "qualified",
    "corrective_action": "conditional",
    "conditional_admission": "conditional",
    "suspend": "unqualified",
    "reject": "unqualified",
}
MAX_CORRECTIVE_ACTIONS = 3
LEVEL_ORDER = ("excellent", "qualified", "conditional", "unqualified")


@dataclass
class LifecycleSettings:
    """Settings the consequences need (from the app config)."""

    corrective_action_days: int = 90
    certificate_secret: str = "certificate"


def grade_level(evaluation: Evaluation) -> str:
    """excellent / qualified / conditional / unqualified for a scored evaluation."""
    result = evaluation.result or {}
    if result.get("red_lines_failed"):
        return "unqualified"
    band_key = result.get("band")
    for band in (evaluation.snapshot or {}).get("scheme", {}).get("bands", []):
        if band.get("key") == band_key:
            return ACTION_LEVEL.get(band.get("action"), "unqualified")
    return "unqualified"


def _set_status(session: Session, supplier: Supplier, status: str, reason: str, actor: User | None) -> None:
    supplier_service.change_status(session, supplier, status, reason, actor)


def _label(evaluation: Evaluation) -> tuple[str, str]:
    """The evaluation in words, (Chinese, English)."""
    if evaluation.kind == "admission":
        return f"准入评价 #{evaluation.id}", f"admission evaluation #{evaluation.id}"
    zh = period_label(evaluation.period_type, evaluation.period_year, evaluation.period_index, "zh")
    en = period_label(evaluation.period_type, evaluation.period_year, evaluation.period_index, "en")
    return f"{zh}定期评价 #{evaluation.id}", f"{en} periodic evaluation #{evaluation.id}"


def _grade(evaluation: Evaluation) -> tuple[str, str]:
    """The grade by its name in the scheme (never its key: issue 13, D8), with the score for an admission."""
    band = next((b for b in (evaluation.snapshot or {}).get("scheme", {}).get("bands", [])
                 if b.get("key") == evaluation.grade), {})
    zh, en = band.get("name_zh") or evaluation.grade or "—", band.get("name_en") or evaluation.grade or "—"
    if evaluation.kind == "admission":
        return f"{evaluation.total} 分，{zh}", f"{evaluation.total}, {en}"
    return zh, en


def _both(zh: str, en: str) -> str:
    """A reason or note in both languages, "中文 / English", which the pages show in the reader's language."""
    return f"{zh} / {en}"


def _red_lines_text(evaluation: Evaluation) -> tuple[str, str]:
    failed = [r for r in (evaluation.result or {}).get("red_lines", []) if r.get("failed")]
    return "；".join(r["text_zh"] for r in failed), "; ".join(r["text_en"] for r in failed)


def apply_final(
    session: Session, evaluation: Evaluation, actor: User | None, today: date, settings: LifecycleSettings
) -> str:
    """Apply the consequences of a final evaluation to its supplier; returns the outcome key."""
    supplier = evaluation.supplier
    level = grade_level(evaluation)
    # The status change's reason is read by every organisation that buys from the supplier: a periodic
    # evaluation's score stays with its organisation (issue 9, item 3), its grade is the shared consequence.
    grade = _grade(evaluation)
    label = _label(evaluation)
    governs = evaluation.kind == "admission" or lowest_level_in_period(session, evaluation) == level
    outcome = _apply_level(session, evaluation, supplier, level, grade, label, actor, today, settings, governs)
    evaluation.outcome = outcome
    if governs:
        qualifications.record(session, supplier, evaluation.category_id, qualifications.STATUS_FOR_OUTCOME[outcome],
                              today, evaluation.id, actor, note=_both(*label))
    return outcome


def lowest_level_in_period(session: Session, evaluation: Evaluation) -> str:
    """The lowest grade level among the final periodic evaluations of this supplier and period.

    Several organisations of the group may evaluate one supplier in a period; each evaluation stands on
    its own (certificates, corrective actions), but the group-wide status follows the lowest grade.
    """
    others = session.scalars(scope.unscoped(select(Evaluation).where(
        Evaluation.supplier_id == evaluation.supplier_id, Evaluation.kind == "periodic",
        Evaluation.status == "final", Evaluation.id != evaluation.id,
        Evaluation.period_type == evaluation.period_type, Evaluation.period_year == evaluation.period_year,
        Evaluation.period_index == evaluation.period_index,
    )))
    levels = [grade_level(evaluation), *(grade_level(other) for other in others)]
    return max(levels, key=LEVEL_ORDER.index)


def _apply_level(session: Session, evaluation: Evaluation, supplier: Supplier, level: str, grade: tuple[str, str],
                 label: tuple[str, str], actor: User | None, today: date, settings: LifecycleSettings,
                 governs: bool) -> str:
    (label_zh, label_en), (grade_zh, grade_en) = label, grade
    if evaluation.kind == "admission":
        if level != "unqualified":
            if evaluation.category.requires_trial:
                outcome = "trial"
                _set_status(
                    session,
                    supplier,
                    "trial",
                    _both(f"{label_zh} 通过（{grade_zh}），品类要求少量试用",
                          f"{label_en} passed ({grade_en}); the category requires trial supply"),
                    actor,
                )
            else:
                outcome = "qualified"
                _set_status(
                    session, supplier, "qualified",
                    _both(f"{label_zh} 通过（{grade_zh}）", f"{label_en} passed ({grade_en})"), actor
                )
        else:
            outcome = "rejected"
            if evaluation.social_non_compliance:
                lines_zh, lines_en = _red_lines_text(evaluation)
                reason = _both(f"{label_zh} 未通过红线：{lines_zh}。因社会责任不合规被拒绝的潜在供应商",
                               f"{label_en} failed a red line: {lines_en}; potential supplier rejected for "
                               "social-responsibility non-compliance")
            elif (evaluation.result or {}).get("red_lines_failed"):
                lines_zh, lines_en = _red_lines_text(evaluation)
                reason = _both(f"{label_zh} 未通过红线：{lines_zh}", f"{label_en} failed a red line: {lines_en}")
            else:
                reason = _both(f"{label_zh} 未通过（{grade_zh}）", f"{label_en} failed ({grade_en})")
            _set_status(session, supplier, "rejected", reason, actor)
    elif level in ("excellent", "qualified"):
        # The year's certificate is the group's: not issued while another evaluation of the period is lower.
        outcome = "certificate" if governs else "qualified"
        if governs:
            certificates_annual.issue(
                session, supplier, evaluation, level, actor, today, settings.certificate_secret
            )
        if governs and supplier.status in ("conditional", "suspended"):
            _set_status(
                session, supplier, "qualified",
                _both(f"{label_zh}：{grade_zh}，恢复合格", f"{label_en}: {grade_en}, back to qualified"), actor
            )
    elif level == "conditional":
        outcome = "corrective_actions"
        certificates_annual.revoke_for_year(session, supplier, evaluation, actor, today)
        actions = create_corrective_actions(
            session, evaluation, actor, today, settings.corrective_action_days
        )
        if governs and supplier.status != "conditional":
            _set_status(
                session,
                supplier,
                "conditional",
                _both(f"{label_zh}：{grade_zh}，需整改 {len(actions)} 项",
                      f"{label_en}: {grade_en}, {len(actions)} corrective action(s) required"),
                actor,
            )
    else:
        certificates_annual.revoke_for_year(session, supplier, evaluation, actor, today)
        previous = previous_periodic(session, evaluation)
        if previous is not None and grade_level(previous) == "unqualified":
            outcome = "exited"
            _set_status(
                session,
                supplier,
                "exited",
                _both(f"{label_zh}：{grade_zh}，连续第二次不合格（上次：#{previous.id}）",
                      f"{label_en}: {grade_en}, second consecutive Unqualified (previous: #{previous.id})"),
                actor,
            )
        else:
            outcome = "suspended"
            _set_status(
                session,
                supplier,
                "suspended",
                _both(f"{label_zh}：{grade_zh}，不合格，暂停供货", f"{label_en}: {grade_en}, Unqualified: suspended"),
                actor,
            )
    return outcome


def previous_periodic(session: Session, evaluation: Evaluation) -> Evaluation | None:
    """The supplier's final periodic evaluation just before this one's period."""
    return session.scalar(
        select(Evaluation)
        .where(
            Evaluation.supplier_id == evaluation.supplier_id,
            Evaluation.kind == "periodic",
            Evaluation.status == "final",
            Evaluation.id != evaluation.id,
            Evaluation.period_end < evaluation.period_start,
        )
        .order_by(Evaluation.period_end.desc(), Evaluation.id.desc())
        .limit(1)
    )


def weakest_dimensions(evaluation: Evaluation) -> list[dict]:
    """The dimensions below the Qualified line, weakest first (at most three, at least the weakest one)."""
    result = evaluation.result or {}
    scheme = (evaluation.snapshot or {}).get("scheme", {})
    threshold = min(
        (b["min_score"] for b in scheme.get("bands", []) if ACTION_LEVEL.get(b.get("action")) == "qualified"),
        default=75,
    )
    names = {d["key"]: d for d in scheme.get("dimensions", [])}
    scores = sorted(result.get("dimension_scores", []), key=lambda d: (d["score"], d["key"]))
    weak = [d for d in scores if d["score"] < threshold][:MAX_CORRECTIVE_ACTIONS] or scores[:1]
    return [
        dict(
            d,
            name_zh=names.get(d["key"], {}).get("name_zh", d["key"]),
            name_en=names.get(d["key"], {}).get("name_en", d["key"]),
            threshold=threshold,
        )
        for d in weak
    ]


def create_corrective_actions(
    session: Session, evaluation: Evaluation, actor: User | None, today: date, due_days: int
) -> list[CorrectiveAction]:
    """One corrective action per weakest dimension, due in ``due_days``, linked to the evaluation."""
    supplier = evaluation.supplier
    owner = supplier.contacts[0].name if supplier.contacts else supplier.name_zh
    period_zh = period_label(evaluation.period_type, evaluation.period_year, evaluation.period_index, "zh")
    period_en = period_label(evaluation.period_type, evaluation.period_year, evaluation.period_index, "en")
    actions = []
    for dimension in weakest_dimensions(evaluation):
        score, threshold = dimension["score"], dimension["threshold"]
        text = (
            f"整改{dimension['name_zh']}：{period_zh}定期评价得分 {score}，低于合格线 {threshold}。"
            f" / Improve {dimension['name_en']}: scored {score} in the {period_en} periodic evaluation, "
            f"below the Qualified line of {threshold}."
        )
        action = CorrectiveAction(
            supplier_id=supplier.id,
            organisation_id=evaluation.organisation_id,
            evaluation_id=evaluation.id,
            action=text,
            owner=owner[:100],
            due_on=today + timedelta(days=due_days),
            status="open",
            created_by_id=getattr(actor, "id", None),
        )
        session.add(action)
        actions.append(action)
    session.flush()
    for action in actions:
        audit.record(
            session,
            actor,
            "create",
            "corrective_action",
            action.id,
            {"due_on": [None, action.due_on.isoformat()], "evaluation_id": [None, evaluation.id]},
            supplier_id=supplier.id,
            note=action.action,
        )
    return actions


def record_trial(
    session: Session, evaluation: Evaluation, outcome: str, note: str, actor: User | None, today: date
) -> None:
    """Record the trial-supply outcome of an admission: passed → qualified, failed → rejected."""
    errors: dict[str, list] = {}
    if evaluation.kind != "admission" or evaluation.outcome != "trial":
        errors["outcome"] = [_l("Only an admission that led to trial supply has a trial outcome.")]
    elif evaluation.trial_outcome is not None:
        errors["outcome"] = [_l("The trial outcome is already recorded.")]
    elif evaluation.supplier.status != "trial":
        errors["outcome"] = [_l("The supplier is no longer in trial supply.")]
    if outcome not in ("passed", "failed"):
        errors["outcome"] = [_l("Choose passed or failed.")]
    if not (note or "").strip():
        errors["note"] = [_l("Describe the trial supply and its result.")]
    if errors:
        raise ValidationFailed(errors)
    evaluation.trial_outcome = outcome
    evaluation.trial_recorded_on = today
    evaluation.trial_note = note.strip()
    audit.record(
        session,
        actor,
        "trial",
        "evaluation",
        evaluation.id,
        {"trial_outcome": [None, outcome]},
        supplier_id=evaluation.supplier_id,
        note=evaluation.trial_note,
    )
    qualifications.record(session, evaluation.supplier, evaluation.category_id,
                          "qualified" if outcome == "passed" else "rejected", today, evaluation.id, actor,
                          note=evaluation.trial_note)
    if outcome == "passed":
        _set_status(
            session,
            evaluation.supplier,
            "qualified",
            f"少量试用合格 / trial supply passed: {evaluation.trial_note}",
            actor,
        )
    else:
        _set_status(
            session,
            evaluation.supplier,
            "rejected",
            f"少量试用不合格 / trial supply failed: {evaluation.trial_note}",
            actor,
        )
