"""Serving stored files: only to staff and the supplier's own users, with safe headers."""

from __future__ import annotations

from urllib.parse import quote

from supplychain.services.core import attachments
from tests.evidence_factories import PNG
from tests.factories import gen_supplier, gen_user
from tests.web.helpers import login


def _stored(app, session, supplier, name="营业执照"):
    store = attachments.Store.from_settings(app.config, app.instance_path)
    clean, _ = attachments.check_upload(attachments.Upload(name, PNG), store.max_bytes)
    return attachments.store(session, clean, store, supplier.id, None), store


def test_a_supplier_user_sees_only_its_own_files(app, client, session):
    own, other = gen_supplier(session), gen_supplier(session)
    user = gen_user(session, "supplier", supplier=own)
    mine, _ = _stored(app, session, own)
    theirs, _ = _stored(app, session, other)
    session.commit()
    login(client, user.email)
    response = client.get(f"/attachments/{mine.id}")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert f"filename*=UTF-8''{quote('营业执照.png')}" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/attachments/{theirs.id}").status_code == 404
    assert client.get("/attachments/999999").status_code == 404


def test_anonymous_users_are_sent_to_the_login_and_a_missing_file_is_a_404(app, client, session):
    supplier = gen_supplier(session)
    row, store = _stored(app, session, supplier)
    auditor = gen_user(session, "auditor")
    session.commit()
    assert client.get(f"/attachments/{row.id}").status_code == 302
    login(client, auditor.email)
    assert client.get(f"/attachments/{row.id}").status_code == 200
    (store.folder / row.stored_name).unlink()
    assert client.get(f"/attachments/{row.id}").status_code == 404
