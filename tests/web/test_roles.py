"""The README's role table, on purpose: auditors are read-only (no exports started), reviewers verify
evidence that others recorded."""

from __future__ import annotations

from tests.factories import gen_user
from tests.web.helpers import csrf_token, login


def _as(client, session, role: str) -> None:
    user = gen_user(session, role)
    session.commit()
    assert login(client, user.email).status_code == 302


def test_auditors_see_exports_but_cannot_start_one(client, session):
    _as(client, session, "auditor")
    page = client.get("/reports/")
    assert page.status_code == 200
    assert 'action="/reports/"' not in page.text  # no export form
    token = csrf_token(client.get("/suppliers/").text)
    assert client.post("/reports/", data={"csrf_token": token, "period": "2024"}).status_code == 403
    assert client.get("/disclosure/?year=2024").status_code == 200  # reading the disclosure stays open


def test_reviewers_start_exports(client, session):
    _as(client, session, "reviewer")
    assert 'action="/reports/"' in client.get("/reports/").text
