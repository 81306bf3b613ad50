"""Accounts: password rules, hashing, authentication, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from supplychain.errors import ValidationFailed
from supplychain.models import AuditEntry
from supplychain.services.core import users
from tests.factories import gen_supplier, gen_user


def test_password_is_hashed_with_argon2_and_authenticates(session):
    user = gen_user(session, "reviewer", email="Rev@Example.com", password="Another-Pass-7")
    assert user.email == "rev@example.com"
    assert user.password_hash.startswith("$argon2id$") and "Another-Pass-7" not in user.password_hash
    assert users.authenticate(session, "REV@example.com ", "Another-Pass-7").id == user.id
    assert users.authenticate(session, "rev@example.com", "wrong-password") is None
    assert users.authenticate(session, "nobody@example.com", "Another-Pass-7") is None


@pytest.mark.parametrize("password", ["short", "12345678901", "aaaaaaaaaa", ""])
def test_weak_passwords_are_refused(session, password):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(session, users.UserData(email="x@example.com", role="auditor"), password, None)
    assert "password" in failed.value.errors


def test_every_problem_at_once(session):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(session, users.UserData(email="not-an-email", role="wizard"), "short", None)
    assert set(failed.value.errors) == {"email", "role", "password"}


def test_supplier_users_belong_to_exactly_one_supplier(session):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(session, users.UserData(email="s@example.com", role="supplier"), "Good-Pass-123", None)
    assert "supplier_id" in failed.value.errors
    supplier = gen_supplier(session)
    user = users.create_user(session, users.UserData(email="s@example.com", role="supplier", supplier_id=supplier.id),
                             "Good-Pass-123", None)
    assert user.supplier_id == supplier.id
    with pytest.raises(ValidationFailed):
        users.create_user(session, users.UserData(email="p@example.com", role="procurement", supplier_id=supplier.id),
                          "Good-Pass-123", None)


def test_duplicate_email_is_refused(session):
    gen_user(session, "auditor", email="dup@example.com")
    with pytest.raises(ValidationFailed) as failed:
        gen_user(session, "auditor", email="DUP@example.com")
    assert "email" in failed.value.errors


def test_deactivation_and_password_change_end_sessions_and_are_audited(session):
    admin = gen_user(session, "admin")
    user = gen_user(session, "procurement")
    version = user.session_version
    users.update_user(session, user, users.UserData(email=user.email, role="procurement", name=user.name,
                                                    active=False, organisation_id=user.organisation_id), admin)
    assert user.session_version == version + 1 and not user.is_active
    assert users.authenticate(session, user.email, "Correct-Horse-9") is None
    users.update_user(session, user, users.UserData(email=user.email, role="procurement", name=user.name,
                                                    organisation_id=user.organisation_id), admin,
                      password="Brand-New-Pass-1")
    assert user.session_version == version + 2
    entries = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == user.id,
                                                       AuditEntry.action == "update")
                             .order_by(AuditEntry.id)).all()  # in the order they were written
    assert entries[0].changes["active"] == [True, False] and entries[1].changes["password"] == ["***", "***"]
    assert all(entry.actor_id == admin.id for entry in entries)


def test_admin_cannot_lock_themselves_out(session):
    admin = gen_user(session, "admin")
    with pytest.raises(ValidationFailed):
        users.update_user(session, admin, users.UserData(email=admin.email, role="auditor"), admin)


def test_staff_belong_to_an_organisation_within_the_admins_scope(session):
    from supplychain import scope
    from tests.factories import gen_organisation

    with pytest.raises(ValidationFailed) as failed:
        users.create_user(session, users.UserData(email="n@example.com", role="procurement"), "Good-Pass-123", None)
    assert "organisation_id" in failed.value.errors
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    scope.activate(session, scope.for_organisation(session, a))
    try:
        with pytest.raises(ValidationFailed) as failed:
            users.create_user(session, users.UserData(email="b@example.com", role="procurement",
                                                      organisation_id=b.id), "Good-Pass-123", None)
        assert "organisation_id" in failed.value.errors
        user = users.create_user(session, users.UserData(email="a@example.com", role="procurement",
                                                         organisation_id=a.id), "Good-Pass-123", None)
        assert user.organisation_id == a.id
    finally:
        scope.activate(session, scope.EVERYTHING)
