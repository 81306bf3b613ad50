"""Sessions end on the server, logins are throttled per address and per account behind a known number of
proxies, logins are audited, suppliers that left the supply chain are locked out, pages are not cached."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from supplychain.models import AuditEntry, Supplier
from tests.factories import PASSWORD, gen_supplier, gen_user
from tests.web.helpers import csrf_token, login


def _logout(client) -> None:
    token = csrf_token(client.get("/", follow_redirects=True).text)
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302


def test_logout_ends_the_session_on_the_server(app, client, session):
    """The session cookie copied before logout no longer opens a page afterwards."""
    user = gen_user(session, "procurement")
    session.commit()
    login(client, user.email)
    stolen = client.get_cookie("session").value
    _logout(client)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/suppliers/").status_code == 302  # to the login page


def test_logout_invalidates_the_remember_me_cookie(app, client, session):
    """The remember-me cookie alone logs in until logout; after logout it is worthless."""
    user = gen_user(session, "auditor")
    session.commit()
    page = client.get("/auth/login")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y",
                                     "csrf_token": csrf_token(page.text)})
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.expires is not None
    other = app.test_client()
    other.set_cookie("remember_token", remember.value)
    assert other.get("/suppliers/").status_code == 200  # the cookie works before logout
    _logout(client)
    after = app.test_client()
    after.set_cookie("remember_token", remember.value)
    assert after.get("/suppliers/").status_code == 302


def test_remember_me_lasts_remember_days(app, client, session):
    """The remember-me lifetime is the REMEMBER_DAYS setting (14 days by default), not a year."""
    assert app.config["REMEMBER_DAYS"] == 14
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)


def _limited_app(database_url, **config):
    from app import create_app

    return create_app(config={"DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI": "memory://",
                              "RATELIMIT_STORAGE_URI_SET": True, **config}, env="testing")


def _attempt(client, email: str, password: str, address: str, **headers) -> int:
    token = csrf_token(client.get("/auth/login", environ_base={"REMOTE_ADDR": address}, headers=headers).text)
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address}, headers=headers).status_code


def test_failed_logins_are_limited_per_account_from_any_address(session, database_url):
    """Wrong passwords against one account from three addresses: the account's limit stops them."""
    gen_user(session, "procurement", email="target@example.com")
    gen_user(session, "procurement", email="bystander@example.com")
    session.commit()
    application = _limited_app(database_url, LOGIN_RATE_LIMIT="100 per minute", LOGIN_ACCOUNT_RATE_LIMIT="5 per minute")
    client = application.test_client()
    addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    statuses = [_attempt(client, "Target@example.com", "wrong-password-1", addresses[i % 3]) for i in range(6)]
    assert statuses == [200] * 5 + [429]
    # Even the right password waits now; another account from the same addresses is not affected.
    assert _attempt(client, "target@example.com", PASSWORD, "10.0.0.9") == 429
    assert _attempt(application.test_client(), "bystander@example.com", PASSWORD, "10.0.0.1") == 302


def test_proxy_count_gives_each_client_its_own_address_limit(session, database_url):
    """Behind one proxy (PROXY_COUNT=1) the limit per address counts X-Forwarded-For, not the proxy."""
    gen_user(session, "procurement", email="alice@example.com")
    gen_user(session, "procurement", email="bob@example.com")
    session.commit()
    application = _limited_app(database_url, PROXY_COUNT=1, LOGIN_RATE_LIMIT="3 per minute",
                               LOGIN_ACCOUNT_RATE_LIMIT="100 per minute")
    client = application.test_client()
    mallory = {"X-Forwarded-For": "203.0.113.7"}
    statuses = [_attempt(client, f"nobody{i}@example.com", "wrong-password-1", "127.0.0.1", **mallory)
                for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Another client behind the same proxy still logs in.
    assert _attempt(application.test_client(), "bob@example.com", PASSWORD, "127.0.0.1",
                    **{"X-Forwarded-For": "198.51.100.4"}) == 302


def test_without_proxy_count_forwarded_headers_are_ignored(session, database_url):
    """PROXY_COUNT=0 (default): a client cannot pick its address with X-Forwarded-For to dodge the limit."""
    session.commit()
    application = _limited_app(database_url, LOGIN_RATE_LIMIT="2 per minute", LOGIN_ACCOUNT_RATE_LIMIT="100 per minute")
    client = application.test_client()
    statuses = [_attempt(client, f"x{i}@example.com", "wrong-password-1", "10.1.1.1",
                         **{"X-Forwarded-For": f"192.0.2.{i}"}) for i in range(3)]
    assert statuses == [200, 200, 429]


def test_logins_and_failed_logins_are_audited_with_the_address(client, session):
    """A failed and a successful login leave audit entries naming the account and the client address."""
    user = gen_user(session, "reviewer", email="rev@example.com")
    session.commit()
    assert login(client, "rev@example.com", "wrong-password-1").status_code == 200
    assert login(client, "ghost@example.com", "wrong-password-1").status_code == 200
    assert login(client, "rev@example.com").status_code == 302
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action.in_(("login", "login_failed")))
                              .order_by(AuditEntry.id)).all()
    assert [(e.action, e.entity_id) for e in entries] == [
        ("login_failed", user.id), ("login_failed", None), ("login", user.id)]
    assert entries[1].changes == {"email": [None, "ghost@example.com"]}
    assert all(e.note == "127.0.0.1" for e in entries)
    _logout(client)
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "logout")).entity_id == user.id
    admin = gen_user(session, "admin")
    session.commit()
    login(client, admin.email)
    trail = client.get(f"/admin/users/{user.id}/edit").text  # the account's page shows its logins
    assert "登录失败" in trail and "已退出登录" in trail and "127.0.0.1" in trail


