"""The changes feed through HTTP: every change in commit order, stable cursors, scope, nothing skipped."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from supplychain.models import Supplier, SupplierChange
from supplychain.services.registry import qualifications, relationships
from supplychain.services.registry import suppliers as registry
from tests.evidence_factories import gen_blacklist_entry
from tests.factories import gen_organisation, gen_supplier
from tests.integration_factories import bearer, gen_api_client


def _feed(client, token, after=0, limit=1000):
    response = client.get("/api/v1/changes", query_string={"after": after, "limit": limit}, headers=bearer(token))
    assert response.status_code == 200, response.json
    return response.json


def test_supplier_qualification_relationship_and_blacklist_changes_appear_in_order(client, session):
    _, token = gen_api_client(session, scopes=["changes:read"])
    session.commit()
    supplier = gen_supplier(session, categories=["equipment"])
    session.commit()
    qualifications.record(session, supplier, supplier.categories[0].id, "qualified", date.today(), None, None)
    session.commit()
    other = gen_organisation(session, "EAST")
    relationships.ensure(session, other.id, supplier, None, date.today())
    session.commit()
    gen_blacklist_entry(session, credit_code=supplier.credit_code, supplier=supplier)
    session.commit()
    page = _feed(client, token)
    entities = [(c["supplier_id"], c["entity"], c["action"]) for c in page["changes"]]
    sid = supplier.id
    assert entities[:2] == [(sid, "relationship", "created"), (sid, "supplier", "created")]
    assert (sid, "qualification", "created") in entities[2:3]
    assert entities[3] == (sid, "relationship", "created")
    assert {(sid, "blacklist_entry", "created"), (sid, "supplier", "updated")} <= set(entities[4:])
    cursors = [c["cursor"] for c in page["changes"]]
    assert cursors == sorted(cursors) and page["next_cursor"] == cursors[-1] and page["has_more"] is False
    assert all(c["credit_code"] == supplier.credit_code for c in page["changes"])


def test_cursors_are_stable_and_pages_do_not_overlap(client, session):
    _, token = gen_api_client(session, scopes=["changes:read"])
    for _ in range(5):
        gen_supplier(session)
    session.commit()
    everything = _feed(client, token)["changes"]
    seen, cursor = [], 0
    while True:
        page = _feed(client, token, after=cursor, limit=3)
        seen.extend(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == everything and len(everything) == 10
    assert _feed(client, token, after=cursor) == {"changes": [], "next_cursor": cursor, "has_more": False}
    assert _feed(client, token, after=everything[4]["cursor"])["changes"] == everything[5:]


def test_a_rolled_back_change_leaves_no_trace(session):
    supplier = gen_supplier(session)
    session.commit()
    before = session.scalars(select(SupplierChange.id)).all()
    registry.change_status(session, supplier, "suspended", "质量问题", None)
    session.rollback()
    assert session.scalars(select(SupplierChange.id)).all() == before


def test_a_client_limited_to_an_organisation_sees_only_changes_of_its_suppliers(client, session):
    north = gen_organisation(session, "NORTH")
    south = gen_organisation(session, "SOUTH")
    mine = gen_supplier(session, organisation=north)
    gen_supplier(session, organisation=south)
    _, token = gen_api_client(session, scopes=["changes:read"], organisation=north)
    session.commit()
    assert {c["supplier_id"] for c in _feed(client, token)["changes"]} == {mine.id}


def test_bulk_imported_suppliers_are_in_the_feed(client, session):
    from supplychain.services.imports import importer
    from tests.factories import gen_category, gen_credit_code

    gen_category(session, "equipment", name_zh="设备")
    _, token = gen_api_client(session, scopes=["changes:read"])
    session.commit()
    from tests.services.test_importer import _csv, _row

    rows = [_row(n, name_zh=f"重庆批量导入有限公司{n}", credit_code=gen_credit_code()) for n in range(3)]
    plan, result = importer.import_file(session, "suppliers.csv", _csv(rows), None, date.today())
    assert plan.ok and result is not None
    session.commit()
    created = set(session.scalars(select(Supplier.id).where(Supplier.name_zh.like("重庆批量导入%"))))
    fed = {c["supplier_id"] for c in _feed(client, token)["changes"] if c["entity"] == "supplier"}
    assert len(created) == 3 and created <= fed


def test_nothing_is_skipped_when_writers_commit_concurrently(app, client, session):
    """Writers commit in any order while a platform reads: it ends up with every change, once."""
    _, token = gen_api_client(session, scopes=["changes:read"])
    suppliers = [gen_supplier(session) for _ in range(6)]
    session.commit()
    ids = [s.id for s in suppliers]
    engine = app.extensions["sqlalchemy_engine"]
    start = session.scalar(select(SupplierChange.id).order_by(SupplierChange.id.desc()).limit(1))
    errors: list = []

    def writer(supplier_ids):
        try:
            for n in range(5):
                with Session(engine) as own:
                    for sid in supplier_ids:
                        own.get(Supplier, sid).city = f"城市{n}"
                    own.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(ids[i::3],)) for i in range(3)]
    seen: list[int] = []
    cursor = start
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads) or not seen or seen[-1] < _newest(engine):
        page = _feed(client, token, after=cursor)
        seen.extend(c["cursor"] for c in page["changes"])
        cursor = page["next_cursor"]
    for thread in threads:
        thread.join()
    assert not errors
    with Session(engine) as check:
        committed = check.scalars(select(SupplierChange.id).where(SupplierChange.id > start)
                                  .order_by(SupplierChange.id)).all()
    assert len(committed) == 30
    assert seen == committed  # every committed change, once, in order


def _newest(engine) -> int:
    with Session(engine) as check:
        return check.scalar(select(SupplierChange.id).order_by(SupplierChange.id.desc()).limit(1)) or 0
