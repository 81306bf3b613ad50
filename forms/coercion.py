"""Coercing submitted select values."""


def int_or_none(value):
    """Coerce a select value to an int, or None when empty or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
