"""Every route answers every role as expected; a route without an expectation fails the test."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.web.access as access_package
from tests.factories import gen_supplier, gen_user
from tests.web.access import ROLES
from tests.web.helpers import csrf_token, login

SKIPPED_ENDPOINTS = {"static", "bootstrap.static"}


def _area_modules():
    return [
        importlib.import_module(f"tests.web.access.{m.name}") for m in pkgutil.iter_modules(access_package.__path__)
    ]


def _rules() -> dict:
    merged: dict = {}
    for module in _area_modules():
        overlap = set(merged) & set(module.RULES)
        assert not overlap, f"endpoints described twice: {overlap}"
        merged.update(module.RULES)
    return merged


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def call_route(app, client, rule, method: str, values: dict, token: str):
    """Request one route with the sample values for its URL arguments (a POST carries the CSRF token)."""
    url = app.url_map.bind("localhost").build(rule.endpoint, {k: values[k] for k in rule.arguments}, method=method)
    if method == "GET":
        return url, client.get(url)
    return url, client.open(url, method=method, data={"csrf_token": token})


def sample_and_sign_in(client, session, role: str) -> tuple[dict, str]:
    """The sample values of every area's URL arguments, the role logged in through the form (anonymous stays out),
    and a CSRF token from a page the role sees."""
    values: dict = {}
    for module in _area_modules():
        values.update(module.sample(session))
    if role != "anonymous":
        own = gen_supplier(session, name_zh="本供应商有限公司") if role == "supplier" else None
        user = gen_user(session, role, supplier=own)
        session.commit()
        assert login(client, user.email).status_code == 302
    else:
        session.commit()
    # Supplier users' home redirects to the portal: follow it to a page with a form.
    token = csrf_token(client.get("/auth/login" if role == "anonymous" else "/", follow_redirects=True).text)
    return values, token


def test_every_route_has_an_expectation(app):
    """A new route must say who may use it."""
    rules = _rules()
    missing = [
        f"{method} {rule.endpoint} ({rule.rule})"
        for rule, method in _routes(app)
        if method not in rules.get(rule.endpoint, {})
    ]
    assert not missing, "routes without access expectations:\n" + "\n".join(missing)


@pytest.mark.parametrize("role", ROLES)
def test_route_statuses_per_role(app, client, session, role):
    """Walk app.url_map as one role and compare every status with the expectation."""
    rules = _rules()
    values, token = sample_and_sign_in(client, session, role)
    failures = []
    # Logging out ends the session, so it comes last.
    for rule, method in sorted(_routes(app), key=lambda item: item[0].endpoint == "auth.logout"):
        expected = rules.get(rule.endpoint, {}).get(method, {}).get(role)
        if expected is None:
            continue
        url, response = call_route(app, client, rule, method, values, token)
        allowed = expected if isinstance(expected, set) else {expected}
        if response.status_code not in allowed:
            failures.append(f"{method} {url} as {role}: {response.status_code}, expected {sorted(allowed)}")
    assert not failures, "\n".join(failures)
