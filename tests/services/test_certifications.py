"""Certificates: status on the boundary days, recording rules, verification, the expiry list, e-mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from supplychain.errors import ValidationFailed
from supplychain.models import Attachment, AuditEntry, Certification
from supplychain.services.core import attachments
from supplychain.services.evidence import certifications
from tests.evidence_factories import ELF, PDF, gen_certificate
from tests.factories import gen_supplier, gen_user

TODAY = date(2026, 6, 30)
N = 60


@pytest.fixture
def store(tmp_path):
    return attachments.Store(tmp_path, 1024 * 1024)


@pytest.mark.parametrize(("expires_in", "status"), [
    (None, "valid"), (-1, "expired"), (0, "expiring"), (1, "expiring"), (N, "expiring"), (N + 1, "valid"),
])
def test_expiry_status_on_the_boundary_days(expires_in, status):
    expires_on = None if expires_in is None else TODAY + timedelta(days=expires_in)
    assert certifications.expiry_status(expires_on, TODAY, N) == status


def test_certificate_status_puts_expired_before_unverified_before_dates(session):
    supplier = gen_supplier(session)
    soon = TODAY + timedelta(days=10)
    verified = gen_certificate(session, supplier, expires_on=soon)
    assert certifications.certificate_status(verified, TODAY, N) == "expiring"
    unverified = gen_certificate(session, supplier, expires_on=soon, verified_on=None)
    assert certifications.certificate_status(unverified, TODAY, N) == "unverified"
    old = gen_certificate(session, supplier, expires_on=TODAY - timedelta(days=1), verified_on=None)
    assert certifications.certificate_status(old, TODAY, N) == "expired"
    assert certifications.days_left(old, TODAY) == -1


def _data(**changes) -> certifications.CertificateData:
    values = dict(cert_type="iso14001", number="04424E30001R0M", issuer="中国质量认证中心",
                  scope="铸件的生产", issued_on=date(2024, 5, 1), expires_on=date(2027, 4, 30))
    values.update(changes)
    return certifications.CertificateData(**values)


def test_record_with_scan_and_audit(session, store):
    supplier, user = gen_supplier(session), gen_user(session)
    upload = attachments.Upload("证书.jpg", PDF)
    cert = certifications.save_certificate(session, supplier, _data(), upload, store, user, TODAY)
    assert cert.attachment.original_name == "证书.pdf" and cert.created_by_id == user.id
    assert not cert.verified
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "certification"))
    assert entry.supplier_id == supplier.id and entry.changes["number"] == [None, "04424E30001R0M"]


def test_every_problem_at_once_and_nothing_saved(session, store):
    supplier = gen_supplier(session)
    data = _data(cert_type="other", other_name="", number="", issuer=" ",
                 issued_on=TODAY + timedelta(days=1), expires_on=TODAY)
    upload = attachments.Upload("a.pdf", ELF)
    with pytest.raises(ValidationFailed) as failed:
        certifications.save_certificate(session, supplier, data, upload, store, None, TODAY)
    assert set(failed.value.errors) == {"other_name", "number", "issuer", "issued_on", "expires_on", "scan"}
    assert session.scalar(select(func.count(Certification.id))) == 0
    assert session.scalar(select(func.count(Attachment.id))) == 0


def test_expiry_must_be_after_issue(session, store):
    supplier = gen_supplier(session)
    for expires_on in (date(2024, 5, 1), date(2024, 4, 30)):
        with pytest.raises(ValidationFailed) as failed:
            data = _data(expires_on=expires_on)
            certifications.save_certificate(session, supplier, data, None, store, None, TODAY)
        assert "after the issue date" in str(failed.value.errors["expires_on"][0])
    data = _data(expires_on=None)
    assert certifications.save_certificate(session, supplier, data, None, store, None, TODAY)


def test_the_same_number_twice_is_refused(session, store):
    supplier = gen_supplier(session)
    certifications.save_certificate(session, supplier, _data(), None, store, None, TODAY)
    with pytest.raises(ValidationFailed) as failed:
        certifications.save_certificate(session, supplier, _data(), None, store, None, TODAY)
    assert "number" in failed.value.errors


def test_verification_records_who_when_how_and_a_changed_identity_voids_it(session, store):
    supplier, reviewer = gen_supplier(session), gen_user(session, "reviewer")
    cert = certifications.save_certificate(session, supplier, _data(), None, store, None, TODAY)
    with pytest.raises(ValidationFailed) as failed:
        certifications.verify_certificate(session, cert, "guess", TODAY + timedelta(days=1), reviewer, TODAY)
    assert set(failed.value.errors) == {"method", "verified_on"}
    certifications.verify_certificate(session, cert, "cnca_register", TODAY, reviewer, TODAY)
    assert (cert.verified_by_id, cert.verified_on, cert.verified) == (reviewer.id, TODAY, True)
    certifications.save_certificate(session, supplier, _data(scope="新范围"), None, store, None, TODAY, cert)
    assert cert.verified  # the scope is not what was checked
    certifications.save_certificate(session, supplier, _data(expires_on=date(2028, 1, 1)), None, store, None,
                                    TODAY, cert)
    assert not cert.verified and cert.verification_method is None


def test_delete_needs_a_reason(session):
    cert = gen_certificate(session, gen_supplier(session))
    with pytest.raises(ValidationFailed):
        certifications.delete_certificate(session, cert, "", None)
    certifications.delete_certificate(session, cert, "重复录入", None)
    assert session.scalar(select(func.count(Certification.id))) == 0
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "delete"))
    assert entry.changes["cert_type"] == ["iso9001", None]


def test_expiry_list_leaves_out_renewed_and_inactive_and_filters(session):
    active = gen_supplier(session, status="qualified")
    exited = gen_supplier(session, status="exited")
    today_cert = gen_certificate(session, active, "iso9001", expires_on=TODAY)
    in_n = gen_certificate(session, active, "iso14001", expires_on=TODAY + timedelta(days=N))
    gen_certificate(session, active, "iso45001", expires_on=TODAY + timedelta(days=N + 1))
    expired = gen_certificate(session, active, "production_licence", expires_on=TODAY - timedelta(days=5))
    renewed_old = gen_certificate(session, active, "iatf16949", expires_on=TODAY - timedelta(days=3))
    gen_certificate(session, active, "iatf16949", issued_on=TODAY - timedelta(days=30),
                    expires_on=TODAY + timedelta(days=1000))
    gen_certificate(session, exited, "iso9001", expires_on=TODAY)
    def listed(**filters):
        return certifications.expiry_list(session, TODAY, certifications.ExpiryFilters(days=N, **filters))

    rows = listed()
    assert [r.cert.id for r in rows] == [expired.id, today_cert.id, in_n.id]
    assert [r.status for r in rows] == ["expired", "expiring", "expiring"]
    assert [r.days_left for r in rows] == [-5, 0, N]
    assert renewed_old.id not in {r.cert.id for r in rows}
    assert [r.cert.id for r in listed(status="expired")] == [expired.id]
    assert [r.cert.id for r in listed(cert_type="iso14001")] == [in_n.id]
    assert listed(region="north") == []
    assert [r.cert.id for r in listed(q=active.name_zh[-4:])] == [expired.id, today_cert.id, in_n.id]
    unverified = gen_certificate(session, active, "sa8000", expires_on=None, verified_on=None)
    assert [r.cert.id for r in listed(status="unverified")] == [unverified.id]


def test_notices_go_to_the_supplier_contacts_and_the_buyer(session):
    buyer = gen_user(session, "procurement", email="buyer@example.com")
    gen_user(session, "procurement", email="other-buyer@example.com")
    supplier = gen_supplier(session, status="qualified")
    cert = gen_certificate(session, supplier, expires_on=TODAY + timedelta(days=7))
    cert.created_by_id = buyer.id
    orphan_supplier = gen_supplier(session, status="qualified")
    gen_certificate(session, orphan_supplier, expires_on=TODAY - timedelta(days=1))
    session.flush()
    rows = certifications.expiry_list(session, TODAY, certifications.ExpiryFilters(days=N))
    notices = {n.supplier.id: n for n in certifications.notices(session, rows)}
    assert notices[supplier.id].to == [supplier.contacts[0].email]
    assert notices[supplier.id].cc == ["buyer@example.com"]
    assert notices[orphan_supplier.id].cc == ["buyer@example.com", "other-buyer@example.com"]
    sent = []
    settings = {"COMPANY_NAME": "示例集团", "MAIL_FROM": "n@x.cn"}
    assert certifications.send_notices(list(notices.values()), settings, sent.append) == 2
    message = next(m for m in sent if m["Subject"].endswith(supplier.name_zh))
    assert message["To"] == supplier.contacts[0].email and message["Cc"] == "buyer@example.com"
    assert cert.number in message.get_content() and "expires in 7 days" in message.get_content()
    assert certifications.smtp_sender({"MAIL_SERVER": None}) is None
