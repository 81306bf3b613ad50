"""Translations: each area keeps its own catalogue fragment (translations/zh/<area>.po); they are
merged into the one messages.mo that Flask-Babel reads, when it is missing or older than a fragment."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
#: Regions whose Chinese is written in traditional characters (a tag without a script subtag).
TRADITIONAL_REGIONS = frozenset({"hk", "tw", "mo"})


def interface_language(tag: str) -> str | None:
    """The interface language ("zh", "zh_Hant" or "en") a browser language tag asks for, None for any other.

    The script decides first (zh-Hant-CN is traditional, zh-Hans-HK simplified), then the region (zh-HK, zh-TW,
    zh-MO traditional; zh-CN, zh-SG and plain zh simplified). Cantonese (yue) reads traditional.
    """
    parts = [part.lower() for part in tag.replace("_", "-").split("-") if part]
    if not parts:
        return None
    if parts[0] == "en":
        return "en"
    if parts[0] not in ("zh", "yue"):
        return None
    if "hans" in parts[1:]:
        return "zh"
    if "hant" in parts[1:] or parts[0] == "yue" or TRADITIONAL_REGIONS.intersection(parts[1:]):
        return "zh_Hant"
    return "zh"


def browser_language(accept, default: str = "zh") -> str:
    """The interface language of a request's Accept-Language (werkzeug's LanguageAccept, best first): the first
    tag that names one, `default` when none does (a French-only browser gets the default)."""
    ranked = sorted(((tag, quality) for tag, quality in accept if quality > 0 and tag != "*"),
                    key=lambda item: -item[1])
    for tag, _quality in ranked:
        language = interface_language(tag)
        if language is not None:
            return language
    return default


def compile_translations(root: Path = TRANSLATIONS, force: bool = False) -> list[Path]:
    """Merge every language's .po fragments into LC_MESSAGES/messages.mo; returns the files written."""
    written = []
    for language_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        fragments = sorted(language_dir.glob("*.po"))
        target = language_dir / "LC_MESSAGES" / "messages.mo"
        newest = max((f.stat().st_mtime for f in fragments), default=0)
        if not fragments or (not force and target.exists() and target.stat().st_mtime >= newest):
            continue
        merged = Catalog(locale=language_dir.name)
        for fragment in fragments:
            with fragment.open("rb") as handle:
                for message in read_po(handle, locale=language_dir.name):
                    if message.id and message.string and message.id not in merged:
                        merged.add(message.id, message.string)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, merged)
        written.append(target)
    return written
