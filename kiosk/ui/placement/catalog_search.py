"""The catalog search by name lives in kiosk.ui.common (Receive uses it too)."""

from kiosk.ui.common.catalog_search import CatalogSearch

__all__ = ["CatalogSearch"]
