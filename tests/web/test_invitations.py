"""Invitations in the browser: procurement invites, the link is shown without SMTP, it works once."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from supplychain.models import Invitation, User
from tests.factories import gen_supplier, gen_user
from tests.portal_factories import NOW, gen_invitation, gen_portal_user, token
from tests.web.helpers import csrf_token, login, post_form

EN = {"Accept-Language": "en"}
GOOD = "Lotus-Garden-42"


def _accept(client, invitation_token, password=GOOD, confirm=None, name="李娜"):
    url = f"/invitations/accept/{invitation_token}"
    page = client.get(url, headers=EN)
    return client.post(
        url,
        headers=EN,
        data={
            "csrf_token": csrf_token(page.text),
            "name": name,
            "password": password,
            "confirm": confirm or password,
        },
    )


def test_procurement_invites_and_sees_the_link_when_there_is_no_mail_server(client, session):
    supplier = gen_supplier(session)
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get(f"/invitations/new?supplier_id={supplier.id}", headers=EN)
    assert supplier.credit_code in page.text  # the supplier is filled in
    response = client.post(
        "/invitations/new",
        headers=EN,
        data={
            "csrf_token": csrf_token(page.text),
            "supplier": supplier.credit_code,
            "email": "Li.Na@Example.cn",
            "name": "李娜",
            "grants_admin": "y",
        },
    )
    assert response.status_code == 302
    invitation = session.scalar(select(Invitation))
    assert invitation.email == "li.na@example.cn" and invitation.grants_admin
    view = client.get(response.headers["Location"], headers=EN)
    link = re.search(r'value="(http[^"]+/invitations/accept/[^"]+)"', view.text).group(1)
    assert "works once and expires in 7 days" in view.text
    # The contact opens the link in another browser.
    contact = client.application.test_client()
    path = link.split("localhost", 1)[-1]
    assert contact.get(path, headers=EN).status_code == 200
    assert _accept(contact, path.rsplit("/", 1)[1]).status_code == 302
    user = session.scalar(select(User).where(User.email == "li.na@example.cn"))
    assert (user.role, user.supplier_id) == ("supplier", supplier.id)
    home = contact.get("/", follow_redirects=True, headers=EN)
    assert supplier.name_zh in home.text and "Self-assessment" in home.text


def test_invitation_form_errors(client, session):
    gen_user(session, "procurement", email="taken@example.com")
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    response = post_form(
        client, "/invitations/new", {"supplier": "没有这家公司", "email": "taken@example.com"}, headers=EN
    )
    assert response.status_code == 200
    assert "No supplier with this credit code, number or name." in response.text
    assert session.scalar(select(Invitation)) is None


def test_the_accepted_link_says_it_was_used(client, session):
    invitation = gen_invitation(session)
    session.commit()
    assert _accept(client, token(invitation)).status_code == 302
    other = client.application.test_client()
    page = other.get(f"/invitations/accept/{token(invitation)}", headers=EN)
    assert page.status_code == 410 and "already used" in page.text


def test_expired_revoked_and_altered_links(client, session):
    expired = gen_invitation(session, expires_at=NOW - timedelta(minutes=1))
    revoked = gen_invitation(session, revoked_at=NOW)
    altered = token(gen_invitation(session))[:-3] + "xyz"
    session.commit()
    assert "has expired" in client.get(f"/invitations/accept/{token(expired)}", headers=EN).text
    assert "was withdrawn" in client.get(f"/invitations/accept/{token(revoked)}", headers=EN).text
    page = client.get(f"/invitations/accept/{altered}", headers=EN)
    assert page.status_code == 404 and "not valid" in page.text
    # Posting to a dead link creates nobody.
    response = client.post(f"/invitations/accept/{token(expired)}", data={"password": GOOD, "confirm": GOOD})
    assert response.status_code in (400, 410)
    assert session.scalar(select(User).where(User.role == "supplier")) is None


def test_a_weak_password_is_refused_and_nothing_is_created(client, session):
    invitation = gen_invitation(session)
    session.commit()
    response = _accept(client, token(invitation), password="1234567890", confirm="1234567891")
    assert response.status_code == 200
    assert "The two passwords differ." in response.text and "too easy to guess" in response.text
    assert session.get(Invitation, invitation.id).used_at is None
    assert session.scalar(select(User).where(User.email == invitation.email)) is None


def test_procurement_withdraws_an_invitation(client, session):
    invitation = gen_invitation(session)
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get(f"/invitations/{invitation.id}", headers=EN)
    client.post(f"/invitations/{invitation.id}/revoke", data={"csrf_token": csrf_token(page.text)})
    session.expire_all()
    assert session.get(Invitation, invitation.id).revoked_at is not None
    anonymous = client.application.test_client()
    assert "was withdrawn" in anonymous.get(f"/invitations/accept/{token(invitation)}", headers=EN).text


def test_supplier_administrators_invite_colleagues_and_others_cannot(client, session):
    supplier = gen_supplier(session)
    admin = gen_portal_user(session, supplier, admin=True)
    colleague = gen_portal_user(session, supplier, admin=False)
    session.commit()
    login(client, admin.email)
    response = post_form(
        client, "/portal/team", {"email": "new.colleague@example.cn", "name": "张伟"}, headers=EN
    )
    assert response.status_code == 200 and "/invitations/accept/" in response.text
    invitation = session.scalar(select(Invitation).where(Invitation.email == "new.colleague@example.cn"))
    assert invitation.supplier_id == supplier.id and invitation.created_by_id == admin.id
    other = client.application.test_client()
    login(other, colleague.email)
    page = other.get("/portal/team", headers=EN)
    assert "Invite a colleague" not in page.text
    denied = other.post("/portal/team", data={"csrf_token": csrf_token(page.text), "email": "x@example.cn"})
    assert denied.status_code == 403
    refused = other.post(
        f"/portal/team/invitations/{invitation.id}/revoke", data={"csrf_token": csrf_token(page.text)}
    )
    assert refused.status_code == 403


def test_a_logged_in_user_is_asked_to_log_out_first(client, session):
    invitation = gen_invitation(session)
    buyer = gen_user(session, "procurement")
    session.commit()
    login(client, buyer.email)
    page = client.get(f"/invitations/accept/{token(invitation)}", headers=EN)
    assert "Log out first" in page.text