def test_users_of_an_exited_or_blacklisted_supplier_are_locked_out(app, client, session):
    """Login is refused with a clear message; a session opened before the exit ends at the next page."""
    exited = gen_supplier(session, status="exited")
    qualified = gen_supplier(session, status="qualified")
    locked_user = gen_user(session, "supplier", supplier=exited)
    user = gen_user(session, "supplier", supplier=qualified)
    session.commit()
    page = client.get("/auth/login")
    refused = client.post("/auth/login", data={"email": locked_user.email, "password": PASSWORD,
                                               "csrf_token": csrf_token(page.text)},
                          headers={"Accept-Language": "en"})
    assert refused.status_code == 200 and "no longer in the supply chain" in refused.text
    assert client.get("/portal/").status_code == 302

    other = app.test_client()
    assert login(other, user.email).status_code == 302
    assert other.get("/portal/").status_code == 200
    session.get(Supplier, qualified.id).status = "blacklisted"
    session.commit()
    assert other.get("/portal/").status_code == 302
    assert other.get("/portal/").headers["Location"].startswith("/auth/login")


def test_authenticated_pages_are_not_cached(client, session):
    """Cache-Control: no-store on pages for a logged-in user; the public login page may be cached."""
    user = gen_user(session, "auditor")
    session.commit()
    assert "no-store" not in client.get("/auth/login").headers.get("Cache-Control", "")
    login(client, user.email)
    assert client.get("/suppliers/").headers["Cache-Control"] == "no-store"


def test_signer_ip_of_a_pledge_is_the_client_behind_the_proxy(session, database_url):
    """With PROXY_COUNT=1 the e-signature records the client's address from X-Forwarded-For, not the proxy's."""
    from supplychain.models import IntegrityPledge
    from tests.evidence_factories import gen_template

    supplier = gen_supplier(session, status="qualified")
    user = gen_user(session, "supplier", supplier=supplier)
    template = gen_template(session, "integrity")
    session.commit()
    client = _limited_app(database_url, PROXY_COUNT=1).test_client()
    forwarded = {"X-Forwarded-For": "203.0.113.50", "X-Forwarded-Proto": "http"}
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    page = client.get("/auth/login", headers=forwarded, environ_base=environ)
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page.text)},
                headers=forwarded, environ_base=environ)
    page = client.get("/portal/pledges/integrity/sign", headers=forwarded, environ_base=environ)
    signed = client.post("/portal/pledges/integrity/sign", headers=forwarded, environ_base=environ, data={
        "csrf_token": csrf_token(page.text), "template_id": str(template.id), "signatory_name": "王伟",
        "signatory_title": "总经理", "agree": "y"})
    assert signed.status_code == 302
    assert session.scalar(select(IntegrityPledge.ip_address)) == "203.0.113.50"


def test_the_portal_team_form_does_not_reveal_which_accounts_exist(client, session):
    """Inviting a staff member's or another supplier's address looks exactly like inviting a new one."""
    import re

    from tests.portal_factories import gen_portal_user

    gen_user(session, "admin", email="boss@buyer.example")
    gen_user(session, "supplier", email="rival@other.example", supplier=gen_supplier(session))
    me = gen_portal_user(session, supplier=gen_supplier(session, status="qualified"))
    colleague = gen_user(session, "supplier", email="colleague@mine.example", supplier=me.supplier)
    session.commit()
    login(client, me.email)

    def invite(email: str) -> tuple[int, str]:
        page = client.get("/portal/team")
        response = client.post("/portal/team", headers={"Accept-Language": "en"}, follow_redirects=True,
                               data={"csrf_token": csrf_token(page.text), "email": email, "name": "某人"})
        text = re.sub(r'name="csrf_token"[^>]*>', "", response.text).replace(email, "EMAIL")
        text = re.sub(r"/invitations/accept/[^\"'<\s]+", "LINK", text)
        text = re.sub(r"<table.*?</table>", "", text, flags=re.S)  # the list of invitations grows
        return response.status_code, text

    fresh = invite("newcomer@nowhere.example")
    assert fresh[0] == 200 and "Invitation created for EMAIL." in fresh[1]
    assert invite("boss@buyer.example") == fresh
    assert invite("rival@other.example") == fresh
    # A colleague already in the team (listed on this very page) is named as such.
    assert "already has an account of your company" in invite(colleague.email)[1]
