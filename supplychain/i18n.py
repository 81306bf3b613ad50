"""Translations: each area keeps its own catalogue fragment (translations/zh/<area>.po); they are
merged into the one messages.mo that Flask-Babel reads, when it is missing or older than a fragment."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


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
