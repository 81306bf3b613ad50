"""Scorecards of final evaluations: what they print, their verification codes, the PDF bytes (issue 6).

A scorecard shows the evaluation as it was decided: the figures stored with the final evaluation,
and the evidence summary from the facts frozen in its snapshot (certificates, pledges and training
as of the evaluation date), plus the incidents of the twelve months before that date and the
corrective actions open on it or raised by the evaluation. Regenerating a scorecard therefore
prints the same figures; only the generation time, the supplier's current status and the
percentile among peers finalised since can differ.

Verification: the figures that matter are put in a canonical JSON document; its SHA-256, keyed
with the app's secret, gives a 10-character code (Crockford base32, printed as two groups of five and as a
QR code for the public /verify/<code> page). The same figures always give the same code; a code
is stored (:class:`ScorecardIssue`) when a scorecard is generated, so an altered or invented code
is unknown, and a copy with altered figures is shown the true ones.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from reports.data import (
    ApprovalLine,
    CertificateLine,
    CorrectiveActionLine,
    DimensionScore,
    IncidentLine,
    PeriodEvaluationLine,
    PledgeLine,
    RedFlag,
    ScorecardData,
    TrendPoint,
)
from supplychain import clock, labels, regions, scope
from supplychain.models import CorrectiveAction, Incident, ScorecardIssue, Supplier
from supplychain.models.evaluation import Evaluation, EvaluationApproval
from supplychain.scoring import percentile as percentile_of
from supplychain.scoring.facts import CERTIFICATE_LABELS, PLEDGE_LABELS
from supplychain.services.evaluation import period_evaluations

LANGUAGE_CHOICES: dict[str, tuple[str, ...]] = {"both": ("zh", "en"), "zh": ("zh",), "en": ("en",)}
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_LENGTH = 10
FIGURES_FORMAT = 1
EXPLANATION_LINES = 6
TREND_POINTS = 6

STATUS_NAMES = labels.STATUS_NAMES  # one name per status (supplychain/labels.py)
KIND_NAMES = {
    "admission": ("准入评审", "Admission review"),
    "year": ("年度评审", "Annual evaluation"),
    "half": ("半年度评价", "Half-year evaluation"),
    "quarter": ("季度评价", "Quarterly evaluation"),
}
SHORT_CERTIFICATE_NAMES = {
    "iso9001": ("ISO 9001", "ISO 9001"),
    "iso14001": ("ISO 14001", "ISO 14001"),
    "iso45001": ("ISO 45001", "ISO 45001"),
    "iso50001": ("ISO 50001", "ISO 50001"),
    "iso14064": ("ISO 14064", "ISO 14064"),
    "iatf16949": ("IATF 16949", "IATF 16949"),
    "production_licence": ("生产许可证", "Production licence"),
    "safety_production_licence": ("安全生产许可证", "Safety production licence"),
    "pollutant_permit": ("污染物处理资质", "Pollutant treatment"),
}


class ScorecardUnavailable(Exception):
    """The evaluation has no scorecard (not final, or its stored figures are unusable)."""


@dataclass(frozen=True)
class ScorecardSettings:
    """What a scorecard needs from the app's settings (plain values: jobs and the CLI build it too)."""

    secret: str
    base_url: str
    issuer: str = ""
    font_path: str | None = None
    timezone: str = "Asia/Shanghai"
    warning_days: int = 60

    def zone(self) -> Any:
        """The zone timestamps are printed in (UTC when the name is unknown)."""
        return clock.report_zone(self.timezone)


