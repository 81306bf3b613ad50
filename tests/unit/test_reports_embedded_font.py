"""Every PDF embeds a subset of the CJK font installed with the app, so its Chinese renders in a viewer
that has no CJK font at all (issue 13, build 7)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from reports import render_scorecard
from reports.certificate import render_supplier_certificate
from reports.disclosure import render_disclosure_pdf
from reports.fonts import packaged_font, register_cjk_font
from reports.pledge import render_signed_pledge
from reports.samples import (
    sample_certificate_data,
    sample_disclosure_data,
    sample_scorecard_data,
    sample_signed_pledge_data,
)

RENDERERS = {
    "scorecard": lambda: render_scorecard(sample_scorecard_data(), ("zh", "en")),
    "certificate": lambda: render_supplier_certificate(sample_certificate_data()),
    "disclosure": lambda: render_disclosure_pdf(sample_disclosure_data(), ("zh", "en")),
    "pledge": lambda: render_signed_pledge(sample_signed_pledge_data(), ("zh", "en")),
}


def _fonts(pdf: bytes) -> dict[str, bool]:
    """BaseFont name → whether its glyphs are embedded, for every font of every page."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def test_the_font_ships_with_the_install_and_is_the_default():
    shipped = packaged_font()
    assert shipped is not None, "reports/font_files/NotoSansSC-Regular.ttf is package data: it must be installed"
    choice = register_cjk_font()
    assert choice.embedded and choice.path == shipped[0]


@pytest.mark.parametrize("kind", sorted(RENDERERS))
def test_every_pdf_embeds_a_subset_of_the_cjk_font(kind):
    fonts = _fonts(RENDERERS[kind]())
    cjk = {name: embedded for name, embedded in fonts.items() if "NotoSansSC" in name}
    assert cjk, fonts
    assert all(cjk.values()), cjk
    # A subset: "ABCDEF+NotoSansSC-…" carries only the glyphs used.
    assert all("+" in name for name in cjk)
    assert "/STSong-Light" not in fonts


def test_a_scorecard_stays_small():
    assert len(RENDERERS["scorecard"]()) < 200_000


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_chinese_renders_without_any_system_cjk_font(tmp_path):
    """pdftoppm with a fontconfig that knows no font at all still draws the Chinese glyphs."""
    from reportlab.pdfgen.canvas import Canvas

    cjk = register_cjk_font().name
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(200, 100))
    canvas.setFont(cjk, 60)
    canvas.drawString(10, 25, "供应")
    canvas.save()
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<cachedir>{tmp_path}/cache</cachedir></fontconfig>")
    pdf = tmp_path / "cjk.pdf"
    pdf.write_bytes(buf.getvalue())
    env = {"FONTCONFIG_FILE": str(tmp_path / "fonts.conf"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run(["pdftoppm", "-r", "72", "-gray", str(pdf), str(tmp_path / "page")], check=True, env=env,
                   capture_output=True)
    image = next(tmp_path.glob("page*.pgm")).read_bytes()
    # P5 header: magic, width, height, maxval, then one byte per pixel.
    parts = image.split(maxsplit=4)
    width, height, pixels = int(parts[1]), int(parts[2]), parts[4]
    assert len(pixels) == width * height
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 500, f"only {dark} dark pixels: the glyphs did not render"
