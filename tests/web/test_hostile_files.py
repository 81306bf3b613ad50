"""Odd files at every import form (suppliers, a migration, screening results, the four kinds of evidence, a
ZIP of scans): never a server error, never anything saved by a preview, and a message where the file cannot be
read. The shapes a procurement department really uploads by mistake, and a few an attacker would."""

from __future__ import annotations

import gzip
import io
import random

import pytest
from sqlalchemy import func, select

from supplychain.models import IntegrityPledge, Supplier
from tests.factories import gen_category, gen_user
from tests.file_factories import xlsx_bytes, zip_bytes
from tests.web.helpers import csrf_token, login

_NOISE = bytes(random.Random(3).randrange(256) for _ in range(5000))
FILES = {
    "empty.csv": b"",
    "bom-only.csv": b"\xef\xbb\xbf",
    "header-only.csv": "供应商名称,统一社会信用代码\r\n".encode("gbk"),
    "noise.csv": _NOISE,
    "broken.xlsx": b"PK\x03\x04garbage",
    "nul.csv": b"name_zh,credit_code\n\x00\x00,\x00\n",
    "utf16-no-bom.csv": "name_zh,credit_code\n甲公司,x\n".encode("utf-16-le"),
    "cr-only.csv": "name_zh,credit_code\r甲,1\r".encode(),
    "open-quote.csv": b'name_zh,credit_code\n"unbalanced,1\n',
    "wide.csv": (",".join(f"c{i}" for i in range(20000)) + "\n" + ",".join("x" * 20000) + "\n").encode(),
    "long-cell.csv": b"name_zh,credit_code\n" + "甲".encode() * 400000 + b",1\n",
    "page.csv": b"<html><body><table><tr><td>x</td></tr></table></body></html>",
    "packed.csv": gzip.compress(b"name_zh\nx\n"),
    "no-sheet-rows.xlsx": xlsx_bytes([]),
    "formulas.xlsx": xlsx_bytes([["供应商名称", "统一社会信用代码"], ["=1+1", '=HYPERLINK("http://x")']]),
    "not-a-workbook.xlsx": zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<<<"}),
    "number-as-date.xlsx": xlsx_bytes([["供应商名称", "统一社会信用代码", "注册日期"],
                                  ["甲公司", "91500000MA5U7K8X2L", 99999999]]),
    "../../../etc/passwd.csv": b"name_zh\nx\n",
    "notes.txt": b"name_zh\nx\n",
}
PLEDGES = ("供应商名称,统一社会信用代码,类型,签署人,签署日期,扫描件\n"
           "甲公司,91500000MA5U7K8X2L,integrity,王伟,2024-01-01,a.pdf\n")
# What the preview says of each (in Chinese, the default language).
SCANS = {
    "not a zip": (b"hello", "扫描件不是可读取的 ZIP 文件。"),
    "a program named .pdf": (zip_bytes({"a.pdf": b"MZ\x90\x00"}), "a.pdf：该文件是程序而不是文档。"),
    "60 MB of zeros": (zip_bytes({"a.pdf": b"\0" * (60 * 1024 * 1024)}), "a.pdf：文件超过 20 MB。"),
    "10,001 files": (zip_bytes({f"{i}.pdf": b"%PDF-1.4" for i in range(10_001)}), "ZIP 中的文件过多或过大。"),
}


@pytest.fixture
def admin_client(client, session):
    admin = gen_user(session, "admin")
    gen_category(session, "equipment", "设备", "Equipment")
    session.commit()
    assert login(client, admin.email).status_code == 302
    return client


def _post(client, page: str, fields: dict):
    return client.post(page, data={"csrf_token": csrf_token(client.get(page).text), **fields},
                       content_type="multipart/form-data")


def _saved(session) -> tuple[int, int]:
    session.expire_all()
    return session.scalar(select(func.count(Supplier.id))), session.scalar(select(func.count(IntegrityPledge.id)))


@pytest.mark.parametrize("name", list(FILES))
def test_an_odd_file_is_answered_at_every_import_and_saves_nothing(admin_client, session, name):
    forms = [("/suppliers/import/", {}), ("/suppliers/import/", {"migration": "y", "reason": "旧系统"}),
             ("/screening/import", {})]
    forms += [("/evidence/import/", {"kind": kind}) for kind in ("pledges", "certificates", "training", "evaluations")]
    for page, fields in forms:
        response = _post(admin_client, page, {**fields, "file": (io.BytesIO(FILES[name]), name)})
        assert response.status_code < 500, (page, fields, response.status_code)
        assert "Traceback" not in response.text
    assert _saved(session) == (0, 0)


@pytest.mark.parametrize("problem", list(SCANS))
def test_a_bad_zip_of_scans_is_named_and_nothing_is_saved(admin_client, session, problem):
    scans, message = SCANS[problem]
    response = _post(admin_client, "/evidence/import/", {
        "kind": "pledges", "file": (io.BytesIO(PLEDGES.encode("gbk")), "承诺书.csv"),
        "scans": (io.BytesIO(scans), "scans.zip")})
    assert response.status_code == 200
    assert message in response.text
    assert _saved(session) == (0, 0)
