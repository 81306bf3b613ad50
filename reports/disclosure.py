"""The yearly supply-chain disclosure (HKEX ESG Aspect B5, GRI 308/414 and the KPI table the
listed groups publish), as a PDF in Chinese, English or both.

Every figure is printed as given: the arithmetic and its traceability belong to the service
that computes the :class:`~reports.data.Figure` values. The KPI tables show the reporting
year with the two previous years beside it, oldest first, as the published reports do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from . import charts
from .data import DisclosureData, DisclosureSection, Figure, RegionCount
from .fonts import register_cjk_font
from .layout import (
    ACCENT,
    DASH,
    MUTED,
    RULE,
    HRule,
    Languages,
    Styles,
    build_pdf,
    check_languages,
    draw_text,
    fmt_datetime,
    fmt_number,
    grid_table,
    section_heading,
    styles,
)
from .layout import (
    bi as _bi,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
REGION_SECTION = "B5.1"


# How the Chinese of the renderer's own labels is written: as is (simplified), or converted (traditional).
_CHINESE: ContextVar[Callable[[str], str] | None] = ContextVar("disclosure_chinese", default=None)


def _z(text: str) -> str:
    convert = _CHINESE.get()
    return convert(text) if convert else text


def bi(zh: str, en: str, languages, sep: str = " / ") -> str:
    """layout.bi with the Chinese in the output's script."""
    return _bi(_z(zh), en, languages, sep)


def render_disclosure_pdf(
    data: DisclosureData,
    languages: Sequence[str] = ("zh", "en"),
    *,
    font_path: str | None = None,
    chinese: Callable[[str], str] | None = None,
) -> bytes:
    """Render one reporting year's supply-chain disclosure as PDF bytes (A4, several pages).

    The region chart and table go with section B5.1 when there is one, else at the end. `chinese`
    converts the renderer's own Chinese labels (e.g. to traditional Chinese); the data come converted."""
    token = _CHINESE.set(chinese)
    try:
        return _render(data, languages, font_path)
    finally:
        _CHINESE.reset(token)


def _render(data: DisclosureData, languages: Sequence[str], font_path: str | None) -> bytes:
    langs = check_languages(languages)
    cjk = register_cjk_font(font_path).name
    st = styles(cjk, 9)
    years = (data.year - 2, data.year - 1, data.year)

    story: list[Flowable] = _cover(data, langs, st)
    placed_regions = False
    for section in data.sections:
        story += _section(section, years, langs, st)
        if section.code == REGION_SECTION and data.regions:
            story += _regions(data.regions, langs, st, data.percent_places)
            placed_regions = True
    if data.regions and not placed_regions:
        heading = bi("按地区划分的供应商数目", "Number of suppliers by geographical region", langs)
        story += [CondPageBreak(60 * mm), section_heading(f"{REGION_SECTION}  {heading}", st)]
        story += _regions(data.regions, langs, st, data.percent_places)

    company = bi(data.company_name_zh, data.company_name_en, langs)
    generated = f"{bi('生成时间', 'Generated', langs)}: {fmt_datetime(data.generated_at)}"

    def footer(canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 12 * mm, PAGE_WIDTH - MARGIN, 12 * mm)
        draw_text(canvas, MARGIN, 8.5 * mm, f"{company} · {data.year}", cjk, 7, colour=MUTED)
        draw_text(canvas, MARGIN, 5.5 * mm, generated, cjk, 6.5, colour=MUTED)
        label = bi(f"第 {page} 页，共 {total} 页", f"Page {page} of {total}", langs)
        draw_text(canvas, PAGE_WIDTH - MARGIN, 8.5 * mm, label, cjk, 7, anchor="right", colour=MUTED)
        canvas.restoreState()

    return build_pdf(
        story,
        pagesize=A4,
        footer=footer,
        title=f"{data.year} {bi('供应链管理ESG信息披露', 'Supply-chain ESG disclosure', langs)}",
        subject=company,
        author=data.company_name_en or data.company_name_zh,
        created_at=data.generated_at,
        margins=(MARGIN, MARGIN, 18 * mm, 18 * mm),
    )


def _cover(data: DisclosureData, langs: Languages, st: Styles) -> list[Flowable]:
    title_zh = _z(f"{data.year} 年度供应链管理 ESG 信息披露")
    title_en = f"Supply-chain ESG disclosure {data.year}"
    main, sub = (title_zh, title_en) if langs[0] == "zh" else (title_en, title_zh)
    names = (
        [data.company_name_zh, data.company_name_en]
        if langs[0] == "zh"
        else [data.company_name_en, data.company_name_zh]
    )
    # The legal (Chinese) name is printed whatever the language, as on the scorecards.
    out: list[Flowable] = [st.p(n, st.h1_sub) for n in names if n]
    out.append(st.p(main, st.h1))
    if len(langs) == 2:
        out.append(st.p(sub, st.h1_sub))
    scope = bi(
        "依据：香港联交所《环境、社会及管治报告指引》B5 供应链管理；GRI 308、GRI 414",
        "Frameworks: HKEX ESG Reporting Guide, Aspect B5 Supply Chain Management; GRI 308 and GRI 414",
        langs,
        "\n",
    )
    out += [Spacer(1, 4), st.p(scope, st.muted), Spacer(1, 4), HRule(ACCENT, 1), Spacer(1, 6)]
    return out


