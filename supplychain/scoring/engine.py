"""The scoring engine: scheme + supplier facts + manual scores + as-of date -> ScoreResult.

Pure and deterministic: no Flask, no session, no clock. Arithmetic is exact: weights and
manual scores are taken at their written value (floats via their shortest repr, 85.3 is
85.3) and computed as scaled integers, so no binary rounding error can move a total across a
band edge. Evidence scores that are proportional are rounded to one decimal before weighting;
only the published figures are rounded, half up (as Decimal ROUND_HALF_UP): the total and the
dimension scores to one decimal, each criterion's points to two. The grade is looked up with
the rounded total, so the grade always agrees with the figure on the scorecard.

Missing manual scores are an error, not a zero: :func:`score` raises
:class:`MissingManualScoresError` listing every missing criterion (also available beforehand
from :func:`missing_manual_criteria`), so an incomplete evaluation can never produce figures.

A scheme is validated and compiled once (cached on the scheme object); scoring a supplier
then only walks the compiled rules, and explanation lines already built for the same score
and reason are reused (they are immutable), which keeps 100,000 suppliers well under a minute.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from supplychain import screening_lists

from . import model as m
from .facts import (
    CERTIFICATE_LABELS,
    INCIDENT_CATEGORIES,
    INCIDENT_CATEGORY_LABELS,
    PLEDGE_LABELS,
    SAQ_THEME_LABELS,
    SEVERITY_RANK,
    CertificateFact,
    PledgeFact,
    SupplierFacts,
)
from .validation import SchemeError, parse_manual_score, to_decimal, validate_scheme

_FULL = 1000  # 100 points, in tenths: evidence rules score in tenths of a point
_MEMO_SIZE = 4096  # explanation lines remembered per criterion (see _CriterionPlan.memo)
_MAJOR = SEVERITY_RANK["major"]
_CRITICAL = SEVERITY_RANK["critical"]


class ScoringError(ValueError):
    """Base class of the errors :func:`score` raises on unusable input."""


class InvalidSchemeError(ScoringError):
    """The scheme fails :func:`validate_scheme`; ``errors`` lists every problem."""

    def __init__(self, errors: list[SchemeError]):
        self.errors = tuple(errors)
        super().__init__("invalid scheme: " + "; ".join(str(e) for e in errors))


class MissingManualScoresError(ScoringError):
    """Some manual criteria have no score; ``criteria`` lists their keys in scheme order."""

    def __init__(self, criteria: tuple[str, ...]):
        self.criteria = criteria
        super().__init__("missing manual scores: " + ", ".join(criteria))


class InvalidManualScoreError(ScoringError):
    """A manual score is not a number from 0 to 100; ``code`` is the parse_manual_score error code."""

    def __init__(self, criterion_key: str, code: str):
        self.criterion_key = criterion_key
        self.code = code
        super().__init__(f"invalid manual score for {criterion_key}: {code}")


class ExplanationLine(NamedTuple):
    """Why one criterion scored what it did: 0-100 ``score`` and ``points`` added to the total."""

    criterion_key: str
    dimension_key: str
    kind: str
    score: float
    points: float
    text_en: str
    text_zh: str


class DimensionScore(NamedTuple):
    """A dimension's 0-100 score (one decimal) and its weighted ``points`` in the total."""

    key: str
    name_zh: str
    name_en: str
    weight: float
    score: float
    points: float


