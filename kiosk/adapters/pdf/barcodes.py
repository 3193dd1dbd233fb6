"""GS1 DataMatrix and GS1-128 drawn as vector modules from zxing-cpp's symbol matrix.

reportlab's own DataMatrix cannot carry FNC1, so zxing-cpp encodes (``gs1=True`` makes the
symbol start with FNC1: ``]d2`` / ``]C1`` when scanned) and we draw each dark module."""

from __future__ import annotations

import numpy as np
import zxingcpp
from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 10  # GS1-128 needs ten modules of white on each side


def _matrix(content: str, fmt: zxingcpp.BarcodeFormat) -> np.ndarray:
    symbol = zxingcpp.create_barcode(content, fmt, gs1=True)
    return np.asarray(symbol.to_image(scale=1, add_quiet_zones=False)) == 0


def datamatrix_modules(gs1_hri: str) -> np.ndarray:
    """True where a module is dark; ``gs1_hri`` is the bracketed element string."""
    return _matrix(gs1_hri, zxingcpp.BarcodeFormat.DataMatrix)


def gs1_128_bars(gs1_hri: str) -> np.ndarray:
    """One row of the GS1-128 symbol: True where a module is a bar."""
    return _matrix(gs1_hri, zxingcpp.BarcodeFormat.Code128)[0]


def draw_datamatrix(c: Canvas, gs1_hri: str, x: float, y: float, size: float) -> None:
    """A square DataMatrix of ``size`` points with its lower-left corner at (x, y)."""
    dark = datamatrix_modules(gs1_hri)
    rows, cols = dark.shape
    module = size / max(rows, cols)
    c.setFillGray(0)
    for r in range(rows):
        for col in np.flatnonzero(dark[r]):
            c.rect(x + col * module, y + (rows - 1 - r) * module, module, module,
                   stroke=0, fill=1)


def draw_gs1_128(c: Canvas, gs1_hri: str, x: float, y: float, *, width: float,
                 height: float) -> None:
    """A GS1-128 fitted to ``width`` points including its quiet zones."""
    bars = gs1_128_bars(gs1_hri)
    module = width / (len(bars) + 2 * QUIET_MODULES)
    c.setFillGray(0)
    start = None
    for i, bar in enumerate([*bars, False]):
        if bar and start is None:
            start = i
        elif not bar and start is not None:
            c.rect(x + (QUIET_MODULES + start) * module, y, (i - start) * module, height,
                   stroke=0, fill=1)
            start = None
