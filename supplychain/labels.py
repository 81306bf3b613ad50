"""Translatable labels for stored keys (statuses, roles, regions)."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from supplychain import regions

STATUS_LABELS = {
    "registered": _l("Registered"), "under_review": _l("Under review"), "trial": _l("Trial supply"),
    "qualified": _l("Qualified"), "conditional": _l("Conditional"), "suspended": _l("Suspended"),
    "exited": _l("Exited"), "blacklisted": _l("Blacklisted"), "rejected": _l("Rejected"),
}
STATUS_BADGES = {
    "registered": "secondary", "under_review": "info", "trial": "info", "qualified": "success",
    "conditional": "warning", "suspended": "warning", "exited": "dark", "blacklisted": "danger",
    "rejected": "danger",
}
# Supplier types (models.risk.SUPPLIER_TYPES; issue 11).
SUPPLIER_TYPE_LABELS = {
    "manufacturer": _l("Manufacturer"), "distributor": _l("Distributor"), "service": _l("Service provider"),
    "contractor": _l("Contractor"),
}


def lang() -> str:
    """The current language code, "zh" or "en"."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "zh"


def lang_tag() -> str:
    """The interface language as a file-name tag: "zh", "zh_Hant" or "en"."""
    locale = get_locale()
    if locale is None or locale.language != "en":
        return "zh_Hant" if locale is not None and locale.script == "Hant" else "zh"
    return "en"


def region_label(key: str) -> str:
    """A region's name in the current language."""
    return regions.region_name(key, lang_tag())


def province_label(code: str | None) -> str:
    """A province's name in the current language."""
    province = regions.find_province(code) if code else None
    if province is None:
        return ""
    return regions.province_name(province, lang_tag())


def country_label(code: str | None) -> str:
    """A country's name in the current language."""
    names = dict(regions.countries(lang_tag()))
    return names.get(code or "", code or "")


def pick(zh: str | None, en: str | None) -> str:
    """The text in the current language, falling back to the other."""
    return (en or zh or "") if lang() == "en" else (zh or en or "")


def pick_text(zh: str | None, en: str | None) -> str:
    """A text the product writes (a disclosure label, title or narrative) in the current language: the Chinese
    in traditional Chinese (Hong Kong wording) when the interface is. Names people typed stay as typed."""
    text = pick(zh, en)
    if lang_tag() == "zh_Hant":
        from supplychain.hant import to_hant

        return to_hant(text)
    return text


def label_lookup(groups: dict[str, dict], badges: dict[str, str]):
    """A (label, badge) pair of functions over an area's label groups and badge colours."""

    def label(group: str, key: str | None) -> str:
        """The label of a stored key in the current language (the key itself when unknown)."""
        if key is None:
            return ""
        return groups.get(group, {}).get(key, key)

    def badge(key: str | None) -> str:
        """The Bootstrap colour of a status badge."""
        return badges.get(key or "", "secondary")

    return label, badge