def settings_from(config: Mapping[str, Any], base_url: str | None = None, *, explicit: bool = False
                  ) -> ScorecardSettings:
    """Scorecard settings from the app config. The QR codes point at PUBLIC_BASE_URL when it is set
    (behind a proxy the request's own address may be an internal one), else at base_url (the
    address of the request, or of the CLI's --base-url with explicit=True, which wins)."""

    public = config.get("PUBLIC_BASE_URL")
    base = (base_url if explicit else None) or public or base_url or "http://127.0.0.1:5000"
    return ScorecardSettings(
        secret=str(config.get("VERIFICATION_SECRET")
                   or config.get("SECRET_KEY") or "supplychain"),
        base_url=str(base).rstrip("/"),
        issuer=str(config.get("COMPANY_NAME") or ""),
        font_path=config.get("CJK_FONT_PATH") or None,
        timezone=str(config.get("REPORT_TIMEZONE") or "Asia/Shanghai"),
        warning_days=int(config.get("CERT_EXPIRY_WARNING_DAYS") or 60),
    )


# --------------------------------------------------------------------------------------------- codes


def canonical_json(figures: Mapping[str, Any]) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8 text kept."""
    return json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(figures: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical figures."""
    return hashlib.sha256(canonical_json(figures).encode("utf-8")).hexdigest()


def code_for(content_sha256: str, secret: str) -> str:
    """The 10-character verification code of a content hash (50 bits of an HMAC keyed with the secret)."""
    digest = hmac.new(secret.encode("utf-8"), content_sha256.encode("ascii"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * CODE_LENGTH)
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        chars.append(CODE_ALPHABET[index])
    return "".join(reversed(chars))


def display_code(code: str) -> str:
    """The code as printed: two groups of five characters joined by a hyphen."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def normalise_code(text: str | None) -> str | None:
    """A typed or scanned code in stored form (case, dashes, O→0, I/L→1 forgiven); None if malformed."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -_\t")
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def verification_url(settings: ScorecardSettings, code: str) -> str:
    """The public page that confirms a scorecard's figures."""
    return f"{settings.base_url}/verify/{display_code(code)}"


# --------------------------------------------------------------------------------------------- context


#: What a scorecard prints about who the supplier was when the document was first issued.
IDENTITY_FIELDS = ("supplier_name_zh", "supplier_name_en", "credit_code", "status")


@dataclass
class Context:
    """What a batch of scorecards needs beyond the evaluations themselves, loaded in a few queries."""

    percentiles: dict[int, float]
    trends: dict[int, list[tuple[str, float]]]
    incidents: dict[int, list[Incident]]
    actions: dict[int, list[CorrectiveAction]]
    #: The supplier's identity as the evaluation's first scorecard printed it (issue 13, D18): a later
    #: name change must not rewrite a past document, nor give it a second code.
    identities: dict[int, dict] = field(default_factory=dict)
    #: The period's evaluations across the group (periodic evaluations only), and what the reader may see.
    periods: dict[int, list[period_evaluations.PeriodEvaluation]] = field(default_factory=dict)
    reader: scope.Scope = scope.EVERYTHING
    #: Each evaluation's organisation subtree (None: the whole group): its scorecard's records come from it.
    subtrees: dict[int, frozenset[int] | None] = field(default_factory=dict)


def load_evaluations(session: Session, evaluation_ids: Sequence[int]) -> list[Evaluation]:
    """Evaluations by id, in the order given, with their approvals and approvers (missing ids left out)."""
    if not evaluation_ids:
        return []
    rows = session.scalars(
        select(Evaluation)
        .where(Evaluation.id.in_(list(evaluation_ids)))
        .options(selectinload(Evaluation.approvals).selectinload(EvaluationApproval.approver))
    ).unique()
    by_id = {e.id: e for e in rows}
    return [by_id[i] for i in evaluation_ids if i in by_id]


def _peer_key(evaluation: Evaluation) -> tuple:
    if evaluation.kind == "periodic":
        return (
            "periodic",
            evaluation.category_id,
            evaluation.period_type,
            evaluation.period_year,
            evaluation.period_index,
        )
    year = evaluation.as_of.year if evaluation.as_of else None
    return ("admission", evaluation.category_id, year)


