"""Checks a supplier must pass to be registered or imported, beyond its own values.

Each check takes (session, clean supplier) and returns {field: [messages]}. Later features
(the blacklist) add theirs to CHECKS, so the form and the importer refuse the same things.
"""

from __future__ import annotations

CHECKS: list = []
