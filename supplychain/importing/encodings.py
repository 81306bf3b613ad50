"""Which encoding a text file from a procurement platform or Excel is in.

Groups bring CSV files saved by Excel on simplified-Chinese Windows (GBK, read as its superset
GB 18030), by Hong Kong and Taiwan systems (Big5), as "CSV UTF-8" (with a BOM) or as Excel's
"Unicode text" (UTF-16). GB 18030 decodes almost any byte string, Big5 text included, so "it
decodes" says nothing: each candidate is scored by how many of its Chinese characters fall among
the commonly used characters of its own standard (GB 2312 level 1; Big5 常用字 whose simplified
form is GB 2312 level 1 too). Real text scores high in its own encoding and low in the other.
A wrong decode also yields characters that never occur in Chinese business text: Big5's most common
lead bytes (A4, A5) are GB 2312's kana rows, others fall on its Greek, Cyrillic, box-drawing or
user-defined (private-use) rows, and GBK read as Big5 gives bopomofo and vertical forms. Each such
character weighs against its encoding like several uncommon characters, and `Detected.implausible`
keeps them so a reader can refuse a doubtful guess that would save garbled names. A close call is
reported as uncertain so the user is told which encoding was used and can pick another.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from supplychain.importing import values

# Offered to the user in the preview; the names are Python codec names.
CHOICES: tuple[tuple[str, str], ...] = (
    ("utf-8-sig", "UTF-8"),
    ("gb18030", "GB18030 / GBK"),
    ("big5hkscs", "Big5 (HKSCS)"),
    ("cp950", "Big5 (Windows cp950)"),
    ("utf-16", "UTF-16"),
)
CHOICE_NAMES = dict(CHOICES)
SAMPLE = 64 * 1024  # bytes scored; enough for thousands of characters, fast for any file size
MARGIN = 0.25  # a winner by less than this (or below MINIMUM) is an uncertain guess
MINIMUM = 0.6
MIN_HANZI = 4  # fewer distinct Chinese characters than this cannot be scored either way
IMPLAUSIBLE_WEIGHT = 4  # a character that never occurs in Chinese text counts as this many uncommon ones
# Characters a wrong decode of GBK or Big5 yields and Chinese business text does not hold: Greek and Cyrillic,
# box drawing and blocks, CJK radicals and description characters, kana, bopomofo, hangul, private use,
# vertical and small forms, half-width katakana.
_IMPLAUSIBLE = re.compile("[\u0370-\u04ff\u1100-\u11ff\u2500-\u259f\u2e80-\u2fff\u3040-\u31ff"
                          "\uac00-\ud7af\ue000-\uf8ff\ufe10-\ufe1f\ufe30-\ufe6f\uff65-\uff9f]")


@dataclass(frozen=True)
class Detected:
    """The encoding used, whether the guess is certain, and the other encodings that decode the file."""

    encoding: str
    certain: bool
    alternatives: tuple[str, ...] = ()
    implausible: str = ""  # the distinct characters of the chosen decode that Chinese text does not hold

    @property
    def garbled(self) -> bool:
        """An uncertain guess whose text holds characters Chinese text does not: saving it would keep
        garbled names, so the reader refuses it until the user picks the encoding."""
        return not self.certain and bool(self.implausible)

    @property
    def label(self) -> str:
        """A readable name of the encoding (UTF-8, GB18030 / GBK, Big5 …)."""
        return CHOICE_NAMES.get(self.encoding, self.encoding)


def label(encoding: str) -> str:
    """A readable name of a codec name from CHOICES."""
    return CHOICE_NAMES.get(encoding, encoding)


def _utf16_without_bom(sample: bytes) -> str | None:
    """utf-16-le / utf-16-be when every other byte of mostly-ASCII text is NUL."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=16384)
def _common_gb(ch: str) -> bool:
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7  # GB 2312 level 1: the 3,755 common characters


@lru_cache(maxsize=16384)
def _common_big5(ch: str) -> bool:
    try:
        encoded = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    # Big5 常用字 (A440–C67E) are 5,401 characters by stroke count, the rarer among them as likely as any in GBK
    # read as Big5: a character counts when its simplified form is common in GB 2312 too.
    return len(encoded) == 2 and 0xA4 <= encoded[0] <= 0xC6 and _common_gb(values.to_simplified(ch))


def implausible(text: str) -> str:
    """The distinct characters of a text that Chinese business text does not hold (kana, box drawing,
    private use …), in order of code point: the sign of a file read in the wrong encoding."""
    return "".join(sorted(set(_IMPLAUSIBLE.findall(text))))


def _score(text: str, common) -> tuple[float, int, str]:
    # Distinct characters: a column repeating one word (年度 on every row) must not outvote the rest.
    hanzi = {ch for ch in text if _is_hanzi(ch)}
    odd = implausible(text)
    weight = len(hanzi) + IMPLAUSIBLE_WEIGHT * len(odd)
    if not weight:
        return 0.0, 0, ""
    return sum(1 for ch in hanzi if common(ch)) / weight, len(hanzi), odd


def _decodes(data: bytes, encoding: str, final: bool) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        return decoder.decode(data, final=final)
    except UnicodeDecodeError:
        return None


def detect(data: bytes) -> Detected | None:
    """The encoding of a text file, or None when no supported encoding reads it."""
    if data.startswith(codecs.BOM_UTF8):
        return Detected("utf-8-sig", True)
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return Detected("utf-16", True)
    sample = data[:SAMPLE]
    final = len(data) <= SAMPLE
    bare16 = _utf16_without_bom(sample)
    if bare16:
        return Detected(bare16, True)
    if _decodes(sample, "utf-8", final) is not None and (final or decode(data, "utf-8") is not None):
        return Detected("utf-8-sig", True)
    # Not UTF-8: score the Chinese encodings on the sample.
    scored = []
    for encoding, common in (("gb18030", _common_gb), ("big5hkscs", _common_big5), ("cp950", _common_big5)):
        text = _decodes(sample, encoding, final)
        if text is not None:
            scored.append((*_score(text, common), encoding))
    if not scored:
        return None
    # The best score; among equal scores the decode with fewer implausible characters (never the garbled one).
    scored.sort(key=lambda item: (-item[0], len(item[2])))
    best_score, hanzi, odd, best = scored[0]
    others = tuple(encoding for _score_, _n, _odd, encoding in scored[1:])
    # cp950 and big5hkscs read common Big5 text the same: their tie is no uncertainty.
    rivals = [score for score, _n, _odd, encoding in scored[1:]
              if not ({encoding, best} <= {"big5hkscs", "cp950"})]
    certain = hanzi >= MIN_HANZI and best_score >= MINIMUM and all(best_score - s >= MARGIN for s in rivals)
    return Detected(best, certain, others, odd)


def decode(data: bytes, encoding: str) -> str | None:
    """The file's text in this encoding, or None when it does not decode (a wrong choice)."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
