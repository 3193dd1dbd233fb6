"""Receive stock: scan a vendor's box, confirm lot, expiry, quantity, vendor and unit cost,
save, and print its lot labels, box after box.

Scanning the next box saves the box showing when its form is valid (no extra tap); when it is
not, the new scan waits in a queue (shown on screen) until this box is fixed and saved or
discarded, so no scanned box is lost. While a save runs, scans queue too, and a saved box
leaves the form at once, so nothing is saved twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QLabel

from kiosk.domain.barcodes import parse_scan
from kiosk.domain.errors import KioskError
from kiosk.domain.model import Adjustment
from kiosk.services.receipts import (
    BoxEntry,
    ReceiptDraft,
    check_entry,
    draft_for_item,
    draft_from_scan,
)
from kiosk.services.receipts import receive_box as receive
from kiosk.ui.back_office.receive.receive_form import ReceiveForm
from kiosk.ui.back_office.receive.receive_labels import LabelSpooler, labels_word
from kiosk.ui.back_office.section import Section
from kiosk.ui.common.catalog_search import CatalogSearch
from kiosk.ui.common.widgets import (
    TOUCH,
    hbox,
    line_edit,
    message_label,
    named,
    set_tone,
    touch_button,
    vbox,
)

READY = "Scan the vendor's barcode on the box."


@dataclass(frozen=True)
class Saved:
    receipt: Adjustment
    sku: str
    copies: int
    labels: Path | None  # the label PDF, when labels were asked for and could be made
    label_problem: str  # why no labels were made, else ""


class ReceiveScreen(Section):
    def __init__(self, kiosk, worker, parent=None) -> None:
        super().__init__(kiosk, worker, "receiveSection", parent)
        self.busy = False
        self.queue: list[str] = []
        self.scan_field = line_edit("receiveScanField", "Scan (or type) the box's GS1 or "
                                                        "HIBCC barcode, then Enter")
        self.scan_field.setMinimumHeight(TOUCH + 8)
        self.search_button = touch_button("Search the item by name", "receiveSearchButton")
        self.search = CatalogSearch(self.ctx, self.worker, self)
        self.form = ReceiveForm(self)
        self.save_button = touch_button("Save and print labels", "receiveSaveButton")
        self.discard_button = touch_button("Discard this box", "receiveDiscardButton")
        self.waiting = named(QLabel(""), "receiveWaiting")
        self.last = message_label("receiveLast")
        self.spooler = LabelSpooler(kiosk, self.worker, self)
        self.setLayout(vbox(hbox((self.scan_field, 1), self.search_button), self.message,
                            (self.form, 1),
                            hbox(self.waiting, 1, self.discard_button, self.save_button),
                            self.last))
        self.scan_field.returnPressed.connect(self.on_scan_field)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.spooler.said.connect(self._on_printed)
        self.search_button.clicked.connect(self.on_search)
        self.search.picked.connect(self.on_picked)
        self.search.closed.connect(self.scan_field.setFocus)
        self._last_text = ""
        self._update()

    # lifecycle --------------------------------------------------------------------------------
    def on_start(self) -> None:
        self.spooler.closed = False
        if self.form.draft is None and not self.busy:
            self.say("", READY)
        self.scan_field.setFocus()

    def on_stop(self) -> None:
        self.search.hide()
        self.queue.clear()
        self.form.reset()
        self.scan_field.clear()
        set_tone(self.last, "", "")
        self._last_text = ""
        self.spooler.closed = True
        self.say("", "")
        self._update()

    # scanning ---------------------------------------------------------------------------------
    def on_scan_field(self) -> None:
        raw = self.scan_field.text().strip()
        self.scan_field.clear()
        if raw:
            self.on_scanned(raw)

    def on_scanned(self, text: str) -> None:
        raw = text.strip()
        if raw and self.staff is not None:
            self._take(raw, queued=False)

    def _take(self, raw: str, *, queued: bool) -> None:
        """One scan, fresh (``queued`` False: it goes behind any waiting ones) or the first
        waiting one (put back in front when it must wait again)."""
        if self.busy:
            self._wait(raw, queued)
            return
        scan = parse_scan(raw)
        if scan.is_lot_label:
            self._lot_label(scan)
            return
        if self.form.draft is not None:
            problem = self.problem()
            self._wait(raw, queued)
            if problem:
                self.say("error", f"This box is not saved yet: {problem} Fix it and tap Save, "
                                  "or discard it; the box you scanned is waiting.")
            else:
                self.save()
            return
        self._load(raw)

    # by name ----------------------------------------------------------------------------------
    def on_search(self) -> None:
        if self.busy or self.form.draft is not None:
            self.say("error", "Save or discard the box showing first, then search by name.")
            return
        self.search.start("Type part of the item's name or SKU, then tap the item; type its "
                          "lot and expiry from the box.")

    def on_picked(self, sku: str) -> None:
        if self.busy or self.form.draft is not None or self.staff is None:
            return
        self.busy = True
        self._update()
        self.say("", f"Opening {sku}…")
        ctx, actor = self.ctx, self.actor
        self.run(lambda: draft_for_item(ctx, actor, sku), self._on_loaded, self._on_not_loaded)

    def _lot_label(self, scan) -> None:
        draft = self.form.draft
        if draft is None:
            self.say("error", "That is a lot label; scan the product barcode first.")
        elif self.form.lot_field.text().strip():
            self.say("error", f"This box already has lot {self.form.lot_field.text().strip()}; "
                              "scan the next box's product barcode.")
        else:
            self.form.fill_lot(scan.lot, scan.expiry)
            self.say("", f"Lot {scan.lot or ''} filled in; check the quantity, then scan the "
                         "next box or tap Save.")

    def _wait(self, raw: str, front: bool = False) -> None:
        if front:
            self.queue.insert(0, raw)
        else:
            self.queue.append(raw)
        self._update()

    def _load(self, raw: str) -> None:
        self.busy = True
        self._update()
        self.say("", "Looking up the barcode…")
        ctx, actor = self.ctx, self.actor
        self.run(lambda: draft_from_scan(ctx, actor, raw), self._on_loaded, self._on_not_loaded)

    def _on_loaded(self, draft: ReceiptDraft) -> None:
        self.busy = False
        if self.staff is None:
            return
        self.form.show_draft(draft)
        todo = "type the lot number or scan the lot label" if not draft.lot else (
            "check the lot and expiry")
        self.say("", f"{draft.sku}: {todo}, enter the quantity, vendor and cost; then scan "
                     "the next box or tap Save.")
        self._update()
        self._next()

    def _on_not_loaded(self, sentence: str) -> None:
        self.busy = False
        self.say("error", f"{sentence} Nothing was saved." if self.staff else sentence)
        self._update()
        self._next()

    def _next(self) -> None:
        """Take the first waiting scan, if any (in the order they were scanned)."""
        if self.queue and not self.busy and self.staff is not None:
            self._take(self.queue.pop(0), queued=True)
            self._update()

    # saving -----------------------------------------------------------------------------------
    def problem(self) -> str | None:
        """Why the box showing cannot be saved as it is, or None."""
        draft = self.form.draft
        if draft is None:
            return "Scan a box first."
        copies = self.form.label_copies()
        if isinstance(copies, str):
            return copies
        try:
            check_entry(self.ctx, draft, self.form.entry())
        except KioskError as error:
            return str(error)
        return None

    def save(self) -> None:
        draft = self.form.draft
        if self.busy or draft is None or self.staff is None:
            return
        problem = self.problem()
        if problem:
            self.say("error", problem)
            return
        entry, copies = self.form.entry(), self.form.label_copies()
        if isinstance(copies, str):  # problem() has said so already
            return
        self.busy = True
        self._update()
        self.say("", f"Saving {draft.sku}…")
        kiosk, actor = self.kiosk, self.actor
        self.run(lambda: _save(kiosk, actor, draft, entry, copies), self._on_saved,
                 self._on_not_saved, changes=True)

    def _on_saved(self, saved: Saved) -> None:
        self.busy = False
        self.form.clear()
        receipt = saved.receipt
        text = (f"Received {receipt.quantity_delta} × {saved.sku}, lot {receipt.lot_number}.")
        if saved.labels is not None:
            text += f" Printing {labels_word(saved.copies)}…"
            self.spooler.send(saved.labels, saved.copies)
        elif saved.label_problem:
            text += f" No labels: {saved.label_problem}"
        self._last_text = text
        set_tone(self.last, "warn" if saved.label_problem else "ok", text)
        self.say("ok", f"Saved {saved.sku}. {READY}")
        self._update()
        self._next()

    def _on_not_saved(self, sentence: str) -> None:
        self.busy = False
        waiting = " The box you scanned next is waiting." if self.queue else ""
        self.say("error", f"{sentence} Nothing was saved.{waiting}")
        self._update()

    def _on_printed(self, tone: str, text: str) -> None:
        base = self._last_text.split(" Printing ")[0]
        set_tone(self.last, tone, f"{base} {text}")

    def discard(self) -> None:
        if self.busy or self.form.draft is None:
            return
        sku = self.form.draft.sku
        self.form.clear()
        self.say("warn", f"The {sku} box was not saved. {READY}")
        self._update()
        self._next()

    def _update(self) -> None:
        has_box = self.form.draft is not None
        self.save_button.setEnabled(has_box and not self.busy)
        self.discard_button.setEnabled(has_box and not self.busy)
        count = len(self.queue)
        self.waiting.setText(f"{count} scanned box{'es' if count != 1 else ''} waiting"
                             if count else "")


def _save(kiosk, actor: str, draft: ReceiptDraft, entry: BoxEntry, copies: int) -> Saved:
    """On the writer thread: receive the box, then render its labels (a label problem does not
    undo the receipt; it is reported)."""
    receipt = receive(kiosk.context, actor, draft, entry)
    path, problem = None, ""
    if copies:
        try:
            path = kiosk.printouts.lot_labels(actor, draft.sku, receipt.lot_number or "",
                                             copies)
        except KioskError as error:
            problem = str(error)
    return Saved(receipt, draft.sku, copies, path, problem)
