"""Browser language tags → the interface language (supplychain.i18n; app.select_locale uses it)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from supplychain.i18n import browser_language, interface_language


@pytest.mark.parametrize(("tag", "language"), [
    ("zh-Hant-HK", "zh_Hant"), ("zh-Hant-TW", "zh_Hant"), ("zh-Hant", "zh_Hant"), ("zh-HK", "zh_Hant"),
    ("zh-TW", "zh_Hant"), ("zh-MO", "zh_Hant"), ("zh_TW", "zh_Hant"), ("ZH-hant-cn", "zh_Hant"), ("yue-HK", "zh_Hant"),
    ("zh-Hans-CN", "zh"), ("zh-Hans-HK", "zh"), ("zh-Hans", "zh"), ("zh-CN", "zh"), ("zh-SG", "zh"), ("zh", "zh"),
    ("en", "en"), ("en-GB", "en"), ("fr-FR", None), ("*", None), ("", None),
])
def test_each_tag_names_its_interface_language(tag, language):
    assert interface_language(tag) == language


@pytest.mark.parametrize(("header", "language"), [
    ("zh-Hant-HK", "zh_Hant"), ("zh-Hant-TW,zh;q=0.9", "zh_Hant"), ("en;q=0.4,zh-Hant-HK;q=0.9", "zh_Hant"),
    ("fr-FR,zh-TW;q=0.8,en;q=0.5", "zh_Hant"), ("zh-TW;q=0,en;q=0.5", "en"), ("de-DE,fr", "zh"), ("", "zh"),
    ("*", "zh"), ("zh-Hans-CN,zh-Hant;q=0.5", "zh"),
])
def test_the_first_named_language_of_the_header_wins(header, language):
    assert browser_language(parse_accept_header(header, LanguageAccept)) == language
