"""Invitations: signed single-use links that expire, can be withdrawn, and make one supplier user."""

from __future__ import annotations

from datetime import timedelta

import pytest

from supplychain.errors import ValidationFailed
from supplychain.models import Invitation, PortalMember, User
from supplychain.services.core import users
from supplychain.services.portal import invitations
from tests.factories import PASSWORD, gen_supplier, gen_user
from tests.portal_factories import NOW, SECRET, days, gen_invitation, gen_portal_user, token


def _accept(session, invitation_token, password=PASSWORD, confirmation=None, now=NOW, name="李娜"):
    return invitations.accept(
        session,
        invitation_token,
        SECRET,
        name,
        password,
        password if confirmation is None else confirmation,
        now,
    )


def test_accepting_makes_a_supplier_user_tied_to_that_supplier_only(session):
    supplier = gen_supplier(session)
    invitation = gen_invitation(session, supplier, email="Li.Na@Example.cn", grants_admin=False)
    user = _accept(session, token(invitation))
    assert (user.role, user.supplier_id, user.email, user.name) == (
        "supplier",
        supplier.id,
        "li.na@example.cn",
        "李娜",
    )
    assert invitation.used_at == NOW and invitation.user_id == user.id
    member = session.query(PortalMember).filter_by(user_id=user.id).one()
    assert member.supplier_id == supplier.id and not member.is_admin
    assert not invitations.is_portal_admin(session, user)
    assert users.authenticate(session, "li.na@example.cn", PASSWORD) is user


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"used_at": NOW}, "used"),
        ({"revoked_at": NOW}, "revoked"),
        ({"expires_at": NOW - days(1)}, "expired"),
    ],
)
def test_used_revoked_and_expired_links_say_so_and_create_nobody(session, change, problem):
    invitation = gen_invitation(session, **change)
    found, reason = invitations.check_token(session, token(invitation), SECRET, NOW)
    assert found is invitation and reason == problem
    with pytest.raises(ValidationFailed) as failed:
        _accept(session, token(invitation))
    assert failed.value.errors["token"] == [invitations.TOKEN_PROBLEMS[problem]]
    assert session.query(User).filter_by(email=invitation.email).count() == 0


def test_a_link_works_once(session):
    invitation = gen_invitation(session)
    _accept(session, token(invitation))
    with pytest.raises(ValidationFailed, match="already used"):
        _accept(session, token(invitation), password="Another-Pass-7")


def test_links_expire_after_seven_days(session):
    invitation = gen_invitation(session)
    assert invitation.expires_at == NOW + days(7)
    assert (
        invitations.check_token(session, token(invitation), SECRET, NOW + days(7) - timedelta(seconds=1))[1]
        is None
    )
    assert invitations.check_token(session, token(invitation), SECRET, NOW + days(7))[1] == "expired"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "x" + t,  # payload changed
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_altered_links_are_refused(session, tamper):
    invitation = gen_invitation(session)
    assert invitations.check_token(session, tamper(token(invitation)), SECRET, NOW) == (None, "altered")


def test_a_token_signed_with_another_key_or_a_changed_nonce_is_altered(session):
    invitation = gen_invitation(session)
    assert (
        invitations.check_token(session, invitations.token_for(invitation, "other"), SECRET, NOW)[1]
        == "altered"
    )
    good = token(invitation)
    invitation.nonce = "rotated"
    assert invitations.check_token(session, good, SECRET, NOW) == (None, "altered")


def test_weak_or_mismatched_passwords_are_refused_together(session):
    invitation = gen_invitation(session)
    with pytest.raises(ValidationFailed) as failed:
        _accept(session, token(invitation), password="1234567", confirmation="7654321")
    assert set(failed.value.errors) == {"password", "confirm"}
    with pytest.raises(ValidationFailed, match="too easy"):
        _accept(session, token(invitation), password="11111111111")
    assert invitation.used_at is None


def test_invitation_rules(session):
    supplier = gen_supplier(session)
    gen_user(session, "procurement", email="taken@example.com")
    with pytest.raises(ValidationFailed) as failed:
        invitations.create_invitation(
            session, supplier, invitations.InvitationData("taken@example.com", "x" * 101), None, NOW
        )
    assert set(failed.value.errors) == {"email", "name"}
    with pytest.raises(ValidationFailed, match="valid e-mail"):
        invitations.create_invitation(session, supplier, invitations.InvitationData("nobody"), None, NOW)
    blacklisted = gen_supplier(session, status="blacklisted")
    with pytest.raises(ValidationFailed, match="blacklisted"):
        invitations.create_invitation(
            session, blacklisted, invitations.InvitationData("a@example.cn"), None, NOW
        )


def test_a_new_invitation_withdraws_the_pending_one_to_the_same_address(session):
    supplier = gen_supplier(session)
    first = gen_invitation(session, supplier, email="wang@example.cn")
    second = gen_invitation(session, supplier, email="wang@example.cn")
    assert first.status_at(NOW) == "revoked" and second.status_at(NOW) == "pending"


def test_supplier_administrators_invite_colleagues_of_their_own_supplier_only(session):
    supplier, other = gen_supplier(session), gen_supplier(session)
    admin = gen_portal_user(session, supplier, admin=True)
    colleague = gen_portal_user(session, supplier, admin=False)
    made_by_admin = gen_user(session, "supplier", supplier=supplier)  # no membership: created by an admin
    data = invitations.InvitationData("colleague@example.cn")
    assert invitations.create_invitation(session, supplier, data, admin, NOW).created_by_id == admin.id
    assert invitations.is_portal_admin(session, made_by_admin)
    with pytest.raises(ValidationFailed, match="administrators"):
        invitations.create_invitation(
            session, supplier, invitations.InvitationData("c2@example.cn"), colleague, NOW
        )
    with pytest.raises(ValidationFailed, match="administrators"):
        invitations.create_invitation(session, other, invitations.InvitationData("c3@example.cn"), admin, NOW)
    assert [u.email for u, _admin in invitations.team(session, supplier.id)] == sorted(
        [admin.email, colleague.email, made_by_admin.email]
    )


def test_revoking(session):
    invitation = gen_invitation(session)
    invitations.revoke(session, invitation, None, NOW)
    assert invitation.status_at(NOW) == "revoked"
    with pytest.raises(ValidationFailed, match="Only a pending"):
        invitations.revoke(session, invitation, None, NOW)


def test_scoped_lookup(session):
    supplier, other = gen_supplier(session), gen_supplier(session)
    invitation = gen_invitation(session, supplier)
    assert invitations.of_supplier(session, supplier.id, invitation.id) is invitation
    assert invitations.of_supplier(session, other.id, invitation.id) is None


def test_the_email_names_the_supplier_and_carries_the_link(session):
    invitation = gen_invitation(session)
    sent = []
    invitations.send(
        invitation,
        "https://esg.example.com/invitations/accept/T",
        {"COMPANY_NAME": "示例集团"},
        sent.append,
        NOW,
    )
    body = sent[0].get_content()
    assert invitation.supplier.name_zh in body and "https://esg.example.com/invitations/accept/T" in body
    assert sent[0]["To"] == invitation.email and invitation.emailed_at == NOW
    assert session.get(Invitation, invitation.id).emailed_at == NOW
