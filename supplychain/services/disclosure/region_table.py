"""B5.1's region table in the layout the settings choose, as the page and every download print it.
"""

from __future__ import annotations

from dataclasses import dataclass

from supplychain import regions
from supplychain.services.disclosure.definitions import Value, half_up
from supplychain.services.disclosure.reporting_year import Disclosure


@dataclass(frozen=True)
class RegionRow:
    """One row of B5.1's region table as the layout prints it, in every format (page, CSV, XLSX, PDF)."""

    code: str  # B5.1.east; B5.1.south_excl_hk_macao, B5.1.hk_macao_overseas; B5.1.overseas.DE
    name_zh: str
    name_en: str
    count: int
    share: float | None  # of the rows' total, half up (— when there is nothing to divide by)
    basis: str = "computed"
    note: str = ""

    @property
    def share_value(self) -> Value:
        """The share as a figure (for `display`)."""
        return Value(self.share)

    def labels(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """The (Chinese, English) labels of the row's count and share in the CSV and XLSX."""
        where_zh, where_en = self.name_zh, self.name_en
        if self.code == "B5.1.south_excl_hk_macao":
            where_zh, where_en = f"{where_zh}（不含港澳）", f"{where_en} (excluding Hong Kong and Macao)"
        return ((f"{where_zh}供应商", f"Suppliers in {where_en}"),
                (f"{where_zh}供应商占比", f"Share of suppliers in {where_en}"))


# The figure rows a layout other than the seven regions replaces in the CSV and XLSX.
SEVEN_REGION_CODES = (*[code for r in regions.REGIONS for code in (f"B5.1.{r.key}", f"B5.1.{r.key}.share")],
                      "B5.1.hk_macao")


def region_layout(result: Disclosure, layout: str | None = None) -> list[RegionRow]:
    """B5.1's region table as the layout prints it (setting DISCLOSURE_REGION_LAYOUT, or `layout`).

    seven: the seven regions and overseas. hk_macao_overseas: Hong Kong and Macao taken out of the south
    and printed with overseas as one row. overseas_by_country: the seven regions, then one row per country
    (its name; the ISO code when unknown). Shares are of the rows' total, half up, with the percent places."""
    layout = layout or result.settings.region_layout
    v = result.values[result.year]
    rows: list[tuple[str, str, str, int, tuple[Value, ...]]] = [
        (f"B5.1.{r.key}", r.name_zh, r.name_en, int(v[f"B5.1.{r.key}"].value or 0), (v[f"B5.1.{r.key}"],))
        for r in regions.REGIONS if r.key != "overseas"]
    overseas = v["B5.1.overseas"]
    if layout == "hk_macao_overseas":
        hk_macao = v["B5.1.hk_macao"]
        rows = [("B5.1.south_excl_hk_macao", zh, en, n - int(hk_macao.value or 0), (*parts, hk_macao))
                if code == "B5.1.south"
                else (code, zh, en, n, parts) for code, zh, en, n, parts in rows]
        rows.append(("B5.1.hk_macao_overseas", "港澳及海外", "Hong Kong, Macao and overseas",
                     int(overseas.value or 0) + int(hk_macao.value or 0), (overseas, hk_macao)))
    elif layout == "overseas_by_country":
        for key, n in overseas.breakdown:
            country = key.removeprefix("country:")
            rows.append((f"B5.1.overseas.{country}", f"海外：{regions.country_name(country, 'zh') or country}",
                         f"Overseas: {regions.country_name(country, 'en') or country}", n, (overseas,)))
    else:
        names = next(r for r in regions.REGIONS if r.key == "overseas")
        rows.append(("B5.1.overseas", names.name_zh, names.name_en, int(overseas.value or 0), (overseas,)))
    total = sum(n for _c, _z, _e, n, _p in rows)
    places = result.settings.percent_places
    out = []
    for code, zh, en, n, parts in rows:
        marked = [part for part in parts if part.basis != "computed"]
        out.append(RegionRow(code, zh, en, n, half_up(n, total, places) if total else None,
                             marked[0].basis if marked else "computed",
                             "; ".join(part.note for part in marked if part.note)))
    return out


def region_rows(result: Disclosure) -> list[tuple[regions.Region, Value, Value]]:
    """Each region with its count and share at the year end."""
    v = result.values[result.year]
    return [(r, v[f"B5.1.{r.key}"], v[f"B5.1.{r.key}.share"]) for r in regions.REGIONS]
