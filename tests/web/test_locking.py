"""Lost updates (issue 14): two people edit the same record from forms opened at the same version.

The first save wins; the second gets the conflict message with what differs, its input stays in the
form (nothing lost), the first save is not reverted, and saving again deliberately keeps the input.
"""

from __future__ import annotations

from datetime import date

import pytest

from supplychain.models import (
    Certification,
    CorrectiveAction,
    Incident,
    PledgeTemplate,
    Supplier,
    SupplyCategory,
    TrainingSession,
    User,
)
from tests import factories
from tests.evidence_factories import gen_action, gen_certificate, gen_incident, gen_template, gen_training
from tests.web.forms import form_values
from tests.web.helpers import login


def _supplier(session):
    supplier = factories.gen_supplier(session)
    return f"/suppliers/{supplier.id}/edit", Supplier, supplier.id, ("city", "万州"), ("address", "江北区 8 号")


def _certificate(session):
    cert = gen_certificate(session, factories.gen_supplier(session))
    return f"/certificates/{cert.id}/edit", Certification, cert.id, ("issuer", "方圆标志认证集团"), \
        ("scope", "机械设备的设计和生产")


def _training(session):
    training = gen_training(session)
    return f"/trainings/{training.id}/edit", TrainingSession, training.id, ("title", "反腐败培训"), \
        ("organiser", "纪检监察室")


def _incident(session):
    incident = gen_incident(session, factories.gen_supplier(session))
    return f"/incidents/{incident.id}/edit", Incident, incident.id, ("source", "客户投诉"), \
        ("description", "废水超标排放，已责令停产整改")


def _action(session):
    action = gen_action(session, factories.gen_supplier(session))
    return f"/corrective-actions/{action.id}/edit", CorrectiveAction, action.id, ("owner", "李娜"), \
        ("action", "更换污水处理设备并复检")


def _category(session):
    category = factories.gen_category(session, code="castings", name_zh="铸件", name_en="Castings")
    return f"/admin/categories/{category.id}/edit", SupplyCategory, category.id, ("name_zh", "铸锻件"), \
        ("name_en", "Castings and forgings")


def _user(session):
    user = factories.gen_user(session, "reviewer")
    return f"/admin/users/{user.id}/edit", User, user.id, ("name", "审核员甲"), ("email", "reviewer-new@example.com")


def _pledge_template(session):
    template = gen_template(session, effective_on=date(2030, 1, 1))
    return f"/pledges/templates/{template.id}/edit", PledgeTemplate, template.id, ("title_zh", "廉洁承诺书（修订）"), \
        ("title_en", "Integrity pledge (revised)")


@pytest.mark.parametrize("setup", [_supplier, _certificate, _training, _incident, _action, _category, _user,
                                   _pledge_template])
def test_the_second_save_from_an_old_form_is_refused_and_loses_nothing(app, session, setup):
    url, model, record_id, (first_field, first_value), (second_field, second_value) = setup(session)
    alice, bob = factories.gen_user(session, "admin"), factories.gen_user(session, "admin")
    session.commit()
    client_a, client_b = app.test_client(), app.test_client()
    login(client_a, alice.email)
    login(client_b, bob.email)
    form_a = form_values(client_a.get(url).text)
    form_b = form_values(client_b.get(url).text)
    assert form_a["version_id"] == form_b["version_id"]
    before = getattr(session.get(model, record_id), second_field)

    saved = client_a.post(url, data={**form_a, first_field: first_value})
    assert saved.status_code == 302, saved.text

    refused = client_b.post(url, data={**form_b, second_field: second_value}, headers={"Accept-Language": "en"})
    assert refused.status_code == 200
    assert "data-conflict" in refused.text and "your changes were NOT saved" in refused.text
    assert first_value in refused.text  # what the other person saved is shown…
    assert f"Last saved by {alice.name} at " in refused.text  # …by whom, by name, not e-mail (D22)
    kept = form_values(refused.text)
    assert kept[second_field] == [second_value]  # …and the input is still in the form
    session.expire_all()
    record = session.get(model, record_id)
    assert getattr(record, first_field) == first_value  # the first save was not reverted
    assert getattr(record, second_field) == before

    again = client_b.post(url, data={**kept, first_field: first_value})
    assert again.status_code == 302, again.text
    session.expire_all()
    record = session.get(model, record_id)
    assert (getattr(record, first_field), getattr(record, second_field)) == (first_value, second_value)


def test_a_category_change_alone_moves_the_supplier_version(app, session):
    supplier = factories.gen_supplier(session)
    factories.gen_category(session, code="castings", name_zh="铸件", name_en="Castings")
    user = factories.gen_user(session, "procurement")
    session.commit()
    version = supplier.version_id
    client = app.test_client()
    login(client, user.email)
    url = f"/suppliers/{supplier.id}/edit"
    form = form_values(client.get(url).text)
    assert client.post(url, data={**form, "categories": ["equipment", "castings"]}).status_code == 302
    session.expire_all()
    assert session.get(Supplier, supplier.id).version_id == version + 1
    stale = client.post(url, data={**form, "city": "涪陵"})
    assert "data-conflict" in stale.text


def test_a_scheme_saved_meanwhile_is_a_conflict_not_an_overwrite(app, session):
    from supplychain.models import SchemeVersion
    from supplychain.services.evaluation import schemes

    schemes.ensure_defaults(session)
    alice, bob = factories.gen_user(session, "admin"), factories.gen_user(session, "admin")
    session.commit()
    client_a, client_b = app.test_client(), app.test_client()
    login(client_a, alice.email)
    login(client_b, bob.email)
    url = "/schemes/edit/periodic"
    form_a, form_b = form_values(client_a.get(url).text), form_values(client_b.get(url).text)
    latest = schemes.latest(session, schemes.line_code("periodic", None))
    assert form_a["version_id"] == [str(latest.version)]
    assert client_a.post(url, data={**form_a, "name_en": "Periodic review 2026"}).status_code == 302
    refused = client_b.post(url, data={**form_b, "name_zh": "年度考核（修订）"}, headers={"Accept-Language": "en"})
    assert refused.status_code == 200 and "data-conflict" in refused.text
    assert form_values(refused.text)["name_zh"] == ["年度考核（修订）"]
    session.expire_all()
    versions = session.query(SchemeVersion).filter_by(code=latest.code).count()
    assert versions == 2


def test_a_supplier_saving_its_profile_from_an_old_page_does_not_undo_procurement(app, session):
    from tests.portal_factories import gen_portal_user

    supplier = factories.gen_supplier(session)
    portal_user = gen_portal_user(session, supplier)
    buyer = factories.gen_user(session, "procurement")
    session.commit()
    portal_client, staff_client = app.test_client(), app.test_client()
    login(portal_client, portal_user.email)
    login(staff_client, buyer.email)
    profile = form_values(portal_client.get("/portal/profile").text)
    staff_form = form_values(staff_client.get(f"/suppliers/{supplier.id}/edit").text)
    assert staff_client.post(f"/suppliers/{supplier.id}/edit", data={**staff_form, "city": "永川"}).status_code == 302

    refused = portal_client.post("/portal/profile", data={**profile, "address": "永川区 9 号"},
                                 headers={"Accept-Language": "en"})
    assert refused.status_code == 200 and "data-conflict" in refused.text and "永川" in refused.text
    assert form_values(refused.text)["address"] == ["永川区 9 号"]
    session.expire_all()
    assert session.get(Supplier, supplier.id).city == "永川"
