"""QR codes: the fast mask choice must pick exactly what ReportLab's encoder picks."""

from __future__ import annotations

import random
import string

import pytest
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.qr import QrCodeWidget

from reports.qr import QrCodePath, _lost_points, _make, qr_drawing


def urls(count: int, seed: int = 20250116):
    rnd = random.Random(seed)
    alphabet = string.ascii_uppercase + string.digits + "-"
    for _ in range(count):
        yield "https://esg.example.com/verify/" + "".join(
            rnd.choice(alphabet) for _ in range(rnd.randint(1, 90))
        )


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_same_symbol_as_reportlab(level):
    for url in urls(25):
        reference = QrCodeWidget(url, barLevel=level).qr
        reference.make()
        fast = QrCodeWidget(url, barLevel=level).qr
        _make(fast)
        assert fast.modules == reference.modules, url


def test_penalty_matches_reportlab_for_every_mask():
    for url in urls(10, seed=7):
        code = QrCodeWidget(url, barLevel="M").qr
        code.version = code.calculate_version()
        for mask in range(8):
            code.makeImpl(True, mask)
            assert _lost_points(code.modules) == qrencoder.QRUtil.getLostPoint(code)


def test_drawing_is_one_path_of_the_requested_size():
    drawing = qr_drawing("https://esg.example.com/verify/SC-7Q4M-2KD9", 80)
    assert (drawing.width, drawing.height) == (80, 80)
    widget = drawing.contents[0]
    assert isinstance(widget, QrCodePath)
    group = widget.draw()
    assert len(group.contents) == 1
    assert renderSVG.drawToString(drawing).count("<path") == 1