def _section(
    section: DisclosureSection, years: tuple[int, int, int], langs: Languages, st: Styles
) -> list[Flowable]:
    title = bi(section.title_zh, section.title_en, langs)
    heading = section_heading(f"{section.code}  {title}" if section.code else title, st)
    narratives = [section.narrative_zh if lang == "zh" else section.narrative_en for lang in langs]
    block: list[Flowable] = [heading]
    for text in narratives:
        if text:
            block += [st.p(text, st.body), Spacer(1, 3)]
    out: list[Flowable] = [CondPageBreak(40 * mm), *block]
    if section.figures:
        out += [KeepTogether(_kpi_table(section.figures, years, langs, st)), Spacer(1, 8)]
    else:
        out.append(Spacer(1, 5))
    return out


def _kpi_table(
    figures: Sequence[Figure], years: tuple[int, int, int], langs: Languages, st: Styles
) -> list[Flowable]:
    header = [bi("指标", "Indicator", langs, "\n"), bi("单位", "Unit", langs, "\n")]
    header += [str(y) for y in years]
    targets = any(fig.target is not None for fig in figures)  # a targets column when a figure has one
    if targets:
        header.append(bi(f"{years[-1]}目标", f"{years[-1]} target", langs, "\n"))
    rows: list[list] = [header]
    for fig in figures:
        label = bi(fig.label_zh, fig.label_en, langs, "\n")
        values = [fig.values.get(y) for y in years] + ([fig.target] if targets else [])
        places = 1 if any(_has_fraction(v) for v in values) else 0
        cells = [fmt_number(v, places) if v is not None else DASH for v in values]
        rows.append([st.p(label, st.cell), fig.unit, *cells])
    value_w = 50 if targets else 58
    columns = len(header) - 2
    widths = [CONTENT_WIDTH - 42 - columns * value_w, 42, *[value_w] * columns]
    last = 4  # the reporting year
    table = grid_table(
        rows,
        widths,
        st.cjk,
        font_size=8.5,
        align_right=tuple(range(2, 2 + columns)),
        extra=[
            ("FONTNAME", (last, 1), (last, -1), "Helvetica-Bold"),
            ("TEXTCOLOR", (last, 0), (last, 0), ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
    )
    return [table]


def _has_fraction(value: object) -> bool:
    if value is None:
        return False
    dec = value if isinstance(value, Decimal) else Decimal(str(value))
    return dec != dec.to_integral_value()


def _regions(regions: Sequence[RegionCount], langs: Languages, st: Styles, places: int = 1) -> list[Flowable]:
    total = sum(r.count for r in regions)
    data = [(bi(r.label_zh, r.label_en, langs, " "), r.count) for r in regions]
    chart = charts.pie_chart(
        data,
        bi("供应商地区分布", "Suppliers by region", langs),
        width=CONTENT_WIDTH * 0.55,
        height=150,
        font_name=st.cjk,
        font_size=7.5,
        title_colour=ACCENT,
        title_size=9,
    )
    rows: list[list] = [
        [
            bi("地区", "Region", langs, "\n"),
            bi("供应商数", "Suppliers", langs, "\n"),
            bi("占比", "Share", langs, "\n"),
        ]
    ]
    for r in regions:
        share = Decimal(100 * r.count) / total if total else None  # exact, then half up
        rows.append(
            [
                bi(r.label_zh, r.label_en, langs),
                fmt_number(r.count, 0),
                f"{fmt_number(share, places)}%" if share is not None else DASH,
            ]
        )
    rows.append([bi("合计", "Total", langs), fmt_number(total, 0), f"{fmt_number(100, places)}%" if total else DASH])
    table_w = CONTENT_WIDTH * 0.45 - 10
    table = grid_table(
        rows,
        [table_w - 110, 55, 55],
        st.cjk,
        font_size=8,
        align_right=(1, 2),
        extra=[
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, MUTED),
            ("FONTNAME", (1, -1), (-1, -1), "Helvetica-Bold"),
        ],
    )
    layout = Table([[chart, table]], colWidths=[CONTENT_WIDTH * 0.55 + 10, table_w])
    layout.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return [KeepTogether([layout]), Spacer(1, 8)]
