"""Charts drawn once, shown twice: each function returns a ReportLab ``Drawing`` that a PDF
story takes as a flowable and :func:`to_svg` turns into inline SVG for a web page.

The charts are drawn from plain shapes rather than ReportLab's chart widgets: the layout is
fully under our control (long Chinese labels, two-line bilingual labels, no data), the output
is deterministic, and building one costs well under a millisecond. Text that needs CJK glyphs
is set in the registered CJK font (see :mod:`reports.fonts`), other text in Helvetica; in SVG
both become CSS font stacks so the browser picks an installed font, and the text stays text.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String, Wedge
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import LATIN_BOLD_FONT, LATIN_CHARS, LATIN_FONT, register_cjk_font, split_runs

Number = int | float | Decimal
Datum = tuple[str, Number | None]

DEFAULT_COLOUR = "#2f5d8a"
#: Distinguishable colours for pie slices (colour-blind friendly, Okabe-Ito based).
PALETTE = (
    "#2f5d8a",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#6b7280",
    "#0072b2",
    "#999933",
)
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
GRID = colors.HexColor("#d9dee5")
NO_DATA = "无数据 / No data"

#: CSS font stacks written into SVG for the PDF font names.
CJK_CSS_STACK = (
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'WenQuanYi Zen Hei', sans-serif"
)
LATIN_CSS_STACK = "Helvetica, Arial, 'Liberation Sans', sans-serif"


def _cjk(font_name: str | None) -> str:
    return font_name or register_cjk_font().name


def _font(text: str, cjk: str, bold: bool = False) -> str:
    if all(ch in LATIN_CHARS for ch in text):
        return LATIN_BOLD_FONT if bold else LATIN_FONT
    return cjk


def _colour(value: str | colors.Color | None, default: str = DEFAULT_COLOUR) -> colors.Color:
    if isinstance(value, colors.Color):
        return value
    try:
        return colors.HexColor(value or default)
    except (ValueError, TypeError):
        return colors.HexColor(default)


def _tint(colour: colors.Color, amount: float) -> colors.Color:
    """Mix colour with white (amount 0 = colour, 1 = white); opaque, so PDF and SVG agree."""
    return colors.Color(
        colour.red + (1 - colour.red) * amount,
        colour.green + (1 - colour.green) * amount,
        colour.blue + (1 - colour.blue) * amount,
    )


def _num(value: Number | None) -> float | None:
    return None if value is None else float(value)


def _fmt(value: float | None, places: int) -> str:
    if value is None:
        return "—"
    # Round half up on the decimal text, not the binary float.
    return f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding='ROUND_HALF_UP'):,}"


def _width(text: str, cjk: str, size: float, bold: bool = False) -> float:
    return sum(stringWidth(run, font, size) for run, font in split_runs(text, cjk, bold))


def _fit(text: str, cjk: str, size: float, max_width: float) -> str:
    """Shorten text with an ellipsis until it fits max_width."""
    if max_width <= 0 or _width(text, cjk, size) <= max_width:
        return text
    ellipsis = "…"
    while text and _width(text + ellipsis, cjk, size) > max_width:
        text = text[:-1]
    return text.rstrip() + ellipsis


def _string(
    x: float,
    y: float,
    text: str,
    cjk: str,
    size: float,
    *,
    anchor: str = "start",
    colour: colors.Color = INK,
    bold: bool = False,
) -> String | Group:
    """Text at (x, y). Mixed Latin/CJK text becomes one String per font run, so Latin letters
    are set in Helvetica even where a reader substitutes the CJK font (see _MixedText)."""
    runs = split_runs(text, cjk, bold)
    if len(runs) == 1:
        return String(x, y, text, fontName=runs[0][1], fontSize=size, fillColor=colour, textAnchor=anchor)
    return _MixedText(x, y, text, runs, cjk, size, anchor, colour)


class _MixedText(Group):
    """A line of mixed text drawn as consecutive single-font Strings; :func:`to_svg` swaps it
    back to one <text> element so the browser lays the whole line out with its own fonts."""

    _attrMap = AttrMap(BASE=Group, whole=AttrMapValue(None, desc="the line as one String (for SVG)"))

    def __init__(
        self,
        x: float,
        y: float,
        text: str,
        runs: list[tuple[str, str]],
        cjk: str,
        size: float,
        anchor: str,
        colour: colors.Color,
    ) -> None:
        super().__init__()
        widths = [stringWidth(run, font, size) for run, font in runs]
        total = sum(widths)
        left = x - total / 2 if anchor == "middle" else x - total if anchor == "end" else x
        for (run, font), width in zip(runs, widths, strict=True):
            self.add(String(left, y, run, fontName=font, fontSize=size, fillColor=colour))
            left += width
        self.whole = String(x, y, text, fontName=cjk, fontSize=size, fillColor=colour, textAnchor=anchor)


def _lines(label: str) -> list[str]:
    return [line for line in str(label).split("\n")] or [""]


def _frame(
    width: float,
    height: float,
    title: str,
    cjk: str,
    title_size: float,
    title_colour: str | colors.Color | None = None,
) -> tuple[Drawing, float]:
    """A drawing with its title; returns it and the y below the title."""
    drawing = Drawing(width, height)
    top = height
    if title:
        drawing.add(
            _string(
                0,
                height - title_size - 1,
                _fit(title, cjk, title_size, width - 4),
                cjk,
                title_size,
                colour=_colour(title_colour, "#1f2933"),
            )
        )
        top = height - title_size - 6
    return drawing, top


def no_data_text(languages: Sequence[str] = ("zh", "en")) -> str:
    """ "No data" in the document's languages ("无数据", "No data" or both)."""
    words = {"zh": "无数据", "en": "No data"}
    return " / ".join(words[lang] for lang in languages if lang in words) or NO_DATA


