"""Checks a supplier must pass to be registered or imported, beyond its own values.

Each check takes (session, clean supplier) and returns {field: [messages]}. Later features
(the blacklist) add theirs to CHECKS, so the form and the importer refuse the same things.
A check may also offer `check.many(session, cleans)` for a whole import file.
"""

from __future__ import annotations


def blacklisted_credit_code(session, clean) -> dict:
    """A credit code on the blacklist cannot be registered or imported; the error names the entry."""
    from supplychain.services import blacklist

    return blacklist.registration_check(session, clean)


def _blacklisted_credit_codes(session, cleans) -> list[dict]:
    from supplychain.services import blacklist

    return blacklist.registration_check_many(session, cleans)


blacklisted_credit_code.many = _blacklisted_credit_codes  # a few queries per file for the importer

CHECKS: list = [blacklisted_credit_code]
