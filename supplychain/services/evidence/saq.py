"""Self-assessment questionnaires: versions edited by admins, supplier responses, procurement review, scores.

A questionnaire version is edited while it is a draft and frozen once published; responses point
at the version they answer. A response goes draft → submitted → reviewed; a reviewer may ask for
clarification of some answers, which reopens only those questions to the supplier. When every
answer is accepted the theme scores (0–100 per section) are fixed on the response, and from the
day of the review they are the supplier's saq_theme facts for the scoring engine.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supplychain.errors import ValidationFailed, add_error
from supplychain.models import (
    CHOICE_TYPES,
    QUESTION_TYPES,
    SAQ_THEMES,
    Questionnaire,
    SaqAnswer,
    SaqOption,
    SaqQuestion,
    SaqResponse,
    Supplier,
    User,
)
from supplychain.services.core import attachments, audit

DEFAULT_CODE = "esg"
OPEN_STATUSES = ("draft", "submitted", "clarification")
TEXT_LIMIT = 5000
NUMBER_LIMIT = Decimal("1e12")
MAX_POINTS = 1000
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")
_VALUE = re.compile(r"[a-z0-9_]{1,40}")


def _round(value: float) -> float:
    """One decimal, half up (as the scoring engine rounds)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- points (pure) -----------------------------------------------------------------------------------------

def max_points(question: SaqQuestion) -> float:
    """The most an answer to the question can earn."""
    if question.qtype in ("yes_no", "single"):
        return max((o.points for o in question.options), default=0.0)
    if question.qtype == "multiple":
        return sum(o.points for o in question.options if o.points > 0)
    if question.qtype == "number":
        return max((band[1] for band in question.number_bands or ()), default=0.0)
    return float(question.points or 0)


def number_points(bands: Iterable, value: float) -> float:
    """Points of a number: the band with the highest minimum not above it (0 below every band)."""
    best = None
    for minimum, points in sorted(bands or (), key=lambda band: band[0]):
        if value >= minimum:
            best = points
    return float(best or 0)


def is_answered(question: SaqQuestion, answer: SaqAnswer | None) -> bool:
    """Whether the answer gives a value (a file counts for a file question)."""
    if answer is None:
        return False
    if question.qtype in CHOICE_TYPES:
        return bool(answer.choices)
    if question.qtype == "number":
        return answer.number_value is not None
    if question.qtype == "text":
        return bool((answer.text_value or "").strip())
    return answer.attachment_id is not None


def needs_evidence(question: SaqQuestion, choices: Iterable[str], answered: bool) -> bool:
    """An answered question needs a file when a chosen option or the question says so, or it takes a file."""
    if not answered:
        return False
    if question.qtype == "file":
        return True
    if question.qtype in CHOICE_TYPES:
        chosen = set(choices)
        return any(o.evidence_required for o in question.options if o.value in chosen)
    return bool(question.evidence_required)


def answer_points(question: SaqQuestion, answer: SaqAnswer | None) -> float:
    """Points of an answer by the question's rule (0 when unanswered)."""
    if not is_answered(question, answer):
        return 0.0
    if question.qtype in CHOICE_TYPES:
        chosen = set(answer.choices)
        total = sum(o.points for o in question.options if o.value in chosen)
        return float(min(total, max_points(question)))
    if question.qtype == "number":
        return number_points(question.number_bands, answer.number_value)
    return float(question.points or 0)


@dataclass(frozen=True)
class ThemeScore:
    """Points earned and possible in one section, and the 0–100 score."""

    theme: str
    points: float
    maximum: float

    @property
    def score(self) -> float | None:
        """0–100, one decimal; None when the section has nothing to score."""
        return _round(100.0 * self.points / self.maximum) if self.maximum else None


def theme_breakdown(questionnaire: Questionnaire, answers: Iterable[SaqAnswer],
                    accepted_only: bool = False) -> list[ThemeScore]:
    """Points per section, in the order of SAQ_THEMES; answers not accepted count 0 when accepted_only."""
    by_question = {a.question_id: a for a in answers}
    points = dict.fromkeys(SAQ_THEMES, 0.0)
    maximum = dict.fromkeys(SAQ_THEMES, 0.0)
    for question in questionnaire.questions:
        maximum[question.theme] = maximum.get(question.theme, 0.0) + max_points(question)
        answer = by_question.get(question.id)
        if answer is None or (accepted_only and answer.review_state != "accepted"):
            continue
        points[question.theme] = points.get(question.theme, 0.0) + answer_points(question, answer)
    return [ThemeScore(theme, points[theme], maximum[theme]) for theme in SAQ_THEMES]


