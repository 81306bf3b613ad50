"""The reasons of a risk tier in words, in the reader's language (issue 11, part 1).

A stored factor keeps its reason in English (for logs and exports without a language) and, beside
it, a code and arguments, so every page and the CSV word it again in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from supplychain import regions
from supplychain.evidence_labels import CERT_TYPE_LABELS

FACTOR_LABELS = {
    "category": _l("Category risk"), "region": _l("Country or region risk"), "spend_share": _l("Share of spend"),
    "single_source": _l("Single source"), "incidents": _l("Incident history"),
    "expired_licences": _l("Expired licences"),
}
TIER_LABELS = {"high": _l("High risk"), "medium": _l("Medium risk"), "low": _l("Low risk")}
LEVEL_LABELS = {"high": _l("high"), "medium": _l("medium"), "low": _l("low")}
REASONS = {
    "category": _l("Supplies %(names)s: a %(level)s-risk category."),
    "category_none": _l("No supply category recorded."),
    "region": _l("Located in %(area)s: a %(level)s-risk region."),
    "country": _l("Located in %(area)s: a %(level)s-risk country."),
    "spend_share": _l("%(percent)s %% of the group's %(currency)s spend in the last 12 months."),
    "spend_none": _l("No spend recorded in the last 12 months."),
    "single_source": _l("The only supplier on the qualified list for %(names)s."),
    "single_source_none": _l("Not the only qualified supplier of any category."),
    "incidents": _l("Incidents in the last %(years)s years: %(count)s, major or critical: %(serious)s."),
    "incidents_none": _l("No incident in the last %(years)s years."),
    "licences_expired": _l("Expired and not renewed: %(types)s."),
    "licences_none": _l("No expired certificate or licence."),
}


def _arguments(args: Mapping[str, Any], language: str) -> dict[str, Any]:
    english = language == "en"
    words = dict(args)
    if "names_zh" in args:
        words["names"] = (args.get("names_en") or args["names_zh"]) if english else args["names_zh"]
        if language == "zh_Hant" and words["names"]:
            from supplychain.hant import to_hant

            words["names"] = to_hant(words["names"])
    if "level" in args:
        words["level"] = str(LEVEL_LABELS.get(args["level"], args["level"]))
    if "area" in args:
        area = args["area"]
        words["area"] = (regions.region_name(area, language) if area in regions.REGION_KEYS
                         else regions.country_name(area, language) if area else "—")
    if "types" in args:
        words["types"] = ", ".join(str(CERT_TYPE_LABELS.get(t, t)) for t in args["types"])
    return words


def reason_text(entry: Mapping[str, Any], language: str) -> str:
    """A stored factor's reason in the language (``zh``, ``zh_Hant`` or ``en``) of the current request or command:
    the category and region names in that language too."""
    template = REASONS.get(entry.get("code", ""))
    if template is None:
        return str(entry.get("reason", ""))
    try:
        return str(template) % _arguments(entry.get("args") or {}, language)
    except (KeyError, TypeError, ValueError):
        return str(entry.get("reason", ""))


def english_reasons():
    """Inside this context, word reasons in English (as stored beside the code), whatever the request's language.

    Outside an app the messages are English anyway.
    """
    return force_locale("en")


def english_reason(code: str, args: Mapping[str, Any]) -> str:
    """The reason in English; call inside :func:`english_reasons`."""
    return reason_text({"code": code, "args": args}, "en")