def _period_text(evaluation: Evaluation, language: str) -> str:
    from supplychain.services.evaluation.periods import period_label

    if evaluation.kind == "periodic":
        return period_label(evaluation.period_type, evaluation.period_year, evaluation.period_index, language)
    return evaluation.as_of.isoformat() if evaluation.as_of else ""


def _subtrees(session: Session, evaluations: Sequence[Evaluation]) -> dict[int, frozenset[int] | None]:
    """Each evaluation's organisation subtree (None: the whole group, for the root or no organisation)."""
    top = scope.root(session)
    cache: dict[int | None, frozenset[int] | None] = {}
    for organisation_id in {e.organisation_id for e in evaluations}:
        whole_group = organisation_id is None or (top is not None and organisation_id == top.id)
        cache[organisation_id] = None if whole_group else scope.subtree_ids(session, organisation_id)
    return {e.id: cache[e.organisation_id] for e in evaluations}


def _inside(subtree: frozenset[int] | None, organisation_id: int | None) -> bool:
    return subtree is None or organisation_id in subtree


def load_context(session: Session, evaluations: Sequence[Evaluation]) -> Context:
    """Percentiles, trends, incidents and corrective actions for many evaluations at once.

    What a scorecard prints does not depend on who asks for it (one evaluation has one verification code):
    the records are read across the group and each scorecard keeps those of its evaluating organisation's
    subtree (its trend, incidents and corrective actions), which everyone who may see the evaluation may
    see. The percentile ranks among the group's final evaluations of the category and period (a rank, no
    other organisation's figures). Only the list of the period's evaluations follows the reader's scope.
    """
    context = Context({}, {}, defaultdict(list), defaultdict(list), reader=scope.current(session))
    if not evaluations:
        return context
    subtrees = _subtrees(session, evaluations)
    category_ids = sorted({e.category_id for e in evaluations})
    supplier_ids = sorted({e.supplier_id for e in evaluations})
    years = {e.period_year for e in evaluations if e.period_year} | {
        e.as_of.year for e in evaluations if e.as_of
    }
    # Peers: final evaluations of the same kind, category and period (admissions: the same year).
    peers: dict[tuple, dict[int, float]] = defaultdict(dict)
    years = years or {clock.today().year}  # only unscored evaluations: no peers to find
    first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    for row in session.execute(scope.unscoped(
        select(
            Evaluation.id,
            Evaluation.kind,
            Evaluation.category_id,
            Evaluation.period_type,
            Evaluation.period_year,
            Evaluation.period_index,
            Evaluation.as_of,
            Evaluation.total,
        ).where(
            Evaluation.status == "final",
            Evaluation.total.is_not(None),
            Evaluation.category_id.in_(category_ids),
            or_(
                Evaluation.period_year.in_(sorted(years)),
                (Evaluation.kind == "admission") & (Evaluation.as_of >= first) & (Evaluation.as_of <= last),
            ),
        )
    )):
        if row.kind == "periodic":
            key = ("periodic", row.category_id, row.period_type, row.period_year, row.period_index)
        else:
            key = ("admission", row.category_id, row.as_of.year if row.as_of else None)
        peers[key][row.id] = row.total
    for evaluation in evaluations:
        if evaluation.total is None:
            continue
        group = dict(peers.get(_peer_key(evaluation), {}))
        group[evaluation.id] = evaluation.total
        context.percentiles[evaluation.id] = percentile_of(evaluation.total, group.values())
    # Trend: the supplier's final periodic evaluations of the same period type, up to this one, made in the
    # evaluating organisation's subtree.
    history: dict[tuple[int, str], list] = defaultdict(list)
    for row in session.execute(scope.unscoped(
        select(
            Evaluation.id,
            Evaluation.supplier_id,
            Evaluation.organisation_id,
            Evaluation.period_type,
            Evaluation.period_year,
            Evaluation.period_index,
            Evaluation.period_start,
            Evaluation.total,
        )
        .where(
            Evaluation.supplier_id.in_(supplier_ids),
            Evaluation.kind == "periodic",
            Evaluation.status == "final",
            Evaluation.total.is_not(None),
        )
        .order_by(Evaluation.period_start, Evaluation.id)
    )):
        history[(row.supplier_id, row.period_type)].append(row)
    for evaluation in evaluations:
        if evaluation.kind != "periodic":
            context.trends[evaluation.id] = []
            continue
        subtree = subtrees[evaluation.id]
        rows = [
            r
            for r in history.get((evaluation.supplier_id, evaluation.period_type), [])
            if r.period_start is not None
            and evaluation.period_start is not None
            and r.period_start <= evaluation.period_start
            and r.id != evaluation.id
            and _inside(subtree, r.organisation_id)
        ]
        points = [(r.period_type, r.period_year, r.period_index, r.total) for r in rows]
        points.append(
            (evaluation.period_type, evaluation.period_year, evaluation.period_index, evaluation.total)
        )
        context.trends[evaluation.id] = [
            (_short_period(t, y, i), total) for t, y, i, total in points[-TREND_POINTS:]
        ]
    # Incidents of the 12 months before the latest as-of date, filtered per evaluation in build().
    as_ofs = [e.as_of for e in evaluations if e.as_of]
    if as_ofs:
        since = min(as_ofs) - timedelta(days=366)
        for incident in session.scalars(scope.unscoped(
            select(Incident)
            .where(
                Incident.supplier_id.in_(supplier_ids),
                Incident.occurred_on > since,
                Incident.occurred_on <= max(as_ofs),
            )
            .order_by(Incident.occurred_on.desc(), Incident.id.desc())
        )):
            context.incidents[incident.supplier_id].append(incident)
    evaluation_ids = [e.id for e in evaluations]
    for evaluation_id, figures in session.execute(scope.unscoped(
        select(ScorecardIssue.evaluation_id, ScorecardIssue.figures)
        .where(ScorecardIssue.evaluation_id.in_(evaluation_ids))
        .order_by(ScorecardIssue.id)
    )):
        if evaluation_id not in context.identities and isinstance(figures, dict):
            context.identities[evaluation_id] = {key: figures.get(key) for key in IDENTITY_FIELDS}
    for action in session.scalars(scope.unscoped(
        select(CorrectiveAction)
        .where(
            CorrectiveAction.supplier_id.in_(supplier_ids),
            or_(
                CorrectiveAction.verified_on.is_(None),
                CorrectiveAction.evaluation_id.in_(evaluation_ids),
                CorrectiveAction.verified_on > min(as_ofs or [date.min]),
            ),
        )
        .order_by(CorrectiveAction.due_on, CorrectiveAction.id)
    )):
        context.actions[action.supplier_id].append(action)
    context.subtrees = subtrees
    context.periods = period_evaluations.load(session, evaluations)
    return context


