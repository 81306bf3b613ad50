"""The populations a disclosure reads once for its three years (issue 9's speed work): statuses on several
days from one read must be what each day's own reading gives, status history and registration included."""

from __future__ import annotations

from datetime import date

from supplychain.services.disclosure import compute, statuses
from supplychain.services.registry import suppliers as supplier_service
from tests.factories import gen_supplier

DAYS = (date(2022, 12, 31), date(2023, 12, 31), date(2024, 12, 31))


def test_statuses_on_several_days_follow_each_suppliers_history(session):
    moved = gen_supplier(session, "qualified", today=date(2022, 1, 1))
    supplier_service.change_status(session, moved, "suspended", "审核", None, effective_on=date(2023, 6, 1))
    supplier_service.change_status(session, moved, "qualified", "整改完成", None, effective_on=date(2024, 3, 1))
    steady = gen_supplier(session, "trial", today=date(2022, 5, 1))
    late = gen_supplier(session, "qualified", today=date(2024, 6, 1))
    session.flush()

    by_day = statuses.statuses_on_days(session, DAYS)

    status = {day: {sid: values[0] for sid, values in by_day[day].items()} for day in DAYS}
    assert status[DAYS[0]] == {moved.id: "qualified", steady.id: "trial"}  # before its first change
    assert status[DAYS[1]] == {moved.id: "suspended", steady.id: "trial"}
    assert status[DAYS[2]] == {moved.id: "qualified", steady.id: "trial", late.id: "qualified"}
    assert by_day[DAYS[2]][late.id] == ("qualified", late.region, late.province_code)
    for day in DAYS:
        assert statuses.statuses_on(session, day) == by_day[day]


def test_populations_give_each_years_supply_chain(session):
    moved = gen_supplier(session, "qualified", today=date(2022, 1, 1))
    supplier_service.change_status(session, moved, "suspended", "审核", None, effective_on=date(2023, 6, 1))
    session.flush()

    shared = compute.populations(session, DAYS)

    assert set(shared.engaged_on(DAYS[0])) == {moved.id}
    assert shared.engaged_on(DAYS[1]) == {}
    assert statuses.statuses_on_days(session, []) == {}
