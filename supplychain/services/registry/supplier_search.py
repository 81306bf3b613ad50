"""Finding suppliers by what people type: name, English name, credit code, pinyin and pinyin initials.

Every supplier stores one lower-cased `search_text` (names, credit code, the full pinyin of the
Chinese name without spaces and its initials), so a search is one indexed column scan whatever
the user types; several words must all match (AND).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style
from pypinyin.constants import PHRASES_DICT, RE_HANS
from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin
from pypinyin.seg import mmseg
from sqlalchemy import ColumnElement, String, and_, bindparam, select
from sqlalchemy.orm import Session

from supplychain import credit_code
from supplychain.models import Supplier

SEARCH_TEXT_LENGTH = 1500
LOOKUP_LIMIT = 10
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


class _MemoConverter(DefaultConverter):
    """pypinyin's own converter, remembering the syllables of each word its segmentation yields.

    A word's reading depends on the word alone (pypinyin segments first, then converts word by word), so
    remembering it changes no result; without it every lookup of a phrase (有限公司, 重庆, 机械…) deep-copies
    the phrase dictionary's entry and converts its tone marks again, most of a large import's time.
    """

    def convert(self, words, style, heteronym, errors, strict, **kwargs):
        """The syllables of one segmented word, as `DefaultConverter.convert` gives them (a new list)."""
        if kwargs:
            return super().convert(words, style, heteronym, errors, strict, **kwargs)
        return [list(item) for item in self._remembered(words, style, heteronym, errors, strict)]

    @lru_cache(maxsize=200_000)  # noqa: B019 - one converter for the process; words are short strings
    def _remembered(self, words, style, heteronym, errors, strict) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(item) for item in super().convert(words, style, heteronym, errors, strict))


# Segmentation (phrases such as 重庆, 银行, 长安 decide the reading of polyphones) stays pypinyin's own.
_CONVERTER = _MemoConverter()
_PINYIN = Pinyin(_CONVERTER)


def _word_end(han: str, start: int, prefixes, phrases) -> int:
    """Where the word pypinyin's phrase segmenter cuts at `start` ends; -1 when it cuts the rest into single
    characters (every longer prefix is a dictionary prefix but none is a word)."""
    valid = 0  # end of the longest dictionary word from `start` (0: none yet)
    for stop in range(start + 1, len(han) + 1):
        word = han[start:stop]
        if word not in prefixes:
            break
        if word in phrases:
            valid = stop
    else:  # every prefix up to the end matched
        if not valid:
            return -1
    return valid or start + 1


def _cut(han: str) -> list[str]:
    """pypinyin's phrase segmentation of a run of Chinese characters: `mmseg.seg.cut` (forward maximum
    matching, words of its phrase dictionary only), written as one loop over positions with its prefix set
    read directly; the same words in the same order (a test compares with mmseg). Each cut depends only on
    the rest of the string, which is what lets `pinyin_keys` remember the keys of common endings."""
    if not PHRASES_DICT:
        return [han]
    prefixes, phrases = mmseg.seg._prefix_set._set, PHRASES_DICT
    words: list[str] = []
    start, end = 0, len(han)
    while start < end:
        stop = _word_end(han, start, prefixes, phrases)
        if stop < 0:
            words.extend(han[start:])
            break
        words.append(han[start:stop])
        start = stop
    return words


def _syllables(han: str) -> list[str]:
    """pypinyin's lazy_pinyin (NORMAL style, characters without pinyin left out) of a run of Chinese characters.

    When every character is one pypinyin calls Chinese (RE_HANS), its segmentation is its phrase segmenter's
    cut of the whole string (`pypinyin.seg.simpleseg.seg`), so that is called directly, and each word's
    remembered syllables are taken, without lazy_pinyin's per-character pre-splitting and list copies.
    Anything else takes the library's whole path. A test compares both on thousands of names.
    """
    if RE_HANS.match(han):
        remembered = _CONVERTER._remembered
        return [syllable for word in _cut(han) for item in remembered(word, Style.NORMAL, False, "ignore", True)
                for syllable in item]
    return _PINYIN.lazy_pinyin(han, style=Style.NORMAL, errors="ignore")


# word -> (its syllables joined, their initials), lower-cased: most words of names recur (有限公司, 重庆, 机械),
# and a dictionary look-up is cheaper than the converter's cache (keyed by five arguments). And the keys of
# a name's last few characters (机械有限公司, 科技有限公司…): the segmenter's cut of an ending depends on the
# ending alone, so a remembered ending saves cutting it again. Both bounded.
_WORD_KEYS: dict[str, tuple[str, str]] = {}
_ENDING_KEYS: dict[str, tuple[str, str]] = {}
_REMEMBERED_MAX = 200_000
_ENDING_CHARS = 8


def _word_keys(word: str) -> tuple[str, str]:
    found = _WORD_KEYS.get(word)
    if found is None:
        syllables = [syllable for item in _CONVERTER._remembered(word, Style.NORMAL, False, "ignore", True)
                     for syllable in item if syllable]
        found = ("".join(syllables).lower(), "".join(syllable[0] for syllable in syllables).lower())
        if len(_WORD_KEYS) < _REMEMBERED_MAX:
            _WORD_KEYS[word] = found
    return found


def _ending_keys(ending: str) -> tuple[str, str]:
    found = _ENDING_KEYS.get(ending)
    if found is None:
        keys = [_word_keys(word) for word in _cut(ending)]
        found = ("".join([full for full, _ in keys]), "".join([initials for _, initials in keys]))
        if len(_ENDING_KEYS) < _REMEMBERED_MAX:
            _ENDING_KEYS[ending] = found
    return found


def _run_keys(han: str) -> tuple[str, str]:
    """The keys of a run of characters pypinyin calls Chinese: word by word until the rest is short enough
    to be a remembered ending."""
    if not PHRASES_DICT:
        return _word_keys(han)
    prefixes, phrases = mmseg.seg._prefix_set._set, PHRASES_DICT
    keys: list[tuple[str, str]] = []
    start, end = 0, len(han)
    while start < end:
        if end - start <= _ENDING_CHARS:
            keys.append(_ending_keys(han[start:] if start else han))
            break
        stop = _word_end(han, start, prefixes, phrases)
        if stop < 0:
            keys.extend(_word_keys(character) for character in han[start:])
            break
        keys.append(_word_keys(han[start:stop]))
        start = stop
    if len(keys) == 1:
        return keys[0]
    return "".join([full for full, _ in keys]), "".join([initials for _, initials in keys])


def pinyin_keys(name_zh: str) -> tuple[str, str]:
    """The full pinyin (no spaces) and the pinyin initials of the Chinese characters of a name.

    重庆同力机械有限公司 -> ("chongqingtonglijixieyouxiangongsi", "cqtljxyxgs"); other characters are left out.
    """
    han = "".join(_HAN.findall(name_zh or ""))
    if not han:
        return "", ""
    # One conversion (phrase segmentation is most of an import's time): pypinyin's FIRST_LETTER style is the
    # first letter of each NORMAL syllable, so the initials are taken from the syllables.
    if RE_HANS.match(han):  # the common case: the keys of each segmented word, remembered
        return _run_keys(han)
    syllables = [syllable for syllable in _syllables(han) if syllable]
    return "".join(syllables).lower(), "".join(syllable[0] for syllable in syllables).lower()


def search_text(name_zh: str, name_en: str | None, code: str | None) -> str:
    """What a search matches, lower-cased: names, credit code, pinyin and pinyin initials of the Chinese name."""
    full, initials = pinyin_keys(name_zh)
    parts = (name_zh, name_en, code, full, initials)
    return " ".join(part for part in parts if part).lower()[:SEARCH_TEXT_LENGTH]


def terms(query: str) -> list[str]:
    """The words of a query, lower-cased (at most 8; spaces of any width separate them)."""
    return [word for word in (query or "").replace("\u3000", " ").lower().split() if word][:8]


def matches(query: str) -> ColumnElement[bool] | None:
    """A WHERE clause: every word of the query occurs in the supplier's search text (None for no words)."""
    words = terms(query)
    if not words:
        return None
    return and_(*(Supplier.search_text.like(_pattern(word), escape="/") for word in words))


