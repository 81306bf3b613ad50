"""The supplier scorecard: one A4 page per evaluation, in Chinese, English or both.

Identical :class:`~reports.data.ScorecardData` gives identical bytes (the document is built in
ReportLab's invariant mode and its date is ``generated_at``), so a stored evaluation's
scorecard regenerates exactly. Long evidence lists are cut to a few rows with a "n more"
note so the page stays one page; the counts printed are always the full ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from . import charts
from .data import ScorecardData
from .fonts import register_cjk_font
from .labels import (
    BAD_STATUSES,
    CERTIFICATE_STATUS,
    CORRECTIVE_ACTION_STATUS,
    DECISION,
    INCIDENT_CATEGORY,
    SEVERITY,
    WARN_STATUSES,
    coded,
    pair,
)
from .layout import (
    ACCENT,
    ALERT,
    ALERT_BG,
    DASH,
    INK,
    MUTED,
    RULE,
    Languages,
    Styles,
    bi,
    build_pdf,
    check_languages,
    draw_text,
    fmt_date,
    fmt_datetime,
    fmt_number,
    grid_table,
    hex_colour,
    ruled_footer,
    section_heading,
    styles,
    text_colour_on,
    text_width,
)
from .qr import QrFlowable

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GUTTER = 12
HALF = (CONTENT_WIDTH - GUTTER) / 2

MAX_CERTIFICATES = 6
MAX_PLEDGES = 5
MAX_ACTIONS = 4
MAX_INCIDENTS = 4
MAX_EXPLANATION = 6
WARN = colors.HexColor("#b54708")


def render_scorecard(
    data: ScorecardData,
    languages: Sequence[str] = ("zh", "en"),
    *,
    font_path: str | None = None,
) -> bytes:
    """Render one supplier's evaluation scorecard as PDF bytes (A4, normally one page).

    languages is ("zh",), ("en",) or both in the order the labels should read; font_path
    overrides the CJK font search (see reports.fonts)."""
    langs = check_languages(languages)
    cjk = register_cjk_font(font_path).name
    st = styles(cjk)
    grade_colour = hex_colour(data.grade_colour)

    story: list[Flowable] = [
        _header(data, langs, st),
        Spacer(1, 6),
        ScoreBand(data, langs, cjk, grade_colour),
        Spacer(1, 4),
    ]
    if data.red_flags:
        story += [_red_flags(data, langs, st), Spacer(1, 2)]
    story += [
        _charts_row(data, langs, st),
        _two_columns(_dimension_table(data, langs, st), _explanation(data, langs, st)),
        Spacer(1, 4),
        # Evidence on the left, what happened and who approved on the right: one block, so
        # neither column waits for the other's longest table.
        _two_columns(
            _certificates(data, langs, st) + _pledges_and_training(data, langs, st),
            _corrective_actions(data, langs, st) + _incidents(data, langs, st) + _approvals(data, langs, st),
        ),
    ]
    if data.period_evaluations or data.period_hidden:
        story += [Spacer(1, 4), *_period_evaluations(data, langs, st)]

    code_label = bi("核验码", "Verification code", langs)
    generated_label = bi("生成时间", "Generated", langs)
    footer_left = (
        f"{generated_label}: {fmt_datetime(data.generated_at)}    {code_label}: {data.verification_code}"
    )

    footer = ruled_footer(footer_left, cjk, langs, page_width=PAGE_WIDTH, margin=MARGIN, rule_y=11 * mm,
                          text_y=7.5 * mm, size=6.5)
    return build_pdf(
        story,
        pagesize=A4,
        footer=footer,
        title=f"{bi('供应商ESG评价记分卡', 'Supplier ESG scorecard', langs)} - {_name(data, langs)}",
        subject=f"{data.period} {data.kind_en or data.kind_zh}".strip(),
        author=data.issuer,
        created_at=data.generated_at,
        margins=(MARGIN, MARGIN, 12 * mm, 15 * mm),
    )


def bi2(zh: str, en: str, langs: Languages) -> str:
    """A bilingual label for a table cell: one line where it fits, else one per language
    (layout.Text splits at the " / ")."""
    return bi(zh, en, langs)


def _name(data: ScorecardData, langs: Languages) -> str:
    if langs[0] == "en" and data.supplier_name_en:
        return data.supplier_name_en
    return data.supplier_name_zh or data.supplier_name_en


def _header(data: ScorecardData, langs: Languages, st: Styles) -> Table:
    title_zh, title_en = "供应商ESG评价记分卡", "Supplier ESG Scorecard"
    left: list[Flowable] = []
    if data.issuer:
        left.append(st.p(data.issuer, st.muted))
    left.append(st.p(title_zh if langs[0] == "zh" else title_en, st.h1))
    if len(langs) == 2:
        left.append(st.p(title_en if langs[0] == "zh" else title_zh, st.h1_sub))
    left.append(Spacer(1, 5))
    # The legal name is Chinese: it is printed in every language, the English one beside it.
    first, second = data.supplier_name_zh, data.supplier_name_en
    if langs == ("en",) and second:
        first, second = second, first
    left.append(st.p(first, st.strong))
    if second:
        left.append(st.p(second, st.label))
    left.append(Spacer(1, 3))
    left.append(_identity(data, langs, st))

    qr_size = 74
    right = [
        QrFlowable(data.verification_url, qr_size),
        st.p(bi("扫码核验", "Scan to verify", langs), st.centre),
        st.p(data.verification_code, st.centre),
    ]
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH - qr_size - 14, qr_size + 14])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
            ]
        )
    )
    return table


def _identity(data: ScorecardData, langs: Languages, st: Styles) -> Table:
    uscc = data.credit_code or bi("无（境外供应商）", "n/a (overseas supplier)", langs)
    region = bi(data.region_zh, data.region_en, langs)
    status = bi(data.status_zh, data.status_en, langs)
    categories = ("、" if langs[0] == "zh" else ", ").join(data.categories) or DASH
    rows = [
        [bi2("统一社会信用代码", "USCC", langs), uscc, bi2("地区", "Region", langs), region],
        [
            bi2("供应类别", "Categories", langs),
            st.p(categories, st.cell),
            bi2("状态", "Status", langs),
            status,
        ],
    ]
    width = CONTENT_WIDTH - 88
    label_w = 72
    value_w = (width - 2 * label_w) / 2
    return grid_table(
        rows,
        [label_w, value_w + 40, label_w - 20, value_w - 20],
        st.cjk,
        header=False,
        extra=[
            ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
            ("TEXTCOLOR", (2, 0), (2, -1), MUTED),
            ("FONTNAME", (1, 0), (1, 0), "Helvetica-Bold"),
            ("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE),
        ],
    )


class ScoreBand(Flowable):
    """Total, grade, percentile and evaluation drawn straight on the canvas in four boxes."""

    HEIGHT = 50

    def __init__(self, data: ScorecardData, langs: Languages, cjk: str, colour: colors.Color) -> None:
        super().__init__()
        self.data, self.langs, self.cjk, self.colour = data, langs, cjk, colour

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.HEIGHT

    def draw(self) -> None:
        c, d, langs, cjk, h = self.canv, self.data, self.langs, self.cjk, self.HEIGHT
        gap = 6
        widths = [130, 130, 100]
        widths.append(self.width - sum(widths) - 3 * gap)
        xs = [0.0]
        for w in widths[:-1]:
            xs.append(xs[-1] + w + gap)

        # Total, in the grade band's colour.
        x, w = xs[0], widths[0]
        c.setStrokeColor(self.colour)
        c.setLineWidth(1.4)
        c.roundRect(x, 0, w, h, 4, stroke=1, fill=0)
        draw_text(c, x + 7, h - 11, bi("综合得分", "Total score", langs), cjk, 7, colour=MUTED)
        total = fmt_number(d.total, 1)
        draw_text(c, x + 7, 10, total, cjk, 25, bold=True, colour=self.colour)
        tw = text_width(total, cjk, 25, bold=True)
        draw_text(c, x + 10 + tw, 10, f"/ {fmt_number(d.max_total, 0)}", cjk, 9, colour=MUTED)

        # Grade: a chip in the band's colour, text in black or white, whichever reads.
        x, w = xs[1], widths[1]
        ink = text_colour_on(self.colour)
        c.setFillColor(self.colour)
        c.roundRect(x, 0, w, h, 4, stroke=0, fill=1)
        draw_text(c, x + 7, h - 11, bi("等级", "Grade", langs), cjk, 7, colour=ink)
        main, sub = (
            (d.grade_name_zh, d.grade_name_en) if langs[0] == "zh" else (d.grade_name_en, d.grade_name_zh)
        )
        if len(langs) == 1:
            sub = ""
        draw_text(c, x + 7, 19 if sub else 12, main or sub, cjk, 16, bold=True, colour=ink)
        if sub:
            draw_text(c, x + 7, 7, sub, cjk, 8, colour=ink)

        # Percentile.
        x, w = xs[2], widths[2]
        self._box(x, w)
        draw_text(c, x + 7, h - 11, bi("百分位", "Percentile", langs), cjk, 7, colour=MUTED)
        if d.percentile is None:
            draw_text(c, x + 7, 18, DASH, cjk, 16, bold=True, colour=INK)
            draw_text(c, x + 7, 7, bi("未排名", "not ranked", langs), cjk, 6.5, colour=MUTED)
        else:
            value = fmt_number(d.percentile, 0)
            draw_text(c, x + 7, 18, f"P{value}", cjk, 16, bold=True, colour=INK)
            draw_text(
                c,
                x + 7,
                7,
                bi(f"第 {value} 百分位", f"{_ordinal(value)} percentile", langs),
                cjk,
                6.5,
                colour=MUTED,
            )

        # Evaluation kind and period.
        x, w = xs[3], widths[3]
        self._box(x, w)
        draw_text(c, x + 7, h - 11, bi("评价", "Evaluation", langs), cjk, 7, colour=MUTED)
        kind_main = d.kind_zh if langs[0] == "zh" else d.kind_en
        kind_sub = (d.kind_en if langs[0] == "zh" else d.kind_zh) if len(langs) == 2 else ""
        draw_text(c, x + 7, 21, kind_main or kind_sub, cjk, 10, bold=True, colour=INK)
        line = f"{bi('期间', 'Period', langs)}: {d.period}"
        if kind_sub and kind_main:
            draw_text(c, x + 7 + text_width(kind_main, cjk, 10, True) + 6, 21, kind_sub, cjk, 7, colour=MUTED)
        draw_text(c, x + 7, 8, line, cjk, 7.5, colour=INK)

    def _box(self, x: float, w: float) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.8)
        self.canv.roundRect(x, 0, w, self.HEIGHT, 4, stroke=1, fill=0)


def _ordinal(value: str) -> str:
    try:
        n = int(value.replace(",", ""))
    except ValueError:
        return value
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _red_flags(data: ScorecardData, langs: Languages, st: Styles) -> Table:
    heading_style = st.h2.clone("flag_h", textColor=ALERT, spaceBefore=0)
    cells: list[Flowable] = [st.p(bi("红线项", "Red flags", langs), heading_style)]
    for flag in data.red_flags:
        main, sub = (flag.text_zh, flag.text_en) if langs[0] == "zh" else (flag.text_en, flag.text_zh)
        if len(langs) == 1 or not sub:
            sub = ""
        cells.append(st.p(f"• {main or sub}", st.body))
        if sub and main:
            cells.append(st.p(f"  {sub}", st.muted))
    table = Table([[cells]], colWidths=[CONTENT_WIDTH])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ALERT_BG),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, ALERT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _dimension_label(name_zh: str, name_en: str, langs: Languages) -> str:
    main, sub = (name_zh, name_en) if langs[0] == "zh" else (name_en, name_zh)
    if len(langs) == 1 or not sub or not main:
        return main or sub
    return f"{main}\n{sub}"


def _charts_row(data: ScorecardData, langs: Languages, st: Styles) -> Table:
    cjk = st.cjk
    dims = [(_dimension_label(d.name_zh, d.name_en, langs), d.score) for d in data.dimensions]
    height = 124
    dim_chart = charts.horizontal_bar_chart(
        dims,
        bi("维度得分", "Dimension scores", langs),
        charts.DEFAULT_COLOUR,
        width=HALF,
        height=height,
        value_max=100,
        font_name=cjk,
        font_size=6.5,
        label_width=92,
        title_size=st.h2.fontSize,
        title_colour=ACCENT,
        no_data=charts.no_data_text(langs),
    )
    trend = [(p.period, p.total) for p in data.trend]
    trend_chart = charts.line_chart(
        trend,
        bi("综合得分趋势", "Total score trend", langs),
        data.grade_colour or charts.DEFAULT_COLOUR,
        width=HALF,
        height=height,
        value_min=0,
        value_max=100,
        font_name=cjk,
        font_size=6.5,
        title_size=st.h2.fontSize,
        title_colour=ACCENT,
        no_data=charts.no_data_text(langs),
    )
    table = Table([[dim_chart, trend_chart]], colWidths=[HALF + GUTTER, HALF])
    table.setStyle(_PLAIN)
    return table


_PLAIN = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
)


def _two_columns(left: list[Flowable], right: list[Flowable]) -> Table:
    # splitInRow: when an unusually long card runs out of page, the columns continue on the
    # next page instead of the whole block jumping there.
    table = Table([[left, right]], colWidths=[HALF + GUTTER, HALF], splitInRow=1)
    table.setStyle(_PLAIN)
    return table


def _more(count: int, langs: Languages) -> str:
    """The note for a list cut to fit the page ("" when nothing was cut)."""
    return bi(f"另有 {count} 项未列出", f"{count} more not listed", langs) if count > 0 else ""


def _dimension_table(data: ScorecardData, langs: Languages, st: Styles) -> list[Flowable]:
    rows: list[list] = [
        [
            bi2("维度", "Dimension", langs),
            bi2("权重", "Weight", langs),
            bi2("得分", "Score", langs),
            bi2("加权得分", "Weighted", langs),
        ]
    ]
    for d in data.dimensions:
        name = bi(d.name_zh, d.name_en, langs)
        weighted = None if d.score is None or d.weight is None else float(d.score) * float(d.weight)
        weight = None if d.weight is None else float(d.weight) * 100
        rows.append([name, f"{fmt_number(weight, 0)}%", fmt_number(d.score, 1), fmt_number(weighted, 1)])
    rows.append([bi("合计", "Total", langs), "", "", fmt_number(data.total, 1)])
    last = len(rows) - 1
    table = grid_table(
        rows,
        [HALF - 132, 36, 40, 56],
        st.cjk,
        align_right=(1, 2, 3),
        extra=[
            ("FONTNAME", (3, last), (3, last), "Helvetica-Bold"),
            ("LINEABOVE", (0, last), (-1, last), 0.6, MUTED),
        ],
    )
    return [section_heading(bi("维度明细", "Dimension breakdown", langs), st), table]


def _explanation(data: ScorecardData, langs: Languages, st: Styles) -> list[Flowable]:
    out: list[Flowable] = [section_heading(bi("评分说明", "How the score was reached", langs), st)]
    lines = data.explanation[:MAX_EXPLANATION]
    for line in lines:
        out.append(st.p(f"• {line}", st.body))
    if len(data.explanation) > MAX_EXPLANATION:
        out.append(st.p(_more(len(data.explanation) - MAX_EXPLANATION, langs), st.muted))
    if not lines:
        out.append(st.p(DASH, st.muted))
    return out


def _certificates(data: ScorecardData, langs: Languages, st: Styles) -> list[Flowable]:
    rows: list[list] = [
        [
            bi2("证书", "Certificate", langs),
            bi2("编号", "Number", langs),
            bi2("有效期至", "Expires", langs),
            bi2("状态", "Status", langs),
        ]
    ]
    extra = []
    for i, cert in enumerate(data.certificates[:MAX_CERTIFICATES], start=1):
        rows.append(
            [cert.type, cert.number, fmt_date(cert.expires_on), coded(cert.status, CERTIFICATE_STATUS, langs)]
        )
        status = (cert.status or "").lower()
        if status in BAD_STATUSES or status in WARN_STATUSES:
            extra.append(("TEXTCOLOR", (3, i), (3, i), ALERT if status in BAD_STATUSES else WARN))
    if len(rows) == 1:
        rows.append([bi("无证书记录", "No certificates on record", langs), "", "", ""])
        extra.append(("SPAN", (0, 1), (-1, 1)))
        extra.append(("TEXTCOLOR", (0, 1), (-1, 1), MUTED))
    widths = [HALF - 190, 76, 54, 60]
    return [
        section_heading(
            bi("资质证书", "Certificates", langs), st, _more(len(data.certificates) - MAX_CERTIFICATES, langs)
        ),
        grid_table(rows, widths, st.cjk, extra=extra),
    ]


def _pledges_and_training(data: ScorecardData, langs: Languages, st: Styles) -> list[Flowable]:
    rows: list[list] = [[bi2("承诺书", "Pledge", langs), bi2("签署日期", "Signed on", langs)]]
    for pledge in data.pledges[:MAX_PLEDGES]:
        rows.append([bi(pledge.kind_zh, pledge.kind_en, langs), fmt_date(pledge.signed_on)])
    extra = []
    if len(rows) == 1:
        rows.append([bi("未签署承诺书", "No pledges signed", langs), ""])
        extra = [("SPAN", (0, 1), (-1, 1)), ("TEXTCOLOR", (0, 1), (-1, 1), ALERT)]
    out: list[Flowable] = [
        section_heading(
            bi("承诺与培训", "Pledges and training", langs), st, _more(len(data.pledges) - MAX_PLEDGES, langs)
        ),
        grid_table(rows, [HALF - 62, 62], st.cjk, extra=extra),
    ]
    facts = [
        [
            bi("近12个月ESG培训学时", "ESG training hours, last 12 months", langs),
            fmt_number(data.training_hours_12m, 1),
        ],
        [bi("未关闭整改项", "Open corrective actions", langs), str(data.open_corrective_actions)],
    ]
    extra_facts = [
        ("FONTNAME", (1, 0), (1, -1), "Helvetica-Bold"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE),
    ]
    if data.open_corrective_actions:
        extra_facts.append(("TEXTCOLOR", (1, 1), (1, 1), WARN))
    out += [
        Spacer(1, 4),
        grid_table(facts, [HALF - 62, 62], st.cjk, header=False, align_right=(1,), extra=extra_facts),
    ]
    return out


def _corrective_actions(data: ScorecardData, langs: Languages, st: Styles) -> list[Flowable]:
    rows: list[list] = [
        [bi2("整改项", "Corrective action", langs), bi2("期限", "Due", langs), bi2("状态", "Status", langs)]
    ]
    for action in data.corrective_actions[:MAX_ACTIONS]:
        rows.append(
            [
                st.p(action.title, st.cell),
                fmt_date(action.due_on),
                coded(action.status, CORRECTIVE_ACTION_STATUS, langs),
            ]
        )
    extra = [
        ("TEXTCOLOR", (2, i), (2, i), ALERT)
        for i, action in enumerate(data.corrective_actions[:MAX_ACTIONS], start=1)
        if (action.status or "").lower() == "overdue"
    ]
    if len(rows) == 1:
        rows.append([bi("无未关闭整改项", "No open corrective actions", langs), "", ""])
        extra = [("SPAN", (0, 1), (-1, 1)), ("TEXTCOLOR", (0, 1), (-1, 1), MUTED)]
    return [
        section_heading(
            bi("整改", "Corrective actions", langs),
            st,
            _more(len(data.corrective_actions) - MAX_ACTIONS, langs),
        ),
        grid_table(rows, [HALF - 112, 50, 62], st.cjk, extra=extra),
    ]


def _incidents(data: ScorecardData, langs: Languages, st: Styles) -> list[Flowable]:
    rows: list[list] = [
        [bi2("日期", "Date", langs), bi2("类别", "Category", langs), bi2("事件", "Incident", langs)]
    ]
    for incident in data.incidents[:MAX_INCIDENTS]:
        category = coded(incident.category, INCIDENT_CATEGORY, langs)
        summary = incident.summary
        if incident.severity:
            sev_zh, sev_en = pair(incident.severity, SEVERITY)
            summary += (
                f"（{bi(sev_zh, sev_en.lower(), langs)}）"
                if langs[0] == "zh"
                else (f" ({bi(sev_zh, sev_en.lower(), langs)})")
            )
        rows.append([fmt_date(incident.occurred_on), st.p(category, st.cell), st.p(summary, st.cell)])
    extra = []
    if len(rows) == 1:
        rows.append([bi("无事件记录", "No incidents on record", langs), "", ""])
        extra = [("SPAN", (0, 1), (-1, 1)), ("TEXTCOLOR", (0, 1), (-1, 1), MUTED)]
    return [
        section_heading(
            bi("事件", "Incidents", langs), st, _more(len(data.incidents) - MAX_INCIDENTS, langs)
        ),
        grid_table(
            rows,
            [50, 70 if len(langs) == 2 else 56, HALF - (120 if len(langs) == 2 else 106)],
            st.cjk,
            extra=extra,
        ),
    ]


def _approvals(data: ScorecardData, langs: Languages, st: Styles) -> list[Flowable]:
    approvals = sorted(data.approvals, key=lambda a: a.level)
    # One zone for all timestamps (the usual case) goes in the header, keeping cells short.
    zones = {fmt_datetime(a.decided_at)[16:].strip() for a in approvals if a.decided_at is not None}
    zone = zones.pop() if len(zones) == 1 else ""
    # The zone on a line of its own: "Decided at (+08:00)" does not fit the column, and the CJK line
    # breaking would cut the English word ("Decide d at", issue 13, D12).
    decided = bi2("审核时间", "Decided at", langs) + (f"\n({zone})" if zone else "")
    rows: list[list] = [
        [
            bi2("级别", "Level", langs),
            bi2("审核人", "Approver", langs),
            decided,
            bi2("结论", "Decision", langs),
        ]
    ]
    for approval in approvals:
        when = fmt_datetime(approval.decided_at)
        rows.append(
            [
                bi(f"第{approval.level}级", f"Level {approval.level}", langs),
                approval.approver,
                when[:16] if zone else when,
                coded(approval.decision, DECISION, langs) or DASH,
            ]
        )
    extra = []
    if len(rows) == 1:
        rows.append([bi("尚未审核", "Not yet approved", langs), "", "", ""])
        extra = [("SPAN", (0, 1), (-1, 1)), ("TEXTCOLOR", (0, 1), (-1, 1), MUTED)]
    return [
        section_heading(bi("审批记录", "Approvals", langs), st),
        grid_table(rows, [56, HALF - 56 - 66 - 62, 66, 62], st.cjk, extra=extra),
    ]


def _period_evaluations(data: ScorecardData, langs: Languages, st: Styles) -> list[Flowable]:
    """Every organisation's evaluation of the period the reader may see, and which governs (issue 9, item 5)."""
    rows: list[list] = [[
        bi2("评价组织", "Organisation", langs), bi2("评价方案", "Scheme", langs), bi2("总分", "Total", langs),
        bi2("等级", "Grade", langs), bi2("评价日期", "Date", langs), bi2("集团层面", "Group level", langs),
    ]]
    extra: list[tuple] = []
    for i, line in enumerate(data.period_evaluations, start=1):
        marks = [bi("决定", "governs", langs)] if line.governs else []
        if line.this:
            marks.append(bi("本评价", "this scorecard", langs))
            extra.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f3f6fa")))
        rows.append([
            st.p(bi(line.organisation_zh, line.organisation_en, langs), st.cell),
            st.p(bi(line.scheme_zh, line.scheme_en, langs), st.cell),
            fmt_number(line.total) if line.total is not None else DASH,
            bi(line.grade_zh, line.grade_en, langs) or DASH,
            fmt_date(line.as_of),
            "; ".join(marks) or DASH,
        ])
    if data.period_hidden:
        rows.append([bi(f"其他组织的评价 {data.period_hidden} 项（详情不共享）",
                        f"{data.period_hidden} evaluation(s) by other organisations (details not shared)", langs),
                     "", "", "", "", ""])
        extra += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)), ("TEXTCOLOR", (0, len(rows) - 1), (-1, -1), MUTED)]
    rule = bi(data.group_rule_zh, data.group_rule_en, langs)
    governing = bi(f"集团层面等级：{data.governing_level_zh}", f"Group-level grade: {data.governing_level_en}", langs)
    return [
        section_heading(bi("本期各组织的评价", "Evaluations of this period in the group", langs), st),
        grid_table(rows, [CONTENT_WIDTH - 330, 130, 40, 60, 50, 50], st.cjk, extra=extra, align_right=(2,)),
        st.p(f"{governing}. {rule}.", st.cell),
    ]


__all__ = ["render_scorecard"]
