"""Lot labels as ZPL II for Zebra printers (203 dpi): GS1 DataMatrix (^BX, FNC1 as _1),
GS1-128 (^BC mode D, which adds the FNC1s from the bracketed element string) and text
in the printer's scalable font with UTF-8 (^CI28)."""

from __future__ import annotations

from kiosk.domain.errors import ValidationError
from kiosk.services.labels import LabelData

DPI = 203
SIZES = {"2x1": (2, 1), "4x2": (4, 2)}


def _field(text: str) -> str:
    """ZPL field data: ^ and ~ are commands, so they are dropped from free text."""
    return text.replace("^", " ").replace("~", " ")


def render_zpl(labels: list[LabelData], size: str = "2x1") -> str:
    if size not in SIZES:
        raise ValidationError("ZPL labels come in 2x1 and 4x2; Avery sheets are PDF only.")
    w_in, h_in = SIZES[size]
    width, height = w_in * DPI, h_in * DPI
    scale = h_in  # 2x1 → 1, 4x2 → 2
    return "".join(_one(label, width, height, scale) for label in labels)


def _one(label: LabelData, width: int, height: int, scale: int) -> str:
    dm_module = 3 * scale
    font = 18 * scale
    text_x = 8 + 24 * dm_module
    exp = f"{label.expiry:%Y-%m-%d}" if label.expiry else "—"
    lines = [label.item_name, f"GTIN {label.gtin}", f"LOT {label.lot}", f"EXP {exp}",
             "Rcvd " + (f"{label.received:%Y-%m-%d}" if label.received else "—"),
             label.vendor or ""]
    out = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0",
           f"^FO8,8^BXN,{dm_module},200,,,,_^FD_1{label.gs1_plain}^FS"]
    for i, line in enumerate(lines):
        out.append(f"^FO{text_x},{8 + i * (font + 2)}^A0N,{font},{font}"
                   f"^FB{width - text_x - 8},1,0,L^FD{_field(line)}^FS")
    bar_h = int(height * 0.22)
    out.append(f"^FO8,{height - bar_h - 8}^BY{scale}^BCN,{bar_h},N,N,N,D^FD{label.gs1_hri}^FS")
    out.append("^XZ\n")
    return "\n".join(out)