def _pattern(word: str):
    """'%word%' with LIKE's wildcards escaped, written into the SQL as a quoted literal.

    A literal rather than a bound parameter, so PostgreSQL plans each search with its words and can use
    the trigram index; a prepared, generic plan would read every supplier.
    """
    escaped = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return bindparam(None, f"%{escaped}%", type_=String(), literal_execute=True)


@dataclass(frozen=True)
class Choice:
    """One suggestion of the supplier picker."""

    id: int
    name_zh: str
    name_en: str | None
    credit_code: str | None
    status: str

    @property
    def reference(self) -> str:
        """What the picker writes into a text field: the number, then the name (the forms accept it)."""
        return f"#{self.id} {self.name_zh}"

    def as_json(self) -> dict:
        """The suggestion as the picker's JavaScript reads it."""
        return {"id": self.id, "name_zh": self.name_zh, "name_en": self.name_en,
                "credit_code": self.credit_code, "status": self.status, "reference": self.reference}


def lookup(session: Session, query: str, limit: int = LOOKUP_LIMIT) -> list[Choice]:
    """Up to `limit` suppliers for the picker: an exact credit code or number first, then every-word matches.

    The matches are taken in index order (no sort over all matches), so a word that matches tens of
    thousands of suppliers answers as fast as a rare one; the page shows them by name.
    """
    columns = (Supplier.id, Supplier.name_zh, Supplier.name_en, Supplier.credit_code, Supplier.status)
    found: dict[int, Choice] = {}
    text = (query or "").strip()
    exact = None
    if re.fullmatch(r"#?\d{1,9}", text):
        exact = Supplier.id == int(text.lstrip("#"))
    elif len(credit_code.normalize(text)) == 18:
        exact = Supplier.credit_code == credit_code.normalize(text)
    if exact is not None:
        for row in session.execute(select(*columns).where(exact)):
            found[row.id] = Choice(*row)
    if found and (text.startswith("#") or len(credit_code.normalize(text)) == 18):
        return list(found.values())  # "#12" or a whole credit code: nobody else is meant
    clause = matches(text)
    if clause is not None:
        # The words are matched in a subquery of ids, which SQLite answers from the narrow list-filter index
        # (it holds the search text): a word that matches nothing reads that index, not every supplier row.
        stmt = select(*columns).where(Supplier.id.in_(select(Supplier.id).where(clause).limit(limit)))
        rest = sorted((Choice(*row) for row in session.execute(stmt) if row.id not in found),
                      key=lambda choice: (len(choice.name_zh), choice.name_zh, choice.id))
        for choice in rest:
            found[choice.id] = choice
    return list(found.values())[:limit]
