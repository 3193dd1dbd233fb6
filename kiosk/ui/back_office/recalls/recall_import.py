"""The recall workbench's "import a recall file" row: a path (typed, or picked with a
non-native file dialog) and an Import button. The file is read and imported on the writer
thread (``KioskApp.import_recall_file``: central catalog first, then this kiosk, then the alert)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from kiosk.app import KioskApp as Kiosk
from kiosk.domain.errors import ValidationError
from kiosk.services.recalls import Proposal, RecallOutcome
from kiosk.ui.common.widgets import file_dialog, hbox, line_edit, touch_button
from kiosk.ui.common.workers import Task, Worker, sentence


def read_recall_file(path: str) -> str:
    """The file's text, or one sentence saying why it cannot be read (writer thread)."""
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}; check the path or tap Browse.") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder; pick the recall file in it.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not a text file; pick the openFDA recall JSON.") \
            from None
    except OSError as error:
        raise ValidationError(f"Cannot read {path} ({error.strerror or error}).") from None


def import_recall(kiosk: Kiosk, actor: str, path: str) -> RecallOutcome:
    return kiosk.import_recall_outcome(actor, read_recall_file(path))


def review_sentence(review: list[Proposal]) -> str:
    """What the name-only matches are, and how to act on one (never marked by the import)."""
    parts = [f"{p.recall_number} may mean {p.sku} lot(s) {', '.join(p.lot_numbers)}"
             for p in review]
    return (f"To review, not marked: {'; '.join(parts)} (only the description's words match). "
            "Check the lot, then tap Mark recalled to recall it, or leave it.")


class RecallImport(QWidget):
    """``said(tone, text)`` for each step; ``imported(affected)`` after a file was imported
    and ``proposed(review)`` with its name-only matches when it marked nothing (the
    workbench then offers the first)."""

    said = Signal(str, str)
    imported = Signal(list)
    proposed = Signal(list)

    def __init__(self, kiosk: Kiosk, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kiosk, self._worker = kiosk, worker
        self.actor = ""
        self.busy = False
        self.dialog: QFileDialog | None = None
        self.path_field = line_edit("recallFilePath", "Recall file (openFDA JSON)")
        self.browse_button = touch_button("Browse…", "recallFileBrowse")
        self.import_button = touch_button("Import recall file", "recallImportButton")
        layout = hbox((self.path_field, 1), self.browse_button, self.import_button)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.browse_button.clicked.connect(self.on_browse)
        self.import_button.clicked.connect(self.on_import)
        self.path_field.returnPressed.connect(self.on_import)

    def on_import(self) -> None:
        path = self.path_field.text().strip()
        if self.busy or not self.actor:
            return
        if not path:
            self.said.emit("error", "Type the recall file's path or tap Browse.")
            return
        self._set_busy(True)
        kiosk, actor = self._kiosk, self.actor
        self.said.emit("", f"Importing {Path(path).name}…")
        (Task(self._worker, lambda: import_recall(kiosk, actor, path))
         .success(self._on_imported).failure(sentence(self._on_failed)).run())

    def _on_imported(self, outcome: RecallOutcome) -> None:
        self._set_busy(False)
        affected, review = outcome.affected, outcome.review
        if not affected and review:
            self.said.emit("warn", "Nothing was marked. " + review_sentence(review))
        elif not affected:
            self.said.emit("warn", "No lot in the catalog matches this recall file; nothing "
                                   "was marked.")
        else:
            lots = ", ".join(f"{a.lot_number} of {a.sku} ({a.recall_number})" for a in affected)
            patients = len({c["chartNumber"] for a in affected for c in a.contacts})
            warning = next((a.warning for a in affected if a.warning), None)
            self.said.emit("warn" if warning or review else "ok",
                           f"Marked RECALLED: {lots}; {patients} patient(s) to contact."
                           + (f" {warning}" if warning else "")
                           + (f" {review_sentence(review)}" if review else ""))
        self.imported.emit(affected)
        if review and not affected:
            self.proposed.emit(review)

    def _on_failed(self, sentence: str) -> None:
        self._set_busy(False)
        self.said.emit("error", sentence)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.import_button.setEnabled(not busy)

    def on_browse(self) -> None:
        """A non-native open dialog (window-modal, not blocking) fills the path field."""
        start = self.path_field.text().strip() or str(Path.home())
        self.dialog = file_dialog(self, "Pick the recall file", start,
                                  ["openFDA recall (*.json)", "Any file (*)"], save=False,
                                  on_picked=self.path_field.setText)

    def clear(self) -> None:
        self.actor = ""
        self.path_field.clear()
        if self.dialog is not None:
            with contextlib.suppress(RuntimeError):
                self.dialog.reject()
            self.dialog = None
