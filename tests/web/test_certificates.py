"""Certificate pages and `flask certificates expiring`: bad uploads, verification, expiry list, e-mail."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from supplychain.models import Attachment, Certification
from supplychain.services.evidence import certifications
from tests.evidence_factories import ELF, EXE, HTML, JPEG, gen_certificate
from tests.factories import gen_category, gen_supplier, gen_user
from tests.web.helpers import logged_in_with_supplier, post_form

EN = {"Accept-Language": "en"}


def _form(**values):
    data = {"cert_type": "iso9001", "other_name": "", "number": "00124Q30001R1M",
            "issuer": "中国质量认证中心", "scope": "铸件的设计和生产", "issued_on": "2025-01-10",
            "expires_on": "2028-01-09"}
    data.update(values)
    return data


def test_record_a_certificate_with_a_jpeg_scan(client, session):
    user, supplier = logged_in_with_supplier(client, session)
    data = _form(scan=(io.BytesIO(JPEG), "质量管理体系认证证书.jpg"))
    response = post_form(client, f"/certificates/suppliers/{supplier.id}/new", data,
                         content_type="multipart/form-data")
    assert response.status_code == 302
    cert = session.scalar(select(Certification))
    assert cert.created_by_id == user.id and cert.attachment.content_type == "image/jpeg"
    page = client.get(f"/suppliers/{supplier.id}", headers=EN)
    assert 'data-cert="iso9001"' in page.text and 'data-status="unverified"' in page.text


@pytest.mark.parametrize(("payload", "name", "message"), [
    (HTML, "证书.pdf", "This file is a web page (HTML)."),
    (ELF, "certificate.pdf", "This file is a program"),
    (EXE, "scan.pdf.exe", "This file is a program"),
    (b"", "empty.pdf", "The file is empty."),
])
def test_bad_uploads_are_refused_and_nothing_saved(client, session, payload, name, message):
    _user, supplier = logged_in_with_supplier(client, session)
    data = _form(scan=(io.BytesIO(payload), name))
    response = post_form(client, f"/certificates/suppliers/{supplier.id}/new", data, headers=EN,
                         content_type="multipart/form-data")
    assert response.status_code == 200 and message in response.text
    assert session.scalar(select(func.count(Certification.id))) == 0
    assert session.scalar(select(func.count(Attachment.id))) == 0


def test_expiry_before_issue_and_other_problems_at_once(client, session):
    _user, supplier = logged_in_with_supplier(client, session)
    data = _form(cert_type="other", number="", issued_on=(date.today() + timedelta(days=2)).isoformat(),
                 expires_on=(date.today() + timedelta(days=1)).isoformat())
    response = post_form(client, f"/certificates/suppliers/{supplier.id}/new", data, headers=EN)
    for text in ("Name the certificate when the type is &#34;other&#34;.", "This field is required.",
                 "The issue date cannot be in the future.", "The expiry date must be after the issue date."):
        assert text in response.text
    assert session.scalar(select(func.count(Certification.id))) == 0


def test_verify_then_edit_dates_voids_the_verification(client, session):
    user, supplier = logged_in_with_supplier(client, session, "admin")
    cert = gen_certificate(session, supplier, verified_on=None)
    session.commit()
    blank = {"method": "", "verified_on": ""}
    response = post_form(client, f"/certificates/{cert.id}/verify", blank, headers=EN)
    assert "Choose how the certificate was checked." in response.text
    response = post_form(client, f"/certificates/{cert.id}/verify",
                         {"method": "original_seen", "verified_on": date.today().isoformat()})
    assert response.status_code == 302
    checked = session.get(Certification, cert.id)
    assert (checked.verified_by_id, checked.verification_method) == (user.id, "original_seen")
    edited = _form(number=cert.number, expires_on="2029-01-01")
    assert post_form(client, f"/certificates/{cert.id}/edit", edited).status_code == 302
    assert session.get(Certification, cert.id).verified_on is None


def test_a_reviewer_may_verify_but_not_edit(client, session):
    _user, supplier = logged_in_with_supplier(client, session, "reviewer")
    cert = gen_certificate(session, supplier, verified_on=None)
    session.commit()
    assert client.get(f"/certificates/{cert.id}/verify").status_code == 200
    assert client.get(f"/certificates/{cert.id}/edit").status_code == 403


def test_expiry_page_on_the_boundary_days(client, session):
    _user, supplier = logged_in_with_supplier(client, session, "auditor")
    n = 60
    today_cert = gen_certificate(session, supplier, "iso9001", expires_on=date.today())
    in_n = gen_certificate(session, supplier, "iso14001", expires_on=date.today() + timedelta(days=n))
    later = gen_certificate(session, supplier, "iso45001", expires_on=date.today() + timedelta(days=n + 1))
    gone = gen_certificate(session, supplier, "iso50001", expires_on=date.today() - timedelta(days=1))
    session.commit()
    page = client.get(f"/certificates/?days={n}", headers=EN).text
    for cert in (today_cert, in_n, gone):
        assert f'data-cert="{cert.id}"' in page
    assert f'data-cert="{later.id}"' not in page
    expired_only = client.get("/certificates/?status=expired").text
    assert f'data-cert="{gone.id}"' in expired_only and f'data-cert="{today_cert.id}"' not in expired_only
    assert client.get("/certificates/?days=abc&type=nope&region=moon").status_code == 200


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["certificates", "expiring", *args])


def test_command_lists_expiring_and_expired_on_the_boundary_days(app, session):
    supplier = gen_supplier(session, status="qualified")
    gen_category(session)
    day = date(2026, 6, 30)
    for cert_type, offset in (("iso9001", 0), ("iso14001", 60), ("iso45001", 61), ("iso50001", -1)):
        gen_certificate(session, supplier, cert_type, issued_on=date(2023, 1, 1),
                        expires_on=day + timedelta(days=offset))
    session.commit()
    result = _run(app, "--days", "60", "--today", day.isoformat())
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2026-06-29", "2026-06-30", "2026-08-29"]
    assert lines[0].split("\t")[1:3] == ["expired", "expired"] and lines[1].split("\t")[1] == "0d"
    assert "3 certificates: 2 expiring within 60 days, 1 expired." in result.stderr
    assert "No MAIL_SERVER configured" in result.stderr
    assert _run(app, "--today", "30/06/2026").exit_code == 2


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what would be sent."""

    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


def test_command_emails_the_supplier_and_the_buyer_once_when_smtp_is_configured(app, session, monkeypatch):
    buyer = gen_user(session, "procurement", email="buyer@example.com")
    supplier = gen_supplier(session, status="qualified")
    cert = gen_certificate(session, supplier, expires_on=date(2026, 7, 10))
    cert.created_by_id = buyer.id
    session.commit()
    FakeSMTP.sent = []
    monkeypatch.setattr(certifications.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.com")
    result = _run(app, "--today", "2026-06-30")
    assert result.exit_code == 0 and "2 e-mails sent." in result.stderr, result.stderr
    # Through the notifications (issue 13): one e-mail per recipient, recorded, never sent twice.
    assert sorted(m["To"] for m in FakeSMTP.sent) == sorted([supplier.contacts[0].email, "buyer@example.com"])
    assert all("10 天后" in m.get_content() for m in FakeSMTP.sent)
    FakeSMTP.sent = []
    again = _run(app, "--today", "2026-06-30")
    assert "0 new notifications" in again.stderr and "0 e-mails sent." in again.stderr and FakeSMTP.sent == []
    quiet = _run(app, "--today", "2026-06-30", "--no-mail")
    assert "e-mails sent" not in quiet.stderr and FakeSMTP.sent == []