def _short_period(period_type: str | None, year: int | None, index: int | None) -> str:
    if period_type == "half":
        return f"{year} H{index}"
    if period_type == "quarter":
        return f"{year} Q{index}"
    return str(year or "")


# --------------------------------------------------------------------------------------------- content


def _pick(pair: tuple[str, str], langs: Sequence[str]) -> str:
    return pair[0] if langs[0] == "zh" else pair[1]


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _certificate_status(expires_on: date | None, verified: bool, as_of: date, warning_days: int) -> str:
    if expires_on is not None and expires_on < as_of:
        return "expired"
    if not verified:
        return "pending"
    if expires_on is not None and expires_on <= as_of + timedelta(days=warning_days):
        return "expiring"
    return "valid"


def _action_status(action: CorrectiveAction, as_of: date) -> str:
    verified_on = action.verified_on
    if action.status == "verified" and verified_on is not None and verified_on <= as_of:
        return "verified"
    if action.due_on < as_of:
        return "overdue"
    return "submitted" if action.status == "submitted" else "open"


def _approvals(evaluation: Evaluation) -> list[EvaluationApproval]:
    return [a for a in evaluation.approvals if a.round == evaluation.round and a.decision == "approved"]


@dataclass(frozen=True)
class Scorecard:
    """A scorecard ready to render: the data, its canonical figures, their hash and the code."""

    evaluation_id: int
    supplier_id: int
    data: ScorecardData
    figures: dict
    content_sha256: str
    code: str


