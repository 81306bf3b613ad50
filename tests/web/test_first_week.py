"""Issue 15's "done when", as a new group tries it in the web: a GBK platform export with Chinese headers and
3,000 suppliers in several provinces (some named in traditional Chinese, some left empty), a column to map, a
migration with its reason; then the dashboard shows the supply base by region and the year's disclosure
counts it."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from supplychain.models import AuditEntry, Supplier
from tests.factories import gen_category, gen_credit_code, gen_user
from tests.web.helpers import csrf_token, login

EN = {"Accept-Language": "en"}
URL = "/suppliers/import/"
_TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')
# (what the platform wrote in 所在地, the division of the credit codes, the region the supplier belongs to)
PLACES = (("重庆市", "500000", "southwest"), ("廣東省", "440000", "south"), ("江苏省", "320000", "east"),
          ("", "510000", "southwest"), ("雲南省", "530000", "southwest"), ("北京市", "110000", "north"))
ROWS = 3000


def _export() -> bytes:
    lines = ["供应商名录（采购平台导出）", "平台编号,供应商名称,统一社会信用代码,所在地,供应类别,联系人,状态,合格日期"]
    for n in range(ROWS):
        place, division, _region = PLACES[n % len(PLACES)]
        lines.append(f"P{n:05d},首周导入{n}有限公司,{gen_credit_code(division)},{place},设备,王伟,合格,2024-03-01")
    lines.append(f"合计：{ROWS} 家")
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def _post(client, url: str, page: str, **fields):
    token = _TOKEN.search(page)
    data = {"csrf_token": csrf_token(page), **({"token": token.group(1)} if token else {}), **fields}
    return client.post(url, data=data, content_type="multipart/form-data", headers=EN)


def test_a_platform_export_goes_in_and_the_dashboard_and_disclosure_count_it(client, session):
    admin = gen_user(session, "admin")
    gen_category(session, "equipment", "设备", "Equipment")
    session.commit()
    assert login(client, admin.email).status_code == 302

    upload = client.get(URL, headers=EN).text
    preview = _post(client, URL, upload, file=(io.BytesIO(_export()), "平台导出.csv"), migration="y",
                    reason="2025 采购平台合格名录").text
    # 所在地 is no name the product knows: the user maps it (and leaves the platform's own number out).
    assert 'name="map-所在地"' in preview and 'name="map-平台编号"' in preview
    mapped = _post(client, URL + "recheck", preview, **{"map-所在地": "province", "map-平台编号": "",
                                                         "template": "采购平台"}).text
    assert "The file is correct" in mapped and "Read as" in mapped
    assert "Province taken from the credit code: 四川省." in mapped  # the rows that left it empty
    assert f"Line {ROWS + 3}: Skipped: a total or notes row, not a supplier." in mapped  # the 合计 footer
    assert "Unknown province" not in mapped  # 廣東省 and 雲南省 are read as written

    done = _post(client, URL + "confirm", mapped)
    assert done.status_code == 302
    assert session.scalar(select(func.count(Supplier.id))) == ROWS
    assert set(session.scalars(select(Supplier.status).distinct())) == {"qualified"}
    origins = session.scalars(select(AuditEntry.note).where(AuditEntry.action == "status")).all()
    assert len(origins) == ROWS and all(note.startswith("migration: 2025 采购平台合格名录") for note in origins)

    expected = {"southwest": ROWS // 2, "south": ROWS // 6, "east": ROWS // 6, "north": ROWS // 6}
    home = client.get("/", headers=EN).text
    shown = {key: int(count) for key, count in re.findall(r'data-region="(\w+)">[^<]*?(\d+)</a>', home)}
    assert {key: count for key, count in shown.items() if count} == expected  # the other regions show 0

    disclosure = client.get("/disclosure/?year=2025", headers=EN).text
    figures = {code: int(value.replace(",", "")) for code, value in re.findall(
        r'<tr data-code="(B5\.1\.\w+)"><td>[^<]*</td>\s*<td class="text-end"><a [^>]*>([\d,]+)</a>', disclosure)}
    assert figures["B5.1.total"] == ROWS
    assert {key: figures[f"B5.1.{key}"] for key in expected} == expected
