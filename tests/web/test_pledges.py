"""Pledge pages: recording with a scan (CSRF on, real login), bad input, rates, templates, attachments."""

from __future__ import annotations

import io
from datetime import date, timedelta
from urllib.parse import quote

from sqlalchemy import func, select

from supplychain.models import Attachment, IntegrityPledge, PledgeTemplate
from tests.evidence_factories import HTML, PDF, gen_pledge, gen_requirement, gen_template
from tests.factories import gen_category, gen_supplier, gen_user
from tests.web.helpers import login, post_form

EN = {"Accept-Language": "en"}


def _buyer(client, session, role="procurement"):
    user = gen_user(session, role)
    category = gen_category(session)
    supplier = gen_supplier(session, status="qualified")
    session.commit()
    login(client, user.email)
    return user, supplier, category


def _pledge_form(template, **values):
    data = {"template_id": str(template.id), "signatory_name": "王伟", "signatory_title": "总经理",
            "signed_on": (date.today() - timedelta(days=3)).isoformat(), "valid_until": ""}
    data.update(values)
    return data


def test_record_a_pledge_with_a_chinese_named_scan_and_download_it(client, session):
    _user, supplier, _ = _buyer(client, session)
    template = gen_template(session, "integrity")
    session.commit()
    url = f"/pledges/suppliers/{supplier.id}/new"
    data = _pledge_form(template, scan=(io.BytesIO(PDF), "../../廉洁承诺书.pdf"))
    response = post_form(client, url, data, content_type="multipart/form-data")
    assert response.status_code == 302
    pledge = session.scalar(select(IntegrityPledge))
    assert (pledge.kind, pledge.template_id) == ("integrity", template.id)
    page = client.get(f"/suppliers/{supplier.id}")
    assert 'data-pledge="integrity"' in page.text and 'data-status="valid"' in page.text
    assert "廉洁承诺书.pdf" in page.text
    download = client.get(f"/attachments/{pledge.attachment_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("inline") and f"filename*=UTF-8''{quote('廉洁承诺书.pdf')}" in disposition
    as_file = client.get(f"/attachments/{pledge.attachment_id}?download=1")
    assert as_file.headers["Content-Disposition"].startswith("attachment")


def test_bad_pledge_input_is_reported_at_once_and_nothing_saved(client, session):
    _user, supplier, _ = _buyer(client, session)
    template = gen_template(session, "integrity", effective_on=date.today() + timedelta(days=30))
    session.commit()
    url = f"/pledges/suppliers/{supplier.id}/new"
    data = _pledge_form(template, signatory_name="", signed_on=(date.today() + timedelta(days=1)).isoformat(),
                        valid_until="2020-01-01", scan=(io.BytesIO(HTML), "certificate.pdf"))
    response = post_form(client, url, data, content_type="multipart/form-data", headers=EN)
    assert response.status_code == 200
    for message in ("Enter who signed.", "A signature cannot be dated in the future.",
                    "The end of validity cannot be before the signature.", "This file is a web page (HTML)."):
        assert message in response.text
    data = _pledge_form(template, signed_on=date.today().isoformat())
    response = post_form(client, url, data, headers=EN)
    assert "only takes effect on" in response.text
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 0
    assert session.scalar(select(func.count(Attachment.id))) == 0
    response = post_form(client, url, _pledge_form(template, signed_on="not a date"), headers=EN)
    assert response.status_code == 200 and "Not a valid date value" in response.text


def test_an_upload_over_the_limit_is_refused(client, session, app, monkeypatch):
    _user, supplier, _ = _buyer(client, session)
    template = gen_template(session, "integrity")
    session.commit()
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    big = PDF + b"0" * (1024 * 1024)
    data = _pledge_form(template, scan=(io.BytesIO(big), "big.pdf"))
    response = post_form(client, f"/pledges/suppliers/{supplier.id}/new", data, headers=EN,
                         content_type="multipart/form-data")
    assert response.status_code == 200 and "The file is larger than 1 MB." in response.text
    assert session.scalar(select(func.count(IntegrityPledge.id))) == 0


def test_remove_a_pledge_with_a_reason(client, session):
    _user, supplier, _ = _buyer(client, session)
    pledge = gen_pledge(session, supplier)
    session.commit()
    url = f"/pledges/{pledge.id}/delete"
    response = post_form(client, url, {"reason": ""}, page_url=f"/suppliers/{supplier.id}", headers=EN)
    assert response.status_code == 302 and session.get(IntegrityPledge, pledge.id) is not None
    response = post_form(client, url, {"reason": "录入错误"}, page_url=f"/suppliers/{supplier.id}")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(IntegrityPledge, pledge.id) is None


def test_signing_rate_page_and_missing_list(client, session):
    _user, supplier, category = _buyer(client, session, "auditor")
    gen_requirement(session, category, "pledge", "integrity")
    gen_requirement(session, category, "pledge", "anti_bribery")
    gen_pledge(session, supplier, "integrity", date.today() - timedelta(days=1))
    session.commit()
    page = client.get("/pledges/", headers=EN)
    assert "50.0 %" in page.text and "(1/2)" in page.text
    missing = client.get("/pledges/missing?kind=anti_bribery")
    assert supplier.name_zh in missing.text and "反商业贿赂承诺书" in missing.text


def test_admin_versions_templates_and_a_signed_version_cannot_be_edited(client, session):
    admin = gen_user(session, "admin")
    supplier = gen_supplier(session)
    signed = gen_template(session, "clean_government")
    gen_pledge(session, supplier, "clean_government", template=signed)
    session.commit()
    login(client, admin.email)
    redirect = client.get(f"/pledges/templates/{signed.id}/edit")
    assert redirect.status_code == 302 and f"from={signed.id}" in redirect.headers["Location"]
    form = {"kind": "clean_government", "title_zh": "廉政责任书（2026版）",
            "title_en": "Clean-government letter 2026", "text_zh": "双方共同遵守廉政规定。",
            "text_en": "Both parties observe the rules.", "effective_on": "2026-01-01"}
    response = post_form(client, "/pledges/templates/new", form)
    assert response.status_code == 302
    versions = session.scalars(select(PledgeTemplate.version).where(PledgeTemplate.kind == "clean_government")
                               .order_by(PledgeTemplate.version)).all()
    assert versions == [1, 2]
    page = client.get(response.headers["Location"])
    assert "廉政责任书（2026版）" in page.text
    blank = {**form, "title_zh": "", "effective_on": ""}
    response = post_form(client, "/pledges/templates/new", blank, headers=EN)
    assert response.status_code == 200 and "This field is required." in response.text
    assert "Enter the date the version takes effect." in response.text
