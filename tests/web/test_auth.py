"""Logging in, sessions, CSRF, rate limiting and security headers."""

from __future__ import annotations

import pytest

from tests.factories import gen_user
from tests.redis_support import redis_url
from tests.web.helpers import csrf_token, login


def test_login_through_the_form_and_logout(client, session):
    user = gen_user(session, "procurement")
    session.commit()
    response = login(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and user.name in home.text
    logout = client.post("/auth/logout", data={"csrf_token": csrf_token(home.text)})
    assert logout.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part_is_wrong(client, session):
    user = gen_user(session, "auditor")
    session.commit()
    response = login(client, user.email, "wrong-password")
    assert response.status_code == 200
    response = login(client, "nobody@example.com", "whatever-123")
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_login_error_message_in_chinese_and_english(client, session):
    gen_user(session, "auditor", email="a@example.com")
    session.commit()
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN"})
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "nope-nope-1",
                                                "csrf_token": csrf_token(page.text)},
                           headers={"Accept-Language": "zh-CN"})
    assert "邮箱或密码错误" in response.text
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "nope-nope-1",
                                                "csrf_token": csrf_token(page.text)},
                           headers={"Accept-Language": "en"})
    assert "Wrong e-mail or password" in response.text


def test_post_without_csrf_token_is_refused(client, session):
    user = gen_user(session, "procurement")
    session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": "Correct-Horse-9"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_deactivated_user_loses_the_session(app, client, session):
    admin = gen_user(session, "admin")
    victim = gen_user(session, "procurement")
    session.commit()
    other = app.test_client()
    assert login(other, victim.email).status_code == 302
    assert other.get("/suppliers/").status_code == 200

    login(client, admin.email)
    page = client.get(f"/admin/users/{victim.id}/edit")
    response = client.post(f"/admin/users/{victim.id}/edit", data={
        "csrf_token": csrf_token(page.text), "email": victim.email, "name": victim.name, "role": "procurement",
        "organisation_id": victim.organisation_id, "locale": "",  # "active" unticked
    })
    assert response.status_code == 302
    assert other.get("/suppliers/").status_code == 302  # back to the login page
    assert login(other, victim.email).status_code == 200  # and cannot log in again


def test_open_redirect_after_login_is_ignored(client, session):
    user = gen_user(session, "procurement")
    session.commit()
    page = client.get("/auth/login?next=https://evil.example/")
    response = client.post("/auth/login?next=https://evil.example/", data={
        "email": user.email, "password": "Correct-Horse-9", "csrf_token": csrf_token(page.text)})
    assert response.headers["Location"] == "/"


def test_security_headers_and_cookie_flags(client, session):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.text  # no inline scripts
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_settings_are_required(monkeypatch):
    import config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load("production")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/x")
    settings = config.load("production")
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]


def _rate_limited_app(tmp_root, database_url, storage: str):
    from app import create_app

    return create_app(config={"DATABASE_URL": database_url, "LOGIN_RATE_LIMIT": "3 per minute",
                              "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_STORAGE_URI_SET": True}, env="testing")


def _assert_limited(application, email: str) -> None:
    client = application.test_client()
    token = csrf_token(client.get("/auth/login").text)
    statuses = [client.post("/auth/login", data={"email": email, "password": "bad-password-1", "csrf_token": token}
                            ).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_failed_logins_are_rate_limited(session, tmp_root, database_url):
    gen_user(session, "procurement", email="limited@example.com")
    session.commit()
    _assert_limited(_rate_limited_app(tmp_root, database_url, "memory://"), "limited@example.com")


def test_rate_limit_shared_through_redis(session, tmp_root, database_url):
    """With REDIS_URL the limiter counts in Redis, so several workers share the count."""
    url = redis_url()
    import redis

    redis.Redis.from_url(url).flushdb()
    gen_user(session, "procurement", email="limited2@example.com")
    session.commit()
    _assert_limited(_rate_limited_app(tmp_root, database_url, url), "limited2@example.com")
