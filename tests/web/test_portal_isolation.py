"""A supplier user sees and changes nothing of another supplier: ids in URLs or hidden fields give 404."""

from __future__ import annotations

import io

import pytest

from supplychain.models import CorrectiveAction, Invitation, SaqResponse, Supplier
from supplychain.services.evidence import pledges
from tests.evidence_factories import (
    PDF,
    gen_action,
    gen_attendance,
    gen_certificate,
    gen_template,
    gen_training,
)
from tests.factories import gen_supplier
from tests.portal_factories import (
    MINIMAL,
    NOW,
    accept_all,
    gen_invitation,
    gen_portal_user,
    gen_questionnaire,
    gen_response,
)
from tests.report_factories import gen_final_evaluation
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}


@pytest.fixture
def two_suppliers(client, session, tmp_path):
    """Supplier A's user logged in; supplier B with one of everything."""
    mine = gen_supplier(session, name_zh="甲方自己的供应商有限公司")
    theirs = gen_supplier(session, name_zh="乙方保密供应商有限公司")
    user = gen_portal_user(session, mine)
    other_user = gen_portal_user(session, theirs)
    questionnaire = gen_questionnaire(session, MINIMAL)
    their_response = gen_response(session, theirs, tmp_path, questionnaire)
    accept_all(session, their_response)
    template = gen_template(session, "integrity")
    their_pledge = pledges.sign_in_portal(
        session, theirs, template, "李四", "经理", other_user, NOW, "198.51.100.1", "UA"
    )
    their_action = gen_action(session, theirs)
    their_cert = gen_certificate(session, theirs, cert_type="iso14001", number="THEIRS-14001")
    training = gen_training(session, title="乙方专属培训")
    gen_attendance(session, training, theirs)
    their_invitation = gen_invitation(session, theirs, email="secret.contact@example.cn")
    their_evaluation = gen_final_evaluation(session, theirs)
    session.commit()
    login(client, user.email)
    return {
        "mine": mine,
        "theirs": theirs,
        "response": their_response.id,
        "pledge": their_pledge.id,
        "action": their_action.id,
        "cert_attachment": their_cert.attachment_id,
        "evidence": next(a.attachment_id for a in their_response.answers if a.attachment_id),
        "invitation": their_invitation.id,
        "evaluation": their_evaluation.id,
    }


def test_every_portal_url_with_another_suppliers_id_is_not_found(client, two_suppliers):
    ids = two_suppliers
    for url in (
        f"/portal/saq/{ids['response']}",
        f"/portal/pledges/{ids['pledge']}/pdf",
        f"/portal/actions/{ids['action']}",
        f"/portal/scorecards/{ids['evaluation']}/pdf",
        f"/attachments/{ids['evidence']}",
    ):
        response = client.get(url, headers=EN)
        assert response.status_code == 404, url
        assert "乙方保密供应商有限公司" not in response.text


def test_posts_naming_another_suppliers_objects_are_not_found_and_change_nothing(
    client, session, two_suppliers
):
    ids = two_suppliers
    token = csrf_token(client.get("/portal/").text)
    upload = {"csrf_token": token, "note": "篡改", "evidence": (io.BytesIO(PDF), "x.pdf")}
    assert (
        client.post(
            f"/portal/actions/{ids['action']}", data=upload, content_type="multipart/form-data"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/portal/team/invitations/{ids['invitation']}/revoke", data={"csrf_token": token}
        ).status_code
        == 404
    )
    session.expire_all()
    assert session.get(CorrectiveAction, ids["action"]).status == "open"
    assert session.get(Invitation, ids["invitation"]).revoked_at is None


def test_another_suppliers_response_id_in_the_hidden_field_is_not_found(client, session, two_suppliers):
    ids = two_suppliers
    page = client.get("/portal/saq", headers=EN)
    client.post("/portal/saq/start", data={"csrf_token": csrf_token(page.text)})
    form = client.get("/portal/saq/answer", headers=EN)
    assert form.status_code == 200
    response = client.post(
        "/portal/saq/answer",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_token(form.text), "response_id": str(ids["response"]), "submit": "1"},
    )
    assert response.status_code == 404
    session.expire_all()
    theirs = session.get(SaqResponse, ids["response"])
    assert theirs.status == "reviewed" and theirs.submit_count == 1


def test_a_supplier_id_slipped_into_a_form_is_ignored(client, session, two_suppliers):
    ids = two_suppliers
    theirs_address = ids["theirs"].address
    token = csrf_token(client.get("/portal/profile").text)
    response = client.post(
        "/portal/profile",
        data={
            "csrf_token": token,
            "supplier_id": str(ids["theirs"].id),
            "address": "被改的地址",
            "contacts-0-name": "王五",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Supplier, ids["theirs"].id).address == theirs_address
    assert session.get(Supplier, ids["mine"].id).address == "被改的地址"


def test_lists_show_only_the_suppliers_own_records(client, two_suppliers):
    for url in (
        "/portal/",
        "/portal/certificates",
        "/portal/pledges",
        "/portal/saq",
        "/portal/training",
        "/portal/actions",
        "/portal/scorecards",
        "/portal/team",
        "/portal/profile",
    ):
        text = client.get(url, headers=EN).text
        for secret in (
            "乙方保密供应商有限公司",
            "THEIRS-14001",
            "乙方专属培训",
            "secret.contact@example.cn",
            "李四",
        ):
            assert secret not in text, (url, secret)


def test_the_scorecard_of_the_suppliers_own_final_evaluation_downloads(client, session, two_suppliers):
    evaluation = gen_final_evaluation(session, two_suppliers["mine"])
    session.commit()
    assert f"/portal/scorecards/{evaluation.id}/pdf" in client.get("/portal/scorecards").text
    response = client.get(f"/portal/scorecards/{evaluation.id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