def build(
    evaluation: Evaluation,
    context: Context,
    settings: ScorecardSettings,
    langs: Sequence[str],
    generated_at: datetime,
) -> Scorecard:
    """Everything one scorecard prints; raises ScorecardUnavailable for a non-final evaluation."""
    if evaluation.status != "final" or not evaluation.result or not evaluation.snapshot:
        raise ScorecardUnavailable(f"evaluation {evaluation.id} is not final")
    result, snapshot = evaluation.result, evaluation.snapshot
    scheme = snapshot.get("scheme") or {}
    facts = snapshot.get("facts") or {}
    as_of = date.fromisoformat(snapshot["as_of"])
    supplier: Supplier = evaluation.supplier
    band = next((b for b in scheme.get("bands", []) if b.get("key") == result.get("band")), {})
    names = {d["key"]: d for d in scheme.get("dimensions", [])}
    dimensions = [
        DimensionScore(
            names.get(d["key"], {}).get("name_zh", d["key"]),
            names.get(d["key"], {}).get("name_en", d["key"]),
            d["score"],
            float(d["weight"]) / 100,
        )
        for d in result.get("dimension_scores", [])
    ]
    failed = [r for r in result.get("red_lines", []) if r.get("failed")]
    explanations = sorted(
        (e for e in result.get("explanations", [])), key=lambda e: (e.get("score", 0), e.get("criterion_key"))
    )
    text_key = "text_zh" if langs[0] == "zh" else "text_en"
    # Evidence as of the evaluation date, from the frozen facts.
    certificates = []
    for cert in facts.get("certificates", []):
        expires = date.fromisoformat(cert["expires_on"]) if cert.get("expires_on") else None
        name = SHORT_CERTIFICATE_NAMES.get(cert["cert_type"]) or tuple(
            reversed(CERTIFICATE_LABELS.get(cert["cert_type"], (cert["cert_type"], cert["cert_type"])))
        )
        certificates.append(
            CertificateLine(
                _pick(name, langs),
                cert.get("number") or "",
                expires,
                _certificate_status(expires, cert.get("verified", True), as_of, settings.warning_days),
            )
        )
    certificates.sort(key=lambda c: (c.status == "expired", c.type))
    pledges = []
    for pledge in facts.get("pledges", []):
        if pledge.get("refused") or not pledge.get("signed_on"):
            continue
        en, zh = PLEDGE_LABELS.get(pledge["kind"], (pledge["kind"], pledge["kind"]))
        pledges.append(PledgeLine(zh, en[:1].upper() + en[1:], date.fromisoformat(pledge["signed_on"])))
    pledges.sort(key=lambda p: p.signed_on or date.min, reverse=True)
    year_before = as_of - timedelta(days=365)
    hours = sum(
        float(t["hours"])
        for t in facts.get("trainings", [])
        if year_before < date.fromisoformat(t["held_on"]) <= as_of
    )
    subtree = context.subtrees.get(evaluation.id)
    incidents = [
        IncidentLine(i.occurred_on, i.category, " ".join(i.description.split())[:90], i.severity)
        for i in context.incidents.get(supplier.id, [])
        if year_before < i.occurred_on <= as_of and _inside(subtree, i.organisation_id)
    ]
    cutoff = _end_of_day(as_of)
    actions = []
    for action in context.actions.get(supplier.id, []):
        created = _aware(action.created_at)
        own = action.evaluation_id == evaluation.id
        if not own and (created is None or created >= cutoff or not _inside(subtree, action.organisation_id)):
            continue
        status = _action_status(action, as_of)
        if status != "verified" or own:
            actions.append(CorrectiveActionLine(" ".join(action.action.split())[:80], action.due_on, status))
    open_actions = sum(1 for a in actions if a.status != "verified")
    zone = settings.zone()
    approvals = [
        ApprovalLine(
            a.level,
            (a.approver.name or a.approver.email) if a.approver else "—",
            _aware(a.decided_at).astimezone(zone) if a.decided_at else None,
            a.decision,
        )
        for a in _approvals(evaluation)
    ]
    region = regions.get_region(supplier.region) if supplier.region in regions.REGION_KEYS else None
    province = regions.find_province(supplier.province_code) if supplier.province_code else None
    region_zh = " · ".join(
        x for x in ((region.name_zh if region else ""), province.name_zh if province else "") if x
    )
    region_en = " · ".join(
        x for x in ((region.name_en if region else ""), province.name_en if province else "") if x
    )
    if supplier.country and supplier.country != "CN" and not province:
        country = regions.country_name(supplier.country, langs[0]) or supplier.country
        region_zh = f"{region_zh} · {regions.country_name(supplier.country, 'zh') or supplier.country}"
        region_en = f"{region_en} · {regions.country_name(supplier.country, 'en') or country}"
    kind = (
        KIND_NAMES["admission"]
        if evaluation.kind == "admission"
        else KIND_NAMES.get(evaluation.period_type or "year", KIND_NAMES["year"])
    )
    category = evaluation.category
    categories = [_pick((c.name_zh, c.name_en), langs) for c in supplier.categories] or [
        _pick((category.name_zh, category.name_en), langs)
    ]
    percentile = context.percentiles.get(evaluation.id)
    identity = context.identities.get(evaluation.id) or {}
    name_zh = identity.get("supplier_name_zh") or supplier.name_zh
    name_en = identity.get("supplier_name_en") if "supplier_name_en" in identity else (supplier.name_en or "")
    code_printed = identity.get("credit_code") if "credit_code" in identity else supplier.credit_code
    status_key = identity.get("status") or supplier.status
    total = float(evaluation.total if evaluation.total is not None else result.get("total", 0))
    approvals_figures = [
        [a.level, a.approver, a.decided_at.isoformat() if a.decided_at else None] for a in approvals
    ]
    figures = {
        "format": FIGURES_FORMAT,
        "evaluation_id": evaluation.id,
        "kind": evaluation.kind,
        "period": _period_text(evaluation, "en"),
        "as_of": as_of.isoformat(),
        "supplier_id": supplier.id,
        "supplier_name_zh": name_zh,
        "supplier_name_en": name_en or "",
        "credit_code": code_printed,
        "category": category.code,
        "status": status_key,
        "total": total,
        "grade": result.get("band"),
        "grade_name_zh": band.get("name_zh", ""),
        "grade_name_en": band.get("name_en", ""),
        "percentile": percentile,
        "dimensions": [[d.name_zh, d.name_en, d.score, float(d.weight)] for d in dimensions],
        "red_flags": [r.get("key") for r in failed],
        "evidence": {
            "certificates": [
                [c.type, c.number, c.expires_on.isoformat() if c.expires_on else None, c.status]
                for c in certificates
            ],
            "pledges": [[p.kind_en, p.signed_on.isoformat() if p.signed_on else None] for p in pledges],
            "training_hours_12m": round(hours, 1),
            "open_corrective_actions": open_actions,
            "incidents": len(incidents),
        },
        "approvals": approvals_figures,
    }
    period = context.periods.get(evaluation.id)
    outcome = period_evaluations.outcome(period, context.reader.allows) if period else None
    if outcome is not None and outcome.count > 1:
        # Only when several organisations evaluated the period, so a scorecard of one evaluation keeps its code.
        figures["group_outcome"] = outcome.figures(evaluation.id)
    status = STATUS_NAMES.get(status_key, (status_key, status_key))
    digest = content_hash(figures)
    code = code_for(digest, settings.secret)
    data = ScorecardData(
        supplier_name_zh=name_zh,
        supplier_name_en=name_en or "",
        credit_code=code_printed,
        region_zh=region_zh or "—",
        region_en=region_en or "—",
        categories=tuple(categories),
        status_zh=status[0],
        status_en=status[1],
        kind_zh=kind[0],
        kind_en=kind[1],
        period=_period_text(evaluation, langs[0]),
        total=total,
        grade_name_zh=band.get("name_zh", result.get("band", "")),
        grade_name_en=band.get("name_en", result.get("band", "")),
        grade_colour=band.get("colour") or "#2f5d8a",
        percentile=percentile,
        dimensions=tuple(dimensions),
        trend=tuple(TrendPoint(p, t) for p, t in context.trends.get(evaluation.id, [])),
        red_flags=tuple(RedFlag(r.get("text_zh", ""), r.get("text_en", "")) for r in failed),
        explanation=tuple(e[text_key] for e in explanations[:EXPLANATION_LINES] if e.get(text_key)),
        certificates=tuple(certificates),
        pledges=tuple(pledges),
        training_hours_12m=round(hours, 1),
        open_corrective_actions=open_actions,
        corrective_actions=tuple(a for a in actions if a.status != "verified"),
        incidents=tuple(incidents),
        approvals=tuple(approvals),
        generated_at=generated_at.astimezone(zone),
        verification_code=display_code(code),
        verification_url=verification_url(settings, code),
        issuer=settings.issuer,
        **_period_fields(outcome, evaluation.id),
    )
    return Scorecard(evaluation.id, supplier.id, data, figures, digest, code)


