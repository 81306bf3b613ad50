"""Every row of every B5.1 region layout drills down to exactly the suppliers it counts, within the boundary and
the user's scope (issue 9, item 6)."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from tests.factories import gen_credit_code, gen_organisation, gen_root, gen_supplier, gen_user
from tests.web.helpers import login

EN = {"Accept-Language": "en"}
LAYOUTS = ("seven", "hk_macao_overseas", "overseas_by_country")
# A row of the region table: its code, the link of its count and the count.
ROW = re.compile(r'<tr data-code="(B5\.1\.[^"]+)"><td>[^<]*</td>\s*<td class="text-end"><a href="([^"]+)">([\d,]+)</a>')
SUPPLIER_LINK = re.compile(r'<a href="/suppliers/(\d+)">')


@pytest.fixture
def group(session):
    """Two subsidiaries; A buys in Chongqing, Guangdong, Hong Kong, Germany and Japan, B in Macao and Germany."""
    gen_root(session)
    a = gen_organisation(session, "SUB-A", home_province="500000")
    b = gen_organisation(session, "SUB-B", home_province="440000")
    made = {}

    def supplier(key, org, **values):
        made[key] = gen_supplier(session, "qualified", today=date(2024, 1, 1), organisation=org,
                                 name_zh=f"钻取{key}有限公司", **values)
        made[key].registered_on = date(2024, 1, 1)

    supplier("CQ", a)
    supplier("GD", a, province="440000", credit_code=gen_credit_code("440000"), city="广州")
    supplier("HK", a, country="HK", province="", credit_code="", city="香港")
    supplier("DE-A", a, country="DE", province="", credit_code="", city="Berlin")
    supplier("JP", a, country="JP", province="", credit_code="", city="Tokyo")
    supplier("MO", b, country="MO", province="", credit_code="", city="澳门")
    supplier("DE-B", b, country="DE", province="", credit_code="", city="München")
    session.commit()
    return {"A": a, "B": b, "suppliers": made}


def _rows(page: str) -> dict[str, tuple[str, int]]:
    return {code: (html.unescape(link), int(count.replace(",", ""))) for code, link, count in ROW.findall(page)}


def _drilled(client, link: str) -> set[int]:
    page = client.get(link, headers=EN)
    assert page.status_code == 200, link
    records = page.text.split("Out of (")[0]  # a share's page lists the counted rows first
    return {int(i) for i in SUPPLIER_LINK.findall(records)}


def _ids(group, *keys) -> set[int]:
    return {group["suppliers"][key].id for key in keys}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("boundary", ["group", "SUB-A"])
def test_every_row_of_every_layout_drills_down_to_the_suppliers_it_counts(client, session, group, layout,
                                                                          boundary):
    user = gen_user(session, "auditor")
    session.commit()
    login(client, user.email)
    org = f"&org={group['A'].id}" if boundary == "SUB-A" else ""
    page = client.get(f"/disclosure/?year=2025&layout={layout}{org}", headers=EN)
    assert page.status_code == 200
    rows = _rows(page.text)
    region_rows = {code: row for code, row in rows.items()
                   if code not in ("B5.1.total", "B5.1.local", "B5.1.hk_macao")}
    assert region_rows, page.text
    for code, (link, count) in rows.items():
        drilled = _drilled(client, link)
        assert len(drilled) == count, (code, link)
        if org:
            assert f"org={group['A'].id}" in link
            assert not drilled & _ids(group, "MO", "DE-B"), code  # nothing of subsidiary B
    # The region rows cover every supplier of the boundary once.
    everyone = _ids(group, "CQ", "GD", "HK", "DE-A", "JP") | (set() if org else _ids(group, "MO", "DE-B"))
    together = [sid for link, _n in region_rows.values() for sid in _drilled(client, link)]
    assert sorted(together) == sorted(everyone)
    assert sum(n for _link, n in region_rows.values()) == rows["B5.1.total"][1] == len(everyone)


def test_the_new_rows_name_their_suppliers(client, session, group):
    user = gen_user(session, "auditor")
    session.commit()
    login(client, user.email)
    rows = _rows(client.get("/disclosure/?year=2025&layout=hk_macao_overseas", headers=EN).text)
    assert _drilled(client, rows["B5.1.hk_macao_overseas"][0]) == _ids(group, "HK", "MO", "DE-A", "DE-B", "JP")
    assert _drilled(client, rows["B5.1.south_excl_hk_macao"][0]) == _ids(group, "GD")
    by_country = _rows(client.get("/disclosure/?year=2025&layout=overseas_by_country", headers=EN).text)
    assert _drilled(client, by_country["B5.1.overseas.DE"][0]) == _ids(group, "DE-A", "DE-B")
    assert _drilled(client, by_country["B5.1.overseas.JP"][0]) == _ids(group, "JP")
    # A share drills down to its row's suppliers out of every row's.
    share = client.get("/disclosure/2025/figures/B5.1.overseas.DE.share?layout=overseas_by_country", headers=EN)
    assert "Counted (2)" in share.text and "Out of (7)" in share.text
    # A row the layout does not print is not a figure.
    assert client.get("/disclosure/2025/figures/B5.1.overseas.FR").status_code == 404
    assert client.get("/disclosure/2025/figures/B5.1.overseas.DE.share.share").status_code == 404


def test_a_user_of_another_subsidiary_gets_nothing_outside_their_scope(client, session, group):
    buyer_b = gen_user(session, "procurement", organisation=group["B"])
    session.commit()
    login(client, buyer_b.email)
    a = group["A"].id
    assert client.get(f"/disclosure/2025/figures/B5.1.hk_macao_overseas?org={a}").status_code == 404
    assert client.get(f"/disclosure/2025/figures/B5.1.overseas.JP?org={a}").status_code == 404
    # Without a boundary the rows count subsidiary B's suppliers only.
    assert _drilled(client, "/disclosure/2025/figures/B5.1.hk_macao_overseas") == _ids(group, "MO", "DE-B")
    assert _drilled(client, "/disclosure/2025/figures/B5.1.overseas.DE") == _ids(group, "DE-B")
    assert client.get("/disclosure/2025/figures/B5.1.overseas.JP").status_code == 404  # none in B's scope
    rows = _rows(client.get("/disclosure/?year=2025&layout=overseas_by_country", headers=EN).text)
    assert "B5.1.overseas.JP" not in rows and rows["B5.1.overseas.DE"][1] == 1
