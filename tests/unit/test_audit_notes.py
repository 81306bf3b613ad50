"""Audit notes written in both languages are shown in the reader's (issue 13, D9)."""

from supplychain.audit_labels import split_bilingual


def test_two_halves():
    assert split_bilingual("准入评价 #1 已开始 / admission evaluation #1 started") == (
        "准入评价 #1 已开始", "admission evaluation #1 started")


def test_prefix_then_text_in_both():
    note = "准入评价 #1 / admission evaluation #1 通过（92.0），品类要求少量试用 / passed (92.0); trial supply required"
    assert split_bilingual(note) == ("准入评价 #1 通过（92.0），品类要求少量试用",
                                     "admission evaluation #1 passed (92.0); trial supply required")


def test_other_shapes_stay_as_written():
    assert split_bilingual("年度评审合格") is None
    assert split_bilingual("a / b") is None
    assert split_bilingual("重复录入 / 第二次 / again / x") is None
