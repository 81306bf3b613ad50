"""B5.1's region table in the layout the settings choose, as the page and every download print it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from supplychain import regions
from supplychain.services.disclosure.definitions import RecordSet, Settings, Value, half_up, record_set
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
    records: RecordSet | None = None  # the suppliers the row counts (its drill-down); None for an entered figure

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


def layout_of(code: str) -> str | None:
    """The layout a row code belongs to (None for a figure code of every layout, e.g. B5.1.east)."""
    if code in ("B5.1.south_excl_hk_macao", "B5.1.hk_macao_overseas"):
        return "hk_macao_overseas"
    if code.startswith("B5.1.overseas."):
        return "overseas_by_country"
    return None


def _ids(*parts: RecordSet | None) -> tuple[int, ...] | None:
    """The ids of the parts' records together (None when a part has none: an entered figure)."""
    if any(part is None for part in parts):
        return None
    return tuple(sorted({sid for part in parts for sid in part.ids}))


def layout_rows(v: Mapping[str, Value], settings: Settings,
                countries: Mapping[str, Sequence[int]] | None = None) -> list[RegionRow]:
    """B5.1's region table of one year's figures `v` in the settings' layout, each row with the suppliers it
    counts (its drill-down; for the country rows only with `countries`, compute.overseas_by_country).

    seven: the seven regions and overseas. hk_macao_overseas: Hong Kong and Macao taken out of the south
    and printed with overseas as one row. overseas_by_country: the seven regions, then one row per country
    (its name; the ISO code when unknown). Shares are of the rows' total, half up, with the percent places."""
    layout = settings.region_layout
    rows: list[tuple[str, str, str, int, tuple[Value, ...], tuple[int, ...] | None]] = [
        (f"B5.1.{r.key}", r.name_zh, r.name_en, int(v[f"B5.1.{r.key}"].value or 0), (v[f"B5.1.{r.key}"],),
         _ids(v[f"B5.1.{r.key}"].records))
        for r in regions.REGIONS if r.key != "overseas"]
    overseas = v["B5.1.overseas"]
    if layout == "hk_macao_overseas":
        hk_macao = v["B5.1.hk_macao"]
        hk_ids = set(_ids(hk_macao.records) or ())
        rows = [("B5.1.south_excl_hk_macao", zh, en, n - int(hk_macao.value or 0), (*parts, hk_macao),
                 None if ids is None or hk_macao.records is None else tuple(i for i in ids if i not in hk_ids))
                if code == "B5.1.south"
                else (code, zh, en, n, parts, ids) for code, zh, en, n, parts, ids in rows]
        rows.append(("B5.1.hk_macao_overseas", "港澳及海外", "Hong Kong, Macao and overseas",
                     int(overseas.value or 0) + int(hk_macao.value or 0), (overseas, hk_macao),
                     _ids(overseas.records, hk_macao.records)))
    elif layout == "overseas_by_country":
        for key, n in overseas.breakdown:
            country = key.removeprefix("country:")
            members = countries.get(key) if countries is not None else None
            rows.append((f"B5.1.overseas.{country}", f"海外：{regions.country_name(country, 'zh') or country}",
                         f"Overseas: {regions.country_name(country, 'en') or country}", n, (overseas,),
                         None if members is None else tuple(sorted(members))))
    else:
        names = next(r for r in regions.REGIONS if r.key == "overseas")
        rows.append(("B5.1.overseas", names.name_zh, names.name_en, int(overseas.value or 0), (overseas,),
                     _ids(overseas.records)))
    total = sum(row[3] for row in rows)
    places = settings.percent_places
    out = []
    for code, zh, en, n, parts, ids in rows:
        marked = [part for part in parts if part.basis != "computed"]
        out.append(RegionRow(code, zh, en, n, half_up(n, total, places) if total else None,
                             marked[0].basis if marked else "computed",
                             "; ".join(part.note for part in marked if part.note),
                             None if marked or ids is None else record_set("supplier", ids)))
    return out


def region_layout(result: Disclosure, layout: str | None = None) -> list[RegionRow]:
    """B5.1's region table of the disclosure's year as the layout prints it (setting DISCLOSURE_REGION_LAYOUT,
    or `layout`); see layout_rows."""
    settings = replace(result.settings, region_layout=layout) if layout else result.settings
    return layout_rows(result.values[result.year], settings)


def region_rows(result: Disclosure) -> list[tuple[regions.Region, Value, Value]]:
    """Each region with its count and share at the year end."""
    v = result.values[result.year]
    return [(r, v[f"B5.1.{r.key}"], v[f"B5.1.{r.key}.share"]) for r in regions.REGIONS]
