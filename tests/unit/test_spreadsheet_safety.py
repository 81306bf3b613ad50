"""No exported cell becomes a formula; typed values stay typed."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports import table_export
from supplychain.text_safety import spreadsheet_cell, spreadsheet_row


@pytest.mark.parametrize("text", ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd",
                                  '=HYPERLINK("http://evil.example","点我")'])
def test_formula_triggers_are_prefixed(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["重庆同力", "ISO 9001", "a=b", "1-2", ""])
def test_plain_text_is_unchanged(text):
    assert spreadsheet_cell(text) == text


def test_typed_values_pass_unchanged():
    moment = datetime(2026, 1, 2, 3, 4)
    assert spreadsheet_row([None, 3, -4.5, Decimal("1.5"), date(2026, 1, 1), moment, True]) == [
        None, 3, -4.5, Decimal("1.5"), date(2026, 1, 1), moment, True]


def test_control_characters_are_dropped():
    assert spreadsheet_cell("a\x00b\x07c") == "abc"


def test_xlsx_cells_are_text_not_formulas():
    data = table_export.xlsx_bytes(["名称", "=header"], [["=1+1", 5], ["@x", -3]])
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [["名称", "'=header"], ["'=1+1", 5], ["'@x", -3]]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_has_bom_and_escaped_cells():
    data = table_export.csv_bytes(["名称", "日期"], [["+cmd", date(2026, 1, 2)], ["重庆", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名称", "日期"], ["'+cmd", "2026-01-02"], ["重庆", ""]]
