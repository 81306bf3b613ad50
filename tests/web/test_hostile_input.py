"""Hostile input never gives a server error: every GET route with hostile query strings, out-of-range
ids in every URL, and every form of every page posted with NUL bytes, huge ids and impossible years.

A fuzz corpus rather than random data, so a failure names the request that caused it and the test
runs the same way every time (on SQLite and, in CI, on PostgreSQL).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest

import tests.web.test_access as access
from tests.factories import gen_user
from tests.web.helpers import csrf_token, login

# Values an attacker types: a NUL byte, ids past 32 and 64 bits, years far outside any filter's range,
# negative numbers, right-to-left override and other control characters.
HOSTILE = ["a\x00b", str(2**31), str(2**63), "9" * 40, "-2147483649", "99999", "0", "-1", "\u202eexe.pdf", "\x01\x1b"]
# Parameter names the pages read from query strings, besides the names of their GET forms' fields.
QUERY_NAMES = ["page", "year", "supplier_id", "category_id", "days", "from", "incident", "q", "status", "region",
               "province", "period", "lang", "format", "sort", "next", "kind", "grade", "category", "local"]
SKIPPED_FORMS = ("/auth/logout",)  # logging out would end the walk


class _Forms(HTMLParser):
    """The forms of a page: action, method and field names (inputs, selects, text areas)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                               "fields": {}, "enctype": attrs.get("enctype") or ""})
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            if attrs.get("type") in ("submit", "button", "file"):
                return
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value") or "")


def _forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _server_errors(client, method: str, url: str, **kwargs) -> list[str]:
    try:
        response = client.open(url, method=method, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the testing app propagates what would be a 500
        from supplychain import db

        db.session.rollback()
        return [f"{method} {url} {kwargs.get('data', '')!r:.300}: {type(exc).__name__}: {str(exc)[:200]}"]
    if response.status_code >= 500:
        return [f"{method} {url} {kwargs.get('data', '')!r:.300}: {response.status_code}"]
    return []


def _walk(app, client, session, role: str) -> list[str]:
    rules = access._rules()
    values, token = access.sample_and_sign_in(client, session, role)
    adapter = app.url_map.bind("localhost")
    errors: list[str] = []
    for rule, method in access._routes(app):
        if method != "GET" or rules.get(rule.endpoint, {}).get("GET", {}).get(role) not in (200, {200, 302}):
            continue
        url = adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments}, method="GET")
        # Out-of-range ids in the address itself.
        for name in rule.arguments:
            if isinstance(values[name], int):
                for hostile in (2**31, 2**63, 10**40):
                    bad = adapter.build(rule.endpoint, {**{k: values[k] for k in rule.arguments}, name: hostile})
                    errors += _server_errors(client, "GET", bad)
        page = client.get(url)
        if page.status_code >= 500:
            errors.append(f"GET {url}: {page.status_code}")
            continue
        is_html = page.mimetype == "text/html"
        forms = _forms(page.text) if is_html else []
        names = set(QUERY_NAMES)
        for form in forms:
            if form["method"] == "get":
                names.update(form["fields"])
        for hostile in HOSTILE:
            errors += _server_errors(client, "GET", url + "?" + urlencode({name: hostile for name in names}))
        for form in forms:
            action = form["action"] or url
            if form["method"] != "post" or urlsplit(action).path in SKIPPED_FORMS:
                continue
            for hostile in HOSTILE:
                data = {name: hostile for name in form["fields"]}
                data["csrf_token"] = token
                errors += _server_errors(client, "POST", action, data=data)
    return errors


@pytest.mark.parametrize("role", ["anonymous", "supplier", "admin"])
def test_no_server_error_for_hostile_input(app, client, session, role):
    """Every page and form a role can open answers 4xx (or handles the input), never 5xx."""
    errors = _walk(app, client, session, role)
    assert not errors, f"{len(errors)} server errors:\n" + "\n".join(errors[:60])


@pytest.mark.parametrize("path", ["/suppliers/%00", "/auth/login?next=%00", "/verify/%00abc", "/suppliers/1%00"])
def test_nul_bytes_anywhere_in_the_address_are_a_bad_request(client, session, path):
    """A NUL byte in the path or the query string is refused before any view runs."""
    assert client.get(path).status_code in (400, 404)


def test_nul_byte_in_the_login_form_is_a_bad_request(client, session):
    """The anonymous login form with a NUL byte: 400, not a database error."""
    token = csrf_token(client.get("/auth/login").text)
    response = client.post("/auth/login",
                           data={"email": "a\x00@example.com", "password": "x\x00y", "csrf_token": token})
    assert response.status_code == 400


def test_out_of_range_numbers_in_query_strings_are_refused_with_a_message(client, session):
    """An id past 32 bits or an impossible year in a filter: 400 with the reason, in the user's language."""
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    for url in ("/evaluations/?year=99999", "/evaluations/?year=-1", "/trainings/?year=10000",
                f"/evaluations/?supplier_id={2**31}", f"/suppliers/?page={2**63}"):
        response = client.get(url, headers={"Accept-Language": "en"})
        assert response.status_code == 400, url
        assert "out of range" in response.text
    assert client.get("/evaluations/?year=2024").status_code == 200
    assert client.get(f"/suppliers/{2**31}").status_code == 404
    assert client.get(f"/suppliers/{2**31 - 1}").status_code == 404
