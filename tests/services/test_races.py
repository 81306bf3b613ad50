"""Races (issue 14): simultaneous saves of the same thing, on real threads against the test database.

Each thread has its own connection and transaction, like two gunicorn workers; a barrier lets them
write at the same moment. The loser of every race gets the form error a user understands, never an
IntegrityError (a 500 in the web app), and nothing is stored twice.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from supplychain.errors import ValidationFailed
from supplychain.models import IntegrityPledge, Invitation, PortalMember, Supplier, User
from supplychain.services.evidence import pledges
from supplychain.services.portal import invitations
from supplychain.services.registry import suppliers
from tests import factories, portal_factories
from tests.evidence_factories import gen_template

THREADS = 6


def _race(app, work) -> list:
    """Run work(session) on THREADS threads at once; each result is its return value or the exception."""
    engine = app.extensions["sqlalchemy_engine"]
    make_session = sessionmaker(bind=engine, expire_on_commit=False)
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def run(index: int) -> None:
        session = make_session()
        try:
            barrier.wait(timeout=30)
            results[index] = work(session)
            session.commit()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            session.rollback()
            results[index] = exc
        finally:
            session.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _overseas(**overrides) -> suppliers.SupplierData:
    return factories.supplier_data(name_zh="Müller Präzision GmbH", name_en="Mueller Precision", credit_code="",
                                   country="DE", province="", city="Stuttgart", **overrides)


def test_simultaneous_registrations_of_a_supplier_without_credit_code_create_one(app, session):
    factories.gen_category(session)
    session.commit()
    results = _race(app, lambda s: suppliers.create_supplier(s, _overseas(), None, date(2025, 1, 1)).id)

    assert session.scalar(select(func.count()).select_from(Supplier)) == 1
    created = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(created) == 1 and len(refused) == THREADS - 1, results
    for failure in refused:
        assert any(getattr(m, "supplier_id", None) == created[0] for m in failure.errors["name_zh"])


def test_a_race_on_one_credit_code_is_the_already_registered_error(app, session):
    factories.gen_category(session)
    session.commit()
    code = factories.gen_credit_code()
    counter = iter(range(THREADS))

    def register(s):
        # Different names, one credit code: only the unique code can stop the others.
        return suppliers.create_supplier(
            s, factories.supplier_data(name_zh=f"重庆同码公司{next(counter)}", credit_code=code), None,
            date(2025, 1, 1)).id

    results = _race(app, register)
    assert session.scalar(select(func.count()).select_from(Supplier)) == 1
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(refused) == THREADS - 1, results
    for failure in refused:
        assert "Already registered" in str(failure.errors["credit_code"][0])


def test_six_simultaneous_portal_signatures_store_one(app, session):
    supplier = factories.gen_supplier(session)
    user = factories.gen_user(session, "supplier", supplier=supplier)
    template = gen_template(session)
    session.commit()
    now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def sign(s):
        return pledges.sign_in_portal(s, s.get(Supplier, supplier.id), s.get(type(template), template.id), "王伟",
                                      "总经理", s.get(User, user.id), now, "203.0.113.7", "test").id

    results = _race(app, sign)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert session.scalar(select(func.count()).select_from(IntegrityPledge)) == 1


def test_a_second_signature_the_same_day_is_the_first_one(session):
    supplier = factories.gen_supplier(session)
    user = factories.gen_user(session, "supplier", supplier=supplier)
    template = gen_template(session)
    now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    first = pledges.sign_in_portal(session, supplier, template, "王伟", "总经理", user, now, None, None)
    again = pledges.sign_in_portal(session, supplier, template, "王伟", "总经理", user, now, None, None)
    assert again.id == first.id
    pledges.delete_pledge(session, first, "signed by the wrong person", None)
    renewed = pledges.sign_in_portal(session, supplier, template, "李娜", "经理", user, now, None, None)
    assert renewed.id != first.id


def test_six_simultaneous_invitation_accepts_create_one_account(app, session):
    invitation = portal_factories.gen_invitation(session)
    session.commit()
    token = portal_factories.token(invitation)
    now = portal_factories.NOW

    results = _race(app, lambda s: invitations.accept(s, token, portal_factories.SECRET, "李娜",
                                                      factories.PASSWORD, factories.PASSWORD, now).id)
    created = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(created) == 1 and len(refused) == THREADS - 1, results
    assert session.scalar(select(func.count()).select_from(User).where(User.email == invitation.email)) == 1
    assert session.scalar(select(func.count()).select_from(PortalMember)) == 1
    session.expire_all()
    assert session.get(Invitation, invitation.id).user_id == created[0]
