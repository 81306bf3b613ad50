"""gen_* helpers for the supplier portal: questionnaires, responses, invitations, users, change requests."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from supplychain.models import (
    ChangeRequest,
    Invitation,
    PortalMember,
    Questionnaire,
    SaqResponse,
    Supplier,
    User,
)
from supplychain.services.core import attachments
from supplychain.services.evidence import saq
from supplychain.services.portal import invitations
from supplychain.services.registry import change_requests
from tests.evidence_factories import PDF
from tests.factories import gen_supplier, gen_user

_counter = itertools.count(1)
SECRET = "testing-secret"  # TestingConfig.SECRET_KEY: tokens made here open links on the test app
# Real time: the registry refuses dates in the future, and suppliers are registered today.
NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()
MINIMAL = {
    "code": "mini", "title_zh": "简版问卷", "title_en": "Short questionnaire",
    "questions": [
        {"code": "ENV-01", "theme": "environment", "qtype": "yes_no", "text_zh": "是否持有 ISO 14001 证书？",
         "text_en": "ISO 14001 certificate?",
         "options": [("yes", "是", "Yes", 10, True), ("no", "否", "No", 0, False)]},
        {"code": "LAB-01", "theme": "labour_human_rights", "qtype": "multiple", "text_zh": "劳动保障措施",
         "text_en": "Labour measures",
         "options": [("contract", "劳动合同", "Contracts", 5, False),
                     ("insurance", "社保", "Insurance", 5, False)]},
        {"code": "HS-01", "theme": "health_safety", "qtype": "number", "text_zh": "损工事故起数",
         "text_en": "Lost-time injuries", "number_bands": [[0, 10], [1, 5], [3, 0]]},
        {"code": "ETH-01", "theme": "business_ethics", "qtype": "single", "text_zh": "举报渠道",
         "text_en": "Whistle-blowing channel",
         "options": [("none", "没有", "None", 0, False), ("internal", "内部", "Internal", 5, False),
                     ("independent", "独立", "Independent", 10, False)]},
        {"code": "MS-01", "theme": "management_systems", "qtype": "text", "required": False, "points": 5,
         "text_zh": "ESG 管理说明", "text_en": "ESG management"},
        {"code": "SP-01", "theme": "sustainable_procurement", "qtype": "file", "points": 10,
         "text_zh": "上传供应商行为准则", "text_en": "Upload your supplier code of conduct"},
    ],
}


def store(tmp_path) -> attachments.Store:
    """An upload store in a temporary folder."""
    return attachments.Store(tmp_path / "uploads", 5 * 1024 * 1024)


def gen_questionnaire(session, definition: dict | None = None, publish: bool = True) -> Questionnaire:
    """The shipped default questionnaire (or another definition), published unless asked otherwise."""
    from config.saq_default import DEFAULT_QUESTIONNAIRE

    return saq.create_from_definition(session, definition or DEFAULT_QUESTIONNAIRE, None, NOW, publish)


def question(questionnaire: Questionnaire, code: str):
    """A question of a version by its code."""
    return next(q for q in questionnaire.questions if q.code == code)


def best_answers(questionnaire: Questionnaire, with_files: bool = True) -> dict[int, saq.RawAnswer]:
    """The highest-scoring answer to every question, with a PDF wherever evidence may be needed."""
    answers = {}
    for q in questionnaire.questions:
        raw = saq.RawAnswer()
        if q.qtype in ("yes_no", "single"):
            raw.choices = [max(q.options, key=lambda o: o.points).value]
        elif q.qtype == "multiple":
            raw.choices = [o.value for o in q.options if o.points > 0]
        elif q.qtype == "number":
            raw.number = str(max(q.number_bands, key=lambda b: b[1])[0])
        elif q.qtype == "text":
            raw.text = "我们每季度检查分包商的劳动合同和工资发放记录。"
        if with_files and (q.qtype == "file" or saq.needs_evidence(q, raw.choices, True)):
            raw.upload = attachments.Upload(f"{q.code}.pdf", PDF)
        answers[q.id] = raw
    return answers


def gen_response(session, supplier: Supplier, tmp_path, questionnaire: Questionnaire | None = None,
                 submit: bool = True, actor: User | None = None) -> SaqResponse:
    """A response with the best answers, submitted unless asked otherwise."""
    questionnaire = questionnaire or saq.current(session) or gen_questionnaire(session)
    response = saq.start(session, supplier, actor, questionnaire)
    return saq.save_answers(session, response, best_answers(response.questionnaire), store(tmp_path), actor,
                            NOW, submit=submit)


def accept_all(session, response: SaqResponse, reviewer: User | None = None,
               today: date = TODAY) -> SaqResponse:
    """Procurement accepts every pending answer."""
    decisions = {a.id: saq.Decision("accepted") for a in response.answers if a.review_state == "pending"}
    return saq.review(session, response, decisions, reviewer, NOW, today)


def gen_invitation(session, supplier: Supplier | None = None, email: str | None = None,
                   actor: User | None = None, now: datetime = NOW, grants_admin: bool = True,
                   **changes) -> Invitation:
    """A pending invitation (change used_at, revoked_at or expires_at through keyword arguments)."""
    supplier = supplier or gen_supplier(session)
    email = email or f"contact{next(_counter)}@example.cn"
    invitation = invitations.create_invitation(
        session, supplier, invitations.InvitationData(email=email, name="李娜", grants_admin=grants_admin),
        actor, now)
    for key, value in changes.items():
        setattr(invitation, key, value)
    session.flush()
    return invitation


def token(invitation: Invitation) -> str:
    """The signed token of an invitation for the test app."""
    return invitations.token_for(invitation, SECRET)


def gen_portal_user(session, supplier: Supplier | None = None, admin: bool = True, **kwargs) -> User:
    """A supplier user of the supplier with a portal membership (administrator unless asked otherwise)."""
    supplier = supplier or gen_supplier(session)
    user = gen_user(session, "supplier", supplier=supplier, **kwargs)
    session.add(PortalMember(user_id=user.id, supplier_id=supplier.id, is_admin=admin))
    session.flush()
    return user


def gen_change_request(session, supplier: Supplier, actor: User | None = None, tmp_path=None,
                       **changes) -> ChangeRequest:
    """A pending request to rename the supplier."""
    data = change_requests.ChangeRequestData(
        name_zh=changes.get("name_zh", supplier.name_zh + "（更名）"),
        name_en=changes.get("name_en", supplier.name_en or ""),
        credit_code=changes.get("credit_code", supplier.credit_code or ""),
        reason=changes.get("reason", "营业执照变更"))
    # Without a file the store is never written to.
    folder = store(tmp_path) if tmp_path else attachments.Store(Path("unused"), 1)
    return change_requests.submit_request(session, supplier, data, None, folder, actor, NOW)


def days(n: int) -> timedelta:
    """A shorthand for timedelta(days=n)."""
    return timedelta(days=n)
