"""Approval rules of an evaluation: levels in order, and separation of duties (issue 4).

Nobody approves (or rejects) an evaluation they created, scored or submitted, and nobody acts
on two different levels of one evaluation, in this or an earlier submission round.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from supplychain.models import User
from supplychain.models.evaluation import Evaluation

APPROVER_ROLES = ("admin", "reviewer")
MAX_LEVELS = 3


def clamp_levels(levels: int) -> int:
    """The configured number of approval levels, kept within 1-3."""
    try:
        return max(1, min(MAX_LEVELS, int(levels)))
    except (TypeError, ValueError):
        return MAX_LEVELS


def problems(evaluation: Evaluation, actor: User, level: int | None) -> list:
    """Why the actor may not decide this level of the evaluation now (empty when they may)."""
    if evaluation.status != "submitted":
        return [_l("Only a submitted evaluation can be approved or returned.")]
    found = []
    expected = evaluation.approved_levels + 1
    if level != expected:
        if isinstance(level, int) and level < expected:
            found.append(
                _l(
                    "Level %(level)d is already approved; the evaluation awaits level %(next)d.",
                    level=level,
                    next=expected,
                )
            )
        else:
            found.append(
                _l(
                    "Level %(level)s cannot be decided before level %(next)d.",
                    level=level if level is not None else "?",
                    next=expected,
                )
            )
    if actor is None or actor.role not in APPROVER_ROLES:
        found.append(_l("Only reviewers and administrators approve evaluations."))
        return found
    if actor.id in (evaluation.editor_ids or []) or actor.id == evaluation.created_by_id:
        found.append(_l("You created, scored or submitted this evaluation: someone else must approve it."))
    for approval in evaluation.approvals:
        if (
            approval.approver_id == actor.id
            and approval.decision == "approved"
            and approval.level != expected
        ):
            found.append(
                _l(
                    "You already approved level %(level)d of this evaluation: another reviewer must "
                    "decide level %(next)d.",
                    level=approval.level,
                    next=expected,
                )
            )
            break
    return found


def can_decide(evaluation: Evaluation, actor: User) -> bool:
    """Whether the actor may approve or return the level the evaluation awaits."""
    return evaluation.status == "submitted" and not problems(
        evaluation, actor, evaluation.approved_levels + 1
    )
