"""The disclosure's files: CSV, XLSX and PDF, in simplified Chinese, traditional Chinese and English.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from supplychain import clock
from supplychain.errors import ValidationFailed
from supplychain.models.organisation import Organisation
from supplychain.services.disclosure.breakdowns import breakdown_text
from supplychain.services.disclosure.definitions import SECTIONS, SPECS, UNITS, Settings, content_index, half_up
from supplychain.services.disclosure.formatting import chinese_text
from supplychain.services.disclosure.narrative_texts import narratives
from supplychain.services.disclosure.region_table import SEVEN_REGION_CODES, region_layout
from supplychain.services.disclosure.reporting_year import Disclosure, disclosure
from supplychain.text_safety import spreadsheet_row

CSV_COLUMNS = ("code", "label_en", "label_zh", "year", "value", "unit", "detail_en", "detail_zh", "basis", "note",
               "target")


OUTPUT_LANGUAGES = ("zh", "zh_Hant", "en")


def _plain(value: float | int | None, places: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{places}f}"
    return str(value)


def rows(result: Disclosure, hant: bool = False) -> list[dict]:
    """One row per figure of the reporting year, and per KPI figure of each of the two previous years;
    GRI (c) and (e) carry the impacts identified and why suppliers were terminated in `detail_*`.
    `hant`: the Chinese columns in traditional Chinese (Hong Kong wording). B5.1's region rows follow the
    region layout: with another layout than the seven regions, the layout's rows (count and share, codes of
    `RegionRow`) take the place of the seven regions' rows."""
    out = []
    layout = result.settings.region_layout
    for spec in SPECS:
        if layout != "seven" and spec.code in SEVEN_REGION_CODES:
            if spec.code == SEVEN_REGION_CODES[0]:
                out += _region_rows(result, hant)
            continue
        for year in result.years:
            if year != result.year and not spec.kpi:
                continue
            if year not in result.values:
                continue
            value = result.values[year][spec.code]
            label_zh, label_en = result.label(spec)
            out.append(
                {
                    "code": spec.code,
                    "label_en": label_en,
                    "label_zh": chinese_text(label_zh, hant),
                    "year": year,
                    "value": value.value,
                    "unit": spec.unit,
                    "detail_en": breakdown_text(value, "en"),
                    "detail_zh": chinese_text(breakdown_text(value, "zh"), hant),
                    "basis": value.basis,
                    "note": chinese_text(value.note, hant),
                    "target": result.targets.get(spec.code) if year == result.year else None,
                }
            )
    return out


def _region_rows(result: Disclosure, hant: bool) -> list[dict]:
    """The CSV rows of the region layout's table: a count and a share per row."""
    out = []
    for row in region_layout(result):
        count, share = row.labels()
        for code, (label_zh, label_en), value, unit in ((row.code, count, row.count, "suppliers"),
                                                        (f"{row.code}.share", share, row.share, "%")):
            out.append({"code": code, "label_en": label_en, "label_zh": chinese_text(label_zh, hant),
                        "year": result.year, "value": value, "unit": unit, "detail_en": "", "detail_zh": "",
                        "basis": row.basis, "note": chinese_text(row.note, hant), "target": None})
    return out


def index_rows(result: Disclosure, hant: bool = False) -> list[dict]:
    """The HKEX and GRI content index as CSV rows after the figures: code `INDEX.<standard>.<item>`, unit
    `index`, the section in the labels and the figure codes that answer the item in `detail_*`."""
    out = []
    for standard, item, section, codes in content_index():
        joined = " ".join(codes)
        out.append({"code": f"INDEX.{standard}.{item.replace(' ', '.')}",
                    "label_en": f"{standard} {item}: section {section}",
                    "label_zh": chinese_text(f"{standard} {item}：见 {section} 节", hant), "year": result.year,
                    "value": None, "unit": "index", "detail_en": joined, "detail_zh": joined, "basis": "",
                    "note": "", "target": None})
    return out


