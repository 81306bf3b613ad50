"""Which font the PDFs use for Chinese, and what that means for the people reading them.

Supplier names, pledges and scorecards are written in Chinese, so every report needs a font
with CJK glyphs. ReportLab offers two ways to get one, and they differ in who supplies the
glyphs:

1. **An embedded TrueType font** (``embedded=True``). ReportLab subsets the glyphs a
   document uses and writes them into the PDF, so the file renders identically in every
   reader, on every machine, printed or archived, with nothing installed. The price is size:
   each PDF carries its own glyph subset (tens of kB for a one-page scorecard instead of a
   few kB) and rendering takes a little longer. ReportLab's ``TTFont`` only reads
   TrueType-outline (``glyf``) fonts: the CFF/PostScript-outline OpenType collections that
   Debian's ``fonts-noto-cjk`` installs (``NotoSansCJK-Regular.ttc``) are rejected with
   "postscript outlines are not supported". TrueType-outline CJK fonts on Debian come from
   ``fonts-wqy-zenhei`` (``wqy-zenhei.ttc``), ``fonts-wqy-microhei``, ``fonts-droid-fallback``
   (``DroidSansFallbackFull.ttf``) and ``fonts-arphic-uming`` (``uming.ttc``).

2. **ReportLab's built-in CID font STSong-Light** (``embedded=False``), one of the standard
   Adobe Asian fonts. Nothing is embedded; the PDF only names the font and its encoding
   (``UniGB-UCS2-H``). Files stay small and rendering is fastest, but the *reader* must supply
   a substitute: Adobe Acrobat/Reader needs its Asian font pack, poppler-based viewers
   (Evince, Okular, pdftoppm) need ``poppler-data`` plus any installed CJK font, browsers'
   built-in viewers generally substitute a system font. Where none is available, the Chinese
   text shows as blanks or boxes, although it can still be copied and searched.

:func:`register_cjk_font` takes a configured font path first (the deployment's explicit
choice; ``"file.ttc#N"`` picks face N of a collection, and the name ``"STSong-Light"`` asks
for the CID font outright), then the font installed with the app (Noto Sans SC Regular, package
data under ``reports/font_files/`` with its licence: see :data:`PACKAGED_FONT`), then the first readable
TrueType CJK font found in well-known system locations, and falls back to STSong-Light only when
none of these can be read. The result is cached per configured path,
so registering costs one file read per process, not one per document.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

#: The built-in Adobe CID font used when no TrueType CJK font can be embedded.
FALLBACK_CID_FONT = "STSong-Light"

#: Latin fonts (standard 14, never embedded, present in every reader) used for runs of text
#: that need no CJK glyphs: they look better than the Latin glyphs of most CJK fonts.
LATIN_FONT = "Helvetica"
LATIN_BOLD_FONT = "Helvetica-Bold"

#: Probed in order: (path, subfont index of the Simplified Chinese face in a collection).
#: Noto Sans CJK comes first so that a ReportLab able to read CFF outlines would pick it up;
#: ReportLab 4.4 rejects it and the probe moves on to the TrueType-outline fonts.
SYSTEM_FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
    ("/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf", 0),
    ("/usr/local/share/fonts/NotoSansSC-Regular.ttf", 0),
)

#: The CJK font installed with the app (package data): Noto Sans SC Regular, TrueType outlines,
#: SIL Open Font Licence 1.1 (font_files/OFL.txt); covers simplified and traditional Chinese.
#: scripts/make-cjk-font says where it comes from and rebuilds it.
PACKAGED_FONT = Path(__file__).resolve().parent / "font_files" / "NotoSansSC-Regular.ttf"


def packaged_font() -> tuple[str, int] | None:
    """The font installed with the app, (path, face), or None when the file is missing."""
    return (str(PACKAGED_FONT), 0) if PACKAGED_FONT.is_file() else None


#: A character every Simplified Chinese font has ("中"); used to reject non-CJK fonts.
_PROBE_CHAR = 0x4E2D


@dataclass(frozen=True)
class FontChoice:
    """The registered CJK font: its ReportLab name, its file (None for the CID font), and
    whether its glyphs are embedded in the PDFs."""

    name: str
    path: str | None
    embedded: bool


_lock = threading.Lock()
_cache: dict[str | None, FontChoice] = {}


def register_cjk_font(configured_path: str | None = None) -> FontChoice:
    """Register (once per process and path) and return the CJK font the reports use."""
    key = os.fspath(configured_path) if configured_path else None
    choice = _cache.get(key)
    if choice is not None:
        return choice
    with _lock:
        choice = _cache.get(key)
        if choice is None:
            choice = _cache[key] = _choose(key)
    return choice


def clear_font_cache() -> None:
    """Forget earlier choices (tests use this; registered fonts stay registered)."""
    with _lock:
        _cache.clear()


def _choose(configured_path: str | None) -> FontChoice:
    if configured_path == FALLBACK_CID_FONT:
        # An explicit request for the small, non-embedded files.
        return _register_cid_fallback()
    if configured_path:
        subfont = 0
        path = configured_path
        # "file.ttc#2" selects a face inside a collection.
        if "#" in configured_path:
            path, _, index = configured_path.rpartition("#")
            subfont = int(index)
        choice = _try_truetype(path, subfont, require_cjk=False)
        if choice is not None:
            return choice
        log.warning("Configured CJK font %s is unusable; searching the system fonts", configured_path)
    # The packaged font first: the same glyphs on every machine, whatever fonts the system has.
    shipped = packaged_font()
    for path, subfont in ((shipped,) if shipped else ()) + SYSTEM_FONT_CANDIDATES:
        if Path(path).is_file():
            choice = _try_truetype(path, subfont, require_cjk=True)
            if choice is not None:
                return choice
    return _register_cid_fallback()


def _try_truetype(path: str, subfont: int, *, require_cjk: bool) -> FontChoice | None:
    # "NotoSansSC[wght]" → "NotoSansSC-wght": brackets have no place in a PDF name.
    stem = Path(path).stem.replace("[", "-").replace("]", "")
    name = f"CJK-{stem}-{subfont}"
    try:
        font = pdfmetrics.getFont(name)
    except KeyError:
        try:
            font = TTFont(name, path, subfontIndex=subfont)
        except (TTFError, OSError, IndexError, ValueError) as exc:
            if subfont:
                # Fewer faces than expected: the first face is better than none.
                return _try_truetype(path, 0, require_cjk=require_cjk)
            log.info("Cannot use %s for CJK text: %s", path, exc)
            return None
    if _PROBE_CHAR not in font.face.charToGlyph:
        if require_cjk:
            log.info("%s has no Chinese glyphs; skipped", path)
            return None
        log.warning("Configured font %s has no Chinese glyphs; Chinese text will not render", path)
    pdfmetrics.registerFont(font)
    return FontChoice(name=name, path=path, embedded=True)


def _register_cid_fallback() -> FontChoice:
    try:
        pdfmetrics.getFont(FALLBACK_CID_FONT)
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FontChoice(name=FALLBACK_CID_FONT, path=None, embedded=False)


def _winansi() -> frozenset[str]:
    chars = set()
    for code in range(32, 256):
        try:
            chars.add(bytes([code]).decode("cp1252"))
        except UnicodeDecodeError:
            pass
    return frozenset(chars)


#: What Helvetica draws: the WinAnsi (cp1252) repertoire, i.e. Latin-1 plus • – — ‘ ’ “ ” … €.
LATIN_CHARS = _winansi() | frozenset("\t\n\r")


def needs_cjk(ch: str) -> bool:
    """True when a character is outside what the standard Latin fonts draw (WinAnsi)."""
    return ch not in LATIN_CHARS


@lru_cache(maxsize=8192)
def split_runs(text: str, cjk: str, bold: bool = False) -> tuple[tuple[str, str], ...]:
    """Split text into (run, font name) runs: Helvetica where it suffices, else the CJK font.

    Spaces stay with the run before them, so "华北 North" is two runs, not three. Cached:
    the same labels recur in every document."""
    latin = LATIN_BOLD_FONT if bold else LATIN_FONT
    runs: list[tuple[str, str]] = []
    for ch in text:
        if ch == " " and runs:
            font = runs[-1][1]
        else:
            font = cjk if needs_cjk(ch) else latin
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + ch, font)
        else:
            runs.append((ch, font))
    return tuple(runs) or (("", latin),)
