"""Races through the real pages (issue 14): several browsers submit at the same moment, none gets a 500."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from supplychain.models import IntegrityPledge, Supplier
from tests.evidence_factories import gen_template
from tests.factories import gen_category, gen_supplier, gen_user
from tests.portal_factories import gen_portal_user
from tests.web.helpers import csrf_token, login
from tests.web.test_supplier_import import _confirm, _csv, _row, _upload


def _at_once(functions) -> list:
    """Call every function on its own thread, released together; their results (or exceptions)."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait(timeout=30)
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return results


def test_six_browsers_registering_one_overseas_supplier_create_one_and_no_500(app, session):
    gen_category(session, "equipment", "设备", "Equipment")
    users = [gen_user(session, "procurement") for _ in range(6)]
    session.commit()
    posts = []
    for user in users:
        client = app.test_client()
        login(client, user.email)
        token = csrf_token(client.get("/suppliers/new").text)
        data = {"csrf_token": token, "name_zh": "Siemens AG", "country": "DE", "city": "München",
                "categories": "equipment"}
        posts.append(lambda client=client, data=data: client.post("/suppliers/new", data=data,
                                                                  headers={"Accept-Language": "en"}))
    responses = _at_once(posts)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 5 + [302], statuses
    assert all("A supplier with this name exists" in r.text for r in responses if r.status_code == 200)
    assert session.scalar(select(func.count()).select_from(Supplier)) == 1


def test_two_users_confirming_the_same_overseas_import_create_every_row_once(app, session):
    gen_category(session, "equipment", "设备", "Equipment")
    gen_category(session, "components", "零部件", "Components and parts")
    first, second = gen_user(session, "procurement"), gen_user(session, "procurement")
    session.commit()
    rows = [_row(n, credit_code="", country="JP", province="", city="Osaka", name_zh=f"大阪精机株式会社{n}")
            for n in range(40)]
    data = _csv(rows)
    clients = []
    for user in (first, second):
        client = app.test_client()
        login(client, user.email)
        preview = _upload(client, data)
        assert preview.status_code == 200 and "confirm" in preview.text
        clients.append((client, preview.text))
    responses = _at_once([lambda c=c, html=html: _confirm(c, html, headers={"Accept-Language": "en"})
                          for c, html in clients])
    # The second confirmation finds the rows the first created: the same file again is an update.
    assert [r.status_code for r in responses] == [302, 302]
    assert all(r.headers["Location"].endswith("/suppliers/") for r in responses)
    assert session.scalar(select(func.count()).select_from(Supplier)) == 40


def test_six_simultaneous_sign_clicks_store_one_signature(app, session):
    supplier = gen_supplier(session)
    template = gen_template(session)
    user = gen_portal_user(session, supplier)
    session.commit()
    client = app.test_client()
    login(client, user.email)
    url = "/portal/pledges/integrity/sign"
    page = client.get(url)
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_token(page.text), "template_id": str(template.id), "signatory_name": "王伟",
            "signatory_title": "总经理", "agree": "y"}
    responses = _at_once([lambda: client.post(url, data=data) for _ in range(6)])
    assert [r.status_code for r in responses] == [302] * 6
    assert session.scalar(select(func.count()).select_from(IntegrityPledge)) == 1


def test_six_simultaneous_logins_of_one_account_all_succeed(app, session):
    user = gen_user(session, "procurement")
    session.commit()
    version = user.version_id
    posts = []
    for _ in range(6):
        client = app.test_client()
        token = csrf_token(client.get("/auth/login").text)
        data = {"email": user.email, "password": "Correct-Horse-9", "csrf_token": token}
        posts.append(lambda client=client, data=data: client.post("/auth/login", data=data))
    responses = _at_once(posts)
    assert [r.status_code for r in responses] == [302] * 6
    session.expire_all()
    assert session.get(type(user), user.id).version_id == version  # a login is not an edit of the account
