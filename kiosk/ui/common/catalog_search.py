"""Find an item by name (a barcode not in the catalog, a box without one); picking emits its SKU."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from kiosk.services import chairside
from kiosk.services.chairside import ItemHit
from kiosk.services.context import ServiceContext
from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import TOUCH, hbox, line_edit, message_label, named, touch_button, vbox
from kiosk.ui.common.workers import Task, Worker, sentence

ROLE = Qt.ItemDataRole.UserRole
TYPING_PAUSE_MS = 250


class CatalogSearch(Overlay):
    """Emits ``picked(sku)``. Searches run on the writer thread, a moment after typing stops."""

    picked = Signal(str)

    def __init__(self, ctx: ServiceContext, worker: Worker, parent: QWidget) -> None:
        super().__init__("catalogSearch", parent)
        self._ctx = ctx
        self._worker = worker
        self.heading = message_label("catalogHeading")
        self.query = line_edit("catalogQuery", "Type part of the name or SKU")
        self.query.setMinimumHeight(TOUCH)
        self.results = named(QListWidget(), "catalogResults")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button = touch_button("Cancel", "catalogCancelButton", TOUCH + 16)
        self.setLayout(vbox(self.heading, self.query, (self.results, 1),
                            hbox(1, self.cancel_button)))
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.timeout.connect(self.search)
        self.query.textEdited.connect(lambda _text: self._pause.start(TYPING_PAUSE_MS))
        self.results.itemClicked.connect(self.on_item)
        self.cancel_button.clicked.connect(self.close_overlay)

    def start(self, heading: str) -> None:
        self.heading.setText(heading)
        self.query.clear()
        self.results.clear()
        self.open()
        self.query.setFocus()

    def search(self) -> None:
        ctx, text = self._ctx, self.query.text()
        if not text.strip():
            self.results.clear()
            return
        Task(self._worker, lambda: chairside.search_items(ctx, text)).success(
            lambda hits: self.show_hits(text, hits)).failure(sentence(self.heading.setText)).run()

    def show_hits(self, text: str, hits: list[ItemHit]) -> None:
        if text != self.query.text():  # a later search is on its way
            return
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.sku} · {hit.name}")
            item.setData(ROLE, hit.sku)
            self.results.addItem(item)
        if not hits:
            self.results.addItem("No item matches; try fewer letters.")

    def on_item(self, item: QListWidgetItem) -> None:
        sku = item.data(ROLE)
        if sku:
            self.hide()
            self.picked.emit(sku)
            self.closed.emit()