def scores_of(breakdown: list[ThemeScore]) -> tuple[dict[str, float], float | None]:
    """{theme: score} for sections with something to score, and the overall score (all points / maxima)."""
    themes = {row.theme: row.score for row in breakdown if row.score is not None}
    total_max = sum(row.maximum for row in breakdown)
    total = _round(100.0 * sum(row.points for row in breakdown) / total_max) if total_max else None
    return themes, total


# --- questionnaires (admin) --------------------------------------------------------------------------------

@dataclass
class OptionData:
    """An option as entered."""

    value: str = ""
    label_zh: str = ""
    label_en: str = ""
    points: float | None = None
    evidence_required: bool = False


@dataclass
class QuestionData:
    """A question as entered; options for choice questions, bands for number questions."""

    code: str = ""
    theme: str = ""
    qtype: str = ""
    text_zh: str = ""
    text_en: str = ""
    help_zh: str = ""
    help_en: str = ""
    required: bool = True
    points: float | None = None
    unit: str = ""
    evidence_required: bool = False
    position: int | None = None
    options: list[OptionData] = field(default_factory=list)
    bands: list[tuple[float | None, float | None]] = field(default_factory=list)


@dataclass
class HeaderData:
    """A questionnaire's titles and introduction."""

    title_zh: str = ""
    title_en: str = ""
    intro_zh: str = ""
    intro_en: str = ""


def list_questionnaires(session: Session) -> list[Questionnaire]:
    """Every version, newest first."""
    stmt = select(Questionnaire).order_by(Questionnaire.code, Questionnaire.version.desc())
    return list(session.scalars(stmt))


def current(session: Session, code: str | None = None) -> Questionnaire | None:
    """The published version suppliers answer now (of a code, or the most recently published of any)."""
    stmt = select(Questionnaire).where(Questionnaire.status == "published")
    if code is not None:
        stmt = stmt.where(Questionnaire.code == code)
    stmt = stmt.order_by(Questionnaire.published_at.desc(), Questionnaire.id.desc()).limit(1)
    return session.scalar(stmt)


def draft_of(session: Session, code: str) -> Questionnaire | None:
    """The draft version being edited, if any."""
    stmt = select(Questionnaire).where(Questionnaire.code == code, Questionnaire.status == "draft").limit(1)
    return session.scalar(stmt)


def _not_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.status != "draft":
        raise ValidationFailed({"questionnaire": [
            _l("A published version never changes: make a new version to edit it.")]})


