"""Portal pages for a supplier user: profile, change requests, certificates, pledges, actions, language."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from supplychain.models import Certification, ChangeRequest, IntegrityPledge, Supplier
from tests.evidence_factories import EXE, PDF, gen_action, gen_attendance, gen_template, gen_training
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import gen_portal_user
from tests.web.helpers import csrf_token, login, post_form

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def _supplier_user(client, session, **kwargs):
    supplier = gen_supplier(session, **kwargs)
    user = gen_portal_user(session, supplier)
    session.commit()
    login(client, user.email)
    return supplier, user


def test_the_home_page_of_a_supplier_user_is_the_portal_with_its_own_navigation(client, session):
    supplier, _user = _supplier_user(client, session)
    response = client.get("/", headers=ZH)
    assert response.status_code == 302 and response.headers["Location"].endswith("/portal/")
    page = client.get("/portal/", headers=ZH)
    assert supplier.name_zh in page.text
    for label in ("公司信息", "证书", "承诺书", "自评问卷", "培训", "整改", "评价记分卡"):
        assert label in page.text
    assert 'data-portal-nav="portal.saq_index"' in page.text
    assert "/suppliers/" not in page.text  # no staff menu
    english = client.get("/portal/", headers=EN)
    assert "Self-assessment" in english.text and "Company profile" in english.text


def test_supplier_users_reach_no_staff_page(client, session):
    _supplier_user(client, session)
    for url in (
        "/suppliers/",
        "/saq-reviews/",
        "/invitations/",
        "/change-requests/",
        "/admin/saq/",
        "/admin/users",
        "/invitations/new",
    ):
        assert client.get(url).status_code == 403, url


def test_staff_reach_no_portal_page(client, session):
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    assert client.get("/portal/").status_code == 403
    assert client.get("/portal/saq").status_code == 403


def test_profile_edits_contacts_and_address(client, session):
    supplier, _user = _supplier_user(client, session)
    response = post_form(
        client,
        "/portal/profile",
        {
            "city": "重庆",
            "address": "两江新区金开大道 99 号",
            "contacts-0-name": "赵敏",
            "contacts-0-phone": "023-66668888",
            "contacts-0-email": "zhao@example.cn",
        },
        headers=EN,
    )
    assert response.status_code == 302
    session.expire_all()
    supplier = session.get(Supplier, supplier.id)
    assert supplier.address == "两江新区金开大道 99 号" and [c.name for c in supplier.contacts] == ["赵敏"]


def test_profile_errors_are_shown_and_nothing_is_saved(client, session):
    supplier, _user = _supplier_user(client, session)
    address = supplier.address
    response = post_form(
        client,
        "/portal/profile",
        {"address": "新地址", "contacts-0-name": "", "contacts-0-phone": "abc", "contacts-0-email": "nope"},
        headers=EN,
    )
    assert response.status_code == 200
    assert "A contact needs a name." in response.text and "Not a valid e-mail address: nope." in response.text
    session.expire_all()
    assert session.get(Supplier, supplier.id).address == address


def test_a_legal_name_change_waits_for_procurement(client, session):
    supplier, _user = _supplier_user(client, session)
    old = supplier.name_zh
    data = {"name_zh": "重庆新名称机械有限公司", "name_en": supplier.name_en, "credit_code": supplier.credit_code,
            "reason": "营业执照变更", "licence": (io.BytesIO(PDF), "营业执照.pdf")}
    response = post_form(client, "/portal/profile/change", data, headers=EN, content_type="multipart/form-data")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Supplier, supplier.id).name_zh == old
    request = session.scalar(select(ChangeRequest))
    assert (
        request.new_name_zh == "重庆新名称机械有限公司" and request.attachment.original_name == "营业执照.pdf"
    )
    page = client.get("/portal/profile", headers=EN)
    assert "A change request is waiting for procurement." in page.text
    # Procurement approves.
    buyer = gen_user(session, "procurement")
    session.commit()
    staff = client.application.test_client()
    login(staff, buyer.email)
    view = staff.get(f"/change-requests/{request.id}", headers=EN)
    assert old in view.text and "重庆新名称机械有限公司" in view.text
    staff.post(
        f"/change-requests/{request.id}/approve",
        data={"csrf_token": csrf_token(view.text), "decision_note": "已核对"},
    )
    session.expire_all()
    assert session.get(Supplier, supplier.id).name_zh == "重庆新名称机械有限公司"
    assert "Approved" in client.get("/portal/profile", headers=EN).text


def test_a_rejected_change_tells_the_supplier_why(client, session):
    supplier, user = _supplier_user(client, session)
    post_form(
        client,
        "/portal/profile/change",
        {"name_zh": "另一个名字有限公司", "credit_code": supplier.credit_code, "reason": "更名"},
        headers=EN,
    )
    request = session.scalar(select(ChangeRequest))
    buyer = gen_user(session, "procurement")
    session.commit()
    staff = client.application.test_client()
    login(staff, buyer.email)
    view = staff.get(f"/change-requests/{request.id}", headers=EN)
    empty = staff.post(
        f"/change-requests/{request.id}/reject",
        headers=EN,
        data={"csrf_token": csrf_token(view.text), "decision_note": ""},
    )
    assert empty.status_code == 200 and "Tell the supplier why" in empty.text
    staff.post(
        f"/change-requests/{request.id}/reject",
        data={"csrf_token": csrf_token(view.text), "decision_note": "营业执照不清晰"},
    )
    assert "营业执照不清晰" in client.get("/portal/profile", headers=EN).text


def test_change_request_errors_are_listed_together(client, session):
    supplier, _user = _supplier_user(client, session)
    data = {"name_zh": "", "credit_code": "915000001234", "reason": "", "licence": (io.BytesIO(EXE), "licence.pdf")}
    response = post_form(client, "/portal/profile/change", data, headers=EN, content_type="multipart/form-data")
    assert response.status_code == 200
    for message in (
        "The Chinese legal name is required.",
        "A Unified Social Credit Code has 18 characters.",
        "Say why the registry must change",
        "This file is a program",
    ):
        assert message in response.text
    assert session.scalar(select(ChangeRequest)) is None


def _upload_certificate(client, data_file, **values):
    page = client.get("/portal/certificates/new")
    data = {
        "csrf_token": csrf_token(page.text),
        "cert_type": "iso14001",
        "number": "CQC-14001-9",
        "issuer": "中国质量认证中心",
        "issued_on": "2025-01-10",
        "expires_on": "2028-01-09",
        **values,
    }
    if data_file is not None:
        data["scan"] = data_file
    return client.post("/portal/certificates/new", data=data, headers=EN, content_type="multipart/form-data")


def test_certificates_are_uploaded_and_wait_for_verification(client, session):
    supplier, user = _supplier_user(client, session)
    assert _upload_certificate(client, (io.BytesIO(PDF), "ISO14001证书.pdf")).status_code == 302
    cert = session.scalar(select(Certification))
    assert cert.supplier_id == supplier.id and cert.verified_on is None and cert.created_by_id == user.id
    page = client.get("/portal/certificates", headers=EN)
    assert 'data-status="unverified"' in page.text and "ISO14001证书.pdf" in page.text
    assert client.get(f"/attachments/{cert.attachment_id}").status_code == 200


def test_certificate_upload_refuses_programs_missing_scans_and_bad_dates(client, session):
    _supplier_user(client, session)
    bad = _upload_certificate(client, (io.BytesIO(EXE), "cert.pdf"), issued_on="2099-01-01", number="")
    assert bad.status_code == 200
    for message in (
        "This file is a program",
        "The issue date cannot be in the future.",
        "This field is required.",
    ):
        assert message in bad.text
    missing = _upload_certificate(client, None)
    assert "Upload a scan of the certificate." in missing.text
    assert session.scalar(select(Certification)) is None


def _sign(client, page, template, headers, **fields):
    """Post the integrity pledge form against `template` with the CSRF token of the sign page read earlier."""
    return client.post("/portal/pledges/integrity/sign", headers=headers,
                       data={"csrf_token": csrf_token(page.text), "template_id": str(template.id), **fields})


def test_signing_a_pledge_in_chinese_and_downloading_the_pdf(client, session):
    supplier, _user = _supplier_user(client, session)
    template = gen_template(session, "integrity")
    session.commit()
    page = client.get("/portal/pledges/integrity/sign", headers=ZH)
    assert template.text_zh in page.text and template.text_en in page.text
    refused = _sign(client, page, template, EN, signatory_name=" ", signatory_title="总经理")
    assert refused.status_code == 200
    assert "Tick the box to agree" in refused.text and "Type your full name to sign." in refused.text
    assert session.scalar(select(IntegrityPledge)) is None
    signed = _sign(client, page, template, ZH, signatory_name="王伟", signatory_title="总经理", agree="y")
    assert signed.status_code == 302
    pledge = session.scalar(select(IntegrityPledge))
    assert (pledge.method, pledge.signatory_name) == ("portal", "王伟") and pledge.user_agent.startswith(
        "Werkzeug"
    )
    assert pledge.ip_address == "127.0.0.1" and len(pledge.text_sha256) == 64 and pledge.signed_at is not None
    listing = client.get("/portal/pledges", headers=EN)
    assert 'data-signed="1"' in listing.text
    pdf = client.get(f"/portal/pledges/{pledge.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).replace(" ", "")
    assert "王伟" in text and supplier.name_zh in text and pledge.text_sha256 in text.replace("\n", "")


def test_signing_against_an_outdated_text_is_refused(client, session):
    _supplier_user(client, session)
    old = gen_template(session, "integrity", effective_on=date(2020, 1, 1))
    session.commit()
    page = client.get("/portal/pledges/integrity/sign")
    gen_template(session, "integrity", effective_on=date.today() - timedelta(days=1))
    session.commit()
    response = _sign(client, page, old, EN, signatory_name="王伟", signatory_title="总经理", agree="y")
    assert response.status_code == 200 and "The text changed while you were reading it" in response.text
    assert session.scalar(select(IntegrityPledge)) is None


def test_an_unknown_pledge_kind_is_not_found(client, session):
    _supplier_user(client, session)
    assert client.get("/portal/pledges/nonsense/sign").status_code == 404


def test_responding_to_a_corrective_action(client, session):
    supplier, _user = _supplier_user(client, session)
    action = gen_action(session, supplier)
    session.commit()
    url = f"/portal/actions/{action.id}"
    empty = post_form(client, url, {"note": ""}, headers=EN)
    assert empty.status_code == 200 and "Describe what was done or attach the evidence." in empty.text
    done = client.post(
        url,
        headers=EN,
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf_token(client.get(url).text),
            "note": "已更换污水处理设备",
            "evidence": (io.BytesIO(PDF), "整改报告.pdf"),
        },
    )
    assert done.status_code == 302
    session.expire_all()
    from supplychain.models import CorrectiveAction

    item = session.get(CorrectiveAction, action.id)
    assert item.status == "submitted" and item.evidence.original_name == "整改报告.pdf"
    assert "整改报告.pdf" in client.get(url).text
    assert "Respond" not in client.get(url, headers=EN).text  # waits for verification


def test_training_records_and_scorecards_pages(client, session):
    supplier, _user = _supplier_user(client, session)
    training = gen_training(session, held_on=date.today() - timedelta(days=30), hours=4)
    gen_attendance(session, training, supplier, head_count=3)
    other = gen_supplier(session)
    hidden = gen_training(session, title="别家的培训")
    gen_attendance(session, hidden, other)
    session.commit()
    page = client.get("/portal/training", headers=EN)
    assert training.title in page.text and "别家的培训" not in page.text
    assert "Training hours in the last 12 months: 4" in page.text
    assert client.get("/portal/scorecards", headers=EN).status_code == 200


def test_values_echoed_in_error_messages_are_escaped(client, session):
    _supplier_user(client, session)
    response = post_form(
        client,
        "/portal/profile",
        {"contacts-0-name": "王伟", "contacts-0-email": "<script>x</script>"},
        headers=EN,
    )
    assert response.status_code == 200
    assert "<script>x</script>" not in response.text and "&lt;script&gt;x&lt;/script&gt;" in response.text
