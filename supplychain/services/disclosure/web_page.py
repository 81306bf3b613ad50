"""Everything the disclosure page shows: the figures by section, the region chart, the narratives, the
checks and the changes since publication.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from supplychain.models.organisation import Organisation
from supplychain.services.disclosure import entries, publication
from supplychain.services.disclosure.checks import consistency
from supplychain.services.disclosure.definitions import DEFAULT_SETTINGS, SECTIONS, SPECS, Settings, Spec
from supplychain.services.disclosure.formatting import chinese_text
from supplychain.services.disclosure.narrative_texts import narratives
from supplychain.services.disclosure.region_table import RegionRow, region_layout
from supplychain.services.disclosure.reporting_year import Disclosure, disclosure


def by_section(result: Disclosure) -> list[tuple[str, str, str, list[Spec]]]:
    """(code, Chinese title, English title, figures) of every section, in report order."""
    return [(code, zh, en, result.section_specs(code)) for code, zh, en in SECTIONS]


def group_specs() -> dict[str, list[Spec]]:
    """Specs by section code."""
    grouped: dict[str, list[Spec]] = defaultdict(list)
    for spec in SPECS:
        grouped[spec.section].append(spec)
    return grouped


@dataclass
class DisclosurePage:
    """The disclosure of a year with the B5.1 chart, for the web page."""

    result: Disclosure
    region_chart: str
    sections: list[tuple[str, str, str, list[Spec]]]
    narratives: dict[str, tuple[str, str]]
    warnings: list[tuple[str, str]] = field(default_factory=list)  # consistency checks before download
    published: dict = field(default_factory=dict)  # year → its publication (the figures as published)
    changes: list = field(default_factory=list)  # published figures that changed since, not restated
    other_settings: list[int] = field(default_factory=list)  # years published with another population/places
    regions: list[RegionRow] = field(default_factory=list)  # B5.1's region table as the layout prints it


def page(session: Session, year: Any, today: date, language: str,
         boundary: Organisation | None = None, settings: Settings = DEFAULT_SETTINGS) -> DisclosurePage:
    """Everything the disclosure page shows; raises ValidationFailed for a bad or future year."""
    from reports import charts
    from supplychain.web_charts import web_svg

    result = disclosure(session, year, today, boundary, settings)
    hant = language == "zh_Hant"  # "zh", "zh_Hant" or "en"
    layout = region_layout(result)
    data = [(row.name_en if language == "en" else chinese_text(row.name_zh, hant), row.count) for row in layout]
    no_data = charts.no_data_text(("en",)) if language == "en" else chinese_text(charts.no_data_text(("zh",)), hant)
    chart = web_svg(charts.to_svg(charts.pie_chart(data, "", width=360, height=180, no_data=no_data)),
                    "Suppliers by region" if language == "en" else chinese_text("供应商地区分布", hant))
    publications = publication.published(session, entries.boundary_key(boundary),
                                                    result.years)
    changed, other = publication.changes(publications, result.values, counted_with(result))
    return DisclosurePage(result, chart, by_section(result), narratives(result), consistency(result), publications,
                          changed, other, layout)


def counted_with(result: Disclosure) -> str:
    """The settings a year's figures were counted with, as a publication keeps them."""
    return publication.settings_key(result.settings.b51_population, result.settings.percent_places)