def check_question(questionnaire: Questionnaire, data: QuestionData,
                   question: SaqQuestion | None = None) -> dict:
    """Every problem with a question, per field (options and bands as "options" and "bands")."""
    errors: dict[str, list] = {}
    code = (data.code or "").strip().upper()
    if not _CODE.fullmatch(code):
        add_error(errors, "code", _l("Use 1 to 20 capital letters, digits, - or _, like ENV-01."))
    elif any(q.code == code and q is not question for q in questionnaire.questions):
        add_error(errors, "code", _l("Another question of this version has this code."))
    if data.theme not in SAQ_THEMES:
        add_error(errors, "theme", _l("Choose one of the sections."))
    if data.qtype not in QUESTION_TYPES:
        add_error(errors, "qtype", _l("Choose one of the question types."))
    for name in ("text_zh", "text_en"):
        value = (getattr(data, name) or "").strip()
        if not value:
            add_error(errors, name, _l("This field is required."))
        elif len(value) > 2000:
            add_error(errors, name, _l("At most %(n)d characters.", n=2000))
    for name in ("help_zh", "help_en"):
        if len((getattr(data, name) or "").strip()) > 2000:
            add_error(errors, name, _l("At most %(n)d characters.", n=2000))
    if len((data.unit or "").strip()) > 30:
        add_error(errors, "unit", _l("At most %(n)d characters.", n=30))
    options = [o for o in data.options if (o.value or o.label_zh or o.label_en or "").strip()]
    if data.qtype in CHOICE_TYPES:
        values = []
        for option in options:
            value = (option.value or "").strip()
            if not _VALUE.fullmatch(value):
                add_error(errors, "options", _l("Option keys use lower-case letters, digits and _: %(value)s.",
                                           value=value or "∅"))
            if not (option.label_zh or "").strip() or not (option.label_en or "").strip():
                add_error(errors, "options", _l("Every option needs a Chinese and an English label."))
            if option.points is None or not 0 <= option.points <= MAX_POINTS:
                add_error(errors, "options", _l("Points are a number from 0 to %(n)d.", n=MAX_POINTS))
            values.append(value)
        if len(set(values)) != len(values):
            add_error(errors, "options", _l("Two options have the same key."))
        if data.qtype == "yes_no" and sorted(values) != ["no", "yes"]:
            add_error(errors, "options", _l("A yes/no question has exactly the options \"yes\" and \"no\"."))
        elif len(values) < 2:
            add_error(errors, "options", _l("A choice question needs at least two options."))
    elif options:
        add_error(errors, "options", _l("Only yes/no and choice questions have options."))
    bands = [b for b in data.bands if b[0] is not None or b[1] is not None]
    if data.qtype == "number":
        if not bands:
            add_error(errors, "bands", _l("A number question needs at least one band of points."))
        for minimum, points in bands:
            if (minimum is None or points is None or not math.isfinite(minimum)
                    or not 0 <= points <= MAX_POINTS):
                add_error(errors, "bands",
                          _l("Each band needs a minimum and points from 0 to %(n)d.", n=MAX_POINTS))
        minimums = [b[0] for b in bands]
        if len(set(minimums)) != len(minimums):
            add_error(errors, "bands", _l("Two bands have the same minimum."))
    elif bands:
        add_error(errors, "bands", _l("Only number questions have bands."))
    if data.qtype in ("text", "file") and (data.points is None or not 0 <= data.points <= MAX_POINTS):
        add_error(errors, "points", _l("Points are a number from 0 to %(n)d.", n=MAX_POINTS))
    return errors


def save_question(session: Session, questionnaire: Questionnaire, data: QuestionData, actor: User | None,
                  question: SaqQuestion | None = None) -> SaqQuestion:
    """Add or change a question of a draft version; every problem raised at once."""
    _not_draft(questionnaire)
    if question is not None and question.questionnaire_id != questionnaire.id:
        raise ValidationFailed({"question": [_l("This question belongs to another version.")]})
    errors = check_question(questionnaire, data, question)
    if errors:
        raise ValidationFailed(errors)
    if question is None:
        question = SaqQuestion(questionnaire=questionnaire)
        session.add(question)
        if data.position is None:
            others = [q.position for q in questionnaire.questions if q is not question]
            data.position = max(others, default=0) + 10
    question.code = data.code.strip().upper()
    question.theme, question.qtype = data.theme, data.qtype
    question.text_zh, question.text_en = data.text_zh.strip(), data.text_en.strip()
    question.help_zh = (data.help_zh or "").strip() or None
    question.help_en = (data.help_en or "").strip() or None
    question.required = bool(data.required)
    question.unit = (data.unit or "").strip() or None
    question.evidence_required = bool(data.evidence_required) and data.qtype in ("number", "text")
    question.points = float(data.points or 0) if data.qtype in ("text", "file") else 0.0
    if data.position is not None:
        question.position = int(data.position)
    question.number_bands = ([[float(m), float(p)] for m, p in sorted(
        (b for b in data.bands if b[0] is not None), key=lambda b: b[0])] if data.qtype == "number" else [])
    question.options.clear()
    session.flush()
    if data.qtype in CHOICE_TYPES:
        chosen = [o for o in data.options if (o.value or "").strip()]
        for position, option in enumerate(chosen):
            question.options.append(SaqOption(
                position=position, value=option.value.strip(), label_zh=option.label_zh.strip(),
                label_en=option.label_en.strip(), points=float(option.points),
                evidence_required=bool(option.evidence_required)))
    session.flush()
    version = f"{questionnaire.code} v{questionnaire.version}"
    audit.record(session, actor, "save", "saq_question", question.id,
                 {"code": [None, question.code], "questionnaire": [None, version]})
    return question


