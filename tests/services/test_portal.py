"""Portal services: profile, change requests, certificates, pledges signed online, corrective actions."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from supplychain.errors import ValidationFailed
from supplychain.models import Certification, IntegrityPledge
from supplychain.services.core import attachments
from supplychain.services.evidence import certifications, pledges
from supplychain.services.portal import portal
from supplychain.services.registry import change_requests, suppliers
from tests.evidence_factories import EXE, PDF, gen_action, gen_template
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import NOW, TODAY, gen_change_request, gen_portal_user, store


def test_profile_edits_contacts_and_address_but_never_the_legal_identity(session):
    supplier = gen_supplier(session)
    user = gen_portal_user(session, supplier)
    name, code = supplier.name_zh, supplier.credit_code
    data = portal.ProfileData(
        city="重庆",
        address="两江新区金开大道 99 号",
        contacts=[suppliers.ContactData("赵敏", "023-6666 8888", "zhao@example.cn")],
    )
    portal.update_profile(session, supplier, data, user, TODAY)
    assert (supplier.address, supplier.contacts[0].name, len(supplier.contacts)) == (
        "两江新区金开大道 99 号",
        "赵敏",
        1,
    )
    assert (supplier.name_zh, supplier.credit_code) == (name, code)


def test_profile_errors_are_reported_per_field(session):
    supplier = gen_supplier(session)
    bad = portal.ProfileData(city="x" * 101, contacts=[suppliers.ContactData("", "abc", "not-mail")])
    with pytest.raises(ValidationFailed) as failed:
        portal.update_profile(session, supplier, bad, None, TODAY)
    assert set(failed.value.errors) == {"city", "contact_name", "contact_phone", "contact_email"}
    with pytest.raises(ValidationFailed, match="at least one contact"):
        portal.update_profile(session, supplier, portal.ProfileData(), None, TODAY)


def test_a_name_change_waits_for_procurement_and_approval_applies_it(session):
    supplier = gen_supplier(session)
    user = gen_portal_user(session, supplier)
    buyer = gen_user(session, "procurement")
    old = supplier.name_zh
    request = gen_change_request(session, supplier, user, name_zh="重庆新名称机械有限公司")
    assert supplier.name_zh == old and request.changed_fields() == [
        ("name_zh", old, "重庆新名称机械有限公司")
    ]
    with pytest.raises(ValidationFailed, match="already waiting"):
        gen_change_request(session, supplier, user, name_zh="又一个名字有限公司")
    change_requests.approve(session, request, "已核对营业执照", buyer, NOW, TODAY)
    assert supplier.name_zh == "重庆新名称机械有限公司" and request.status == "approved"
    with pytest.raises(ValidationFailed, match="already decided"):
        change_requests.reject(session, request, "no", buyer, NOW)


def test_an_approval_still_applies_the_registry_rules(session):
    taken = gen_supplier(session)
    supplier = gen_supplier(session)
    request = gen_change_request(session, supplier, credit_code=taken.credit_code)
    with pytest.raises(ValidationFailed) as failed:
        change_requests.approve(session, request, "", None, NOW, TODAY)
    assert "credit_code" in failed.value.errors and request.status == "pending"


def test_change_request_rules_reveal_nothing_about_other_suppliers(session, tmp_path):
    taken = gen_supplier(session)
    supplier = gen_supplier(session)
    same = change_requests.ChangeRequestData(
        name_zh=supplier.name_zh, name_en=supplier.name_en or "", credit_code=supplier.credit_code, reason=""
    )
    with pytest.raises(ValidationFailed) as failed:
        change_requests.submit_request(
            session, supplier, same, attachments.Upload("x.pdf", EXE), store(tmp_path), None, NOW
        )
    assert set(failed.value.errors) == {"name_zh", "reason", "licence"}
    bad_code = change_requests.ChangeRequestData(
        name_zh=taken.name_zh, credit_code="91500000MA5U8A8X1X", reason="改名"
    )
    with pytest.raises(ValidationFailed) as failed:
        change_requests.submit_request(session, supplier, bad_code, None, store(tmp_path), None, NOW)
    assert set(failed.value.errors) == {"credit_code"}
    # A duplicate name is procurement's to see: the request itself is accepted.
    request = change_requests.submit_request(
        session,
        supplier,
        change_requests.ChangeRequestData(
            name_zh=taken.name_zh, credit_code=supplier.credit_code, reason="合并"
        ),
        None,
        store(tmp_path),
        None,
        NOW,
    )
    assert request.status == "pending"


def test_rejection_needs_a_reason(session):
    request = gen_change_request(session, gen_supplier(session))
    with pytest.raises(ValidationFailed, match="why"):
        change_requests.reject(session, request, " ", None, NOW)
    change_requests.reject(session, request, "营业执照不清晰", None, NOW)
    assert request.status == "rejected"


def test_certificates_uploaded_in_the_portal_wait_for_verification(session, tmp_path):
    supplier = gen_supplier(session)
    user = gen_portal_user(session, supplier)
    data = certifications.CertificateData(
        cert_type="iso14001",
        number="CQC-14001-7",
        issuer="中国质量认证中心",
        issued_on=datetime(2025, 1, 1).date(),
        expires_on=datetime(2028, 1, 1).date(),
    )
    with pytest.raises(ValidationFailed, match="Upload a scan"):
        portal.upload_certificate(session, supplier, data, None, store(tmp_path), user, TODAY)
    with pytest.raises(ValidationFailed) as failed:
        portal.upload_certificate(
            session, supplier, data, attachments.Upload("cert.pdf", EXE), store(tmp_path), user, TODAY
        )
    assert "scan" in failed.value.errors
    cert = portal.upload_certificate(
        session, supplier, data, attachments.Upload("证书.pdf", PDF), store(tmp_path), user, TODAY
    )
    assert not cert.verified and cert.attachment.supplier_id == supplier.id
    assert portal.certificates(session, supplier, TODAY, 60) == [(cert, "unverified")]
    assert session.get(Certification, cert.id).created_by_id == user.id


def test_signing_a_pledge_keeps_time_address_browser_and_the_digest_of_the_text(session):
    supplier = gen_supplier(session)
    user = gen_portal_user(session, supplier)
    template = gen_template(session, "integrity")
    moment = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    pledge = portal.sign_pledge(
        session,
        supplier,
        "integrity",
        template.id,
        "王伟",
        "总经理",
        True,
        user,
        moment,
        "203.0.113.9",
        "Mozilla/5.0 Chromium",
    )
    assert (pledge.method, pledge.signed_at, pledge.ip_address, pledge.user_agent) == (
        "portal",
        moment,
        "203.0.113.9",
        "Mozilla/5.0 Chromium",
    )
    expected = hashlib.sha256(
        "\n".join((template.title_zh, template.text_zh, template.title_en, template.text_en)).encode()
    ).hexdigest()
    assert pledge.text_sha256 == expected == pledges.template_digest(template)
    rows = portal.pledge_rows(session, supplier, moment.date())
    assert [(r.kind, r.signed is pledge, r.signed_current) for r in rows] == [("integrity", True, True)]
    pdf = portal.signed_pledge_pdf(pledge, moment)
    assert pdf.startswith(b"%PDF")


def test_signing_without_the_tick_or_a_name_or_against_an_old_text_is_refused(session):
    supplier = gen_supplier(session)
    user = gen_portal_user(session, supplier)
    old = gen_template(session, "integrity")
    gen_template(session, "integrity", effective_on=datetime(2021, 1, 1).date())
    with pytest.raises(ValidationFailed) as failed:
        portal.sign_pledge(session, supplier, "integrity", old.id, "  ", "", False, user, NOW, None, None)
    assert set(failed.value.errors) == {"agree", "signatory_name", "signatory_title"}
    assert "text changed" in " ".join(str(m) for m in failed.value.errors["agree"])
    with pytest.raises(ValidationFailed, match="no text in force"):
        portal.sign_pledge(session, supplier, "nonsense", None, "王伟", "经理", True, user, NOW, None, None)
    assert session.query(IntegrityPledge).count() == 0


def test_lookups_are_scoped_to_the_supplier(session):
    supplier, other = gen_supplier(session), gen_supplier(session)
    action = gen_action(session, other)
    assert portal.action_of(session, supplier, action.id) is None
    assert portal.action_of(session, other, action.id) is action


def test_responding_to_a_corrective_action_with_evidence(session, tmp_path):
    supplier = gen_supplier(session)
    user = gen_portal_user(session, supplier)
    action = gen_action(session, supplier)
    with pytest.raises(ValidationFailed):
        portal.respond_to_action(session, supplier, action, "", None, store(tmp_path), user, TODAY)
    portal.respond_to_action(
        session,
        supplier,
        action,
        "已更换污水处理设备",
        attachments.Upload("整改.pdf", PDF),
        store(tmp_path),
        user,
        TODAY,
    )
    assert action.status == "submitted" and action.evidence.supplier_id == supplier.id
    with pytest.raises(ValidationFailed, match="Already submitted"):
        portal.respond_to_action(session, supplier, action, "again", None, store(tmp_path), user, TODAY)
