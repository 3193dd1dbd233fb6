"""PDF and ZPL documents: lot labels, cost sheets and manager reports (reportlab, zxing-cpp)."""

from kiosk.adapters.pdf.renderer import PdfRenderer

__all__ = ["PdfRenderer"]