def delete_question(session: Session, question: SaqQuestion, actor: User | None) -> None:
    """Remove a question from a draft version."""
    questionnaire = question.questionnaire
    _not_draft(questionnaire)
    version = f"{questionnaire.code} v{questionnaire.version}"
    audit.record(session, actor, "delete", "saq_question", question.id,
                 {"code": [question.code, None], "questionnaire": [version, None]})
    questionnaire.questions.remove(question)
    session.flush()


def check_header(data: HeaderData) -> dict:
    """Problems with the titles and introduction."""
    errors: dict[str, list] = {}
    for name in ("title_zh", "title_en"):
        value = (getattr(data, name) or "").strip()
        if not value:
            add_error(errors, name, _l("This field is required."))
        elif len(value) > 200:
            add_error(errors, name, _l("At most %(n)d characters.", n=200))
    for name in ("intro_zh", "intro_en"):
        if len((getattr(data, name) or "").strip()) > 5000:
            add_error(errors, name, _l("At most %(n)d characters.", n=5000))
    return errors


def save_header(session: Session, questionnaire: Questionnaire, data: HeaderData, actor: User | None) -> None:
    """Change the titles and introduction of a draft version."""
    _not_draft(questionnaire)
    errors = check_header(data)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(questionnaire, ("title_zh", "title_en", "intro_zh", "intro_en"))
    questionnaire.title_zh, questionnaire.title_en = data.title_zh.strip(), data.title_en.strip()
    questionnaire.intro_zh = (data.intro_zh or "").strip() or None
    questionnaire.intro_en = (data.intro_en or "").strip() or None
    changes = audit.diff(before, audit.snapshot(questionnaire, tuple(before)))
    if changes:
        audit.record(session, actor, "update", "saq_questionnaire", questionnaire.id, changes)


def _copy_question(source: SaqQuestion) -> SaqQuestion:
    return SaqQuestion(
        code=source.code, theme=source.theme, position=source.position, qtype=source.qtype,
        text_zh=source.text_zh, text_en=source.text_en, help_zh=source.help_zh, help_en=source.help_en,
        required=source.required, points=source.points,
        number_bands=[list(b) for b in source.number_bands or ()],
        unit=source.unit, evidence_required=source.evidence_required,
        options=[SaqOption(position=o.position, value=o.value, label_zh=o.label_zh, label_en=o.label_en,
                           points=o.points, evidence_required=o.evidence_required) for o in source.options],
    )


def new_version(session: Session, source: Questionnaire, actor: User | None) -> Questionnaire:
    """A draft copy of a version, numbered after the newest; only one draft per questionnaire at a time."""
    existing = draft_of(session, source.code)
    if existing is not None:
        raise ValidationFailed({"questionnaire": [
            _l("Version %(n)d is already a draft: edit or publish it first.", n=existing.version)]})
    latest = session.scalar(select(func.max(Questionnaire.version)).where(Questionnaire.code == source.code))
    draft = Questionnaire(
        code=source.code, version=(latest or 0) + 1, title_zh=source.title_zh, title_en=source.title_en,
        intro_zh=source.intro_zh, intro_en=source.intro_en, status="draft",
        created_by_id=getattr(actor, "id", None),
        questions=[_copy_question(q) for q in source.questions],
    )
    session.add(draft)
    session.flush()
    audit.record(session, actor, "create", "saq_questionnaire", draft.id,
                 {"version": [None, draft.version], "copied_from": [None, source.version]})
    return draft


def publish_problems(questionnaire: Questionnaire) -> list:
    """Why a version cannot be published (empty when it can)."""
    problems = []
    if not questionnaire.questions:
        problems.append(_l("Add at least one question."))
    for question in questionnaire.questions:
        data = QuestionData(
            code=question.code, theme=question.theme, qtype=question.qtype, text_zh=question.text_zh,
            text_en=question.text_en, points=question.points,
            options=[OptionData(o.value, o.label_zh, o.label_en, o.points, o.evidence_required)
                     for o in question.options],
            bands=[tuple(b) for b in question.number_bands or ()])
        for messages in check_question(questionnaire, data, question).values():
            problems.extend(_l("%(code)s: %(problem)s", code=question.code, problem=m) for m in messages)
    if questionnaire.questions and not any(max_points(q) > 0 for q in questionnaire.questions):
        problems.append(_l("No answer earns points: every score would be zero."))
    return problems


