"""The password policy wherever a password is set, and the self-service password change."""

from __future__ import annotations

from sqlalchemy import func, select

from supplychain.models import AuditEntry, User
from supplychain.password_policy import problems as password_policy_check
from supplychain.services.demo_data import demo
from tests.factories import PASSWORD, gen_user
from tests.portal_factories import gen_invitation, token
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}
COMMON = "This password is one of the most common passwords"


def test_admin_user_form_refuses_common_passwords(client, session):
    admin = gen_user(session, "admin")
    session.commit()
    login(client, admin.email)
    page = client.get("/admin/users/new")
    response = client.post("/admin/users/new", headers=EN, data={
        "csrf_token": csrf_token(page.text), "email": "new@example.com", "name": "新人", "role": "auditor",
        "locale": "", "active": "y", "password": "Password1"})
    assert response.status_code == 200 and "Use at least 10 characters." in response.text
    response = client.post("/admin/users/new", headers=EN, data={
        "csrf_token": csrf_token(page.text), "email": "new@example.com", "name": "新人", "role": "auditor",
        "locale": "", "active": "y", "password": "Password123!"})
    assert response.status_code == 200 and COMMON in response.text
    assert session.scalar(select(func.count(User.id))) == 1


def test_cli_refuses_a_breached_style_password(app, session):
    result = app.test_cli_runner().invoke(args=["users", "create", "x@example.com", "--role", "auditor",
                                                "--password-stdin"], input="P@ssw0rd2024\n",
                                          env={"SUPPLYCHAIN_LANG": "en"})
    assert result.exit_code == 1
    assert session.scalar(select(func.count(User.id))) == 0


def test_invitation_acceptance_refuses_common_passwords(client, session):
    invitation = gen_invitation(session)
    session.commit()
    url = f"/invitations/accept/{token(invitation)}"
    page = client.get(url, headers=EN)
    response = client.post(url, headers=EN, data={"csrf_token": csrf_token(page.text), "name": "李娜",
                                                  "password": "woaini1314520", "confirm": "woaini1314520"})
    assert response.status_code == 200 and COMMON in response.text
    assert session.scalar(select(func.count(User.id))) == 0


def test_demo_accounts_passwords_pass_the_policy(app, session):
    result = demo.load(session, count=5, seed=3)
    assert result.accounts
    assert all(password_policy_check(password, email) == [] for email, _role, password in result.accounts)


def _change(client, current, new, confirm=None):
    page = client.get("/auth/password", headers=EN)
    return client.post("/auth/password", headers=EN, data={
        "csrf_token": csrf_token(page.text), "current": current, "password": new, "confirm": confirm or new})


def test_every_user_changes_their_own_password_and_other_sessions_end(app, client, session):
    user = gen_user(session, "reviewer")
    session.commit()
    other_device = app.test_client()
    login(other_device, user.email)
    login(client, user.email)
    assert other_device.get("/suppliers/").status_code == 200

    wrong = _change(client, "not-my-password", "Blue-Lantern-Harbour")
    assert "The current password is wrong." in wrong.text
    weak = _change(client, PASSWORD, "Qwerty123456")
    assert COMMON in weak.text
    differ = _change(client, PASSWORD, "Blue-Lantern-Harbour", "Blue-Lantern-Harbor")
    assert "The two passwords differ." in differ.text
    assert login(app.test_client(), user.email).status_code == 302  # nothing changed yet

    done = _change(client, PASSWORD, "Blue-Lantern-Harbour")
    assert done.status_code == 302
    assert client.get("/suppliers/").status_code == 200  # this browser stays logged in
    assert other_device.get("/suppliers/").status_code == 302  # the other session ended
    assert login(app.test_client(), user.email).status_code == 200  # the old password is refused
    assert login(app.test_client(), user.email, "Blue-Lantern-Harbour").status_code == 302
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.entity_id == user.id))
    assert entry.changes == {"password": ["***", "***"]}


def test_supplier_users_change_their_password_too(client, session):
    from tests.portal_factories import gen_portal_user

    user = gen_portal_user(session)
    session.commit()
    login(client, user.email)
    assert "/auth/password" in client.get("/portal/").text
    assert _change(client, PASSWORD, "Blue-Lantern-Harbour").status_code == 302