class RedLineOutcome(NamedTuple):
    """The outcome of one red line, failed or not, with a bilingual explanation."""

    key: str
    kind: str
    failed: bool
    social: bool
    text_en: str
    text_zh: str


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """The evaluation figures: total, dimensions, grade, red lines and one line per criterion.

    ``band`` is the grade awarded (the lowest band when a red line failed); ``score_band`` is
    the band the total alone would earn. ``passed`` is False when a red line failed or the
    grade is the lowest band.
    """

    scheme_code: str
    scheme_version: int
    as_of: date
    total: float
    band: m.GradeBand
    score_band: m.GradeBand
    passed: bool
    red_lines_failed: tuple[str, ...]
    dimension_scores: tuple[DimensionScore, ...]
    explanations: tuple[ExplanationLine, ...]
    red_lines: tuple[RedLineOutcome, ...]

    @property
    def social_non_compliance(self) -> bool:
        """True when a failed red line counts as social/environmental/ethical non-compliance (KPI table)."""
        return any(o.failed and o.social for o in self.red_lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the figures as JSON-safe plain data."""
        return {
            "scheme_code": self.scheme_code,
            "scheme_version": self.scheme_version,
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            "band": self.band.key,
            "score_band": self.score_band.key,
            "passed": self.passed,
            "social_non_compliance": self.social_non_compliance,
            "red_lines_failed": list(self.red_lines_failed),
            "dimension_scores": [
                {
                    "key": d.key,
                    "name_zh": d.name_zh,
                    "name_en": d.name_en,
                    "weight": d.weight,
                    "score": d.score,
                    "points": d.points,
                }
                for d in self.dimension_scores
            ],
            "explanations": [
                {
                    "criterion_key": e.criterion_key,
                    "dimension_key": e.dimension_key,
                    "kind": e.kind,
                    "score": e.score,
                    "points": e.points,
                    "text_en": e.text_en,
                    "text_zh": e.text_zh,
                }
                for e in self.explanations
            ],
            "red_lines": [
                {
                    "key": o.key,
                    "kind": o.kind,
                    "failed": o.failed,
                    "social": o.social,
                    "text_en": o.text_en,
                    "text_zh": o.text_zh,
                }
                for o in self.red_lines
            ],
        }


# ---------------------------------------------------------------------------------------------
# Dates and labels


@functools.lru_cache(maxsize=4096)
def months_before(day: date, months: int) -> date:
    """Return the same day ``months`` earlier, clamped to the month's end (29 Feb -> 28 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def _in_window(day: date | None, start: date, as_of: date) -> bool:
    """Windows are "the last N months/years": after ``start``, up to and including ``as_of``."""
    return day is not None and start < day <= as_of


def scaled(value: Any) -> tuple[int, int]:
    """Exact digits and decimal places of a finite number: 85.25 -> (8525, 2), 7 -> (7, 0).

    Floats are read through their shortest repr, i.e. as the decimal the user typed.
    """
    if type(value) is int:
        return value, 0
    text = repr(value) if isinstance(value, float) else str(value)
    if "e" in text or "E" in text:
        sign, digits, exponent = Decimal(text).as_tuple()
        number = int("".join(map(str, digits)))
        number = -number if sign else number
        if exponent >= 0:  # type: ignore[operator]
            return number * 10**exponent, 0  # type: ignore[operator]
        return number, -exponent  # type: ignore[operator]
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    return int(whole + fraction), len(fraction)


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for numerator >= 0 and denominator > 0."""
    return (2 * numerator + denominator) // (2 * denominator)


def _plain(number: int, places: int) -> str:
    """A non-negative scaled integer as plain text without trailing zeros: 100, 85.5, 7.25."""
    if places == 0:
        return str(number)
    whole, fraction = divmod(number, 10**places)
    if fraction == 0:
        return str(whole)
    return f"{whole}.{fraction:0{places}d}".rstrip("0")


def _cents(number: int) -> str:
    """Hundredths as text with two decimals: 2550 -> 25.50."""
    whole, fraction = divmod(number, 100)
    return f"{whole}.{fraction:02d}"


def _label(labels: Mapping[str, tuple[str, str]], code: str) -> tuple[str, str]:
    return labels.get(code, (code, code))


def _categories_label(categories: tuple[str, ...]) -> tuple[str, str]:
    if set(categories) >= set(INCIDENT_CATEGORIES):
        return "", ""
    en = "/".join(INCIDENT_CATEGORY_LABELS[c][0] for c in categories) + " "
    zh = "/".join(INCIDENT_CATEGORY_LABELS[c][1] for c in categories)
    return en, zh


def _years_en(years: int) -> str:
    return "year" if years == 1 else f"{years} years"


def _incident_scope(params: Mapping[str, Any]) -> tuple[int, frozenset[str], str, str, str]:
    """An incident rule's window in years, the categories it counts, their labels (en, zh) and the span in English."""
    years = params["years"]
    categories = tuple(params.get("categories") or INCIDENT_CATEGORIES)
    cat_en, cat_zh = _categories_label(categories)
    return years, frozenset(categories), cat_en, cat_zh, _years_en(years)


# ---------------------------------------------------------------------------------------------
# Shared fact checks


def _certificate_status(
    facts: SupplierFacts, cert_type: str, as_of: date, require_verified: bool
) -> tuple[str, CertificateFact | None, date | None]:
    """Return (status, valid certificate, latest expiry).

    Status is valid, unverified, expired or missing (the first that applies). A certificate
    issued after the as-of date did not exist then and is ignored.
    """
    valid: CertificateFact | None = None
    unverified = False
    expired_on: date | None = None
    for cert in facts.certificates:
        if cert.cert_type != cert_type:
            continue
        if cert.issued_on is not None and cert.issued_on > as_of:
            continue
        if cert.expires_on is not None and cert.expires_on < as_of:
            if expired_on is None or cert.expires_on > expired_on:
                expired_on = cert.expires_on
        elif require_verified and not cert.verified:
            unverified = True
        elif valid is None or (
            valid.expires_on is not None and (cert.expires_on is None or cert.expires_on > valid.expires_on)
        ):
            valid = cert
    if valid is not None:
        return "valid", valid, None
    if unverified:
        return "unverified", None, None
    if expired_on is not None:
        return "expired", None, expired_on
    return "missing", None, None


def _certificate_text(
    status: str, cert_type: str, cert: CertificateFact | None, expired_on: date | None, as_of_iso: str
) -> tuple[str, str]:
    en, zh = _label(CERTIFICATE_LABELS, cert_type)
    if status == "valid":
        assert cert is not None
        number_en = f", no. {cert.number}" if cert.number else ""
        number_zh = f"，编号 {cert.number}" if cert.number else ""
        if cert.expires_on is None:
            return (
                f"valid {en} on {as_of_iso}{number_en}, no expiry date",
                f"{as_of_iso} 持有有效{zh}{number_zh}，长期有效",
            )
        expiry = cert.expires_on.isoformat()
        return (
            f"valid {en} on {as_of_iso}{number_en}, expires {expiry}",
            f"{as_of_iso} 持有有效{zh}{number_zh}，有效期至 {expiry}",
        )
    if status == "unverified":
        return f"{en} not verified", f"{zh}尚未核验"
    if status == "expired":
        expiry = expired_on.isoformat() if expired_on else ""
        return f"{en} expired on {expiry}", f"{zh}已于 {expiry} 过期"
    return f"no {en} on file", f"未提供{zh}"


def _pledge_status(
    facts: SupplierFacts, kind: str, as_of: date
) -> tuple[str, PledgeFact | None, date | None]:
    """Return (status, valid pledge, latest expiry); status signed/refused/expired/missing.

    A signature valid on the day wins over an earlier refusal (the supplier changed its mind).
    """
    valid: PledgeFact | None = None
    refused = False
    expired_on: date | None = None
    for pledge in facts.pledges:
        if pledge.kind != kind:
            continue
        if pledge.refused:
            if pledge.refused_on is None or pledge.refused_on <= as_of:
                refused = True
            continue
        if pledge.signed_on is None or pledge.signed_on > as_of:
            continue
        if pledge.valid_until is not None and pledge.valid_until < as_of:
            if expired_on is None or pledge.valid_until > expired_on:
                expired_on = pledge.valid_until
            continue
        if valid is None or pledge.signed_on > valid.signed_on:  # type: ignore[operator]
            valid = pledge
    if valid is not None:
        return "signed", valid, None
    if refused:
        return "refused", None, None
    if expired_on is not None:
        return "expired", None, expired_on
    return "missing", None, None


def _pledge_text(
    status: str, kind: str, pledge: PledgeFact | None, expired_on: date | None
) -> tuple[str, str]:
    en, zh = _label(PLEDGE_LABELS, kind)
    if status == "signed":
        assert pledge is not None and pledge.signed_on is not None
        signed = pledge.signed_on.isoformat()
        if pledge.valid_until is None:
            return f"{en} signed on {signed}", f"已于 {signed} 签署{zh}"
        until = pledge.valid_until.isoformat()
        return (f"{en} signed on {signed}, valid until {until}", f"已于 {signed} 签署{zh}，有效期至 {until}")
    if status == "refused":
        return f"refused to sign the {en}", f"拒绝签署{zh}"
    if status == "expired":
        expiry = expired_on.isoformat() if expired_on else ""
        return f"{en} expired on {expiry}", f"{zh}已于 {expiry} 到期"
    return f"{en} not signed", f"未签署{zh}"


def _licence_check(facts: SupplierFacts, as_of: date, require_verified: bool) -> tuple[int, list[str]]:
    """Return (number of required licence types, the types without a valid certificate)."""
    required = list(dict.fromkeys(facts.required_licences))
    missing = [t for t in required if _certificate_status(facts, t, as_of, require_verified)[0] != "valid"]
    return len(required), missing


def _incidents(
    facts: SupplierFacts, categories: frozenset[str], min_rank: int, start: date, as_of: date
) -> list:
    return [
        i
        for i in facts.incidents
        if i.category in categories
        and SEVERITY_RANK.get(i.severity, -1) >= min_rank
        and _in_window(i.occurred_on, start, as_of)
    ]


# ---------------------------------------------------------------------------------------------
# Evidence criteria: each factory takes the criterion params and returns
# rule(facts, as_of, as_of_iso) -> (score in tenths 0..1000, reason_en, reason_zh).

Rule = Callable[[SupplierFacts, date, str], tuple[int, str, str]]
RedLineRule = Callable[[SupplierFacts, date, str], tuple[bool, str, str]]


def _certificate_valid(params: Mapping[str, Any]) -> Rule:
    """DOMAIN "Admission review": QHSE certificates (ISO 9001/14001/45001) required; 100 if valid, else 0."""
    cert_type = params["cert_type"]
    require_verified = params.get("require_verified", True)

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[int, str, str]:
        status, cert, expired_on = _certificate_status(facts, cert_type, as_of, require_verified)
        en, zh = _certificate_text(status, cert_type, cert, expired_on, as_of_iso)
        return (_FULL if status == "valid" else 0), en, zh

    return rule


def _licences_valid(params: Mapping[str, Any]) -> Rule:
    """DOMAIN "Admission review": production licence and qualifications; percent of required ones valid."""
    require_verified = params.get("require_verified", True)

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[int, str, str]:
        count, missing = _licence_check(facts, as_of, require_verified)
        if count == 0:
            return _FULL, "no licence required for the categories supplied", "所供品类无须许可证"
        valid = count - len(missing)
        value = _half_up(valid * _FULL, count)
        en = f"{valid} of {count} required licences valid on {as_of_iso}"
        zh = f"{as_of_iso} 必备许可证有效 {valid}/{count} 项"
        if missing:
            en += "; missing or invalid: " + ", ".join(_label(CERTIFICATE_LABELS, t)[0] for t in missing)
            zh += "；缺少或无效：" + "、".join(_label(CERTIFICATE_LABELS, t)[1] for t in missing)
        return value, en, zh

    return rule


def _pledge_signed(params: Mapping[str, Any]) -> Rule:
    """DOMAIN "Evidence tracked per supplier": integrity pledges; 100 if a signature is in force, else 0."""
    kind = params["pledge_kind"]

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[int, str, str]:
        status, pledge, expired_on = _pledge_status(facts, kind, as_of)
        en, zh = _pledge_text(status, kind, pledge, expired_on)
        return (_FULL if status == "signed" else 0), en, zh

    return rule


def _training_hours(params: Mapping[str, Any]) -> Rule:
    """DOMAIN "ESG training of suppliers": hours in the last 12 months / target hours, capped at 100."""
    target, target_places = scaled(params["hours"])
    months = params.get("months", 12)
    target_text = _plain(target, target_places)

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[int, str, str]:
        start = months_before(as_of, months)
        total, places = 0, 0  # exact sum of hours, as total / 10**places
        for training in facts.trainings:
            if _in_window(training.held_on, start, as_of) and to_decimal(training.hours) is not None:
                number, digits = scaled(training.hours)
                if number <= 0:
                    continue  # a negative duration is a data error, not a deduction
                if digits > places:
                    total *= 10 ** (digits - places)
                    places = digits
                total += number * 10 ** (places - digits)
        value = min(_FULL, _half_up(total * 10**target_places * _FULL, target * 10**places))
        hours = _plain(total, places)
        return (
            value,
            f"{hours} h of training in the {months} months to {as_of_iso} (target {target_text} h)",
            f"截至 {as_of_iso} 的 {months} 个月内培训 {hours} 小时（目标 {target_text} 小时）",
        )

    return rule


def _no_major_incident(params: Mapping[str, Any]) -> Rule:
    """DOMAIN "Incidents and corrective actions": no major/critical incident in the last N years; 100 or 0."""
    years, wanted, cat_en, cat_zh, span_en = _incident_scope(params)

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[int, str, str]:
        hits = _incidents(facts, wanted, _MAJOR, months_before(as_of, 12 * years), as_of)
        if not hits:
            return (
                _FULL,
                f"no major {cat_en}incident in the {span_en} to {as_of_iso}",
                f"截至 {as_of_iso} 的 {years} 年内无重大{cat_zh}事件",
            )
        latest = max(i.occurred_on for i in hits).isoformat()
        return (
            0,
            f"{len(hits)} major or critical {cat_en}incident(s) in the {span_en} to {as_of_iso}, "
            f"latest on {latest}",
            f"截至 {as_of_iso} 的 {years} 年内发生 {len(hits)} 起重大及以上{cat_zh}事件，最近一起在 {latest}",
        )

    return rule


def _saq_theme(params: Mapping[str, Any]) -> Rule:
    """Issue 4: the supplier self-assessment theme score (0-100, clamped); 0 while unanswered."""
    theme = params["theme"]
    # The section in words, never its key (issue 13, D8).
    theme_en, theme_zh = _label(SAQ_THEME_LABELS, theme)

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[int, str, str]:
        raw = facts.saq_theme_scores.get(theme)
        if to_decimal(raw) is None:
            return (
                0,
                f"self-assessment section '{theme_en}' not answered",
                f"自评问卷“{theme_zh}”部分未作答",
            )
        number, places = scaled(raw)
        value = min(_FULL, _half_up(number * 10, 10**places)) if number > 0 else 0
        text = _plain(value, 1)
        return (value, f"self-assessment section '{theme_en}' scored {text}",
                f"自评问卷“{theme_zh}”部分得分 {text}")

    return rule


def _no_open_major_finding(params: Mapping[str, Any]) -> Rule:
    """Issue 11, audits: no major or critical audit finding open on the day (found, not yet resolved); 100 or 0."""

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[int, str, str]:
        still_open = [f for f in facts.findings
                      if SEVERITY_RANK.get(f.severity, -1) >= _MAJOR and f.found_on <= as_of
                      and (f.resolved_on is None or f.resolved_on > as_of)]
        if not still_open:
            return _FULL, f"no major audit finding open on {as_of_iso}", f"截至 {as_of_iso} 无未关闭的重大审核发现"
        oldest = min(f.found_on for f in still_open).isoformat()
        return (
            0,
            f"{len(still_open)} major or critical audit finding(s) open on {as_of_iso}, the oldest found on {oldest}",
            f"截至 {as_of_iso} 有 {len(still_open)} 项重大及以上审核发现未关闭，最早发现于 {oldest}",
        )

    return rule


def _last_audit_score(params: Mapping[str, Any]) -> Rule:
    """Issue 11, audits: the checklist score (0-100) of the last audit held on or before the day, within the
    last ``months`` months when given; 0 without one."""
    months = params.get("months")
    window_en = f" in the {months} months" if months else ""
    window_zh = f" {months} 个月内" if months else ""

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[int, str, str]:
        start = months_before(as_of, months) if months else date.min
        held = [a for a in facts.audits if _in_window(a.held_on, start, as_of) and to_decimal(a.score) is not None]
        if not held:
            return (0, f"no audit with a checklist score{window_en} to {as_of_iso}",
                    f"截至 {as_of_iso}{window_zh}无有评分的审核")
        last = max(held, key=lambda a: a.held_on)
        number, places = scaled(last.score)
        value = max(0, min(_FULL, _half_up(number * 10, 10**places)))
        text = _plain(value, 1)
        held_on = last.held_on.isoformat()
        return value, f"last audit on {held_on} scored {text}", f"最近一次审核（{held_on}）得分 {text}"

    return rule


def _rate_score(rate: Fraction, full_at: Fraction, zero_at: Fraction) -> int:
    """The documented mapping of a rate (percent) to 0-100, in tenths: 100 at or above ``full_at``, 0 at or
    below ``zero_at``, a straight line between (rounded half up to a tenth)."""
    if rate >= full_at:
        return _FULL
    if rate <= zero_at:
        return 0
    value = (rate - zero_at) * _FULL / (full_at - zero_at)
    return _half_up(value.numerator, value.denominator)


def _percent_text(value: Fraction) -> str:
    """A rate in percent with one decimal, half up: 19/20 -> 95.0."""
    tenths = _half_up((value * 10).numerator, (value * 10).denominator)
    return f"{tenths // 10}.{tenths % 10}"


def _exact(value: Any) -> Fraction:
    number, places = scaled(value)
    return Fraction(number, 10**places)


def _receipt_rate(kind: str) -> Callable[[Mapping[str, Any]], Rule]:
    """Issue 10 / DOMAIN "Periodic evaluation": delivery performance and product quality from purchase receipts.

    On-time delivery rate: receipt lines received on or before their due date / receipt lines; acceptance
    rate: quantity accepted / quantity received; both over the lines received in the last ``months``
    months. With fewer than ``min_lines`` lines the rule has no data and returns None: the engine then
    uses the evaluator's score (``manual_fallback``) or scores 0.
    """

    def factory(params: Mapping[str, Any]) -> Rule:
        full_at, zero_at = _exact(params["full_at"]), _exact(params["zero_at"])
        months = params.get("months", 12)
        min_lines = params.get("min_lines", 1)
        scale_en = f"100 at ≥ {_plain(*scaled(params['full_at']))} %, 0 at ≤ {_plain(*scaled(params['zero_at']))} %"
        scale_zh = f"≥ {_plain(*scaled(params['full_at']))}% 得 100，≤ {_plain(*scaled(params['zero_at']))}% 得 0"

        def rule(facts: SupplierFacts, as_of: date, as_of_iso: str):
            start = months_before(as_of, months)
            lines = on_time = 0
            received = accepted = Fraction(0)
            for delivery in facts.deliveries:
                if _in_window(delivery.received_on, start, as_of):
                    lines += delivery.lines
                    on_time += delivery.on_time_lines
                    received += _exact(delivery.quantity_received)
                    accepted += _exact(delivery.quantity_accepted)
            if lines < min_lines or (kind == m.ACCEPTANCE_RATE and received <= 0):
                return None
            window_en = f"in the {months} months to {as_of_iso}"
            window_zh = f"截至 {as_of_iso} 的 {months} 个月内"
            if kind == m.ON_TIME_DELIVERY_RATE:
                rate = Fraction(100 * on_time, lines)
                en = (f"on-time delivery {_percent_text(rate)} % ({on_time} of {lines} receipt lines received on or "
                      f"before the due date {window_en}; {scale_en})")
                zh = (f"{window_zh}准时交付率 {_percent_text(rate)}%"
                      f"（{lines} 行收货中 {on_time} 行在到期日当天或之前收到；{scale_zh}）")
            else:
                rate = 100 * accepted / received
                en = (f"acceptance {_percent_text(rate)} % ({_number_text(accepted)} of {_number_text(received)} "
                      f"received accepted at inspection, {lines} receipt lines {window_en}; {scale_en})")
                zh = (f"{window_zh}验收合格率 {_percent_text(rate)}%（收货 {_number_text(received)}，合格 "
                      f"{_number_text(accepted)}，共 {lines} 行；{scale_zh}）")
            return _rate_score(rate, full_at, zero_at), "from receipt data: " + en, "按收货数据：" + zh

        rule.no_data_text = (  # type: ignore[attr-defined]
            f"no receipt data in the {months} months to {{as_of}}",
            f"截至 {{as_of}} 的 {months} 个月内无收货数据",
        )
        return rule

    return factory


def _number_text(value: Fraction) -> str:
    """An exact quantity (at most three decimals from the data) as plain text."""
    number = value * 1000
    thousandths = number.numerator // number.denominator
    return _plain(thousandths, 3)


_RULES: dict[str, Callable[[Mapping[str, Any]], Rule]] = {
    m.CERTIFICATE_VALID: _certificate_valid,
    m.LICENCES_VALID: _licences_valid,
    m.PLEDGE_SIGNED: _pledge_signed,
    m.TRAINING_HOURS: _training_hours,
    m.NO_MAJOR_INCIDENT: _no_major_incident,
    m.SAQ_THEME: _saq_theme,
    m.ON_TIME_DELIVERY_RATE: _receipt_rate(m.ON_TIME_DELIVERY_RATE),
    m.ACCEPTANCE_RATE: _receipt_rate(m.ACCEPTANCE_RATE),
    m.NO_OPEN_MAJOR_FINDING: _no_open_major_finding,
    m.LAST_AUDIT_SCORE: _last_audit_score,
}


# ---------------------------------------------------------------------------------------------
# Red lines: each factory returns rule(facts, as_of, as_of_iso) -> (failed, reason_en, reason_zh).


def _dishonest_list(params: Mapping[str, Any]) -> RedLineRule:
    """DOMAIN "Admission review": must not be on the national list of seriously dishonest enterprises, nor on
    another red-line screening list (dishonest judgment debtors, wage arrears, safety production, sanctions, a
    red or black environmental credit rating; issue 11)."""

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[bool, str, str]:
        # Issue 11: every red-line screening list counts; snapshots from before it only know the national list.
        if facts.screening_listings and tuple(facts.screening_listings) != ("serious_dishonesty",):
            labels = [screening_lists.BY_CODE[code].labels if code in screening_lists.BY_CODE else (code, code)
                      for code in facts.screening_listings]
            return (True, "listed on a red-line screening list: " + ", ".join(en for en, _zh in labels),
                    "已列入红线筛查名单：" + "、".join(zh for _en, zh in labels))
        if facts.on_dishonest_list or facts.screening_listings:
            return True, "on the national list of seriously dishonest enterprises", "已列入严重违法失信名单"
        return False, "not on the national list of seriously dishonest enterprises", "未列入严重违法失信名单"

    return rule


def _principal_bribery(params: Mapping[str, Any]) -> RedLineRule:
    """DOMAIN "Admission review": its principal must have no bribery conviction."""

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[bool, str, str]:
        if facts.principal_bribery_conviction:
            return True, "the principal has a bribery conviction", "负责人有行贿犯罪记录"
        return False, "no bribery conviction of the principal", "负责人无行贿犯罪记录"

    return rule


def _blacklisted(params: Mapping[str, Any]) -> RedLineRule:
    """DOMAIN "Exit": blacklisted suppliers are terminated and not admitted again."""

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[bool, str, str]:
        if facts.blacklisted:
            return True, "the supplier is blacklisted", "已列入供应商黑名单"
        return False, "not blacklisted", "未列入供应商黑名单"

    return rule


def _missing_licence(params: Mapping[str, Any]) -> RedLineRule:
    """DOMAIN "Admission review": production licence / qualifications required for the categories supplied."""
    require_verified = params.get("require_verified", True)

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[bool, str, str]:
        count, missing = _licence_check(facts, as_of, require_verified)
        if missing:
            return (
                True,
                f"required licence missing or invalid on {as_of_iso}: "
                + ", ".join(_label(CERTIFICATE_LABELS, t)[0] for t in missing),
                f"{as_of_iso} 缺少或无有效的必备许可证："
                + "、".join(_label(CERTIFICATE_LABELS, t)[1] for t in missing),
            )
        if count == 0:
            return False, "no licence required for the categories supplied", "所供品类无须许可证"
        return False, f"all required licences valid on {as_of_iso}", f"{as_of_iso} 必备许可证均有效"

    return rule


def _pledge_refused(params: Mapping[str, Any]) -> RedLineRule:
    """DOMAIN "Admission review": it must sign the integrity pledge; refusing is a knock-out."""
    kind = params["pledge_kind"]
    require_signed = params.get("require_signed", False)

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[bool, str, str]:
        status, pledge, expired_on = _pledge_status(facts, kind, as_of)
        en, zh = _pledge_text(status, kind, pledge, expired_on)
        return status == "refused" or (require_signed and status != "signed"), en, zh

    return rule


def _critical_incident(params: Mapping[str, Any]) -> RedLineRule:
    """DOMAIN "Exit": labour, environmental or bribery misconduct; a critical incident in the last N years."""
    years, wanted, cat_en, cat_zh, span_en = _incident_scope(params)

    def rule(facts: SupplierFacts, as_of: date, as_of_iso: str) -> tuple[bool, str, str]:
        hits = _incidents(facts, wanted, _CRITICAL, months_before(as_of, 12 * years), as_of)
        if not hits:
            return (
                False,
                f"no critical {cat_en}incident in the {span_en} to {as_of_iso}",
                f"截至 {as_of_iso} 的 {years} 年内无特别重大{cat_zh}事件",
            )
        latest = max(i.occurred_on for i in hits).isoformat()
        return (
            True,
            f"critical {cat_en}incident on {latest}, within the {span_en} to {as_of_iso}",
            f"{latest} 发生特别重大{cat_zh}事件（截至 {as_of_iso} 的 {years} 年内）",
        )

    return rule


_RED_LINE_RULES: dict[str, Callable[[Mapping[str, Any]], RedLineRule]] = {
    m.DISHONEST_LIST: _dishonest_list,
    m.PRINCIPAL_BRIBERY: _principal_bribery,
    m.BLACKLISTED: _blacklisted,
    m.MISSING_LICENCE: _missing_licence,
    m.PLEDGE_REFUSED: _pledge_refused,
    m.CRITICAL_INCIDENT: _critical_incident,
}


# ---------------------------------------------------------------------------------------------
# Compiled plan


@dataclass(frozen=True, slots=True)
class _CriterionPlan:
    criterion: m.Criterion
    dimension_key: str
    weight: int  # share within the dimension, percent x 10**weight_places
    dimension_weight: int
    weight_places: int
    rule: Rule | None  # None for manual criteria
    name_en: str
    name_zh: str
    fallback: bool  # scored by the evaluator when the rule has no data (receipt rates)
    # Explanation lines already built, by (score, places, reasons): 100,000 suppliers share few
    # distinct lines, so building each once is what keeps scoring fast. Bounded by _MEMO_SIZE.
    memo: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class _DimensionPlan:
    dimension: m.Dimension
    weight: int  # share of the total, percent x 10**weight_places
    criteria: tuple[_CriterionPlan, ...]
    memo: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class _RedLinePlan:
    red_line: m.RedLine
    rule: RedLineRule
    name_en: str
    name_zh: str
    memo: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class _Plan:
    dimensions: tuple[_DimensionPlan, ...]
    weight_places: int  # every weight is an integer number of 10**-weight_places percent
    manual_keys: tuple[str, ...]
    fallbacks: tuple[_CriterionPlan, ...]  # evidence criteria scored by hand when they have no data
    scorable_keys: tuple[str, ...]  # manual and fallback criteria, in scheme order
    red_lines: tuple[_RedLinePlan, ...]
    bands_desc: tuple[tuple[int, m.GradeBand], ...]  # (lowest total in tenths, band), best first
    lowest: m.GradeBand


def _names(obj: Any) -> tuple[str, str]:
    en = obj.name_en or obj.name_zh or obj.key
    zh = obj.name_zh or obj.name_en or obj.key
    return en, zh


def compile_scheme(scheme: m.Scheme) -> _Plan:
    """Validate a scheme and precompute its weights and rules; raises InvalidSchemeError."""
    errors = validate_scheme(scheme)
    if errors:
        raise InvalidSchemeError(errors)
    weights = [scaled(d.weight) for d in scheme.dimensions]
    weights += [scaled(c.weight) for _, c in scheme.criteria()]
    places = max(p for _, p in weights)

    def weight(value: Any) -> int:
        number, digits = scaled(value)
        return number * 10 ** (places - digits)

    dimensions = []
    manual_keys = []
    for dimension in scheme.dimensions:
        criteria = []
        for criterion in dimension.criteria:
            if criterion.kind == m.MANUAL:
                rule = None
                manual_keys.append(criterion.key)
            else:
                rule = _RULES[criterion.kind](criterion.params)
            criteria.append(
                _CriterionPlan(
                    criterion,
                    dimension.key,
                    weight(criterion.weight),
                    weight(dimension.weight),
                    places,
                    rule,
                    *_names(criterion),
                    m.has_manual_fallback(criterion),
                )
            )
        dimensions.append(_DimensionPlan(dimension, weight(dimension.weight), tuple(criteria)))
    red_lines = tuple(
        _RedLinePlan(r, _RED_LINE_RULES[r.kind](r.params), *_names(r)) for r in scheme.red_lines
    )
    bands = []
    for band in scheme.bands:
        number, digits = scaled(band.min_score)
        bands.append((-((-number * 10) // 10**digits), band))  # ceil(min_score x 10)
    bands.sort(key=lambda pair: pair[0], reverse=True)
    return _Plan(
        dimensions=tuple(dimensions),
        weight_places=places,
        manual_keys=tuple(manual_keys),
        fallbacks=tuple(c for d in dimensions for c in d.criteria if c.fallback),
        scorable_keys=tuple(c.criterion.key for d in dimensions for c in d.criteria if c.rule is None or c.fallback),
        red_lines=red_lines,
        bands_desc=tuple(bands),
        lowest=bands[-1][1],
    )


def _explain(
    c_plan: _CriterionPlan, value: int, places: int, shown: str, reason_en: str | None, reason_zh: str | None
) -> tuple[int, ExplanationLine]:
    """Build one criterion's line; ``value`` is its score x 10**places. Returns (score x weight, line)."""
    if reason_en is None or reason_zh is None:  # manual criterion
        reason_en = f"evaluator score {shown} against the rubric"
        reason_zh = f"评审打分 {shown}（按评分标准）"
    product = value * c_plan.weight
    cents = _half_up(product * c_plan.dimension_weight * 100, 10 ** (2 * c_plan.weight_places + places + 4))
    points = _cents(cents)
    criterion = c_plan.criterion
    line = ExplanationLine(
        criterion.key,
        c_plan.dimension_key,
        criterion.kind,
        value / 10**places,
        cents / 100,
        f"{c_plan.name_en}: {reason_en} → {shown}/100 ({points} points)",
        f"{c_plan.name_zh}：{reason_zh} → {shown}/100（{points} 分）",
    )
    return product, line


def _dimension_score(
    d_plan: _DimensionPlan, weighted: int, places: int, weight_places: int
) -> DimensionScore:
    """A dimension's figures from the sum of its criterion scores x weights (x 10**(places+weight_places))."""
    dimension = d_plan.dimension
    return DimensionScore(
        dimension.key,
        dimension.name_zh,
        dimension.name_en,
        d_plan.weight / 10**weight_places,
        _half_up(weighted * 10, 10 ** (weight_places + places + 2)) / 10,
        _half_up(weighted * d_plan.weight * 100, 10 ** (2 * weight_places + places + 4)) / 100,
    )


def _plan_for(scheme: m.Scheme) -> _Plan:
    plan = scheme._plan
    if plan is None:
        plan = compile_scheme(scheme)
        object.__setattr__(scheme, "_plan", plan)  # frozen: cache the derived plan only
    return plan


# ---------------------------------------------------------------------------------------------
# Public API


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _fallback_results(plan: _Plan, facts: SupplierFacts, as_of: date, as_of_iso: str) -> dict[str, Any]:
    """The rule result of every fallback criterion (None: no data, the evaluator's score is used)."""
    return {c.criterion.key: c.rule(facts, as_of, as_of_iso) for c in plan.fallbacks}  # type: ignore[misc]


def manual_keys_needed(scheme: m.Scheme, facts: SupplierFacts, as_of: date) -> tuple[str, ...]:
    """The criteria an evaluator must score for this supplier on this date, in scheme order.

    The manual criteria, and the fallback criteria (receipt rates) that have no data in their window.
    """
    plan = _plan_for(scheme)
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    results = _fallback_results(plan, facts, as_of, as_of.isoformat())
    return tuple(c.key for c in scheme.scorable_criteria() if c.kind == m.MANUAL or results.get(c.key) is None)


def missing_manual_criteria(
    scheme: m.Scheme, manual_scores: Mapping[str, Any], facts: SupplierFacts | None = None, as_of: date | None = None
) -> tuple[str, ...]:
    """Return the keys of criteria needing a score that have none (absent, None or blank), in scheme order.

    Without facts, the manual criteria only; with facts and a date, also the fallback criteria that have
    no data then.
    """
    keys = (tuple(c.key for c in scheme.manual_criteria()) if facts is None or as_of is None
            else manual_keys_needed(scheme, facts, as_of))
    return tuple(key for key in keys if _is_blank(manual_scores.get(key)))


def _manual_values(
    plan: _Plan, manual_scores: Mapping[str, Any], fallback_keys: tuple[str, ...] = ()
) -> dict[str, tuple[int, int]]:
    """Parse the manual scores into exact (digits, places); raise on invalid or missing ones."""
    values: dict[str, tuple[int, int]] = {}
    missing = []
    wanted = set(plan.manual_keys) | set(fallback_keys)
    for key in (key for key in plan.scorable_keys if key in wanted):  # scheme order
        raw = manual_scores.get(key)
        kind = type(raw)
        if kind is int and 0 <= raw <= 100:  # the common cases, without the text parser
            values[key] = (raw, 0)
        elif kind is float and 0.0 <= raw <= 100.0:
            values[key] = scaled(raw + 0.0)  # + 0.0 turns -0.0 into 0.0
        else:
            value, error = parse_manual_score(raw)
            if error is not None:
                raise InvalidManualScoreError(key, error)
            if value is None:
                missing.append(key)
            else:
                values[key] = scaled(value)
    if missing:
        raise MissingManualScoresError(tuple(missing))
    return values


def score(
    scheme: m.Scheme, facts: SupplierFacts, manual_scores: Mapping[str, Any], as_of: date
) -> ScoreResult:
    """Score one supplier: scheme + facts + manual scores as of a date -> ScoreResult (issue 4).

    Raises InvalidSchemeError for a scheme failing validation, MissingManualScoresError when
    manual criteria are unscored, InvalidManualScoreError for a value outside 0-100 or not a
    number. Scores for keys that are not manual criteria of the scheme are ignored.
    """
    plan = _plan_for(scheme)
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    as_of_iso = as_of.isoformat()
    evidence = _fallback_results(plan, facts, as_of, as_of_iso) if plan.fallbacks else {}
    manual = _manual_values(plan, manual_scores, tuple(key for key, result in evidence.items() if result is None))
    # Every criterion score is an integer number of 10**-places points (places >= 1 for the
    # tenths of evidence scores); weights are integers of 10**-weight_places percent.
    places = max([1, *(p for _, p in manual.values())])
    total_denominator = 10 ** (2 * plan.weight_places + places + 4)

    total = 0  # x total_denominator
    dimension_scores = []
    explanations = []
    for d_plan in plan.dimensions:
        weighted = 0  # sum of criterion score x criterion weight, x dimension_denominator
        for c_plan in d_plan.criteria:
            if c_plan.rule is None:
                number, digits = manual[c_plan.criterion.key]
                key: tuple = (number, digits, places)
                memo = c_plan.memo.get(key)
                if memo is None:
                    memo = _explain(
                        c_plan, number * 10 ** (places - digits), places, _plain(number, digits), None, None
                    )
            else:
                result = evidence[c_plan.criterion.key] if c_plan.fallback else c_plan.rule(facts, as_of, as_of_iso)
                if result is None and c_plan.fallback:
                    # No receipt data in the window: the evaluator's score against the rubric, said so.
                    number, digits = manual[c_plan.criterion.key]
                    key = ("fallback", number, digits, places, as_of_iso)
                    memo = c_plan.memo.get(key)
                    if memo is None:
                        no_en, no_zh = c_plan.rule.no_data_text  # type: ignore[union-attr]
                        shown = _plain(number, digits)
                        memo = _explain(
                            c_plan, number * 10 ** (places - digits), places, shown,
                            f"{no_en.format(as_of=as_of_iso)}: evaluator score {shown} against the rubric",
                            f"{no_zh.format(as_of=as_of_iso)}，按评分标准人工评分 {shown}",
                        )
                else:
                    if result is None:  # a rate without data and without a fallback scores 0
                        no_en, no_zh = c_plan.rule.no_data_text  # type: ignore[union-attr]
                        result = (0, no_en.format(as_of=as_of_iso), no_zh.format(as_of=as_of_iso))
                    tenths, reason_en, reason_zh = result
                    key = (tenths, places, reason_en, reason_zh)
                    memo = c_plan.memo.get(key)
                    if memo is None:
                        memo = _explain(
                            c_plan, tenths * 10 ** (places - 1), places, _plain(tenths, 1), reason_en, reason_zh
                        )
            if len(c_plan.memo) >= _MEMO_SIZE:
                c_plan.memo.clear()
            c_plan.memo[key] = memo
            weighted += memo[0]
            explanations.append(memo[1])
        total += weighted * d_plan.weight
        key = (weighted, places)
        line = d_plan.memo.get(key)
        if line is None:
            if len(d_plan.memo) >= _MEMO_SIZE:
                d_plan.memo.clear()
            line = d_plan.memo[key] = _dimension_score(d_plan, weighted, places, plan.weight_places)
        dimension_scores.append(line)
    total_tenths = _half_up(total * 10, total_denominator)

    score_band = plan.lowest
    for threshold, band in plan.bands_desc:
        if total_tenths >= threshold:
            score_band = band
            break

    outcomes = []
    failed = []
    for r_plan in plan.red_lines:
        result = r_plan.rule(facts, as_of, as_of_iso)
        outcome = r_plan.memo.get(result)
        if outcome is None:
            if len(r_plan.memo) >= _MEMO_SIZE:
                r_plan.memo.clear()
            red_line = r_plan.red_line
            outcome = r_plan.memo[result] = RedLineOutcome(
                red_line.key,
                red_line.kind,
                result[0],
                red_line.social,
                f"{r_plan.name_en}: {result[1]}",
                f"{r_plan.name_zh}：{result[2]}",
            )
        outcomes.append(outcome)
        if outcome.failed:
            failed.append(outcome.key)

    band = plan.lowest if failed else score_band
    return ScoreResult(
        scheme_code=scheme.code,
        scheme_version=scheme.version,
        as_of=as_of,
        total=total_tenths / 10,
        band=band,
        score_band=score_band,
        passed=not failed and band is not plan.lowest,
        red_lines_failed=tuple(failed),
        dimension_scores=tuple(dimension_scores),
        explanations=tuple(explanations),
        red_lines=tuple(outcomes),
    )