def _period_fields(outcome: period_evaluations.PeriodOutcome | None, evaluation_id: int) -> dict:
    """The scorecard's "evaluations of the period" block: only when more than one organisation evaluated."""
    if outcome is None or outcome.count < 2:
        return {}
    level = period_evaluations.LEVEL_NAMES.get(outcome.governing_level, (outcome.governing_level,) * 2)
    return {
        "period_evaluations": tuple(
            PeriodEvaluationLine(
                e.organisation_zh, e.organisation_en, f"{e.scheme_zh} v{e.scheme_version}",
                f"{e.scheme_en} v{e.scheme_version}", e.total, e.grade_zh, e.grade_en, e.as_of, e.governs,
                e.evaluation_id == evaluation_id,
            )
            for e in outcome.shown
        ),
        "period_hidden": outcome.hidden,
        "governing_level_zh": level[0],
        "governing_level_en": level[1],
        "group_rule_zh": period_evaluations.RULE_TEXT[0],
        "group_rule_en": period_evaluations.RULE_TEXT[1],
    }


def render(scorecard: Scorecard, langs: Sequence[str], settings: ScorecardSettings) -> bytes:
    """The scorecard's PDF bytes."""
    from reports.scorecard import render_scorecard

    return render_scorecard(scorecard.data, langs, font_path=settings.font_path)


