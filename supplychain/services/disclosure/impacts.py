"""GRI 308-2 / 414-2 (b)-(e): suppliers with significant actual or potential negative impacts, the
improvements agreed and the terminations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.models import (
    Audit,
    AuditFinding,
    CorrectiveAction,
    Incident,
)
from supplychain.models.evaluation import Evaluation
from supplychain.services.disclosure.definitions import SIGNIFICANT, Value, counted, rate_of, record_set
from supplychain.services.disclosure.statuses import end_of_day
from supplychain.services.disclosure.terminations import Termination, failed_environmental, failed_social


def _significant_findings(session: Session, first: date, last: date, topic: str) -> list:
    """Major and critical audit findings of the topic (environmental or social) from audits held in
    [first, last]: (finding id, supplier id, actual or potential impact, corrective action id) (issue 11)."""
    return list(session.execute(
        select(AuditFinding.id, AuditFinding.supplier_id, AuditFinding.impact, AuditFinding.corrective_action_id)
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .where(Audit.actual_on >= first, Audit.actual_on <= last, AuditFinding.dimension == topic,
               AuditFinding.severity.in_(SIGNIFICANT))
        .order_by(Audit.actual_on, AuditFinding.id)
    ))


def negative_impacts(session: Session, first: date, last: date, categories: tuple[str, ...], topic: str,
             ended: dict[int, Termination], places: int) -> dict[str, Value]:
    """GRI 308-2 / 414-2 b, c, d, e and e.why in [first, last].

    (b) suppliers with significant actual or potential negative impacts: a major or critical incident of
    the categories, a major or critical audit finding of the topic (actual or potential, as the auditor
    recorded it), a final evaluation that failed a red line of the topic (potential impact), or a
    termination of the topic. (d) of them, those with a corrective action raised on such an incident or
    evaluation by `last`. (e) of them, those terminated (the KPI definition, `terminations`)."""
    incidents = list(
        session.execute(
            select(Incident.id, Incident.supplier_id, Incident.category, Incident.severity)
            .where(
                Incident.occurred_on >= first,
                Incident.occurred_on <= last,
                Incident.category.in_(categories),
                Incident.severity.in_(SIGNIFICANT),
            )
            .order_by(Incident.occurred_on, Incident.id)
        )
    )
    failed_check = failed_environmental if topic == "environmental" else failed_social
    failed = [
        (eid, sid) for eid, sid, result in session.execute(
            select(Evaluation.id, Evaluation.supplier_id, Evaluation.result).where(
                Evaluation.status == "final", Evaluation.as_of >= first, Evaluation.as_of <= last,
                Evaluation.passed.is_(False))
        ) if failed_check(result)
    ]
    findings = _significant_findings(session, first, last, topic)
    ended_here = {sid: t for sid, t in ended.items() if t.topic == topic}
    reasons: dict[str, set[int]] = defaultdict(set)
    for row in incidents:
        reasons[f"incident:{row.category}:{row.severity}"].add(row.supplier_id)
    for _eid, sid in failed:
        reasons["assessment"].add(sid)
    for _fid, sid, impact, _action_id in findings:
        reasons[f"audit_finding:{impact}"].add(sid)
    why: dict[str, set[int]] = defaultdict(set)
    for sid, t in ended_here.items():
        why[f"terminated:{t.reason}"].add(sid)
    reasons.update(why)
    impacted = ({row.supplier_id for row in incidents} | {sid for _e, sid in failed} | set(ended_here)
                | {row.supplier_id for row in findings})
    improved: set[int] = set()
    sources = [CorrectiveAction.incident_id.in_([row.id for row in incidents])] if incidents else []
    if failed:
        sources.append(CorrectiveAction.evaluation_id.in_([eid for eid, _s in failed]))
    actions = [row.corrective_action_id for row in findings if row.corrective_action_id is not None]
    if actions:
        sources.append(CorrectiveAction.id.in_(actions))
    for source in sources:
        improved |= set(session.scalars(
            select(CorrectiveAction.supplier_id).where(source, CorrectiveAction.created_at < end_of_day(last))))
    b = counted("supplier", impacted)
    return {
        "b": b,
        "c": Value(b.value, b.records, breakdown=tuple(sorted((k, len(v)) for k, v in reasons.items()))),
        "d": rate_of(improved & impacted, impacted, places=places),
        "e": rate_of(ended_here, impacted, places=places),
        "e.why": Value(len(ended_here), record_set("supplier", ended_here),
                       breakdown=tuple(sorted((k, len(v)) for k, v in why.items()))),
    }
