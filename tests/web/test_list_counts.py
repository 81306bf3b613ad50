"""The supplier list's counts per region, reused for a few seconds (LIST_COUNTS_SECONDS, docs/speed.md).

A buyer's own changes show at once; a change this process did not make through the ORM (another worker,
a script) shows once the counts expire; one scope's counts never answer another scope.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from supplychain.services.registry import supplier_counts
from tests.factories import gen_category, gen_organisation, gen_supplier, gen_user
from tests.web.helpers import login

EN = {"Accept-Language": "en"}


@pytest.fixture
def remembered_counts(app):
    app.config["LIST_COUNTS_SECONDS"] = 30
    supplier_counts.forget()
    yield
    app.config["LIST_COUNTS_SECONDS"] = 0
    supplier_counts.forget()


def _count(html: str, region: str) -> int:
    match = re.search(rf'data-region="{region}">.*?<div class="fs-5 fw-bold">(\d+)</div>', html, re.S)
    return int(match.group(1))


def test_own_changes_show_at_once_and_other_writes_once_the_counts_expire(client, session, remembered_counts):
    user = gen_user(session, "procurement")
    gen_category(session, "equipment", "设备", "Equipment")
    first = gen_supplier(session, name_zh="重庆计数一号有限公司", province="500000")
    session.commit()
    login(client, user.email)
    assert _count(client.get("/suppliers/", headers=EN).text, "southwest") == 1

    gen_supplier(session, name_zh="重庆计数二号有限公司", province="500000")
    session.commit()
    page = client.get("/suppliers/?page=1&sort=name", headers=EN).text
    assert _count(page, "southwest") == 2 and "(2)" in page

    # A write outside this process's ORM session (another worker): the remembered counts stand until they expire.
    session.execute(text("UPDATE suppliers SET region = 'east', province_code = '310000' WHERE id = :id"),
                    {"id": first.id})
    session.commit()
    assert _count(client.get("/suppliers/", headers=EN).text, "southwest") == 2
    supplier_counts.forget()  # what the expiry does
    page = client.get("/suppliers/", headers=EN).text
    assert _count(page, "southwest") == 1 and _count(page, "east") == 1

    # The search and filters are part of what is remembered; the region filter and the order are not.
    assert _count(client.get("/suppliers/?q=二号", headers=EN).text, "southwest") == 1
    assert _count(client.get("/suppliers/?q=二号&region=east&sort=name", headers=EN).text, "southwest") == 1


def test_one_scopes_counts_never_answer_another(app, session, remembered_counts):
    sub = gen_organisation(session, "SUB-COUNT", home_province="500000")
    gen_category(session, "equipment", "设备", "Equipment")
    gen_supplier(session, name_zh="重庆根部有限公司", province="500000")
    gen_supplier(session, name_zh="重庆子公司有限公司", province="500000", organisation=sub)
    root_buyer = gen_user(session, "procurement")
    sub_buyer = gen_user(session, "procurement", organisation=sub)
    session.commit()

    root_client, sub_client = app.test_client(), app.test_client()
    login(root_client, root_buyer.email)
    login(sub_client, sub_buyer.email)
    assert _count(root_client.get("/suppliers/", headers=EN).text, "southwest") == 2
    assert _count(sub_client.get("/suppliers/", headers=EN).text, "southwest") == 1
    assert _count(root_client.get("/suppliers/", headers=EN).text, "southwest") == 2


def test_an_import_in_this_process_shows_in_the_counts_at_once(client, session, remembered_counts):
    """The import writes its rows in bulk, outside the ORM's events; the remembered counts still go."""
    from tests.web.test_supplier_import import _confirm, _csv, _row, _upload

    user = gen_user(session, "procurement")
    gen_category(session, "equipment", "设备", "Equipment")
    gen_supplier(session, name_zh="重庆计数已有有限公司", province="500000")
    session.commit()
    login(client, user.email)
    assert _count(client.get("/suppliers/", headers=EN).text, "southwest") == 1

    preview = _upload(client, _csv([_row(1), _row(2)]))
    assert _confirm(client, preview.text).status_code == 302
    assert _count(client.get("/suppliers/", headers=EN).text, "southwest") == 3
