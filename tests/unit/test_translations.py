"""Every user-visible English string in code and templates has a Chinese translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def _chinese_catalogue() -> dict[str, str]:
    merged: dict[str, str] = {}
    for fragment in sorted((ROOT / "supplychain" / "translations" / "zh").glob("*.po")):
        with fragment.open("rb") as handle:
            for message in read_po(handle, locale="zh"):
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


def test_every_message_has_a_chinese_translation():
    catalogue = _chinese_catalogue()
    missing = [f"{where}: {msgid!r}" for msgid, where in _source_messages().items() if msgid not in catalogue]
    assert not missing, "untranslated strings (add them to supplychain/translations/zh/<area>.po):\n" + "\n".join(
        missing
    )


def test_catalogue_placeholders_match():
    """A translation keeps the same %(name)s placeholders, so formatting cannot fail at run time."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    wrong = [
        msgid
        for msgid, text in _chinese_catalogue().items()
        if sorted(pattern.findall(msgid)) != sorted(pattern.findall(text))
    ]
    assert not wrong, f"placeholders differ: {wrong}"
