"""The "RECALLED — do not use" over-label as PDF, on the lot labels' sizes: a black band with
the headline in white, then the recall number, item, SKU, lot and expiry, inside a heavy
border so it reads as a warning from across the store room. reportlab's public API only."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kiosk.adapters.pdf.fonts import fit, register_fonts
from kiosk.adapters.pdf.labels import render_sheet
from kiosk.domain.errors import ValidationError
from kiosk.services.recall_labels import RecalledLabel


def render_recalled_labels(labels: list[RecalledLabel], size: str = "2x1",
                           start: int = 1) -> bytes:
    """One PDF of over-labels; ``start`` (Avery only) skips the used cells of the first sheet."""
    return render_sheet(labels, size, start, "RECALLED over-labels", draw_recalled_label)


def draw_recalled_label(c: Canvas, label: RecalledLabel, x: float, y: float, *, w: float,
                        h: float) -> None:
    regular, bold = register_fonts()
    s = h / 72
    pad = 3 * s
    c.setLineWidth(2.5 * s)
    c.rect(x + pad / 2, y + pad / 2, w - pad, h - pad, stroke=1, fill=0)
    band = 0.3 * h
    c.setFillGray(0)
    c.rect(x + pad / 2, y + h - pad / 2 - band, w - pad, band, stroke=0, fill=1)
    # the headline is never cut: it shrinks to the label's width instead
    headline = min(11 * s, (w - 3 * pad) / stringWidth(label.headline, bold, 1))
    c.setFillGray(1)
    c.setFont(bold, headline)
    c.drawCentredString(x + w / 2, y + h - pad / 2 - band / 2 - headline / 3, label.headline)
    c.setFillGray(0)
    size = 6.2 * s
    lines = [(bold, f"Recall {label.recall_number}"), (regular, label.item_name),
             (bold, f"SKU {label.sku}"),
             (bold, f"LOT {label.lot}" + (f"   EXP {label.expiry:%Y-%m-%d}"
                                          if label.expiry else ""))]
    top = y + h - pad - band - size - pad
    step = (h - band - 3 * pad) / len(lines)
    for i, (font, text) in enumerate(lines):
        c.setFont(font, size)
        c.drawString(x + 2 * pad, top - i * step, fit(text, font, size, w - 4 * pad))


def render_recalled_zpl(labels: list[RecalledLabel], size: str = "2x1") -> str:
    """The over-labels as ZPL II (203 dpi): a reversed headline bar and the text lines."""
    sizes = {"2x1": (2, 1), "4x2": (4, 2)}
    if size not in sizes:
        raise ValidationError("ZPL labels come in 2x1 and 4x2; Avery sheets are PDF only.")
    w_in, h_in = sizes[size]
    width, height, scale = w_in * 203, h_in * 203, h_in
    return "".join(_zpl_one(label, width, height, scale) for label in labels)


def _zpl_one(label: RecalledLabel, width: int, height: int, scale: int) -> str:
    def text(value: str) -> str:
        return value.replace("^", " ").replace("~", " ")

    band, font = 56 * scale, 20 * scale
    out = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0",
           f"^FO4,4^GB{width - 8},{height - 8},{4 * scale}^FS",
           f"^FO4,4^GB{width - 8},{band},{band}^FS",
           f"^FO4,{4 + band // 4}^A0N,{band // 2},{band // 2}^FR"
           f"^FB{width - 8},1,0,C^FD{text(label.headline)}^FS"]
    exp = f"   EXP {label.expiry:%Y-%m-%d}" if label.expiry else ""
    lines = [f"Recall {label.recall_number}", label.item_name, f"SKU {label.sku}",
             f"LOT {label.lot}{exp}"]
    for i, line in enumerate(lines):
        out.append(f"^FO16,{band + 12 + i * (font + 4)}^A0N,{font},{font}"
                   f"^FB{width - 32},1,0,L^FD{text(line)}^FS")
    out.append("^XZ\n")
    return "\n".join(out)
