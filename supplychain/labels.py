"""Translatable labels for stored keys (statuses, roles, regions)."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from supplychain import regions

# A supplier's lifecycle status has ONE name per language wherever it is shown: the list and its filter, the
# dashboard, the disclosure, the scorecard, the import preview, the audit log, e-mails. STATUS_LABELS go through
# the catalogue (translations/zh/core.po); STATUS_NAMES are the same names for what is written without it (PDFs,
# charts). tests/web/test_status_names.py holds them together. 试用 (not 试用供货/试供货/试供) is the step of
# DOMAIN.md's 少量试用 and what the trial outcome is called (试用结果); 有条件合格 (not 限期整改, which is the
# corrective action such a supplier gets) is the grade it comes from. An import still reads the other names.
ORGANISATION_KIND_LABELS = {"group": _l("Group"), "subsidiary": _l("Subsidiary"), "project": _l("Project or site")}
STATUS_LABELS = {
    "registered": _l("Registered"), "under_review": _l("Under review"), "trial": _l("Trial supply"),
    "qualified": _l("Qualified"), "conditional": _l("Conditional"), "suspended": _l("Suspended"),
    "exited": _l("Exited"), "blacklisted": _l("Blacklisted"), "rejected": _l("Rejected"),
}
STATUS_NAMES = {
    "registered": ("已登记", "Registered"),
    "under_review": ("准入评审中", "Under review"),
    "trial": ("试用", "Trial supply"),
    "qualified": ("合格", "Qualified"),
    "conditional": ("有条件合格", "Conditional"),
    "suspended": ("暂停", "Suspended"),
    "exited": ("已退出", "Exited"),
    "blacklisted": ("黑名单", "Blacklisted"),
    "rejected": ("未准入", "Rejected"),
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


def chinese(text: str | None) -> str:
    """A simplified Chinese text the product holds (a name, a label, a generated line) as the Chinese reader reads
    it: converted to traditional Chinese (Hong Kong wording) when the interface is."""
    if not text or lang_tag() != "zh_Hant":
        return text or ""
    from supplychain.hant import to_hant

    return to_hant(text)


def pick(zh: str | None, en: str | None) -> str:
    """The text of a (Chinese, English) pair in the current language, falling back to the other: the one place
    that picks, so the Chinese reaches a traditional Chinese reader converted (issue 13) and an English reader
    never sees the Chinese where an English text exists."""
    if lang() == "en":
        return en or zh or ""
    return chinese(zh) if zh else (en or "")


def category_names(categories) -> str:
    """Supply categories' names in the current language, comma-separated (each through pick)."""
    return ", ".join(pick(c.name_zh, c.name_en) for c in categories)


def pick_name(zh: str | None, en: str | None) -> str:
    """A proper name people typed (an organisation's, a project's) in the current language, the Chinese as typed:
    like the names shown without a pair (Organisation.display_name, a supplier's name)."""
    return (en or zh or "") if lang() == "en" else (zh or en or "")


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
