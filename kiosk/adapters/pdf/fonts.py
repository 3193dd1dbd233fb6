"""The embedded TrueType font (DejaVu Sans), so accented names print everywhere."""

from __future__ import annotations

import types
import zlib
from functools import lru_cache

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont, TTFontFace

from kiosk.paths import RESOURCES

FONT_DIR = RESOURCES / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans and Bold once (reportlab embeds a subset in each PDF)."""
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(subset_once(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(subset_once(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf"))))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                      boldItalic=BOLD)
    return REGULAR, BOLD


def subset_once(font: TTFont) -> TTFont:
    """``font``, made to build and compress each embedded subset once per process.

    reportlab cuts a fresh TrueType subset out of the font file for every document and
    compresses it again (~1 ms a font on this machine, the same bytes each time: the first
    subset of a font is always ASCII). Here the compressed subsets are kept (the last 64 of
    both fonts) and each document gets the same FontFile2 stream and descriptor reportlab
    would write."""
    font.face.addSubsetObjects = types.MethodType(  # type: ignore[method-assign]  # on purpose
        _add_subset_objects, font.face)
    return font


def _add_subset_objects(face: TTFontFace, doc, fontname: str, subset: list[int]):
    """reportlab's ``TTFontFace.addSubsetObjects`` with the font file stream remembered."""
    content, length = _subset_file(face, tuple(subset), bool(doc.compression))
    font_file = pdfdoc.PDFStream(content=content)
    font_file.dictionary["Length1"] = length
    if doc.compression:  # already compressed: reportlab applies no filter to it again
        font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({fontname})")
    descriptor = pdfdoc.PDFDictionary({
        "Type": "/FontDescriptor", "Ascent": face.ascent, "CapHeight": face.capHeight,
        "Descent": face.descent, "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
        "FontBBox": pdfdoc.PDFArray(face.bbox), "FontName": pdfdoc.PDFName(fontname),
        "ItalicAngle": face.italicAngle, "StemV": face.stemV, "FontFile2": file_ref,
        "MissingWidth": face.defaultWidth,
    })
    return doc.Reference(descriptor, "fontDescriptor:" + fontname)


@lru_cache(maxsize=64)
def _subset_file(face: TTFontFace, subset: tuple[int, ...], compress: bool) -> tuple[bytes, int]:
    data = face.makeSubset(list(subset))
    return (zlib.compress(data) if compress else data), len(data)


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
