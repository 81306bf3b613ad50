"""How figures print: 1,234, 66.7 % and — for nothing to divide by; Chinese in traditional script.
"""

from __future__ import annotations

from supplychain.services.disclosure.definitions import Value


def chinese_text(text: str, hant: bool) -> str:
    """A simplified Chinese text as printed: as it is, or in traditional Chinese (Hong Kong wording)."""
    if not hant:
        return text
    from supplychain.hant import to_hant

    return to_hant(text)


def display(value: Value | None, unit: str, places: int = 1) -> str:
    """A figure as the page prints it: 1,234 or 66.7% (— when there is nothing to divide by)."""
    if value is None or value.value is None:
        return "—"
    v = value.value
    text = f"{v:,.{places}f}" if unit == "%" else f"{int(v):,}"
    return f"{text}%" if unit == "%" else text
