"""The /spend/ page: figures within the user's organisation, each drilling down to its lines."""

from __future__ import annotations

from datetime import date

from supplychain.models import SupplierRelationship
from tests.factories import gen_credit_code, gen_organisation, gen_root, gen_supplier, gen_user
from tests.purchasing_factories import gen_receipt, gen_spend
from tests.web.helpers import login


def _ledger(session):
    root = gen_root(session)
    sub = gen_organisation(session, "SX", home_province="140000")
    local = gen_supplier(session, organisation=root, name_zh="重庆本地零件有限公司")
    shanxi = gen_supplier(session, organisation=root, name_zh="山西煤机配件有限公司", province="140000",
                          credit_code=gen_credit_code("140000"))
    session.add(SupplierRelationship(organisation_id=sub.id, supplier_id=shanxi.id, status="active",
                                     since_on=date(2026, 1, 1)))
    session.flush()
    gen_spend(session, local, root, month="2026-01", amount="750")
    gen_spend(session, shanxi, sub, month="2026-02", amount="250")
    gen_receipt(session, local, root, due_on=date(2026, 2, 10), received_on=date(2026, 2, 10))
    gen_receipt(session, local, root, due_on=date(2026, 2, 10), received_on=date(2026, 2, 11))
    return root, sub, local, shanxi


def test_the_group_sees_every_figure_and_drills_down(client, session):
    root, _sub, local, _shanxi = _ledger(session)
    user = gen_user(session, "auditor", organisation=root)
    session.commit()
    login(client, user.email)
    page = client.get("/spend/?year=2026&currency=CNY", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "1,000.00" in body and "重庆本地零件有限公司" in body and "山西煤机配件有限公司" in body
    assert "100.0 %" in body  # both lines are local to the organisation that spent them
    assert "50.0 %" in body  # on-time delivery: the line received the day after its due date is late
    lines = client.get(f"/spend/lines?year=2026&currency=CNY&figure=supplier&key={local.id}").get_data(as_text=True)
    assert "750.00 CNY" in lines and "250.00" not in lines
    receipts = client.get(f"/spend/receipts?year=2026&supplier={local.id}").get_data(as_text=True)
    assert receipts.count("<tr>") == 3  # header + two lines


def test_a_subsidiary_sees_only_its_own_spend(client, session):
    _root, sub, _local, _shanxi = _ledger(session)
    user = gen_user(session, "procurement", organisation=sub)
    session.commit()
    login(client, user.email)
    body = client.get("/spend/?year=2026").get_data(as_text=True)
    assert "山西煤机配件有限公司" in body and "重庆本地零件有限公司" not in body
    assert "250.00" in body and "1,000.00" not in body
    total = client.get("/spend/lines?year=2026&figure=total").get_data(as_text=True)
    assert "重庆本地零件有限公司" not in total


def test_bad_parameters_are_not_found_never_a_server_error(client, session):
    root, *_ = _ledger(session)
    user = gen_user(session, "procurement", organisation=root)
    session.commit()
    login(client, user.email)
    for url in ("/spend/?year=abc", "/spend/?currency=XYZ", "/spend/lines?figure=nope",
                "/spend/lines?figure=region&key=moon", "/spend/receipts?supplier=x"):
        assert client.get(url).status_code == 404, url


def test_the_page_is_in_chinese_for_chinese_browsers(client, session):
    root, *_ = _ledger(session)
    user = gen_user(session, "procurement", organisation=root)
    session.commit()
    login(client, user.email)
    body = client.get("/spend/?year=2026", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "采购支出与交付" in body and "本地采购金额占比" in body


def test_the_evaluation_form_shows_the_receipt_based_delivery_line(client, session):
    from tests.evaluation_factories import gen_evaluation

    root = gen_root(session)
    supplier = gen_supplier(session, status="qualified", organisation=root)
    # 2025: one line on time, one a day late.
    gen_receipt(session, supplier, root, due_on=date(2025, 5, 10), received_on=date(2025, 5, 10))
    gen_receipt(session, supplier, root, due_on=date(2025, 5, 10), received_on=date(2025, 5, 11))
    user = gen_user(session, "procurement", organisation=root)
    evaluation = gen_evaluation(session, supplier=supplier, period=("year", 2025, 1), actor=user)
    session.commit()
    login(client, user.email)
    body = client.get(f"/evaluations/{evaluation.id}/edit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "from receipt data: on-time delivery 50.0 % (1 of 2 receipt lines" in body
    assert "used only when the supplier has no receipt lines in the period" in body
    assert 'name="score_on_time_delivery"' in body