def _no_data(drawing: Drawing, top: float, cjk: str, text: str = NO_DATA) -> Drawing:
    drawing.add(_string(drawing.width / 2, top / 2, text, cjk, 8, anchor="middle", colour=MUTED))
    return drawing


def _nice_max(value: float) -> float:
    """A round axis maximum at or above value, a multiple of a 1-2-2.5-5 step (4-5 ticks)."""
    return _nice_step(value) * math.ceil(value / _nice_step(value)) if value > 0 else 1.0


def _nice_step(value: float) -> float:
    raw = value / 4
    exp = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if raw <= step * exp:
            return step * exp
    return 10 * exp


def _value_grid(drawing: Drawing, x0: float, x1: float, ticks, y_of, cjk: str, font_size: float) -> None:
    """Horizontal grid lines with their values at the left, one per tick."""
    for tick in ticks:
        y = y_of(tick)
        drawing.add(Line(x0, y, x1, y, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(
            _string(
                x0 - 3,
                y - (font_size - 1) * 0.35,
                _tick_label(tick),
                cjk,
                font_size - 1,
                anchor="end",
                colour=MUTED,
            )
        )


def _tick_label(value: float) -> str:
    return _fmt(value, 0 if float(value).is_integer() else 1)


def _ticks(lo: float, hi: float) -> list[float]:
    """Ticks from lo to hi on a round step (4 or 5 intervals)."""
    span = hi - lo
    step = _nice_step(span) if span > 0 else 1.0
    count = max(1, round(span / step))
    if abs(count * step - span) > 1e-9 * max(1.0, span):
        step, count = span / 4, 4
    return [lo + i * step for i in range(count + 1)]


def horizontal_bar_chart(
    data: Sequence[Datum],
    title: str = "",
    colour: str | colors.Color = DEFAULT_COLOUR,
    *,
    colours: Sequence[str | None] | None = None,
    width: float = 260,
    height: float | None = None,
    value_max: Number | None = 100,
    places: int = 1,
    font_name: str | None = None,
    font_size: float = 7,
    title_size: float = 8.5,
    title_colour: str | colors.Color | None = None,
    label_width: float | None = None,
    no_data: str = NO_DATA,
) -> Drawing:
    """Bars running right, one per (label, value); labels may have two lines ("质量\\nQuality").

    Suits dimension scores: value_max fixes the scale (100 for scores); None scales to the data.
    The height grows with the number of bars unless given."""
    cjk = _cjk(font_name)
    n = len(data)
    max_lines = max((len(_lines(label)) for label, _ in data), default=1)
    row = font_size * 1.25 * max_lines + 6
    axis_h = font_size + 6
    if height is None:
        height = math.ceil((title_size + 6 if title else 0) + axis_h + max(n, 1) * row + 4)
    drawing, top = _frame(width, height, title, cjk, title_size, title_colour)
    if not n:
        return _no_data(drawing, top, cjk, no_data)
    values = [_num(v) for _, v in data]
    vmax = float(value_max) if value_max is not None else _nice_max(max((v or 0) for v in values))
    widest = max(_width(line, cjk, font_size) for label, _ in data for line in _lines(label))
    lw = label_width if label_width is not None else min(widest, width * 0.42)
    value_w = _width(_fmt(vmax, places), cjk, font_size) + 6
    x0 = lw + 6
    x1 = width - value_w
    y0 = axis_h
    row = (top - y0 - 2) / n
    # Many two-line labels in a fixed height (7 bilingual dimensions): the labels get smaller rather
    # than overlap their neighbours (issue 13, D12).
    label_size = min(font_size, (row - 1) / (max_lines * 1.2))
    scale = (x1 - x0) / vmax if vmax else 0
    for tick in _ticks(0, vmax):
        x = x0 + tick * scale
        drawing.add(Line(x, y0, x, top - 2, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(
            _string(
                x, y0 - font_size - 1, _tick_label(tick), cjk, font_size - 1, anchor="middle", colour=MUTED
            )
        )
    base = _colour(colour)
    for i, ((label, _), value) in enumerate(zip(data, values, strict=True)):
        y_mid = top - 2 - (i + 0.5) * row
        bar_h = min(row * 0.62, font_size * 2.2)
        fill = _colour(colours[i], DEFAULT_COLOUR) if colours and i < len(colours) and colours[i] else base
        shown = max(0.0, min(value or 0.0, vmax))
        if shown:
            drawing.add(Rect(x0, y_mid - bar_h / 2, shown * scale, bar_h, fillColor=fill, strokeColor=None))
        drawing.add(
            _string(
                x0 + shown * scale + 3,
                y_mid - font_size * 0.35,
                _fmt(value, places),
                cjk,
                font_size,
                colour=INK,
            )
        )
        lines = _lines(label)
        first_y = y_mid + (len(lines) - 1) * label_size * 1.2 / 2 - label_size * 0.35
        for j, line in enumerate(lines):
            drawing.add(
                _string(
                    x0 - 4,
                    first_y - j * label_size * 1.2,
                    _fit(line, cjk, label_size, lw),
                    cjk,
                    label_size,
                    anchor="end",
                    colour=INK if j == 0 else MUTED,
                )
            )
    drawing.add(Line(x0, y0, x0, top - 2, strokeColor=MUTED, strokeWidth=0.6))
    return drawing


def bar_chart(
    data: Sequence[Datum],
    title: str = "",
    colour: str | colors.Color = DEFAULT_COLOUR,
    *,
    colours: Sequence[str | None] | None = None,
    width: float = 260,
    height: float = 150,
    value_max: Number | None = None,
    places: int = 0,
    font_name: str | None = None,
    font_size: float = 7,
    title_size: float = 8.5,
    title_colour: str | colors.Color | None = None,
    no_data: str = NO_DATA,
) -> Drawing:
    """Vertical bars, one per (label, value), value printed on top; counts by default."""
    cjk = _cjk(font_name)
    drawing, top = _frame(width, height, title, cjk, title_size, title_colour)
    if not data:
        return _no_data(drawing, top, cjk, no_data)
    values = [_num(v) for _, v in data]
    vmax = float(value_max) if value_max is not None else _nice_max(max((v or 0) for v in values))
    max_lines = max(len(_lines(label)) for label, _ in data)
    axis_w = max(_width(_tick_label(t), cjk, font_size - 1) for t in _ticks(0, vmax)) + 6
    x0, x1 = axis_w, width - 4
    y0 = max_lines * font_size * 1.2 + 5
    y1 = top - font_size - 4
    scale = (y1 - y0) / vmax if vmax else 0
    _value_grid(drawing, x0, x1, _ticks(0, vmax), lambda tick: y0 + tick * scale, cjk, font_size)
    slot = (x1 - x0) / len(data)
    bar_w = min(slot * 0.62, 36)
    base = _colour(colour)
    for i, ((label, _), value) in enumerate(zip(data, values, strict=True)):
        x_mid = x0 + (i + 0.5) * slot
        fill = _colour(colours[i], DEFAULT_COLOUR) if colours and i < len(colours) and colours[i] else base
        shown = max(0.0, min(value or 0.0, vmax))
        if shown:
            drawing.add(Rect(x_mid - bar_w / 2, y0, bar_w, shown * scale, fillColor=fill, strokeColor=None))
        drawing.add(
            _string(x_mid, y0 + shown * scale + 2, _fmt(value, places), cjk, font_size, anchor="middle")
        )
        for j, line in enumerate(_lines(label)):
            drawing.add(
                _string(
                    x_mid,
                    y0 - 3 - (j + 1) * font_size * 1.2 + 2,
                    _fit(line, cjk, font_size, slot - 2),
                    cjk,
                    font_size,
                    anchor="middle",
                    colour=INK if j == 0 else MUTED,
                )
            )
    drawing.add(Line(x0, y0, x1, y0, strokeColor=MUTED, strokeWidth=0.6))
    return drawing


def line_chart(
    points: Sequence[Datum],
    title: str = "",
    colour: str | colors.Color = DEFAULT_COLOUR,
    *,
    width: float = 260,
    height: float = 150,
    value_min: Number | None = 0,
    value_max: Number | None = 100,
    places: int = 1,
    font_name: str | None = None,
    font_size: float = 7,
    title_size: float = 8.5,
    title_colour: str | colors.Color | None = None,
    highlight_last: bool = True,
    no_data: str = NO_DATA,
) -> Drawing:
    """A trend line through (period label, value) points in the given order; None breaks the line.

    The default 0-100 scale suits scores; pass value_max=None to scale to the data."""
    cjk = _cjk(font_name)
    drawing, top = _frame(width, height, title, cjk, title_size, title_colour)
    values = [_num(v) for _, v in points]
    known = [v for v in values if v is not None]
    if not known:
        return _no_data(drawing, top, cjk, no_data)
    lo = float(value_min) if value_min is not None else min(0.0, min(known))
    hi = float(value_max) if value_max is not None else _nice_max(max(known))
    if hi <= lo:
        hi = lo + 1
    axis_w = max(_width(_tick_label(t), cjk, font_size - 1) for t in _ticks(lo, hi)) + 6
    x0, x1 = axis_w, width - 10
    y0 = font_size * 1.2 + 6
    y1 = top - font_size - 4
    scale = (y1 - y0) / (hi - lo)
    _value_grid(drawing, x0, x1, _ticks(lo, hi), lambda tick: y0 + (tick - lo) * scale, cjk, font_size)
    n = len(points)
    step = (x1 - x0 - 16) / (n - 1) if n > 1 else 0
    xs = [x0 + 8 + i * step for i in range(n)] if n > 1 else [(x0 + x1) / 2]
    every = max(1, math.ceil(n * 40 / max(x1 - x0, 1)))  # keep x labels ~40pt apart
    line_colour = _colour(colour)
    segment: list[float] = []
    for x, value in zip(xs, values, strict=True):
        if value is None:
            if len(segment) >= 4:
                drawing.add(PolyLine(segment, strokeColor=line_colour, strokeWidth=1.4))
            segment = []
        else:
            segment += [x, y0 + (max(lo, min(value, hi)) - lo) * scale]
    if len(segment) >= 4:
        drawing.add(PolyLine(segment, strokeColor=line_colour, strokeWidth=1.4))
    for i, ((label, _), x, value) in enumerate(zip(points, xs, values, strict=True)):
        if i % every == 0 or i == n - 1:
            drawing.add(
                _string(
                    x,
                    3,
                    _fit(str(label), cjk, font_size, step * every + 4 if n > 1 else x1 - x0),
                    cjk,
                    font_size,
                    anchor="middle",
                    colour=MUTED,
                )
            )
        if value is None:
            continue
        y = y0 + (max(lo, min(value, hi)) - lo) * scale
        last = highlight_last and i == n - 1
        drawing.add(
            Circle(
                x,
                y,
                2.6 if last else 1.9,
                fillColor=line_colour if last else colors.white,
                strokeColor=line_colour,
                strokeWidth=1,
            )
        )
        drawing.add(_string(x, y + 4, _fmt(value, places), cjk, font_size - 0.5, anchor="middle", bold=last))
    drawing.add(Line(x0, y0, x1, y0, strokeColor=MUTED, strokeWidth=0.6))
    return drawing


def pie_chart(
    data: Sequence[Datum],
    title: str = "",
    colours: Sequence[str] | None = None,
    *,
    donut: bool = True,
    width: float = 260,
    height: float = 150,
    places: int = 0,
    font_name: str | None = None,
    font_size: float = 7,
    title_size: float = 8.5,
    title_colour: str | colors.Color | None = None,
    no_data: str = NO_DATA,
) -> Drawing:
    """Shares of a whole (e.g. suppliers by region): a donut (or pie) with a legend listing
    each label, its value and its percentage. Zero and missing values get no slice."""
    cjk = _cjk(font_name)
    drawing, top = _frame(width, height, title, cjk, title_size, title_colour)
    values = [max(0.0, _num(v) or 0.0) for _, v in data]
    total = sum(values)
    if not data or total <= 0:
        return _no_data(drawing, top, cjk, no_data)
    palette = list(colours or PALETTE)
    radius = min(top - 8, width * 0.42) / 2
    cx, cy = radius + 4, top / 2
    angle = 90.0
    for i, value in enumerate(values):
        if value <= 0:
            continue
        sweep = 360.0 * value / total
        fill = _colour(palette[i % len(palette)])
        if sweep >= 359.999:
            drawing.add(Circle(cx, cy, radius, fillColor=fill, strokeColor=colors.white, strokeWidth=0.8))
        else:
            drawing.add(
                Wedge(
                    cx,
                    cy,
                    radius,
                    angle - sweep,
                    angle,
                    fillColor=fill,
                    strokeColor=colors.white,
                    strokeWidth=0.8,
                )
            )
        angle -= sweep
    if donut:
        drawing.add(Circle(cx, cy, radius * 0.55, fillColor=colors.white, strokeColor=None))
        drawing.add(
            _string(
                cx, cy - font_size * 0.35, _fmt(total, places), cjk, font_size + 2, anchor="middle", bold=True
            )
        )
    legend_x = cx + radius + 12
    row = min(font_size * 1.9, (top - 4) / len(data))
    first = cy + (len(data) - 1) * row / 2
    for i, ((label, _), value) in enumerate(zip(data, values, strict=True)):
        y = first - i * row
        drawing.add(
            Rect(legend_x, y - 1, 7, 7, fillColor=_colour(palette[i % len(palette)]), strokeColor=None)
        )
        share = f"{_fmt(value, places)} ({_fmt(100 * value / total, 1)}%)"
        share_w = _width(share, cjk, font_size)
        drawing.add(_string(width - 2, y, share, cjk, font_size, anchor="end", colour=MUTED))
        text = " ".join(_lines(label))
        drawing.add(
            _string(
                legend_x + 10, y, _fit(text, cjk, font_size, width - legend_x - 16 - share_w), cjk, font_size
            )
        )
    return drawing


def radar_chart(
    data: Sequence[Datum],
    title: str = "",
    colour: str | colors.Color = DEFAULT_COLOUR,
    *,
    width: float = 220,
    height: float = 180,
    value_max: Number = 100,
    font_name: str | None = None,
    font_size: float = 6.5,
    title_size: float = 8.5,
    title_colour: str | colors.Color | None = None,
) -> Drawing:
    """A spider chart of dimension scores (at least three axes; fewer -> horizontal bars)."""
    cjk = _cjk(font_name)
    if len(data) < 3:
        return horizontal_bar_chart(
            data,
            title,
            colour,
            width=width,
            height=height,
            value_max=value_max,
            font_name=cjk,
            font_size=font_size,
            title_size=title_size,
            title_colour=title_colour,
        )
    drawing, top = _frame(width, height, title, cjk, title_size, title_colour)
    n = len(data)
    vmax = float(value_max)
    cx, cy = width / 2, top / 2
    radius = min(top / 2 - font_size * 2.6, width / 2 - 50)
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]

    def at(r: float, a: float) -> tuple[float, float]:
        return cx + r * math.cos(a), cy + r * math.sin(a)

    grid = Group()
    for level in (0.2, 0.4, 0.6, 0.8, 1.0):
        pts = [c for a in angles for c in at(radius * level, a)]
        grid.add(Polygon(pts, fillColor=None, strokeColor=GRID, strokeWidth=0.4))
    for a in angles:
        grid.add(Line(cx, cy, *at(radius, a), strokeColor=GRID, strokeWidth=0.4))
    drawing.add(grid)
    base = _colour(colour)
    pts = []
    for (_, value), a in zip(data, angles, strict=True):
        v = max(0.0, min(_num(value) or 0.0, vmax))
        pts += at(radius * v / vmax, a)
    drawing.add(Polygon(pts, fillColor=_tint(base, 0.75), strokeColor=base, strokeWidth=1.2))
    for (label, value), a in zip(data, angles, strict=True):
        lx, ly = at(radius + 6, a)
        anchor = "middle" if abs(math.cos(a)) < 0.2 else ("start" if math.cos(a) > 0 else "end")
        lines = _lines(label) + [_fmt(_num(value), 1)]
        ly += (len(lines) - 1) * font_size * 1.15 / 2 - font_size * 0.35
        if math.sin(a) > 0.9:
            ly += font_size * 0.6
        elif math.sin(a) < -0.9:
            ly -= font_size * 0.6
        for j, line in enumerate(lines):
            drawing.add(
                _string(
                    lx,
                    ly - j * font_size * 1.15,
                    _fit(line, cjk, font_size, 70),
                    cjk,
                    font_size,
                    anchor=anchor,
                    colour=INK if j == 0 else MUTED,
                    bold=j == len(lines) - 1,
                )
            )
    return drawing


_ID_RE = re.compile(r'(id="|url\(#)(clip|group)\b')
_PROLOGUE_RE = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def to_svg(drawing: Drawing, *, title: str = "", inline: bool = True) -> str:
    """SVG text for a drawing, text kept as text (Chinese included) with CSS font stacks.

    inline=True drops the XML prologue so the result can go straight into an HTML page, and
    gives the ids a suffix derived from the content so several charts can share one page."""
    view = _svg_view(drawing)
    hacks = {
        LATIN_FONT: {"family": LATIN_CSS_STACK},
        LATIN_BOLD_FONT: {"family": LATIN_CSS_STACK, "weight": "bold"},
    }
    for node in _strings(view):
        if node.fontName not in hacks:
            hacks[node.fontName] = {"family": CJK_CSS_STACK}
    svg = renderSVG.drawToString(view, fontHacks=hacks)
    svg = svg.replace("<title>...</title>", f"<title>{escape(title)}</title>" if title else "", 1)
    svg = re.sub(r"\s*<desc>\.\.\.</desc>", "", svg, count=1)
    if inline:
        svg = _PROLOGUE_RE.sub("", svg, count=1)
        suffix = hashlib.sha1(svg.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        svg = _ID_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}-{suffix}", svg)
        svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return svg


def _svg_view(node: Drawing | Group) -> Drawing | Group:
    """A shallow copy of the tree with every _MixedText replaced by its single String."""
    copy = Drawing(node.width, node.height) if isinstance(node, Drawing) else Group(transform=node.transform)
    for child in node.contents:
        if isinstance(child, _MixedText):
            copy.add(child.whole)
        elif isinstance(child, Group):
            copy.add(_svg_view(child))
        else:
            copy.add(child)
    return copy


def _strings(node: Drawing | Group) -> Iterator[String]:
    for child in node.contents:
        if isinstance(child, String):
            yield child
        elif isinstance(child, Group):
            yield from _strings(child)
