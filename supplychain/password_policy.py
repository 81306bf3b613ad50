"""The password policy, as pure functions: length, guessable shapes and a shipped list of common passwords.

A password is refused when it is
- shorter than MIN_LENGTH characters (or longer than MAX_LENGTH);
- digits only, or made of fewer than 4 different characters, or one short piece repeated ("abcabcabc");
- a run along the alphabet, the digits or a keyboard row or column ("qwertyui", "1qaz2wsx", "87654321");
- on the common-password list (`supplychain/data/common-passwords.txt`), also when written with
  look-alike digits and symbols (p@ssw0rd) or with digits and symbols added before or after it
  (Password1, Abc12345, 2024admin!);
- or when it contains the local part of the account's own e-mail address.
The reasons come back as codes; the services turn them into messages in the user's language.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from importlib.resources import files

MIN_LENGTH = 10
MAX_LENGTH = 200
_LOOK_ALIKES = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a",
                              "$": "s", "!": "i", "|": "l", "+": "t"})
_SYMBOL_LOOK_ALIKES = str.maketrans({"@": "a", "$": "s", "!": "i", "|": "l"})
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_DIGIT_ENDS = re.compile(r"^\d+|\d+$")
_RUNS = (
    "abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiopasdfghjklzxcvbnm", "qwertyuiop", "asdfghjkl",
    "zxcvbnm", "1234567890qwertyuiop", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp",
    "zaq1xsw2cde3vfr4bgt5nhy6mju7",
)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list (package data), lower-cased, comments and blank lines left out."""
    text = files("supplychain").joinpath("data", "common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _candidates(password: str) -> set[str]:
    """The forms of a password compared with the list: as typed, its core without digits and symbols
    around it, and both read with look-alikes as letters."""
    lower = password.lower()
    core = _ENDS.sub("", lower)
    return {lower, core, core.translate(_LOOK_ALIKES), lower.translate(_LOOK_ALIKES),
            _DIGIT_ENDS.sub("", lower.translate(_SYMBOL_LOOK_ALIKES))} - {""}


def _is_run(password: str) -> bool:
    lower = password.lower()
    return any(lower in run or lower in run[::-1] for run in _RUNS)


def _is_repeated(password: str) -> bool:
    return any(len(password) % n == 0 and password == password[:n] * (len(password) // n)
               for n in range(1, len(password) // 2 + 1))


def problems(password: str | None, email: str | None = None) -> list[str]:
    """Why a password is refused, as codes: `short`, `long`, `guessable`, `common`, `email` (empty: fine)."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return ["short"]
    if len(password) > MAX_LENGTH:
        return ["long"]
    found = []
    if password.isdigit() or len(set(password)) < 4 or _is_repeated(password) or _is_run(password):
        found.append("guessable")
    elif _candidates(password) & common_passwords():
        found.append("common")
    local = (email or "").split("@")[0].lower()
    if len(local) >= 4 and local in password.lower():
        found.append("email")
    return found


def generate(length: int = 16) -> str:
    """A random password that passes the policy (for demo accounts and resets shown once)."""
    while True:
        password = secrets.token_urlsafe(length)[:length]
        if not problems(password):
            return password