def publish(session: Session, questionnaire: Questionnaire, actor: User | None, now: datetime) -> None:
    """Publish a draft: suppliers answer it from now on, the previous published version is retired."""
    _not_draft(questionnaire)
    problems = publish_problems(questionnaire)
    if problems:
        raise ValidationFailed({"questionnaire": problems})
    for old in session.scalars(select(Questionnaire).where(Questionnaire.code == questionnaire.code,
                                                           Questionnaire.status == "published")):
        old.status = "retired"
    questionnaire.status, questionnaire.published_at = "published", now
    session.flush()
    audit.record(session, actor, "publish", "saq_questionnaire", questionnaire.id,
                 {"status": ["draft", "published"]})


def create_from_definition(session: Session, definition: dict, actor: User | None, now: datetime,
                           publish_it: bool = True) -> Questionnaire:
    """Build a questionnaire from a definition like config.saq_default (the next version of its code)."""
    latest = session.scalar(select(func.max(Questionnaire.version))
                            .where(Questionnaire.code == definition["code"]))
    questionnaire = Questionnaire(
        code=definition["code"], version=(latest or 0) + 1, title_zh=definition["title_zh"],
        title_en=definition["title_en"], intro_zh=definition.get("intro_zh"),
        intro_en=definition.get("intro_en"),
        status="draft", created_by_id=getattr(actor, "id", None))
    session.add(questionnaire)
    session.flush()
    for position, raw in enumerate(definition["questions"], start=1):
        data = QuestionData(
            code=raw["code"], theme=raw["theme"], qtype=raw["qtype"], text_zh=raw["text_zh"],
            text_en=raw["text_en"], help_zh=raw.get("help_zh", ""), help_en=raw.get("help_en", ""),
            required=raw.get("required", True), points=raw.get("points", 0), unit=raw.get("unit", ""),
            evidence_required=raw.get("evidence_required", False), position=position * 10,
            options=[OptionData(*option) for option in raw.get("options", ())],
            bands=[tuple(band) for band in raw.get("number_bands", ())])
        save_question(session, questionnaire, data, actor)
    if publish_it:
        publish(session, questionnaire, actor, now)
    return questionnaire


def load_default(session: Session, now: datetime, actor: User | None = None) -> Questionnaire | None:
    """Load the shipped questionnaire (config/saq_default.py) as version 1 unless the code already exists."""
    from config.saq_default import DEFAULT_QUESTIONNAIRE

    code = DEFAULT_QUESTIONNAIRE["code"]
    if session.scalar(select(func.count(Questionnaire.id)).where(Questionnaire.code == code)):
        return None
    return create_from_definition(session, DEFAULT_QUESTIONNAIRE, actor, now)


# --- responses (supplier) ----------------------------------------------------------------------------------

def open_response(session: Session, supplier_id: int) -> SaqResponse | None:
    """The supplier's response in progress or under review."""
    stmt = (select(SaqResponse).where(SaqResponse.supplier_id == supplier_id,
                                      SaqResponse.status.in_(OPEN_STATUSES))
            .order_by(SaqResponse.id.desc()).limit(1))
    return session.scalar(stmt)


def responses_for(session: Session, supplier_id: int) -> list[SaqResponse]:
    """A supplier's responses, newest first."""
    stmt = select(SaqResponse).where(SaqResponse.supplier_id == supplier_id).order_by(SaqResponse.id.desc())
    return list(session.scalars(stmt))


def response_of(session: Session, supplier_id: int, response_id: int) -> SaqResponse | None:
    """One of the supplier's own responses (None for anyone else's)."""
    stmt = select(SaqResponse).where(SaqResponse.id == response_id, SaqResponse.supplier_id == supplier_id)
    return session.scalar(stmt)


