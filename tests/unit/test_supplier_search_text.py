"""What a supplier search matches: names, credit code, full pinyin and pinyin initials (issue 13, build 5)."""

from __future__ import annotations

from supplychain.services.registry import supplier_search


def test_pinyin_keys_of_a_chinese_name():
    assert supplier_search.pinyin_keys("重庆同力机械有限公司") == ("chongqingtonglijixieyouxiangongsi", "cqtljxyxgs")


def test_pinyin_keys_leave_latin_letters_and_digits_out():
    assert supplier_search.pinyin_keys("ABC（重庆）2号") == ("chongqinghao", "cqh")
    assert supplier_search.pinyin_keys("Acme Ltd") == ("", "")


def test_search_text_holds_every_key_lower_cased():
    text = supplier_search.search_text("测试新材料有限公司", "Test New Materials", "91500000MA5U7XYZ1A")
    for key in ("测试新材料有限公司", "test new materials", "91500000ma5u7xyz1a", "ceshixincailiao", "csxcl"):
        assert key in text


def test_query_words_are_split_on_any_space_and_lower_cased():
    assert supplier_search.terms("重庆\u3000同力  CQ ") == ["重庆", "同力", "cq"]
    assert supplier_search.terms("   ") == []
    assert supplier_search.matches("") is None


def test_initials_follow_the_phrase_reading_of_polyphones_and_u_umlaut():
    # 行 reads hang in 银行, 长 chang in 长安, 重 chong in 重庆; 吕 is lv: the initials come from the same syllables.
    assert supplier_search.pinyin_keys("吕梁银行") == ("lvliangyinhang", "llyh")
    assert supplier_search.pinyin_keys("重庆长安") == ("chongqingchangan", "cqca")


def test_pinyin_keys_are_pypinyins_own_reading_of_every_generated_name():
    """The import's shortcut (segmenter and remembered words called directly) gives what pypinyin's
    lazy_pinyin gives, for the benchmark's names and for characters at the edges of its Chinese class."""
    from datetime import date

    from pypinyin import Style, lazy_pinyin

    from bench import datagen

    names = [row["name_zh"] for row in datagen.supplier_rows(3000, seed=11, today=date(2025, 12, 31))]
    names += ["重庆银行行长", "长安乐山乐器", "〇号仓库", "䷀重庆", "\U00020000重庆", "𫝀朝阳", "重重叠叠", "ABC"]
    for name in names:
        han = "".join(supplier_search._HAN.findall(name))
        syllables = [s for s in lazy_pinyin(han, style=Style.NORMAL, errors="ignore") if s] if han else []
        expected = ("".join(syllables).lower(), "".join(s[0] for s in syllables).lower())
        assert supplier_search.pinyin_keys(name) == expected, name


def test_the_import_segments_names_as_pypinyins_phrase_segmenter_does():
    """`_cut` (one loop over positions) gives mmseg's words in the same order: a name's words decide the reading."""
    from datetime import date

    from pypinyin.seg import mmseg

    from bench import datagen

    names = [row["name_zh"] for row in datagen.supplier_rows(3000, seed=12, today=date(2025, 12, 31))]
    names += ["重庆银行行长", "长安乐山乐器", "重重叠叠", "中华人民共和国", "有限", "有", "了了", "北京大学生"]
    for name in names:
        han = "".join(supplier_search._HAN.findall(name))
        if han:
            assert supplier_search._cut(han) == list(mmseg.seg.cut(han)), name
