"""Reading import files: encodings, XLSX, headers and files that cannot be read (no app, no database)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from supplychain.services.imports.importer import COLUMNS, read_file, read_rows
from tests.file_factories import xlsx_bytes

HEADER = ",".join(COLUMNS)
ROW = ("重庆长江机械有限公司,Changjiang,91500112MA5U7C8X0N,CN,重庆,重庆,渝北区 1 号,设备;零部件,王伟,"
       "13800000000,w@example.cn")


def _messages(problems) -> list[str]:
    return [str(problem.message) for problem in problems]


def test_utf8_csv_with_line_numbers_from_the_header():
    rows, problems = read_rows("s.csv", f"{HEADER}\n{ROW}\n{ROW.replace('长江', '嘉陵')}\n".encode())
    assert problems == []
    assert [row.line for row in rows] == [2, 3]
    assert rows[0].values["name_zh"] == "重庆长江机械有限公司"
    assert rows[0].values["categories"] == "设备;零部件"
    assert rows[1].values["name_zh"] == "重庆嘉陵机械有限公司"


def test_utf8_with_bom_keeps_the_first_column_name():
    rows, problems = read_rows("s.csv", f"{HEADER}\r\n{ROW}\r\n".encode("utf-8-sig"))
    assert problems == []
    assert rows[0].values["name_zh"] == "重庆长江机械有限公司"


def test_gbk_csv_is_decoded():
    rows, problems = read_rows("s.csv", f"{HEADER}\n{ROW}\n".encode("gbk"))
    assert problems == []
    assert rows[0].values["name_zh"] == "重庆长江机械有限公司" and rows[0].values["province"] == "重庆"


def test_excel_unicode_text_utf16_tab_separated():
    text = f"{HEADER}\n{ROW}\n".replace(",", "\t")
    rows, problems = read_rows("s.txt", text.encode("utf-16"))
    assert problems == []
    assert rows[0].values["city"] == "重庆"


def test_header_names_are_case_insensitive_and_unknown_columns_are_listed_not_read():
    header = " NAME_ZH ,Name EN," + ",".join(COLUMNS[2:]) + ",Remarks,Buyer"
    result = read_file("s.csv", f"{header}\n{ROW},备注,张三\n".encode())
    assert result.problems == []
    rows = result.rows
    assert rows[0].values["name_zh"] == "重庆长江机械有限公司" and rows[0].values["name_en"] == "Changjiang"
    assert "remarks" not in rows[0].values and "张三" not in rows[0].values.values()
    # Remarks is a column every export has and nobody imports; Buyer is unknown and offered for mapping.
    assert result.header.unknown == ["Buyer"]


def test_blank_rows_are_skipped_but_keep_line_numbers():
    rows, problems = read_rows("s.csv", f"{HEADER}\n{ROW}\n,,,,\n\n{ROW}\n".encode())
    assert problems == []
    assert [row.line for row in rows] == [2, 5]


def test_short_rows_get_empty_cells():
    rows, _ = read_rows("s.csv", f"{HEADER}\n只有名称有限公司\n".encode())
    assert rows[0].values["name_zh"] == "只有名称有限公司" and rows[0].values["contact_email"] == ""


def test_xlsx_cells_become_text_like_a_csv():
    data = xlsx_bytes([
        list(COLUMNS) + ["registered_on"],
        ["重庆长江机械有限公司", None, "91500112MA5U7C8X0N", "CN", 500000, "重庆", None, "设备", "王伟",
         13800000000, "w@example.cn", datetime(2019, 5, 1)],
        [None] * 12,
        ["第二有限公司", None, None, "DE", None, None, None, "设备", None, 4989123.0, None, date(2020, 1, 2)],
    ])
    rows, problems = read_rows("suppliers.xlsx", data)
    assert problems == []
    assert [row.line for row in rows] == [2, 4]
    first = rows[0].values
    assert first["province"] == "500000" and first["contact_phone"] == "13800000000"
    assert first["registered_on"] == "2019-05-01" and first["name_en"] == ""
    assert rows[1].values["contact_phone"] == "4989123" and rows[1].values["registered_on"] == "2020-01-02"


def test_xlsx_is_recognised_by_content_whatever_the_name():
    data = xlsx_bytes([list(COLUMNS), ROW.split(",")])
    rows, problems = read_rows("upload.csv", data)
    assert problems == [] and rows[0].values["credit_code"] == "91500112MA5U7C8X0N"


def test_empty_files():
    for data in (b"", b"   \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\r\n", b",,,\n"):
        rows, problems = read_rows("s.csv", data)
        assert rows == [] and _messages(problems) == ["The file is empty."], data
    rows, problems = read_rows("s.xlsx", xlsx_bytes([]))
    assert _messages(problems) == ["The file is empty."]


def test_a_header_without_rows():
    rows, problems = read_rows("s.csv", f"{HEADER}\n".encode())
    assert rows == [] and _messages(problems) == ["The file has a header but no data rows."]


def test_only_the_name_column_is_required():
    header = ",".join(c for c in COLUMNS if c not in ("credit_code", "contact_email"))
    rows, problems = read_rows("s.csv", f"{header}\nx\n".encode())
    assert problems == [] and rows[0].values["name_zh"] == "x" and "credit_code" not in rows[0].values
    header = ",".join(c for c in COLUMNS if c != "name_zh")
    rows, problems = read_rows("s.csv", f"{header}\nx\n".encode())
    assert rows == []
    assert _messages(problems) == [
        "No column names the supplier: add a column \"供应商名称\" (name_zh), or map one below."]
    assert problems[0].line == 1


def test_a_column_twice():
    rows, problems = read_rows("s.csv", f"{HEADER},City\nx\n".encode())
    assert rows == [] and _messages(problems) == ["The column City appears twice."]


def test_an_xlsx_that_is_not_a_spreadsheet():
    expected = ["This is not a readable XLSX spreadsheet. Save it again as .xlsx (Excel workbook) or as CSV."]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "not a workbook")
    for name, data in (("s.xlsx", b"PK\x03\x04 this is no zip at all"),
                       ("s.xlsx", b"name_zh,name_en\nplain text"),
                       ("s.xlsx", archive.getvalue()), ("s.csv", archive.getvalue())):
        rows, problems = read_rows(name, data)
        assert rows == [] and _messages(problems) == expected, name


def test_old_excel_and_binary_files_are_refused_with_a_reason():
    _, problems = read_rows("s.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert _messages(problems) == ["Old Excel files (.xls) are not supported. Save the file as .xlsx or CSV."]
    _, problems = read_rows("s.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert _messages(problems) == ["This is not a text (CSV) file. Upload a CSV or an XLSX spreadsheet."]


def test_undecodable_text_is_refused():
    _, problems = read_rows("s.csv", f"{HEADER}\n".encode() + b"\x81\x20\xff\xfe\x80\n")
    assert _messages(problems) == [
        "The file's characters cannot be read. Save it as \"CSV UTF-8\" and try again."]


def test_a_cell_over_the_csv_limit_is_a_problem_with_its_line():
    data = f"{HEADER}\n{ROW}\n\"{'x' * 200_000}\",b\n".encode()
    rows, problems = read_rows("s.csv", data)
    assert rows == [] and problems[0].line == 3
    assert "cannot be read" in str(problems[0].message)


def test_tab_and_semicolon_separated_files():
    for separator in ("\t", ";"):
        text = f"{HEADER}\n{ROW.replace(';', '|')}\n".replace(",", separator)
        rows, problems = read_rows("s.csv", text.encode())
        assert problems == [] and rows[0].values["city"] == "重庆", separator


def test_a_title_above_the_header_is_skipped_and_line_numbers_stay_the_sheets():
    data = xlsx_bytes([["2025 年合格供应商名录"], [], list(COLUMNS), ROW.split(",")])
    rows, problems = read_rows("s.xlsx", data)
    assert problems == [] and [row.line for row in rows] == [4]
    rows, problems = read_rows("s.csv", f"供应商名录,,\n{HEADER}\n{ROW}\n".encode())
    assert problems == [] and [row.line for row in rows] == [3]


def test_too_many_rows(monkeypatch):
    from supplychain.services.imports import importer

    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    rows, problems = read_rows("s.csv", (HEADER + "\n" + (ROW + "\n\n") * 4).encode())
    assert rows == []
    assert _messages(problems) == ["The file has more than 3 rows. Split it into smaller files."]
    rows, problems = read_rows("s.csv", (HEADER + "\n" + (ROW + "\n\n") * 3).encode())
    assert problems == [] and [row.line for row in rows] == [2, 4, 6]