def latest_reviewed(session: Session, supplier_id: int, before_id: int | None = None) -> SaqResponse | None:
    """The supplier's most recently reviewed response (optionally one reviewed before another response)."""
    stmt = select(SaqResponse).where(SaqResponse.supplier_id == supplier_id, SaqResponse.status == "reviewed")
    if before_id is not None:
        stmt = stmt.where(SaqResponse.id != before_id)
    return session.scalar(stmt.order_by(SaqResponse.reviewed_at.desc(), SaqResponse.id.desc()).limit(1))


def start(session: Session, supplier: Supplier, actor: User | None,
          questionnaire: Questionnaire | None = None) -> SaqResponse:
    """Open a draft on the current version, pre-filled from the last reviewed response where codes match."""
    if open_response(session, supplier.id) is not None:
        raise ValidationFailed({"response": [_l("A self-assessment is already in progress.")]})
    questionnaire = questionnaire or current(session)
    if questionnaire is None:
        raise ValidationFailed({"response": [_l("No questionnaire is published yet.")]})
    response = SaqResponse(supplier_id=supplier.id, questionnaire_id=questionnaire.id, status="draft")
    session.add(response)
    session.flush()
    previous = latest_reviewed(session, supplier.id)
    if previous is not None:
        old = {a.question.code: a for a in previous.answers}
        for question in questionnaire.questions:
            answer = old.get(question.code)
            if answer is None or answer.question.qtype != question.qtype:
                continue
            values = {o.value for o in question.options}
            if question.qtype in CHOICE_TYPES and not set(answer.choices or ()) <= values:
                continue
            copy = SaqAnswer(question_id=question.id, choices=list(answer.choices or ()),
                             number_value=answer.number_value, text_value=answer.text_value,
                             attachment_id=answer.attachment_id)
            copy.points = answer_points(question, copy)
            response.answers.append(copy)
    session.flush()
    audit.record(session, actor, "create", "saq_response", response.id,
                 {"questionnaire": [None, f"{questionnaire.code} v{questionnaire.version}"]},
                 supplier_id=supplier.id)
    return response


def editable_question_ids(response: SaqResponse) -> set[int]:
    """Questions the supplier may change now: all in a draft, only those sent back in clarification."""
    if response.status == "draft":
        return {q.id for q in response.questionnaire.questions}
    if response.status == "clarification":
        return {a.question_id for a in response.answers if a.review_state == "clarification"}
    return set()


@dataclass
class RawAnswer:
    """One question's input as posted: chosen option keys, a number or text as typed, a file."""

    choices: list[str] = field(default_factory=list)
    number: str = ""
    text: str = ""
    upload: attachments.Upload | None = None


@dataclass
class _Parsed:
    choices: list[str]
    number: float | None
    text: str | None
    clean: attachments.CleanUpload | None


def parse_number(raw: str) -> tuple[float | None, list]:
    """A number as typed (full-width digits and thousands separators accepted), or the problem."""
    text = unicodedata.normalize("NFKC", raw or "").strip().replace(",", "").replace(" ", "")
    if not text:
        return None, []
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, [_l("Enter a number, like 12 or 3.5.")]
    if not value.is_finite() or abs(value) >= NUMBER_LIMIT:
        return None, [_l("Enter a number, like 12 or 3.5.")]
    if value < 0:
        return None, [_l("The number cannot be negative.")]
    return float(value), []


def _parse(question: SaqQuestion, raw: RawAnswer, max_bytes: int) -> tuple[_Parsed | None, list]:
    problems: list = []
    choices: list[str] = []
    number = None
    text = None
    values = [o.value for o in question.options]
    given = [c for c in (raw.choices or []) if c]
    if question.qtype in CHOICE_TYPES:
        unknown = [c for c in given if c not in values]
        if unknown:
            problems.append(_l("Choose from the options given."))
        elif question.qtype in ("yes_no", "single") and len(set(given)) > 1:
            problems.append(_l("Choose one option only."))
        choices = [v for v in values if v in given]
    elif given:
        problems.append(_l("This question takes no options."))
    if question.qtype == "number":
        number, more = parse_number(raw.number)
        problems.extend(more)
    elif (raw.number or "").strip():
        problems.append(_l("This question takes no number."))
    if question.qtype == "text":
        text = (raw.text or "").strip() or None
        if text and len(text) > TEXT_LIMIT:
            problems.append(_l("At most %(n)d characters.", n=TEXT_LIMIT))
    elif (raw.text or "").strip():
        problems.append(_l("This question takes no text."))
    clean, upload_problems = attachments.check_upload(raw.upload, max_bytes)
    problems.extend(upload_problems)
    if problems:
        return None, problems
    return _Parsed(choices, number, text, clean), []


