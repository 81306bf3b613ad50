"""Attachments in the database (ATTACHMENT_STORAGE=database, issue 14): any app server serves any file."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from supplychain.models import AttachmentBlob, Certification
from tests.evidence_factories import PNG
from tests.factories import gen_supplier, gen_user
from tests.web.helpers import csrf_token, login


@pytest.fixture
def settings(app):
    """Change app settings for one test and put them back."""
    saved = {key: app.config.get(key) for key in ("ATTACHMENT_STORAGE", "UPLOAD_FOLDER")}
    yield app.config
    app.config.update(saved)


def _upload_certificate(client, supplier) -> Certification:
    url = f"/certificates/suppliers/{supplier.id}/new"
    token = csrf_token(client.get(url).text)
    response = client.post(url, data={"csrf_token": token, "cert_type": "iso14001", "number": "EMS-2024-001",
                                      "issuer": "中国质量认证中心", "issued_on": "2024-01-01",
                                      "expires_on": "2027-01-01", "scan": (io.BytesIO(PNG), "环境体系证书.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.text


def test_a_scan_stored_in_the_database_is_served_by_another_server(app, client, session, settings, tmp_path):
    settings.update(ATTACHMENT_STORAGE="database", UPLOAD_FOLDER=str(tmp_path / "host-a"))
    supplier = gen_supplier(session)
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    _upload_certificate(client, supplier)

    cert = session.scalars(select(Certification)).one()
    blob = session.get(AttachmentBlob, cert.attachment_id)
    assert blob is not None and blob.data == PNG
    assert not (tmp_path / "host-a").exists() or not any((tmp_path / "host-a").iterdir())  # nothing on disk

    # Host B: another machine, its own (empty) upload folder, the same database.
    settings.update(UPLOAD_FOLDER=str(tmp_path / "host-b"))
    served = client.get(f"/attachments/{cert.attachment_id}")
    assert served.status_code == 200 and served.data == PNG
    assert served.headers["Content-Type"] == "image/png"

    # Back on local disk: the files already in the database stay readable.
    settings.update(ATTACHMENT_STORAGE="disk")
    assert client.get(f"/attachments/{cert.attachment_id}").data == PNG


def test_an_unknown_storage_setting_is_refused(app):
    from supplychain.services.core import attachments

    with pytest.raises(ValueError, match="ATTACHMENT_STORAGE"):
        attachments.Store.from_settings({"ATTACHMENT_STORAGE": "s3"}, app.instance_path)
