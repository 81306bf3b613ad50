"""A signed pledge (廉洁承诺书, 反商业贿赂承诺书, 供应商行为准则 ...) as a PDF record: the text as
signed, in Chinese and/or English, and the signing evidence — signatory, time, IP address and
the SHA-256 digest of the signed text, which anyone can recompute to show the text is unchanged.

The renderer prints the digest it is given; it does not recompute it, because only the
signing service knows exactly which bytes were signed (see :func:`text_sha256`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from .data import SignedPledgeData
from .fonts import register_cjk_font
from .layout import (
    ACCENT,
    MUTED,
    RULE,
    HRule,
    Languages,
    Styles,
    bi,
    build_pdf,
    check_languages,
    fmt_datetime,
    grid_table,
    ruled_footer,
    section_heading,
    styles,
)
from .qr import QrFlowable

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def text_sha256(text: str) -> str:
    """The hex SHA-256 of text as UTF-8 (the digest a signing service would store)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render_signed_pledge(
    data: SignedPledgeData,
    languages: Sequence[str] = ("zh", "en"),
    *,
    font_path: str | None = None,
) -> bytes:
    """Render a signed pledge with its signing record as PDF bytes (A4).

    languages selects which texts and labels are shown; a language whose text is empty is
    skipped for the text but still used for the labels."""
    langs = check_languages(languages)
    cjk = register_cjk_font(font_path).name
    st = styles(cjk, 9)
    text_style = ParagraphStyle(
        "pledge_text", parent=st.body, fontSize=10.5, leading=18, firstLineIndent=0, spaceAfter=6
    )

    title_main = data.kind_zh if langs[0] == "zh" else data.kind_en
    title_sub = (data.kind_en if langs[0] == "zh" else data.kind_zh) if len(langs) == 2 else ""
    story: list[Flowable] = [st.p(title_main or title_sub, st.h1)]
    if title_sub and title_main:
        story.append(st.p(title_sub, st.h1_sub))
    story += [Spacer(1, 6), _parties(data, langs, st), Spacer(1, 8), HRule(ACCENT, 0.8), Spacer(1, 6)]

    for lang in langs:
        text = data.text_zh if lang == "zh" else data.text_en
        if not text:
            continue
        if len(langs) == 2:
            story.append(section_heading("中文文本" if lang == "zh" else "English text", st))
        for para in text.split("\n\n"):
            story.append(st.p(para.strip(), text_style))
        story.append(Spacer(1, 6))

    story.append(KeepTogether(_signature(data, langs, st)))

    title = f"{bi(data.kind_zh, data.kind_en, langs)} - {data.supplier_name_zh}"
    generated = f"{bi('生成时间', 'Generated', langs)}: {fmt_datetime(data.generated_at)}"
    code = (
        f"{bi('核验码', 'Verification code', langs)}: {data.verification_code}"
        if data.verification_code
        else ""
    )

    footer = ruled_footer(f"{generated}    {code}".strip(), cjk, langs, page_width=PAGE_WIDTH, margin=MARGIN,
                          rule_y=13 * mm, text_y=9 * mm, size=7)
    return build_pdf(
        story,
        pagesize=A4,
        footer=footer,
        title=title,
        subject=data.text_sha256,
        author=data.supplier_name_en or data.supplier_name_zh,
        created_at=data.generated_at,
        margins=(MARGIN, MARGIN, 20 * mm, 20 * mm),
    )


def _parties(data: SignedPledgeData, langs: Languages, s: Styles) -> Table:
    names = "\n".join(n for n in (data.supplier_name_zh, data.supplier_name_en) if n)
    uscc = data.credit_code or bi("无（境外供应商）", "n/a (overseas supplier)", langs)
    rows = [
        [bi("承诺方", "Pledging party", langs, "\n"), s.p(names, s.body)],
        [bi("统一社会信用代码", "USCC", langs, "\n"), uscc],
    ]
    return _labelled_rows(rows, 90, CONTENT_WIDTH, s, [("FONTNAME", (1, 1), (1, 1), "Helvetica-Bold")])


def _labelled_rows(rows: list[list], label_width: float, width: float, s: Styles, extra: list[tuple]) -> Table:
    """A table of label and value rows: the labels muted on the left, a thin rule above."""
    return grid_table(
        rows,
        [label_width, width - label_width],
        s.cjk,
        header=False,
        font_size=9,
        extra=[
            ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
            ("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE),
            *extra,
        ],
    )


def _signature(data: SignedPledgeData, langs: Languages, s: Styles) -> list[Flowable]:
    digest = data.text_sha256
    rows = [
        [bi("签署人", "Signed by", langs, "\n"), data.signatory_name],
        [bi("职务", "Title", langs, "\n"), data.signatory_title],
        [bi("签署时间", "Signed at", langs, "\n"), fmt_datetime(data.signed_at)],
        [bi("签署IP地址", "IP address", langs, "\n"), data.ip_address],
        [bi("文本SHA-256摘要", "SHA-256 of the signed text", langs, "\n"), f"{digest[:32]}\n{digest[32:]}"],
    ]
    qr_size = 78
    table_w = CONTENT_WIDTH - (qr_size + 16 if data.verification_url else 0)
    table = _labelled_rows(rows, 118, table_w, s, [("FONTNAME", (1, 4), (1, 4), "Courier"),
                                                   ("FONTSIZE", (1, 4), (1, 4), 8.5)])
    note = bi(
        "本记录由系统根据电子签署日志生成。"
        "SHA-256 摘要为签署时文本（UTF-8）的摘要，重新计算即可核验文本未被修改。",
        "Generated from the electronic signing log. The SHA-256 digest was taken of the signed text (UTF-8) "
        "when it was signed; recomputing it shows the text is unchanged.",
        langs,
        "\n",
    )
    block: Flowable = table
    if data.verification_url:
        qr_cell = [QrFlowable(data.verification_url, qr_size), s.p(data.verification_code, s.centre)]
        block = Table([[table, qr_cell]], colWidths=[table_w + 16, qr_size])
        block.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
    return [
        section_heading(bi("签署记录", "Signing record", langs), s),
        block,
        Spacer(1, 6),
        s.p(note, s.muted),
    ]
