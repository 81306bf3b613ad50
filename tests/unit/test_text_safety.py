"""Spreadsheet cells never become formulas; names lose invisible control characters."""

from __future__ import annotations

import unicodedata

import pytest

from supplychain.text_safety import spreadsheet_cell, spreadsheet_row, starts_like_formula, strip_controls


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("  =1", "'  =1"),
    ("＝1+1", "'＝1+1"),  # full-width equals sign
    ("重庆机械有限公司", "重庆机械有限公司"),
    ("-12.5", "-12.5"),  # a negative number is not a formula
    ("+86", "+86"),
    ("", ""),
    (None, None),
    (42, 42),
    (-3.5, -3.5),
])
def test_spreadsheet_cell(value, written):
    assert spreadsheet_cell(value) == written


def test_spreadsheet_row():
    assert spreadsheet_row(["a", "=b", 1]) == ["a", "'=b", 1]


def test_strip_controls_removes_bidi_overrides_zero_width_and_c0_c1():
    assert strip_controls("abc\u202efdp.exe") == "abcfdp.exe"
    assert strip_controls("a\x00b\x1b\x7f\x85c\u200b\u2066d\ufeff") == "abcd"
    assert strip_controls("第一行\n第二行\t完", keep_newlines=True) == "第一行\n第二行\t完"
    assert strip_controls("第一行\n第二行") == "第一行第二行"
    assert strip_controls(None) == ""


def test_starts_like_formula():
    assert starts_like_formula("=x") and starts_like_formula(" @x") and starts_like_formula("－1")
    assert not starts_like_formula("重庆") and not starts_like_formula("") and not starts_like_formula(None)


def test_strip_controls_keeps_every_other_character_and_drops_every_control_and_format_one():
    # A name without control characters is returned as it is (the import's fast path); an ideographic or
    # no-break space is not printable for Python but is kept, since it is neither Cc nor Cf.
    assert strip_controls("重庆同力机械有限公司 (Chongqing)") == "重庆同力机械有限公司 (Chongqing)"
    assert strip_controls("华宇\u3000精密\u00a0Ltd") == "华宇\u3000精密\u00a0Ltd"

    for code in range(0x30000):
        char = chr(code)
        expected = "" if unicodedata.category(char) in ("Cc", "Cf") else char
        assert strip_controls(f"a{char}") == f"a{expected}", hex(code)
