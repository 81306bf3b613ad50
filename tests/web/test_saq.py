"""The questionnaire on the web: answers, type errors, missing evidence, review, clarification, editing."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from supplychain.models import Questionnaire, SaqResponse
from tests.evidence_factories import PDF
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import MINIMAL, gen_portal_user, gen_questionnaire, question
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}


def _start(client, session, definition=None):
    questionnaire = gen_questionnaire(session, definition)
    supplier = gen_supplier(session)
    user = gen_portal_user(session, supplier)
    session.commit()
    login(client, user.email)
    page = client.get("/portal/saq", headers=EN)
    assert client.post("/portal/saq/start", data={"csrf_token": csrf_token(page.text)}).status_code == 302
    return questionnaire, supplier


def _answer_page(client):
    page = client.get("/portal/saq/answer", headers=EN)
    return page, re.search(r'name="response_id" type="hidden" value="(\d+)"', page.text).group(1)


def _post_answers(client, data: dict, button="save"):
    page, response_id = _answer_page(client)
    payload = {"csrf_token": csrf_token(page.text), "response_id": response_id, button: "1", **data}
    return client.post("/portal/saq/answer", data=payload, headers=EN, content_type="multipart/form-data")


def _full_minimal(questionnaire, **overrides) -> dict:
    q = {c: question(questionnaire, c).id for c in ("ENV-01", "LAB-01", "HS-01", "ETH-01", "MS-01", "SP-01")}
    data = {
        f"q-{q['ENV-01']}": "yes",
        f"q-{q['ENV-01']}-file": (io.BytesIO(PDF), "ISO14001.pdf"),
        f"q-{q['LAB-01']}": ["contract", "insurance"],
        f"q-{q['HS-01']}": "0",
        f"q-{q['ETH-01']}": "independent",
        f"q-{q['MS-01']}": "专人负责 ESG",
        f"q-{q['SP-01']}-file": (io.BytesIO(PDF), "行为准则.pdf"),
    }
    data.update(overrides)
    return data


def test_a_draft_keeps_the_answers_and_the_page_shows_them(client, session):
    questionnaire, supplier = _start(client, session, MINIMAL)
    hs = question(questionnaire, "HS-01").id
    response = _post_answers(
        client, {f"q-{hs}": "２", f"q-{question(questionnaire, 'ETH-01').id}": "internal"}
    )
    assert response.status_code == 302
    page = client.get("/portal/saq/answer", headers=EN)
    assert f'name="q-{hs}" id="q-{hs}" value="2"' in page.text
    saved = session.scalar(select(SaqResponse))
    assert saved.status == "draft" and {a.question.code: a.points for a in saved.answers} == {
        "HS-01": 5,
        "ETH-01": 5,
    }


def test_answers_of_the_wrong_type_are_refused_with_the_values_kept(client, session):
    questionnaire, _supplier = _start(client, session, MINIMAL)
    hs, env, eth = (question(questionnaire, c).id for c in ("HS-01", "ENV-01", "ETH-01"))
    response = _post_answers(
        client, {f"q-{hs}": "three", f"q-{env}": "maybe", f"q-{eth}": ["none", "internal"]}
    )
    assert response.status_code == 200
    for message in (
        "HS-01: Enter a number, like 12 or 3.5.",
        "ENV-01: Choose from the options given.",
        "ETH-01: Choose one option only.",
        "Nothing was saved.",
    ):
        assert message in response.text
    assert 'value="three"' in response.text  # what was typed is shown again
    assert session.scalar(select(SaqResponse)).answers == []


def test_submitting_lists_every_missing_answer_and_evidence_at_once(client, session):
    questionnaire, _supplier = _start(client, session, MINIMAL)
    env, hs = question(questionnaire, "ENV-01").id, question(questionnaire, "HS-01").id
    response = _post_answers(client, {f"q-{env}": "yes", f"q-{hs}": "1"}, button="submit")
    assert response.status_code == 200
    for message in (
        "ENV-01 needs its evidence: upload a file.",
        "LAB-01 needs an answer.",
        "ETH-01 needs an answer.",
        "SP-01 needs an answer.",
    ):
        assert message in response.text
    assert "MS-01 needs" not in response.text  # optional
    saved = session.scalar(select(SaqResponse))
    assert saved.status == "draft" and saved.answers == []  # nothing saved, not even the draft part


def test_submit_review_clarify_resubmit_and_accept(client, session):
    questionnaire, supplier = _start(client, session, MINIMAL)
    assert _post_answers(client, _full_minimal(questionnaire), button="submit").status_code == 302
    response = session.scalar(select(SaqResponse))
    assert response.status == "submitted"
    answers = {a.question.code: a.id for a in response.answers}
    assert "Submitted, under review" in client.get("/portal/saq", headers=EN).text
    # Procurement asks about the injuries figure.
    buyer = gen_user(session, "procurement")
    session.commit()
    staff = client.application.test_client()
    login(staff, buyer.email)
    assert supplier.name_zh in staff.get("/saq-reviews/", headers=EN).text
    page = staff.get(f"/saq-reviews/{response.id}", headers=EN)
    assert "ISO14001.pdf" in page.text
    decisions = {f"decision-{aid}": "accepted" for aid in answers.values()}
    decisions[f"decision-{answers['HS-01']}"] = "clarification"
    missing = staff.post(
        f"/saq-reviews/{response.id}", headers=EN,
        data={"csrf_token": csrf_token(page.text), "confirm": "y", **decisions},
    )
    assert missing.status_code == 200 and "HS-01: say what needs clarifying." in missing.text
    asked = staff.post(
        f"/saq-reviews/{response.id}",
        data={
            "csrf_token": csrf_token(page.text),
            "confirm": "y",
            **decisions,
            f"comment-{answers['HS-01']}": "请提供事故台账",
        },
    )
    assert asked.status_code == 302
    # The supplier sees the question reopened, only that one can change.
    form = client.get("/portal/saq/answer", headers=EN)
    assert (
        "请提供事故台账" in form.text and f'name="q-{question(questionnaire, "ENV-01").id}"' not in form.text
    )
    hs = question(questionnaire, "HS-01").id
    resubmitted = _post_answers(
        client, {f"q-{hs}": "2", f"q-{question(questionnaire, 'ETH-01').id}": "none"}, button="submit"
    )
    assert resubmitted.status_code == 302
    session.expire_all()
    response = session.get(SaqResponse, response.id)
    assert response.status == "submitted" and response.submit_count == 2
    assert {a.question.code: a.choices for a in response.answers}["ETH-01"] == ["independent"]
    # Procurement accepts the rest; the score appears and feeds the facts.
    page = staff.get(f"/saq-reviews/{response.id}", headers=EN)
    done = staff.post(
        f"/saq-reviews/{response.id}",
        data={"csrf_token": csrf_token(page.text), "confirm": "y", f"decision-{answers['HS-01']}": "accepted"},
        follow_redirects=True,
        headers=EN,
    )
    assert "the ESG self-assessment score is now" in done.text
    session.expire_all()
    response = session.get(SaqResponse, response.id)
    assert response.status == "reviewed" and response.theme_scores["health_safety"] == 50.0
    assert re.search(r"data-esg-score>\s*" + re.escape(str(response.total_score)), done.text)
    assert "Reviewed" in client.get(f"/portal/saq/{response.id}", headers=EN).text


def test_reviewers_and_auditors_read_but_do_not_review(client, session):
    supplier = gen_supplier(session)
    questionnaire = gen_questionnaire(session, MINIMAL)
    response = SaqResponse(supplier_id=supplier.id, questionnaire_id=questionnaire.id, status="submitted")
    session.add(response)
    auditor = gen_user(session, "auditor")
    session.commit()
    login(client, auditor.email)
    page = client.get(f"/saq-reviews/{response.id}", headers=EN)
    assert page.status_code == 200 and "Record the review" not in page.text
    assert (
        client.post(f"/saq-reviews/{response.id}", data={"csrf_token": csrf_token(page.text)}).status_code
        == 403
    )


def _new_version_by_an_admin(client, session):
    """A published questionnaire, an admin logged in, and the new draft version the admin made of it."""
    published = gen_questionnaire(session, MINIMAL)
    admin = gen_user(session, "admin")
    session.commit()
    login(client, admin.email)
    page = client.get(f"/admin/saq/{published.id}", headers=EN)
    client.post(f"/admin/saq/{published.id}/new-version", data={"csrf_token": csrf_token(page.text)})
    return published, admin, session.scalar(select(Questionnaire).where(Questionnaire.status == "draft"))


def test_admins_edit_a_new_version_and_publish_it(client, session):
    published, _admin, draft = _new_version_by_an_admin(client, session)
    assert draft.version == 2 and len(draft.questions) == len(published.questions)
    form = client.get(f"/admin/saq/{draft.id}/questions/new", headers=EN)
    bad = client.post(
        f"/admin/saq/{draft.id}/questions/new",
        headers=EN,
        data={
            "csrf_token": csrf_token(form.text),
            "code": "ENV-01",
            "theme": "environment",
            "qtype": "yes_no",
            "text_zh": "",
            "text_en": "x",
            "options-0-value": "yes",
            "options-0-label_zh": "是",
            "options-0-label_en": "Yes",
            "options-0-points": "5",
        },
    )
    assert bad.status_code == 200
    for message in (
        "Another question of this version has this code.",
        "This field is required.",
        "A yes/no question has exactly the options",
    ):
        assert message in bad.text
    good = client.post(
        f"/admin/saq/{draft.id}/questions/new",
        data={
            "csrf_token": csrf_token(form.text),
            "code": "ENV-09",
            "theme": "environment",
            "qtype": "number",
            "text_zh": "单位产值能耗下降比例（%）",
            "text_en": "Energy intensity reduction (%)",
            "required": "y",
            "bands-0-minimum": "0",
            "bands-0-points": "0",
            "bands-1-minimum": "5",
            "bands-1-points": "10",
        },
    )
    assert good.status_code == 302
    view = client.get(f"/admin/saq/{draft.id}", headers=EN)
    client.post(f"/admin/saq/{draft.id}/publish", data={"csrf_token": csrf_token(view.text)})
    session.expire_all()
    assert session.get(Questionnaire, draft.id).status == "published"
    assert session.get(Questionnaire, published.id).status == "retired"
    added = next(q for q in session.get(Questionnaire, draft.id).questions if q.code == "ENV-09")
    assert added.number_bands == [[0.0, 0.0], [5.0, 10.0]]
    # A published version is read-only.
    frozen = client.post(
        f"/admin/saq/questions/{added.id}",
        headers=EN,
        data={
            "csrf_token": csrf_token(view.text),
            "code": "ENV-09",
            "theme": "environment",
            "qtype": "text",
            "text_zh": "改",
            "text_en": "changed",
            "points": "1",
        },
    )
    assert "A published version never changes" in frozen.text


def test_a_draft_header_without_titles_is_refused_per_field_and_a_good_one_is_saved_and_audited(client, session):
    from supplychain.models import AuditEntry

    _published, admin, _draft = _new_version_by_an_admin(client, session)

    def titles():
        return session.execute(select(Questionnaire.id, Questionnaire.title_zh, Questionnaire.title_en)
                               .where(Questionnaire.status == "draft")).one()
    draft_id, title_zh, title_en = titles()
    form = client.get(f"/admin/saq/{draft_id}/header", headers=EN)
    bad = client.post(f"/admin/saq/{draft_id}/header", headers=EN, data={
        "csrf_token": csrf_token(form.text), "title_zh": " ", "title_en": "", "intro_zh": "<b>说明</b>"})
    assert bad.status_code == 200
    assert bad.text.count("This field is required.") == 2  # both titles, at once
    assert "&lt;b&gt;说明&lt;/b&gt;" in bad.text  # what was typed is kept, escaped
    assert titles() == (draft_id, title_zh, title_en)
    good = client.post(f"/admin/saq/{draft_id}/header", headers=EN, data={
        "csrf_token": csrf_token(form.text), "title_zh": "供应商 ESG 问卷 2027", "title_en": "Supplier ESG 2027"})
    assert good.status_code == 302 and good.headers["Location"].endswith(f"/admin/saq/{draft_id}")
    assert titles() == (draft_id, "供应商 ESG 问卷 2027", "Supplier ESG 2027")
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "saq_questionnaire",
                                                    AuditEntry.entity_id == draft_id, AuditEntry.action == "update"))
    assert entry.changes["title_en"] == [title_en, "Supplier ESG 2027"] and entry.actor_id == admin.id
