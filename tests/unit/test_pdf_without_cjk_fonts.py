"""Every PDF the product makes shows its Chinese in a viewer that has no CJK font (issue 13, "Done when").

Each kind of PDF (scorecard, annual certificate, disclosure, signed pledge), in each language it is issued in,
is checked with poppler, as a reader on a machine without Chinese fonts would open it:

- ``pdffonts``: every font is embedded, except the standard 14 Latin fonts (Helvetica, Times, Courier),
  which every PDF reader must supply and which draw no Chinese;
- every Chinese character of the text is a glyph of the embedded font (no missing-glyph box);
- ``pdftoppm`` under a fontconfig that knows only Latin fonts (DejaVu, Liberation): every run of Chinese
  is drawn (its box on the page is not blank) and drawn exactly as with every system font installed, so
  nothing was substituted. The same check fails for a PDF that names the non-embedded STSong-Light.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from reportlab.pdfbase.ttfonts import TTFontFile

from reports import render_scorecard
from reports.certificate import render_supplier_certificate
from reports.disclosure import render_disclosure_pdf
from reports.fonts import FALLBACK_CID_FONT, register_cjk_font
from reports.pledge import render_signed_pledge
from reports.samples import (
    sample_certificate_data,
    sample_disclosure_data,
    sample_scorecard_data,
    sample_signed_pledge_data,
)

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdffonts", "pdftoppm", "pdftotext")),
    reason="poppler-utils not installed (scripts/install-system-deps)",
)

LANGUAGES = {"zh": ("zh",), "en": ("en",), "both": ("zh", "en")}

#: Every PDF the product issues: the scorecard and the disclosure in Chinese, English and both; the signed pledge
#: and the annual certificate (both always bilingual).
PDFS = {
    **{f"scorecard-{code}": (lambda langs=langs, **kw: render_scorecard(sample_scorecard_data(), langs, **kw))
       for code, langs in LANGUAGES.items()},
    **{f"disclosure-{code}": (lambda langs=langs, **kw: render_disclosure_pdf(sample_disclosure_data(), langs, **kw))
       for code, langs in LANGUAGES.items()},
    "pledge": lambda **kw: render_signed_pledge(sample_signed_pledge_data(), ("zh", "en"), **kw),
    "certificate": lambda **kw: render_supplier_certificate(sample_certificate_data(), **kw),
}

#: The standard 14 fonts: a PDF reader supplies them itself (ISO 32000-1, 9.6.2.2); none has a Chinese glyph.
STANDARD_14 = re.compile(r"^(Helvetica|Times|Courier|Symbol|ZapfDingbats)(-\w+)?$")
RESOLUTION = 72  # pixels per inch: one pixel per PDF point
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _is_chinese(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or \
        "\u3000" <= ch <= "\u303f"


def _fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font pdffonts lists."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        # name, type (may contain spaces), encoding, emb, sub, uni, object id, generation
        parts = line.split()
        rows.append((parts[0], parts[-5] == "yes"))
    return rows


def _chinese_words(pdf: Path) -> list[list[tuple[tuple[int, int, int, int], str]]]:
    """Per page, the pixel box and text of every word written wholly in Chinese characters."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    scale = RESOLUTION / 72
    pages = []
    for page in html.split("<page ")[1:]:
        words = []
        for match in WORD.finditer(page):
            text = match.group(5)
            if text and all(_is_chinese(ch) for ch in text):
                x0, y0, x1, y1 = (float(match.group(i)) for i in range(1, 5))
                words.append(((int(x0 * scale), int(y0 * scale), int(x1 * scale) + 1, int(y1 * scale) + 1), text))
        pages.append(words)
    return pages


@cache
def _embedded_characters() -> frozenset[int]:
    """The code points the embedded CJK font has a glyph for."""
    return frozenset(TTFontFile(register_cjk_font().path).charToGlyph)


def _render(pdf: Path, prefix: Path, fontconfig: Path | None) -> list[Image.Image]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(prefix.parent)}
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-gray", str(pdf), str(prefix)], check=True, env=env,
                   capture_output=True)
    return [Image.open(path) for path in sorted(prefix.parent.glob(f"{prefix.name}-*.pgm"))]


@pytest.fixture(scope="module")
def no_cjk_fontconfig(tmp_path_factory) -> Path:
    """A fontconfig with the Latin system fonts only: a reader's machine without any Chinese font."""
    folder = tmp_path_factory.mktemp("fontconfig")
    latin = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
    dirs = "".join(f"<dir>{d}</dir>" for d in latin if Path(d).is_dir())
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"{dirs}<cachedir>{folder}/cache</cachedir></fontconfig>")
    if shutil.which("fc-list"):
        chinese = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True,
                                 env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin"}).stdout
        assert chinese.strip() == "", f"the test's fontconfig still knows a Chinese font: {chinese}"
    return conf


def _blank_or_different(pdf: Path, folder: Path, fontconfig: Path) -> list[str]:
    """The Chinese words that render blank without CJK fonts, or otherwise than with every system font."""
    without = _render(pdf, folder / "without", fontconfig)
    with_all = _render(pdf, folder / "with", None)
    failures = []
    for number, words in enumerate(_chinese_words(pdf)):
        for box, text in words:
            drawn = without[number].crop(box)
            low, high = drawn.getextrema()
            if high - low < 64:
                failures.append(f"page {number + 1}: {text!r} is blank")
            elif ImageChops.difference(drawn, with_all[number].crop(box)).getbbox() is not None:
                failures.append(f"page {number + 1}: {text!r} differs from the rendering with CJK fonts")
    return failures


@pytest.mark.parametrize("kind", sorted(PDFS))
def test_every_pdf_shows_its_chinese_without_cjk_fonts(kind, tmp_path, no_cjk_fontconfig):
    pdf = tmp_path / f"{kind}.pdf"
    pdf.write_bytes(PDFS[kind]())

    fonts = _fonts(pdf)
    assert fonts and [name for name, embedded in fonts if not embedded and not STANDARD_14.match(name)] == [], fonts
    assert any("NotoSansSC" in name and embedded for name, embedded in fonts), fonts

    words = _chinese_words(pdf)
    chinese = {ch for page in words for _, text in page for ch in text}
    assert len(chinese) >= 10, f"too little Chinese to check: {sorted(chinese)}"
    cmap = _embedded_characters()
    assert sorted(ch for ch in chinese if ord(ch) not in cmap) == [], "characters the embedded font cannot draw"

    assert _blank_or_different(pdf, tmp_path, no_cjk_fontconfig) == []


def test_the_check_catches_a_pdf_that_relies_on_the_readers_fonts(tmp_path, no_cjk_fontconfig):
    """The same checks on a scorecard set in the non-embedded STSong-Light: its Chinese is blank or substituted."""
    pdf = tmp_path / "stsong.pdf"
    pdf.write_bytes(PDFS["scorecard-zh"](font_path=FALLBACK_CID_FONT))
    assert any(name == FALLBACK_CID_FONT and not embedded for name, embedded in _fonts(pdf))
    failures = _blank_or_different(pdf, tmp_path, no_cjk_fontconfig)
    assert len(failures) > 10, failures
