"""Every user-visible English string in code and templates has a Chinese translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


#: Simplified Chinese, and traditional Chinese generated from it (scripts/make-zh-hant).
CHINESE = ("zh", "zh_Hant")


def _chinese_catalogue(language: str = "zh") -> dict[str, str]:
    merged: dict[str, str] = {}
    for fragment in sorted((ROOT / "supplychain" / "translations" / language).glob("*.po")):
        with fragment.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and message.string:
                    merged.setdefault(message.id if isinstance(message.id, str) else message.id[0], message.string)
    return merged


def _source_messages() -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in ("supplychain", "forms", "reports"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            METHODS,
            keywords=KEYWORDS,
            options_map={"**/templates/**.html": {}},
        ):
            msgid = message if isinstance(message, str) else message[0]
            if msgid:
                found.setdefault(msgid, f"{folder}/{filename}:{lineno}")
    return found


@pytest.mark.parametrize("language", CHINESE)
def test_every_message_has_a_chinese_translation(language):
    catalogue = _chinese_catalogue(language)
    missing = [f"{where}: {msgid!r}" for msgid, where in _source_messages().items() if msgid not in catalogue]
    hint = "add them to supplychain/translations/zh/<area>.po"
    if language != "zh":
        hint += ", then run scripts/make-zh-hant"
    assert not missing, f"untranslated strings ({hint}):\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("language", CHINESE)
def test_catalogue_placeholders_match(language):
    """A translation keeps the same %(name)s placeholders, so formatting cannot fail at run time."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    wrong = [
        msgid
        for msgid, text in _chinese_catalogue(language).items()
        if sorted(pattern.findall(msgid)) != sorted(pattern.findall(text))
    ]
    assert not wrong, f"placeholders differ: {wrong}"


def test_traditional_chinese_is_generated_from_the_simplified_catalogue():
    """Each zh_Hant fragment is exactly what OpenCC (s2hk) and the reviewed terms make of its zh fragment."""
    from supplychain.i18n_hant import build_fragment

    translations = ROOT / "supplychain" / "translations"
    sources = sorted((translations / "zh").glob("*.po"))
    assert sorted(p.name for p in (translations / "zh_Hant").glob("*.po")) == [p.name for p in sources]
    stale = []
    for source in sources:
        expected = {m.id: m.string for m in build_fragment(source) if m.id}
        with (translations / "zh_Hant" / source.name).open("rb") as handle:
            actual = {m.id: m.string for m in read_po(handle, locale="zh_Hant") if m.id}
        if actual != expected:
            stale.append(source.name)
    assert not stale, f"run scripts/make-zh-hant: zh_Hant out of date for {stale}"


def test_domain_terms_read_as_hong_kong_filers_write_them():
    from supplychain.i18n_hant import convert

    assert convert("供应商准入评审") == "供應商准入評審"
    assert convert("退出登录") == "登出"
    assert convert("导出 Excel") == "匯出 Excel"
    assert convert("链接 7 天后失效") == "連結 7 天後失效"
    assert convert("保存草稿") == "儲存草稿"
    assert convert("搜索") == "搜尋"
    assert convert("未配置邮件服务器") == "未配置電郵伺服器"
    assert convert("请输入有效的电子邮箱地址。") == "請輸入有效的電郵地址。"
    assert convert("编辑账户") == "編輯帳戶"
    assert convert("预设问卷已加载并发布。") == "預設問卷已載入並發佈。"
    assert convert("上传文件") == "上載檔案"
    assert convert("全国认证认可信息公共服务平台") == "全國認證認可信息公共服務平台"
    assert convert("信息披露") == "資料披露"


def test_each_message_is_translated_in_one_fragment_only():
    """The merged catalogue keeps a message's first translation; a second one elsewhere would never show."""
    where: dict[str, list[str]] = {}
    for fragment in sorted((ROOT / "supplychain" / "translations" / "zh").glob("*.po")):
        with fragment.open("rb") as handle:
            for message in read_po(handle, locale="zh"):
                if message.id:
                    where.setdefault(message.id if isinstance(message.id, str) else message.id[0], []).append(
                        fragment.name)
    twice = {msgid: names for msgid, names in where.items() if len(names) > 1}
    assert not twice, "translated in more than one fragment (keep one):\n" + "\n".join(
        f"{msgid!r}: {', '.join(names)}" for msgid, names in sorted(twice.items()))