def record_issues(session: Session, scorecards: Iterable[Scorecard]) -> int:
    """Store the codes not stored yet (in the caller's transaction); returns how many were new.

    Two workers may issue the same code at once: a clash on the unique code is not an error."""
    wanted = {s.code: s for s in scorecards}
    if not wanted:
        return 0
    existing = set(session.scalars(select(ScorecardIssue.code).where(ScorecardIssue.code.in_(list(wanted)))))
    new = [s for code, s in wanted.items() if code not in existing]
    if not new:
        return 0
    try:
        with session.begin_nested():
            session.add_all([_issue(s) for s in new])
    except IntegrityError:
        added = 0
        for scorecard in new:
            try:
                with session.begin_nested():
                    session.add(_issue(scorecard))
                added += 1
            except IntegrityError:
                continue
        return added
    return len(new)


def _issue(scorecard: Scorecard) -> ScorecardIssue:
    return ScorecardIssue(
        code=scorecard.code,
        evaluation_id=scorecard.evaluation_id,
        supplier_id=scorecard.supplier_id,
        content_sha256=scorecard.content_sha256,
        figures=scorecard.figures,
    )


def now() -> datetime:
    """The generation time (UTC; printed in the settings' zone)."""
    return clock.now()


@dataclass(frozen=True)
class ScorecardFile:
    """One generated scorecard: its PDF, file name and code."""

    pdf: bytes
    filename: str
    code: str


