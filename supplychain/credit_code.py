"""China Unified Social Credit Code (统一社会信用代码, USCC), GB 32100-2015.

Layout of the 18 characters:

* 1      registration authority (登记管理部门代码)
* 2      entity type (机构类别代码); positions 1-2 must be a pair of the standard's
         table, shipped as data/uscc_registration_types.csv with its source
* 3-8    administrative division code, GB/T 2260 (登记管理机关行政区划码)
* 9-17   organisation code (主体标识码, the old 组织机构代码 incl. its own check)
* 18     check character over positions 1-17

This module is pure (no Flask, no database) so forms, importers, demo data and
benchmarks can all share one definition of "valid".
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from operator import mul

__all__ = [
    "CHARSET",
    "ERROR_CODES",
    "LENGTH",
    "WEIGHTS",
    "check_character",
    "division_of",
    "generate",
    "is_valid",
    "normalize",
    "registration_type",
    "registration_types",
    "validate",
]

# The standard drops I, O, S, V and Z because they are too easily confused
# with 1, 0, 5, U and 2 when codes are copied by hand from paper licences.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}

# Weights are 3**i mod 31 for i = 0..16 (GB 32100-2015); spelled out so the
# table can be compared with the standard at a glance.
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

# Stable identifiers: callers translate these into messages, so the strings
# must never change once released.
ERROR_CODES = ("empty", "length", "charset", "division", "check", "type")

# Separators people type when copying codes from licences or spreadsheets;
# removing them keeps "9135 0100-M000 100Y43" acceptable input.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


@lru_cache(maxsize=8192)  # an import normalises each code several times (place, rules, duplicates)
def normalize(code: str) -> str:
    """Return ``code`` stripped, upper-cased and without spaces or hyphens."""
    # NFKC folds full-width characters (common with Chinese IMEs) such as
    # "９１３５" into their ASCII forms before anything else is checked.
    text = unicodedata.normalize("NFKC", code or "")
    return _SEPARATORS.sub("", text).upper()


@cache
def registration_types() -> dict[str, tuple[str, str, str]]:
    """Positions 1-2 of every valid code -> (authority, type in Chinese, type in English), from the data file."""
    text = resources.files(__package__).joinpath("data", "uscc_registration_types.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    table = {row["authority"] + row["type"]: (row["authority_zh"], row["type_zh"], row["type_en"])
             for row in csv.DictReader(io.StringIO("\n".join(lines)))}
    if len(table) < 30 or "91" not in table:  # a bad edit would refuse every supplier: fail loudly instead
        raise RuntimeError("uscc_registration_types.csv looks damaged")
    return table


def registration_type(code: str) -> tuple[str, str, str] | None:
    """(authority, type in Chinese, type in English) of a code's first two characters, None if no such pair."""
    return registration_types().get(normalize(code)[:2])


def _weighted_sum(first17: str) -> int:
    return sum(map(mul, map(_VALUE.__getitem__, first17), WEIGHTS))  # C-level maps: an import sums every code


# Every character in the alphabet (a C-level check instead of one Python step per character).
_IN_CHARSET = re.compile(f"[{CHARSET}]*").fullmatch


def check_character(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters."""
    body = normalize(first17)
    if len(body) != LENGTH - 1:
        raise ValueError(f"expected {LENGTH - 1} characters, got {len(body)}")
    bad = [ch for ch in body if ch not in _VALUE]
    if bad:
        raise ValueError(f"characters not allowed in a credit code: {''.join(bad)!r}")
    # The outer "% 31" maps a remainder of 0 to check value 0 instead of 31,
    # which would fall outside the 31-character alphabet.
    return CHARSET[(31 - _weighted_sum(body) % 31) % 31]


def validate(code: str) -> list[str]:
    """Return every problem with ``code`` as error codes; an empty list means valid."""
    return list(_validate(code or ""))


@lru_cache(maxsize=8192)  # an import checks each code twice (its place, then the registry's rules)
def _validate(code: str) -> tuple[str, ...]:
    return tuple(_problems(code))


def _problems(code: str) -> list[str]:
    value = normalize(code)
    if not value:
        return ["empty"]

    errors: list[str] = []
    if len(value) != LENGTH:
        errors.append("length")
    charset_ok = _IN_CHARSET(value) is not None
    if not charset_ok:
        errors.append("charset")
    # Only judge the division when all six of its positions were supplied;
    # a truncated code is already reported as "length" and a second error
    # about missing digits would just be noise.
    if len(value) >= 8 and not _is_ascii_digits(value[2:8]):
        errors.append("division")
    # Positions 1-2: a registration authority and organisation type pair of GB 32100-2015's table.
    # (Not judged when those characters are already outside the alphabet: one error is enough.)
    if len(value) >= 2 and _IN_CHARSET(value[:2]) and value[:2] not in registration_types():
        errors.append("type")
    # The check character is meaningless unless the body is complete and
    # computable, so it is only verified when length and charset are right.
    if len(value) == LENGTH and charset_ok and CHARSET[(31 - _weighted_sum(value[:17]) % 31) % 31] != value[17]:
        errors.append("check")
    return errors


def is_valid(code: str) -> bool:
    """Return True when ``code`` is a well-formed credit code with a correct check character."""
    return not validate(code)


def division_of(code: str) -> str:
    """Return the 6-digit administrative division code (positions 3-8) of ``code``."""
    value = normalize(code)
    division = value[2:8]
    if len(division) != 6 or not _is_ascii_digits(division):
        raise ValueError(f"no administrative division code in {code!r}")
    return division


def generate(rng: random.Random, division_code: str = "500000") -> str:
    """Return a random valid credit code registered in ``division_code``."""
    if len(division_code) != 6 or not _is_ascii_digits(division_code):
        raise ValueError(f"division code must be 6 digits, got {division_code!r}")
    # "91" = registered by market regulation (9) as an enterprise (1): by far
    # the most common prefix among suppliers, so demo data looks realistic.
    # Taking the rng as a parameter keeps demo data and benchmarks reproducible.
    organisation = "".join(rng.choice(CHARSET) for _ in range(9))
    body = "91" + division_code + organisation
    return body + check_character(body)


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() also accepts superscripts and other-script digits, which
    # are never part of a GB/T 2260 code.
    return text.isascii() and text.isdigit()