def _missing(questionnaire: Questionnaire, state: dict[int, tuple[SaqAnswer, bool]], ids: set[int]) -> dict:
    """Per question: unanswered required questions and answers lacking their evidence."""
    errors: dict[str, list] = {}
    for question in questionnaire.questions:
        if question.id not in ids:
            continue
        answer, has_file = state.get(question.id, (None, False))
        answered = is_answered(question, answer) or (question.qtype == "file" and has_file)
        if question.required and not answered:
            add_error(errors, f"q-{question.id}", _l("%(code)s needs an answer.", code=question.code))
        elif needs_evidence(question, answer.choices if answer else (), answered) and not has_file:
            add_error(errors, f"q-{question.id}",
                      _l("%(code)s needs its evidence: upload a file.", code=question.code))
    return errors


def save_answers(session: Session, response: SaqResponse, raw: dict[int, RawAnswer], store: attachments.Store,
                 actor: User | None, now: datetime, submit: bool = False) -> SaqResponse:
    """Save the posted answers (a draft), and with submit=True hand the response to procurement.

    Only questions the supplier may change are read; anything else posted is ignored. Every
    problem (wrong answer types, and on submit every missing answer and missing evidence) is
    raised at once before anything is written.
    """
    if response.status not in ("draft", "clarification"):
        raise ValidationFailed({"response": [
            _l("This self-assessment was submitted and cannot change now.")]})
    questionnaire = response.questionnaire
    editable = editable_question_ids(response)
    questions = {q.id: q for q in questionnaire.questions}
    answers = {a.question_id: a for a in response.answers}
    errors: dict[str, list] = {}
    parsed: dict[int, _Parsed] = {}
    for question_id, entry in raw.items():
        question = questions.get(question_id)
        if question is None or question_id not in editable:
            continue
        result, problems = _parse(question, entry, store.max_bytes)
        if problems:
            errors[f"q-{question_id}"] = [_l("%(code)s: %(problem)s", code=question.code, problem=p)
                                         for p in problems]
        else:
            parsed[question_id] = result
    if errors:
        raise ValidationFailed(errors)
    # What each answer would be after this save, to check a submission before writing anything.
    state: dict[int, tuple[SaqAnswer, bool]] = {}
    for question_id in questions:
        answer = answers.get(question_id)
        new = parsed.get(question_id)
        if new is not None:
            answer = SaqAnswer(question_id=question_id, choices=new.choices, number_value=new.number,
                               text_value=new.text)
            has_file = new.clean is not None or (answers.get(question_id) is not None
                                                 and answers[question_id].attachment_id is not None)
        else:
            has_file = answer is not None and answer.attachment_id is not None
        state[question_id] = (answer, has_file)
    if submit:
        errors = _missing(questionnaire, state, editable)
        if errors:
            raise ValidationFailed(errors)
    stored_names = []
    for question_id, new in parsed.items():
        question = questions[question_id]
        answer = answers.get(question_id)
        if answer is None:
            if not (new.choices or new.number is not None or new.text or new.clean):
                continue
            answer = SaqAnswer(question_id=question_id)
            response.answers.append(answer)
        answer.choices, answer.number_value, answer.text_value = new.choices, new.number, new.text
        if new.clean is not None:
            stored = attachments.store(session, new.clean, store, response.supplier_id, actor)
            answer.attachment_id = stored.id
            stored_names.append(f"{question.code}: {attachments.describe(stored)}")
        answer.points = answer_points(question, answer)
    session.flush()
    if submit:
        for answer in response.answers:
            if answer.review_state == "clarification":
                answer.review_state = "pending"
        response.status, response.submitted_at = "submitted", now
        response.submitted_by_id = getattr(actor, "id", None)
        response.submit_count = (response.submit_count or 0) + 1
        session.flush()
    audit.record(session, actor, "submit" if submit else "save", "saq_response", response.id,
                 {"answers": [None, len(parsed)]}, supplier_id=response.supplier_id,
                 note="; ".join(stored_names) or None)
    return response


