"""An on-screen PIN keypad for gloved hands: digits, Clear, Back and OK, 64 px keys."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QWidget

from kiosk.ui.common.widgets import touch_button

KEY = 64  # px: bigger than the general touch target, pressed many times in a row
LAYOUT = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("Clear", "0", "Back"))


class Keypad(QWidget):
    """Types into ``field`` (a physical keyboard still works on the field itself) and emits
    ``submitted`` on OK. Its keys never take focus, so a badge scan still lands in a field."""

    submitted = Signal()

    def __init__(self, field: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keypad")
        self._field = field
        self.keys: dict[str, object] = {}
        grid = QGridLayout(self)
        grid.setSpacing(10)
        for row, labels in enumerate(LAYOUT):
            for column, label in enumerate(labels):
                grid.addWidget(self._key(label), row, column)
        ok = self._key("OK")
        ok.setObjectName("keyOK")
        grid.addWidget(ok, len(LAYOUT), 0, 1, 3)

    def _key(self, label: str):
        name = f"key{label}"
        button = touch_button("⌫ Back" if label == "Back" else label, name, KEY)
        button.setProperty("role", "key-word" if label in ("Clear", "Back") else "key")
        button.clicked.connect(lambda: self.on_key(label))
        self.keys[label] = button
        return button

    def key(self, label: str):
        """The button for ``label`` ("0"–"9", "Clear", "Back", "OK")."""
        return self.keys[label]

    def on_key(self, label: str) -> None:
        field = self._field
        if label == "OK":
            self.submitted.emit()
        elif label == "Clear":
            field.clear()
        elif label == "Back":
            field.setText(field.text()[:-1])
        elif len(field.text()) < field.maxLength():
            field.setText(field.text() + label)
