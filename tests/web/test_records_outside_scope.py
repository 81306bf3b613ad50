"""Records of the reader's own organisation that name a supplier outside their scope.

A training session of subsidiary A attended by a supplier only subsidiary B buys from (a session moved to
A, say), A's incident or audit of a supplier whose relationship is B's: the record is A's and A's staff see
it, but the supplier's page is B's (404 for them). Such a record names the supplier as the group master
shares it (name only, as plain text): never an empty link, never a link to a page that answers 404.
"""

from __future__ import annotations

import re

from sqlalchemy import select, update

from supplychain.models import SupplierRelationship, TrainingAttendance, User
from supplychain.scope import ORGANISATION_RECORDS
from tests.evidence_factories import gen_attendance, gen_incident, gen_training
from tests.factories import gen_organisation, gen_root, gen_supplier, gen_user
from tests.web.helpers import login, post_form
from tests.web.test_access import _area_modules, _routes

SUPPLIER_LINK = re.compile(r'<a\b[^>]*href="/suppliers/(\d+)[^"]*"[^>]*>(.*?)</a>', re.S)
EMPTY_LINK = re.compile(r"<a\b[^>]*>\s*</a>")
HREF = re.compile(r'href="(/[^"#]*)')


def _records_of_a_suppliers_of_b(session) -> tuple[dict, object, object]:
    """Every area's sample records, made subsidiary A's, of suppliers only subsidiary B buys from."""
    values: dict = {}
    for module in _area_modules():
        values.update(module.sample(session))
    training = gen_training(session)
    gen_attendance(session, training, gen_supplier(session, name_zh="抽样培训出席供应商有限公司"))
    values["training_id"] = training.id
    root = gen_root(session)
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    for model in ORGANISATION_RECORDS:
        session.execute(update(model).values(organisation_id=(b if model is SupplierRelationship else a).id))
    session.execute(update(User).where(User.organisation_id == root.id).values(organisation_id=a.id))
    session.flush()
    return values, a, b


def _get(client, url: str, failures: list):
    try:
        return client.get(url)
    except Exception as exc:  # noqa: BLE001 - the test client re-raises a page's error: report it with the rest
        failures.append(f"{url}: {type(exc).__name__} {exc}")
        return None


def test_own_records_never_link_to_a_supplier_outside_the_scope(app, client, session):
    """Every page of SUB-A's admin, every record SUB-A's and every supplier SUB-B's: no supplier link, no empty
    link, and every link on those pages opens (no 404, no error)."""
    values, a, _b = _records_of_a_suppliers_of_b(session)
    user = gen_user(session, "admin", organisation=a)
    session.commit()
    assert login(client, user.email).status_code == 302
    failures: list[str] = []
    links: dict[str, str] = {}
    pages = 0
    for rule, method in _routes(app):
        if method != "GET" or rule.endpoint.startswith(("api_", "portal.")) or set(rule.arguments) - set(values):
            continue
        url = app.url_map.bind("localhost").build(rule.endpoint, {k: values[k] for k in rule.arguments})
        response = _get(client, url, failures)
        if response is None or response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages += 1
        body = response.get_data(as_text=True)
        failures += [f"{url} links to supplier {supplier_id}, 404 for SUB-A: {text.strip()!r}"
                     for supplier_id, text in SUPPLIER_LINK.findall(body)]
        failures += [f"{url} has an empty link: {link}" for link in EMPTY_LINK.findall(body)]
        for href in HREF.findall(body):
            links.setdefault(href.replace("&amp;", "&"), url)
    assert pages > 50
    for href, origin in sorted(links.items()):
        if not href.startswith("/static/") and (response := _get(client, href, failures)) is not None \
                and response.status_code == 404:
            failures.append(f"{origin} links to {href}: 404")
    assert not failures, "\n".join(failures)




def _supplier_of_b_only(session, name_zh: str):
    a, b = gen_organisation(session, "SUB-A"), gen_organisation(session, "SUB-B")
    return a, b, gen_supplier(session, status="qualified", organisation=b, name_zh=name_zh)


def test_a_session_names_an_attendee_outside_the_scope_as_plain_text_and_can_remove_it(client, session):
    a, b, theirs = _supplier_of_b_only(session, "乙方独家培训供应商有限公司")
    ours = gen_supplier(session, status="qualified", organisation=a, name_zh="甲方自有培训供应商有限公司")
    training = gen_training(session)
    training.organisation_id = a.id
    attendance = gen_attendance(session, training, theirs, head_count=4)
    gen_attendance(session, training, ours)
    buyer = gen_user(session, "procurement", organisation=a)
    session.commit()
    login(client, buyer.email)
    page = client.get(f"/trainings/{training.id}")
    assert page.status_code == 200
    # Their own record of who attended their training: the name, not a link to a page they cannot open.
    assert "乙方独家培训供应商有限公司" in page.text and "不在您的组织范围内" in page.text
    assert f'href="/suppliers/{theirs.id}' not in page.text and not EMPTY_LINK.search(page.text)
    assert f'href="/suppliers/{ours.id}#training">甲方自有培训供应商有限公司</a>' in page.text
    assert client.get(f"/suppliers/{theirs.id}").status_code == 404
    # The attendance is theirs: they may remove it.
    url = f"/trainings/attendances/{attendance.id}/delete"
    response = post_form(client, url, {"reason": "录入错误"}, page_url=f"/trainings/{training.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/trainings/{training.id}")
    assert session.scalar(select(TrainingAttendance.id).where(TrainingAttendance.id == attendance.id)) is None


def test_another_subsidiary_cannot_remove_the_attendance(app, session):
    a, b, theirs = _supplier_of_b_only(session, "乙方独家培训供应商有限公司")
    training = gen_training(session)
    training.organisation_id = a.id
    attendance = gen_attendance(session, training, theirs)
    buyer_b = gen_user(session, "procurement", organisation=b)
    session.commit()
    client = app.test_client()
    login(client, buyer_b.email)
    assert client.get(f"/trainings/{training.id}").status_code == 404
    response = post_form(client, f"/trainings/attendances/{attendance.id}/delete", {"reason": "录入错误"},
                         page_url="/trainings/")
    assert response.status_code == 404
    assert session.scalar(select(TrainingAttendance.id).where(TrainingAttendance.id == attendance.id)) is not None


def test_an_incident_of_a_supplier_outside_the_scope_is_named_listed_exported_and_removable(client, session):
    a, _b, theirs = _supplier_of_b_only(session, "乙方独家事件供应商有限公司")
    incident = gen_incident(session, theirs)
    incident.organisation_id = a.id
    buyer = gen_user(session, "procurement", organisation=a)
    session.commit()
    login(client, buyer.email)
    for url in ("/incidents/", f"/incidents/{incident.id}"):
        page = client.get(url)
        assert page.status_code == 200 and "乙方独家事件供应商有限公司" in page.text, url
        assert f'/suppliers/{theirs.id}' not in page.text and not EMPTY_LINK.search(page.text), url
    view = client.get(f"/incidents/{incident.id}").text
    # Editing needs the supplier, which is not theirs to open: no Edit button, and the edit page is not found.
    assert f'href="/incidents/{incident.id}/edit"' not in view and "/corrective-actions/suppliers/" not in view
    assert client.get(f"/incidents/{incident.id}/edit").status_code == 404
    export = client.get("/exports/incidents.csv")
    assert export.status_code == 200 and "乙方独家事件供应商有限公司" in export.get_data(as_text=True)
    response = post_form(client, f"/removals/incidents/{incident.id}", {"reason": "录入错误"},
                         page_url=f"/incidents/{incident.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/incidents/")