# --- review (procurement) ----------------------------------------------------------------------------------

@dataclass
class Decision:
    """A reviewer's decision on one answer."""

    state: str = ""  # "accepted" or "clarification"
    comment: str = ""


def review_queue(session: Session) -> list[SaqResponse]:
    """Responses waiting for review, the longest waiting first, then those with the supplier."""
    stmt = (select(SaqResponse).where(SaqResponse.status.in_(("submitted", "clarification")))
            .order_by(SaqResponse.status.desc(), SaqResponse.submitted_at, SaqResponse.id))
    return list(session.scalars(stmt))


def reviewed_list(session: Session, limit: int = 200) -> list[SaqResponse]:
    """The latest reviewed responses."""
    stmt = (select(SaqResponse).where(SaqResponse.status == "reviewed")
            .order_by(SaqResponse.reviewed_at.desc(), SaqResponse.id.desc()).limit(limit))
    return list(session.scalars(stmt))


def review(session: Session, response: SaqResponse, decisions: dict[int, Decision], actor: User | None,
           now: datetime, today: date) -> SaqResponse:
    """Accept each pending answer or ask for its clarification; all accepted fixes the scores."""
    if response.status != "submitted":
        raise ValidationFailed({"response": [_l("Only a submitted self-assessment can be reviewed.")]})
    answers = {a.id: a for a in response.answers}
    errors: dict[str, list] = {}
    if set(decisions) - set(answers):
        add_error(errors, "response", _l("Some decisions are for answers of another self-assessment."))
    pending = [a for a in response.answers if a.review_state == "pending"]
    for answer in pending:
        decision = decisions.get(answer.id)
        if decision is None or decision.state not in ("accepted", "clarification"):
            add_error(errors, f"a-{answer.id}", _l("%(code)s: accept the answer or ask for a clarification.",
                                              code=answer.question.code))
        elif decision.state == "clarification" and not (decision.comment or "").strip():
            add_error(errors, f"a-{answer.id}",
                      _l("%(code)s: say what needs clarifying.", code=answer.question.code))
        elif len((decision.comment or "").strip()) > 2000:
            add_error(errors, f"a-{answer.id}", _l("At most %(n)d characters.", n=2000))
    if errors:
        raise ValidationFailed(errors)
    asked = []
    for answer in pending:
        decision = decisions[answer.id]
        answer.review_state = decision.state
        answer.review_comment = (decision.comment or "").strip() or None
        answer.reviewed_by_id, answer.reviewed_at = getattr(actor, "id", None), now
        if decision.state == "clarification":
            asked.append(answer.question.code)
    before = {"status": response.status}
    if asked:
        response.status = "clarification"
    else:
        breakdown = theme_breakdown(response.questionnaire, response.answers, accepted_only=True)
        themes, total = scores_of(breakdown)
        response.status, response.theme_scores, response.total_score = "reviewed", themes, total
        response.reviewed_at, response.reviewed_on = now, today
        response.reviewed_by_id = getattr(actor, "id", None)
    session.flush()
    changes = audit.diff(before, {"status": response.status})
    if response.status == "reviewed":
        changes["total_score"] = [None, response.total_score]
    audit.record(session, actor, "review", "saq_response", response.id, changes,
                 supplier_id=response.supplier_id, note=(", ".join(asked) if asked else None))
    return response


def reviewed_theme_scores(session: Session, supplier_ids: Iterable[int],
                          as_of: date) -> dict[int, dict[str, float]]:
    """Per supplier, the theme scores of its latest response reviewed on or before the day (SupplierFacts)."""
    ids = sorted(set(supplier_ids))
    found: dict[int, dict[str, float]] = {}
    if not ids:
        return found
    stmt = (select(SaqResponse.supplier_id, SaqResponse.theme_scores)
            .where(SaqResponse.supplier_id.in_(ids), SaqResponse.status == "reviewed",
                   SaqResponse.reviewed_on <= as_of)
            .order_by(SaqResponse.supplier_id, SaqResponse.reviewed_on, SaqResponse.id))
    for supplier_id, scores in session.execute(stmt):
        found[supplier_id] = {theme: float(value) for theme, value in (scores or {}).items()}
    return found