def file_name(evaluation: Evaluation, language: str | None = None) -> str:
    """An ASCII file name: credit code (or S<supplier id>), evaluation id, period, and the language when
    one is given (the zh, en and bilingual versions of one scorecard must not share a name)."""
    who = evaluation.supplier.credit_code or f"S{evaluation.supplier_id}"
    period = _period_text(evaluation, "en").replace(" ", "") or "admission"
    suffix = f"-{LANGUAGE_TAGS.get(language, language)}" if language else ""
    return f"scorecard-{who}-{period}-E{evaluation.id}{suffix}.pdf"


#: The language part of a download's file name.
LANGUAGE_TAGS = {"zh": "zh", "en": "en", "both": "zh-en"}


def scorecard_pdf(
    session: Session, evaluation_id: int, language: str, settings: ScorecardSettings
) -> ScorecardFile:
    """Generate one evaluation's scorecard and store its verification code (caller commits).

    Raises ScorecardUnavailable for an unknown or non-final evaluation."""
    langs = LANGUAGE_CHOICES.get(language or "both")
    if langs is None:
        raise ScorecardUnavailable(f"unknown language {language!r}")
    evaluations = load_evaluations(session, [evaluation_id])
    if not evaluations:
        raise ScorecardUnavailable(f"no evaluation {evaluation_id}")
    evaluation = evaluations[0]
    scorecard = build(evaluation, load_context(session, evaluations), settings, langs, now())
    pdf = render(scorecard, langs, settings)
    record_issues(session, [scorecard])
    return ScorecardFile(pdf, file_name(evaluation, language or "both"), scorecard.code)


# --------------------------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Verification:
    """The answer of the verification page."""

    code: str  # as typed
    verified: bool
    reason: str  # "ok", "malformed", "unknown", "tampered", "changed"
    issue: ScorecardIssue | None = None
    figures: dict | None = None


def verify(session: Session, text: str | None) -> Verification:
    """Look a code up and check the stored figures against their hash and the evaluation's record.

    Public: the answer is the same for everyone, whatever organisation scope the session has (a subsidiary's
    buyer checking a scorecard another subsidiary issued gets the answer anyone holding it gets).
    """
    code = normalise_code(text)
    if code is None:
        return Verification(text or "", False, "malformed")
    with scope.whole_group(session):
        return _verify(session, code)


def _verify(session: Session, code: str) -> Verification:
    issue = session.scalar(select(ScorecardIssue).where(ScorecardIssue.code == code))
    if issue is None:
        return Verification(display_code(code), False, "unknown")
    if content_hash(issue.figures) != issue.content_sha256:
        return Verification(display_code(code), False, "tampered", issue, issue.figures)
    evaluation = session.get(Evaluation, issue.evaluation_id)
    figures = issue.figures
    if (
        evaluation is None
        or evaluation.status != "final"
        or evaluation.total is None
        or round(float(evaluation.total), 6) != round(float(figures.get("total", -1)), 6)
        or (evaluation.result or {}).get("band") != figures.get("grade")
    ):
        return Verification(display_code(code), False, "changed", issue, figures)
    newer = session.scalar(
        select(ScorecardIssue.id)
        .where(ScorecardIssue.evaluation_id == issue.evaluation_id, ScorecardIssue.id > issue.id)
        .limit(1)
    )
    if newer is not None:
        # One evaluation has one current code: a scorecard printed again with other figures (a later
        # percentile, say) replaces the earlier one.
        return Verification(display_code(code), False, "superseded", issue, figures)
    return Verification(display_code(code), True, "ok", issue, figures)
