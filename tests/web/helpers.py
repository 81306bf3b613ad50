"""Helpers for web tests: CSRF tokens from real pages and logging in through the real form."""

from __future__ import annotations

import re

from tests.factories import PASSWORD, gen_category, gen_supplier, gen_user

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def login(client, email: str, password: str = PASSWORD, follow: bool = False):
    """Log in through the login form, CSRF token included."""
    page = client.get("/auth/login")
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
                       follow_redirects=follow)


def post_form(client, url: str, data: dict, page_url: str | None = None, **kwargs):
    """POST a form with the CSRF token taken from the page that shows it (or any logged-in page)."""
    page = client.get(page_url or url)
    payload = {"csrf_token": csrf_token(page.text), **data}
    return client.post(url, data=payload, **kwargs)


def logged_in_with_supplier(client, session, role: str = "procurement"):
    """A user of the role logged in through the form, and a qualified supplier in the equipment category."""
    user = gen_user(session, role)
    gen_category(session)
    supplier = gen_supplier(session, status="qualified")
    session.commit()
    login(client, user.email)
    return user, supplier
