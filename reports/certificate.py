"""The annual supplier certificate: 年度合格供应商证书 (Qualified Supplier) or 年度优秀供应商证书
(Excellent Supplier), bilingual, landscape A4 with a border, a QR code to verify it online.

Drawn straight on the canvas: a certificate is a fixed composition, not flowing text.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, time

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .data import CertificateData
from .fonts import LATIN_FONT, register_cjk_font
from .layout import DASH, INK, MUTED, draw_text, fmt_date, set_creation_date, text_width
from .qr import draw_qr

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

#: Per kind: title (zh, en), body sentence (zh, en) with {year}, frame colour.
KINDS = {
    "excellent": (
        ("年度优秀供应商证书", "Excellent Supplier Certificate"),
        (
            "在 {year} 年度供应商评价中表现优秀，特授予“年度优秀供应商”称号。",
            "has been rated an Excellent Supplier in the {year} annual supplier evaluation.",
        ),
        colors.HexColor("#9a7b2f"),
    ),
    "qualified": (
        ("年度合格供应商证书", "Qualified Supplier Certificate"),
        (
            "经 {year} 年度供应商评价，符合合格供应商要求，特发此证。",
            "has met the requirements of a Qualified Supplier in the {year} annual supplier evaluation.",
        ),
        colors.HexColor("#2f5d8a"),
    ),
}


def render_supplier_certificate(data: CertificateData, *, font_path: str | None = None) -> bytes:
    """Render the bilingual annual Qualified/Excellent Supplier certificate as PDF bytes."""
    cjk = register_cjk_font(font_path).name
    (title_zh, title_en), (body_zh, body_en), frame_colour = KINDS[data.kind]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, initialFontName=LATIN_FONT)
    set_creation_date(c, datetime.combine(data.issued_on, time(0, 0), tzinfo=UTC))
    c.setTitle(f"{data.year} {title_zh} {title_en} - {data.supplier_name_zh}")
    c.setAuthor(data.issuer_en or data.issuer_zh)
    c.setSubject(data.certificate_number)
    c.setCreator("supplychain-esg reports")

    _border(c, frame_colour)
    centre = PAGE_WIDTH / 2
    usable = PAGE_WIDTH - 2 * 40 * mm

    y = PAGE_HEIGHT - 33 * mm
    draw_text(c, centre, y, data.issuer_zh, cjk, 13, anchor="centre", colour=MUTED)
    if data.issuer_en:
        y -= 15
        draw_text(c, centre, y, data.issuer_en, cjk, 9.5, anchor="centre", colour=MUTED)

    y -= 46
    draw_text(c, centre, y, f"{data.year} {title_zh}", cjk, 32, anchor="centre", colour=frame_colour)
    y -= 26
    draw_text(
        c,
        centre,
        y,
        f"{title_en} {data.year}".upper(),
        cjk,
        13,
        anchor="centre",
        bold=True,
        colour=frame_colour,
    )

    y -= 52
    draw_text(c, centre, y, "兹证明 / This is to certify that", cjk, 11, anchor="centre", colour=MUTED)
    y -= 38
    size = _fit_size(data.supplier_name_zh, cjk, usable, 26, 14)
    draw_text(c, centre, y, data.supplier_name_zh, cjk, size, anchor="centre", colour=INK)
    c.setStrokeColor(frame_colour)
    c.setLineWidth(0.6)
    half = min(usable, max(text_width(data.supplier_name_zh, cjk, size) + 60, usable * 0.6)) / 2
    c.line(centre - half, y - 8, centre + half, y - 8)
    if data.supplier_name_en:
        y -= 26
        size = _fit_size(data.supplier_name_en, cjk, usable, 14, 9)
        draw_text(c, centre, y, data.supplier_name_en, cjk, size, anchor="centre", colour=INK)
    y -= 20
    uscc = data.credit_code or "—（境外供应商 / overseas supplier）"
    draw_text(c, centre, y, f"统一社会信用代码 / USCC: {uscc}", cjk, 10, anchor="centre", colour=MUTED)

    y -= 40
    sentence_zh = body_zh.format(year=data.year)
    draw_text(c, centre, y, sentence_zh, cjk, _fit_size(sentence_zh, cjk, usable, 14, 9), anchor="centre")
    y -= 20
    sentence_en = body_en.format(year=data.year)
    draw_text(
        c,
        centre,
        y,
        sentence_en,
        cjk,
        _fit_size(sentence_en, cjk, usable, 11, 8),
        anchor="centre",
        colour=MUTED,
    )

    _footer_block(c, data, cjk, frame_colour)
    c.showPage()
    c.save()
    return buf.getvalue()


def _fit_size(text: str, cjk: str, width: float, size: float, minimum: float) -> float:
    """The largest font size up to size (not below minimum) at which text fits width."""
    natural = text_width(text, cjk, size)
    if natural <= width:
        return size
    return max(minimum, size * width / natural)


def _border(c: Canvas, colour: colors.Color) -> None:
    outer, inner = 10 * mm, 13 * mm
    c.setStrokeColor(colour)
    c.setLineWidth(3)
    c.rect(outer, outer, PAGE_WIDTH - 2 * outer, PAGE_HEIGHT - 2 * outer)
    c.setLineWidth(0.8)
    c.rect(inner, inner, PAGE_WIDTH - 2 * inner, PAGE_HEIGHT - 2 * inner)
    # Corner marks inside the inner frame.
    c.setLineWidth(1.5)
    arm = 14 * mm
    m = inner + 3 * mm
    for x, y, dx, dy in (
        (m, m, 1, 1),
        (PAGE_WIDTH - m, m, -1, 1),
        (m, PAGE_HEIGHT - m, 1, -1),
        (PAGE_WIDTH - m, PAGE_HEIGHT - m, -1, -1),
    ):
        c.line(x, y, x + dx * arm, y)
        c.line(x, y, x, y + dy * arm)


def _footer_block(c: Canvas, data: CertificateData, cjk: str, colour: colors.Color) -> None:
    left = 32 * mm
    base = 30 * mm
    lines = [
        ("证书编号 / Certificate No.", data.certificate_number),
        ("发证日期 / Issued on", fmt_date(data.issued_on)),
        ("有效期至 / Valid until", fmt_date(data.valid_until) if data.valid_until else DASH),
    ]
    y = base + 2 * 15
    for label, value in lines:
        draw_text(c, left, y, label, cjk, 8.5, colour=MUTED)
        draw_text(c, left + 120, y, value, cjk, 9.5, colour=INK)
        y -= 15

    # Issuer and seal area, centre-right.
    x = PAGE_WIDTH / 2 + 70
    draw_text(c, x, base + 30, "发证单位 / Issued by", cjk, 8.5, anchor="centre", colour=MUTED)
    draw_text(c, x, base + 14, data.issuer_zh, cjk, 11, anchor="centre", colour=INK)
    if data.issuer_en:
        size = _fit_size(data.issuer_en, cjk, 220, 8, 6)
        draw_text(c, x, base + 2, data.issuer_en, cjk, size, anchor="centre", colour=MUTED)
    c.setStrokeColor(colors.HexColor("#c8ced6"))
    c.setLineWidth(0.5)
    c.line(x - 110, base + 42, x + 110, base + 42)

    # QR code and short code, right.
    size = 66
    qx = PAGE_WIDTH - 32 * mm - size
    draw_qr(c, qx, base - 4, size, data.verification_url)
    draw_text(c, qx + size / 2, base - 13, data.verification_code, cjk, 8, anchor="centre", colour=INK)
    draw_text(
        c, qx + size / 2, base - 23, "扫码核验 / Scan to verify", cjk, 6.5, anchor="centre", colour=MUTED
    )
