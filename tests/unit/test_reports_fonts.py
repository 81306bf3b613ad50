"""The CJK font choice: configured path, system search, CID fallback, caching."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from reports import fonts
from reports.fonts import FALLBACK_CID_FONT, FontChoice, register_cjk_font, split_runs

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NOTO_CFF = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.fixture
def fresh_cache():
    """Forget font choices for one test, then put the process's choices back."""
    saved = dict(fonts._cache)
    fonts.clear_font_cache()
    yield
    fonts.clear_font_cache()
    fonts._cache.update(saved)


def test_default_choice_is_registered_and_cached():
    choice = register_cjk_font()
    assert isinstance(choice, FontChoice)
    assert pdfmetrics.getFont(choice.name) is not None
    assert register_cjk_font() is choice
    assert choice.embedded == (choice.path is not None)


def test_falls_back_to_the_cid_font_without_system_fonts(fresh_cache, monkeypatch):
    monkeypatch.setattr(fonts, "SYSTEM_FONT_CANDIDATES", ())
    monkeypatch.setattr(fonts, "packaged_font", lambda: None)
    choice = register_cjk_font()
    assert choice == FontChoice(name=FALLBACK_CID_FONT, path=None, embedded=False)


def test_cid_font_can_be_asked_for_by_name(fresh_cache):
    assert register_cjk_font(FALLBACK_CID_FONT) == FontChoice(FALLBACK_CID_FONT, None, False)


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans not installed")
def test_configured_truetype_font_is_embedded(fresh_cache):
    choice = register_cjk_font(str(DEJAVU))
    assert choice.embedded and choice.path == str(DEJAVU)
    assert choice.name == "CJK-DejaVuSans-0"
    assert register_cjk_font(str(DEJAVU)) is choice


def test_unusable_configured_font_falls_back_to_the_search(fresh_cache, monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "SYSTEM_FONT_CANDIDATES", ())
    monkeypatch.setattr(fonts, "packaged_font", lambda: None)
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"definitely not a font")
    assert register_cjk_font(str(bogus)).name == FALLBACK_CID_FONT
    assert register_cjk_font(str(tmp_path / "missing.ttf")).name == FALLBACK_CID_FONT


@pytest.mark.skipif(not NOTO_CFF.exists(), reason="fonts-noto-cjk not installed")
def test_cff_collections_are_rejected_not_fatal():
    # ReportLab's TTFont reads TrueType outlines only; Noto Sans CJK has CFF outlines.
    assert fonts._try_truetype(str(NOTO_CFF), 2, require_cjk=True) is None


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans not installed")
def test_system_search_skips_fonts_without_chinese():
    assert fonts._try_truetype(str(DEJAVU), 0, require_cjk=True) is None


def test_split_runs_keeps_latin_in_helvetica():
    assert split_runs("华北 North", "CJK") == (("华北 ", "CJK"), ("North", "Helvetica"))
    assert split_runs("ISO 9001 • 有效", "CJK", bold=True) == (
        ("ISO 9001 • ", "Helvetica-Bold"),
        ("有效", "CJK"),
    )
    assert split_runs("", "CJK") == (("", "Helvetica"),)
