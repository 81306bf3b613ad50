"""QR codes for verification links, from ReportLab's QrCodeWidget, made cheap enough to put
on every one of thousands of scorecards.

Two costs are cut, the picture is unchanged:

* Choosing the mask. The encoder builds the symbol with each of the eight masks and scores
  it (ISO/IEC 18004 penalty rules); its pure-Python scoring takes ~10 ms per code.
  :func:`_lost_points` computes the same score, quirks included, on bit strings in well
  under a millisecond, so the same mask is chosen (a test pins this).
* Drawing. The widget adds a rectangle per dark run, hundreds of shapes. :func:`qr_drawing`
  (for SVG and Drawings) puts all runs into one path; :func:`draw_qr` and :class:`QrFlowable`
  (for PDFs) go further and write the runs as ``re`` operators in module units under one
  scaling matrix, so no coordinate is ever formatted as a float.
"""

from __future__ import annotations

import itertools
import re

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import FILL_NON_ZERO, Drawing, Group, Path
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

_RUN5 = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = "10111010000"
_BITS = bytes.maketrans(b"\x00\x01", b"01")


def _lost_points(modules: list[list[bool]]) -> int:
    """The mask penalty exactly as reportlab's QRUtil.getLostPoint computes it."""
    rows = [bytes(map(bool, row)).translate(_BITS).decode("ascii") for row in modules]
    cols = ["".join(col) for col in zip(*rows, strict=True)]
    n = len(rows)
    score = 0
    # Rule 1: a run of five or more same-coloured modules costs its length - 2.
    for line in itertools.chain(rows, cols):
        for match in _RUN5.finditer(line):
            score += match.end() - match.start() - 2
    # Rule 2: each 2x2 block of one colour costs 3.
    full = (1 << n) - 1
    ints = [int(row, 2) for row in rows]
    for upper, lower in itertools.pairwise(ints):
        dark = upper & lower
        light = ~(upper | lower) & full
        score += 3 * ((dark & (dark >> 1)).bit_count() + (light & (light >> 1) & (full >> 1)).bit_count())
    # Rule 3: a finder-like pattern costs 40 (rows only, scanned as reportlab does).
    limit = n - len(_FINDER_LIKE)
    for row in rows:
        j = row.find(_FINDER_LIKE)
        while 0 <= j < limit:
            score += 40
            j = row.find(_FINDER_LIKE, j + len(_FINDER_LIKE))
    # Rule 4: 10 per 5 % the dark share strays from one half.
    dark_count = sum(row.count("1") for row in rows)
    score += 10 * (abs(100 * dark_count // (n * n) - 50) // 5)
    return score


def _make(code: qrencoder.QRCode) -> None:
    """code.make(), with the fast mask scoring."""
    if code.version is None:
        code.version = code.calculate_version()
    best, best_points = 0, None
    for mask in range(8):
        code.makeImpl(True, mask)
        points = _lost_points(code.modules)
        if best_points is None or points < best_points:
            best, best_points = mask, points
    code.makeImpl(False, best)


class QrCodePath(QrCodeWidget):
    """QrCodeWidget drawn as one path of dark runs; the same symbol, far less work."""

    def draw(self) -> Group:
        """The symbol as a Group holding a single filled Path."""
        _make(self.qr)
        count = self.qr.getModuleCount()
        border = self.barBorder
        box = float(min(self.barWidth, self.barHeight)) / (count + 2 * border)
        path = Path(fillColor=self.barFillColor, strokeColor=None, fillMode=FILL_NON_ZERO)
        top = self.y + self.barHeight
        for r, row in enumerate(self.qr.modules):
            y = top - (r + border + 1) * box
            c = 0
            for dark, run in itertools.groupby(row, bool):
                n = sum(1 for _ in run)
                if dark:
                    x = self.x + (c + border) * box
                    path.moveTo(x, y)
                    path.lineTo(x + n * box, y)
                    path.lineTo(x + n * box, y + box)
                    path.lineTo(x, y + box)
                    path.closePath()
                c += n
        return Group(path)


def qr_drawing(value: str, size: float = 72, *, level: str = "M", border: int = 2) -> Drawing:
    """A QR code for value, size points square. Error correction M (15 %) survives a crease
    or a stamp; the 2-module quiet zone plus the page margin keeps it scannable."""
    widget = QrCodePath(value, barLevel=level, barBorder=border)
    widget.barWidth = widget.barHeight = size
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


def dark_runs(value: str, *, level: str = "M") -> tuple[int, list[tuple[int, int, int]]]:
    """Encode value with the QrCodeWidget's encoder: (modules per side, [(row, col, length)])."""
    code = QrCodeWidget(value, barLevel=level).qr
    _make(code)
    runs = []
    for r, row in enumerate(code.modules):
        c = 0
        for dark, run in itertools.groupby(row, bool):
            n = sum(1 for _ in run)
            if dark:
                runs.append((r, c, n))
            c += n
    return code.getModuleCount(), runs


def draw_qr(
    canvas: Canvas, x: float, y: float, size: float, value: str, *, level: str = "M", border: int = 2
) -> None:
    """Draw the QR code of value on a PDF canvas, size points square, lower-left at (x, y)."""
    count, runs = dark_runs(value, level=level)
    top = count - 1 + border
    ops = " ".join(f"{c + border} {top - r} {n} 1 re" for r, c, n in runs)
    canvas.saveState()
    canvas.translate(x, y)
    box = size / (count + 2 * border)
    canvas.scale(box, box)
    canvas.setFillColor(colors.black)
    # Raw operators: integers in module units, one fill for the whole symbol.
    canvas._code.append(f"{ops} f")
    canvas.restoreState()


class QrFlowable(Flowable):
    """A QR code as a platypus flowable (the fast PDF path of :func:`draw_qr`)."""

    def __init__(self, value: str, size: float = 72, *, level: str = "M", border: int = 2) -> None:
        super().__init__()
        self.value, self.size, self.level, self.border = value, size, level, border
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, 0, 0, self.size, self.value, level=self.level, border=self.border)