def to_csv(result: Disclosure, hant: bool = False) -> bytes:
    """The CSV: code,label_en,label_zh,year,value,unit,detail_en,detail_zh,basis,note,target (UTF-8 with BOM,
    for Excel); the figures, then the HKEX and GRI content index (unit `index`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    places = result.settings.percent_places
    for row in rows(result, hant) + index_rows(result, hant):
        writer.writerow(spreadsheet_row(
            [_plain(row[c], places) if c in ("value", "target") else row[c] for c in CSV_COLUMNS]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: Disclosure, hant: bool = False) -> bytes:
    """The workbook: the CSV's rows on "figures", the KPI table with three years on "kpi", B5.1's region table
    as the layout prints it on "regions" (with a total row) and the content index on "index"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(CSV_COLUMNS))
    for row in rows(result, hant):
        sheet.append(spreadsheet_row(row[c] for c in CSV_COLUMNS))
    kpi = book.create_sheet("kpi")
    kpi.append(["code", "label_zh", "label_en", "unit", *result.years, f"{result.year} target"])
    for spec in SPECS:
        if spec.kpi:
            kpi.append(
                spreadsheet_row([
                    spec.code,
                    chinese_text(spec.label_zh, hant),
                    spec.label_en,
                    spec.unit,
                    *[
                        result.values[y][spec.code].value if y in result.values else None
                        for y in result.years
                    ],
                    result.targets.get(spec.code),
                ])
            )
    layout = book.create_sheet("regions")  # B5.1's region table as the layout prints it
    layout.append(["code", "region_zh", "region_en", "suppliers", "share"])
    rows_of_layout = region_layout(result)
    for row in rows_of_layout:
        layout.append(spreadsheet_row([row.code, chinese_text(row.name_zh, hant), row.name_en, row.count, row.share]))
    total = sum(row.count for row in rows_of_layout)
    layout.append(["B5.1.regions.total", chinese_text("合计", hant), "Total", total,
                   half_up(total, total, result.settings.percent_places) if total else None])
    index = book.create_sheet("index")
    index.append(["standard", "disclosure", "section", "codes"])
    for standard, item, section, codes in content_index():
        index.append([standard, item, section, " ".join(codes)])
    for ws in (sheet, kpi, layout, index):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 50
        ws.column_dimensions["C"].width = 50
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf_data(result: Disclosure, company_name: str, generated_at: datetime, languages: tuple[str, ...],
                company_name_en: str = ""):
    """The renderer's DisclosureData: a section per B5/GRI aspect with all three years, and B5.1's regions.
    With "zh_Hant" among the languages every Chinese text is in traditional Chinese."""
    from reports.data import DisclosureData, DisclosureSection, Figure, RegionCount

    hant = "zh_Hant" in languages
    texts = {code: (chinese_text(zh, hant), en) for code, (zh, en) in narratives(result).items()}
    sections = []
    for code, title_zh, title_en in SECTIONS:
        figures = []
        for spec in result.section_specs(code):
            if spec.code.startswith("B5.1.") and spec.code not in (
                "B5.1.total",
                "B5.1.local",
                "B5.1.local.share",
            ):
                continue  # the regions have their own chart and table
            unit_zh, unit_en = UNITS.get(spec.unit, (spec.unit, spec.unit))
            label_zh, label_en = result.label(spec)
            figures.append(
                Figure(
                    spec.code,
                    label_en,
                    chinese_text(label_zh, hant),
                    chinese_text(unit_zh, hant) if languages[0] in ("zh", "zh_Hant") else unit_en,
                    {y: result.values[y][spec.code].value for y in result.years if y in result.values},
                    result.targets.get(spec.code),
                )
            )
        narrative_zh, narrative_en = texts.get(code, ("", ""))
        sections.append(
            DisclosureSection(code, chinese_text(title_zh, hant), title_en, narrative_zh, narrative_en, tuple(figures))
        )
    lines_zh = [f"{standard} {item}：{section}" for standard, item, section, _codes in content_index()]
    lines_en = [f"{standard} {item}: section {section}" for standard, item, section, _codes in content_index()]
    sections.append(DisclosureSection("", chinese_text("HKEX 及 GRI 内容索引", hant), "HKEX and GRI content index",
                                      chinese_text("；".join(lines_zh), hant), "; ".join(lines_en), ()))
    region_counts = [RegionCount(chinese_text(row.name_zh, hant), row.name_en, row.count)
                     for row in region_layout(result)]
    return DisclosureData(
        company_name_zh=chinese_text(company_name, hant),
        company_name_en=company_name_en,
        year=result.year,
        generated_at=generated_at,
        sections=tuple(sections),
        regions=tuple(region_counts),
        percent_places=result.settings.percent_places,
    )


def to_pdf(
    result: Disclosure,
    company_name: str,
    languages: tuple[str, ...] = ("zh", "en"),
    font_path: str | None = None,
    zone: Any = UTC,
    company_name_en: str = "",
) -> bytes:
    """The disclosure PDF in the languages given ("zh", "zh_Hant" and/or "en")."""
    from reports.disclosure import render_disclosure_pdf

    data = to_pdf_data(result, company_name, clock.now().astimezone(zone), languages, company_name_en)
    hant = "zh_Hant" in languages
    renderer_languages = tuple("zh" if lang == "zh_Hant" else lang for lang in languages)
    if hant:
        from supplychain.hant import to_hant

        return render_disclosure_pdf(data, renderer_languages, font_path=font_path, chinese=to_hant)
    return render_disclosure_pdf(data, renderer_languages, font_path=font_path)


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export(
    session: Session,
    year: Any,
    fmt: str,
    today: date,
    boundary: Organisation | None,
    company_name: str,
    languages: tuple[str, ...] = ("zh", "en"),
    font_path: str | None = None,
    zone: Any = UTC,
    settings: Settings | None = None,
) -> tuple[bytes, str, str]:
    """The disclosure file of a year: (bytes, file name, content type); ValidationFailed otherwise.

    `languages`: "zh", "zh_Hant" and/or "en"; with "zh_Hant" the Chinese of every file is traditional."""
    if fmt not in FORMATS:
        raise ValidationFailed({"format": [_l("Choose CSV, XLSX or PDF.")]})
    if not languages or any(lang not in OUTPUT_LANGUAGES for lang in languages):
        raise ValidationFailed({"lang": [_l("Choose zh, zh_Hant or en.")]})
    settings = settings or Settings(company_name_zh=company_name)
    result = disclosure(session, year, today, boundary, settings)
    hant = "zh_Hant" in languages
    if fmt == "csv":
        data = to_csv(result, hant)
    elif fmt == "xlsx":
        data = to_xlsx(result, hant)
    else:
        # A subsidiary's disclosure carries the subsidiary's names; the group's the company's (D7).
        if boundary is not None and boundary.parent_id is not None:
            reporter, reporter_en = boundary.name_zh, boundary.name_en or ""
        else:
            reporter, reporter_en = company_name, settings.company_name_en
        data = to_pdf(result, reporter, languages, font_path, zone, reporter_en)
    # The boundary's code, and for a PDF its languages (zh, en or both: each has its own name).
    suffix = (f"-{boundary.code}" if boundary is not None else "") + ("-" + "-".join(languages) if fmt == "pdf" else "")
    return data, f"supply-chain-disclosure-{result.year}{suffix}.{fmt}", FORMATS[fmt]
