"""The on-screen keyboard of a touch kiosk: letters, digits and a date mode with presets.

``OnScreenKeyboard`` types into its target field with real key events (``textEdited`` fires,
as for a physical keyboard); its keys never take the focus, so the field keeps it. Keys are at
least ``KEY`` px, for gloved fingers.

``KeyboardAttach`` is an application-wide event filter: when a text field (QLineEdit,
QPlainTextEdit, QTextEdit, a spin or date box) of the window takes the focus, the keyboard
opens for it, in date mode for a date field. A *scanner field* never opens it on focus (a
keyboard-wedge scanner types there and must keep the focus): the fields named in
``SCANNER_FIELDS`` or given the property ``scannerField=True``; they open it with an explicit
button (``keyboard_button``) instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from kiosk.ui.common.overlay import Overlay
from kiosk.ui.common.widgets import hbox, named, vbox

KEY = 56  # px: a key for a gloved finger

SCANNER_FIELDS = frozenset({"scanField", "badgeField", "receiveScanField", "inventorySearch",
                            "recallLot"})

LETTER_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM.,/")
DATE_ROWS = ("789", "456", "123", "0-")
# the user tapped the field; any other focus opens the keys only for a prompt (``_prompted``):
# Qt hands the focus to the next field by itself when a screen goes, and that is no request
TAPPED = (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.ShortcutFocusReason)
TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)


def is_scanner_field(widget: QWidget) -> bool:
    return widget.objectName() in SCANNER_FIELDS or bool(widget.property("scannerField"))


def is_date_field(widget: QWidget) -> bool:
    if isinstance(widget, QDateEdit) or widget.property("dateField"):
        return True
    return isinstance(widget, QLineEdit) and "YYYY-MM-DD" in widget.placeholderText()


def date_presets(today: date) -> dict[str, date]:
    """Today, the Monday of this week, the first of this month."""
    return {"Today": today, "This week": today - timedelta(days=today.weekday()),
            "This month": today.replace(day=1)}


def _key(text: str, name: str, wide: int = KEY) -> QPushButton:
    button = named(QPushButton(text), name)
    button.setProperty("role", "key-word")  # the theme's 64 px keys (its min-height wins)
    button.setMinimumSize(wide, KEY)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class OnScreenKeyboard(QWidget):
    """Emits ``done`` when the user taps Done (after sending Return to the field)."""

    done = Signal()

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onScreenKeyboard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._today = today
        self.target: QWidget | None = None
        self.date_mode = False
        self.keys: dict[str, QPushButton] = {}
        self.letters = self._grid(LETTER_ROWS, "key")
        self.dates = self._grid(DATE_ROWS, "dateKey")
        self.presets: dict[str, QPushButton] = {}
        preset_row = hbox()
        for label in date_presets(date.today()):
            button = _key(label, f"preset{label.replace(' ', '')}", KEY * 3)
            button.clicked.connect(lambda _=False, label=label: self.preset(label))
            self.presets[label] = button
            preset_row.addWidget(button)
        self.preset_box = QWidget()
        self.preset_box.setLayout(preset_row)
        self.space_key = _key("Space", "keySpace", KEY * 4)
        self.backspace_key = _key("⌫ Back", "keyBackspace", KEY * 2)
        self.mode_key = _key("Date", "keyMode", KEY * 2)
        self.done_key = _key("Done", "keyDone", KEY * 2)
        self.space_key.clicked.connect(lambda: self.type_text(" "))
        self.backspace_key.clicked.connect(self.backspace)
        self.mode_key.clicked.connect(lambda: self.set_date_mode(not self.date_mode))
        self.done_key.clicked.connect(self.finish)
        bottom = hbox(self.mode_key, (self.space_key, 1), self.backspace_key, self.done_key)
        layout = vbox(self.letters, self.preset_box, self.dates, bottom)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        self.setLayout(layout)
        self.set_date_mode(False)
        self.hide()

    def _grid(self, rows: tuple[str, ...], prefix: str) -> QWidget:
        grid = QGridLayout()
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        for r, row in enumerate(rows):
            for c, char in enumerate(row):
                button = _key(char, f"{prefix}{char}")
                button.setProperty("role", "key")
                button.clicked.connect(lambda _=False, ch=char: self.type_text(
                    ch.lower() if ch.isalpha() and not self._upper() else ch))
                grid.addWidget(button, r, c)
                self.keys.setdefault(char if prefix == "key" else f"date{char}", button)
        box = QWidget()
        box.setLayout(grid)
        return box

    def _upper(self) -> bool:
        """Codes (SKUs, lots, badges) are upper case; free text fields get lower case."""
        target = self.target
        return target is None or not isinstance(target, QLineEdit) or bool(
            target.property("upperCaseKeys")) or is_scanner_field(target)

    def key(self, char: str) -> QPushButton:
        """The key for ``char`` in the current mode (letters: "A", "1"; date: "1", "-")."""
        return self.keys[f"date{char}"] if self.date_mode else self.keys[char]

    # showing ----------------------------------------------------------------------------------
    def open_for(self, field: QWidget, date_mode: bool | None = None) -> None:
        self.target = field
        self.set_date_mode(is_date_field(field) if date_mode is None else date_mode)
        self.show()
        self.place()
        if not field.hasFocus():
            field.setFocus()

    def place(self) -> None:
        """Float over the bottom of the parent, or over its top when the field would be
        under the keys: the screens keep their layout (a 1024×768 screen has no room for
        the keys below it)."""
        parent, target = self.parentWidget(), self.target
        if parent is None:
            return
        high = self.sizeHint().height()
        top = parent.height() - high
        if target is not None and parent.isAncestorOf(target):
            field_bottom = target.mapTo(parent, target.rect().bottomLeft()).y()
            if field_bottom > top:
                top = 0
        self.setGeometry(0, max(0, top), parent.width(), high)
        self.raise_()

    def set_date_mode(self, on: bool) -> None:
        self.date_mode = on
        self.letters.setVisible(not on)
        self.dates.setVisible(on)
        self.preset_box.setVisible(on)
        self.space_key.setVisible(not on)
        self.mode_key.setText("ABC" if on else "Date")
        if self.isVisible():
            self.place()

    def finish(self) -> None:
        self._send(Qt.Key.Key_Return, "\r")
        self.hide()
        self.done.emit()

    # typing -----------------------------------------------------------------------------------
    def type_text(self, text: str) -> None:
        for char in text:
            self._send(Qt.Key(ord(char.upper())), char)

    def backspace(self) -> None:
        self._send(Qt.Key.Key_Backspace, "")

    def preset(self, label: str) -> None:
        chosen = date_presets(self._today())[label]
        target = self.target
        if isinstance(target, QDateEdit):
            target.setDate(QDate(chosen.year, chosen.month, chosen.day))
            return
        if isinstance(target, QLineEdit):
            target.selectAll()
        self.type_text(chosen.isoformat())

    def _send(self, key: Qt.Key, text: str) -> None:
        target = self.target
        if target is None or not target.isVisible():
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     text))


class KeyboardAttach(QObject):
    """Opens ``keyboard`` when a text field under ``window`` takes the focus (unless it is a
    scanner field); hides it when that field is hidden (a screen change)."""

    def __init__(self, window: QWidget, keyboard: OnScreenKeyboard) -> None:
        super().__init__(window)
        self.window = window
        self.keyboard = keyboard
        self.buttons: dict[QWidget, QPushButton | None] = {}  # scanner field -> its ⌨ button
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        window.destroyed.connect(lambda: app.removeEventFilter(self))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, TEXT_FIELDS):  # cheap first: this sees every event
            return False
        kind = event.type()
        if kind == QEvent.Type.FocusIn and isinstance(watched, TEXT_FIELDS):
            field = watched
            if not isinstance(field, QWidget) or not self.window.isAncestorOf(field):
                return False
            reason = event.reason() if isinstance(event, QFocusEvent) else None
            if (not is_scanner_field(field) and not _read_only(field)
                    and (reason in TAPPED or _prompted(field))):
                self.keyboard.open_for(field)
            elif is_scanner_field(field) and self.keyboard.target is not field:
                self.keyboard.hide()  # the wedge's field has the focus back (a new screen)
        elif (kind == QEvent.Type.MouseButtonRelease and isinstance(watched, TEXT_FIELDS)
              and isinstance(watched, QWidget) and watched.hasFocus()
              and not self.keyboard.isVisible() and self.window.isAncestorOf(watched)
              and not is_scanner_field(watched) and not _read_only(watched)):
            self.keyboard.open_for(watched)  # tapped again after Done: the keyboard again
        elif (kind == QEvent.Type.Show and isinstance(watched, QLineEdit)
              and is_scanner_field(watched) and watched not in self.buttons
              and self.window.isAncestorOf(watched)):
            self.buttons[watched] = add_keyboard_button(watched, self.keyboard)
        elif kind == QEvent.Type.Resize and watched is self.keyboard.parentWidget():
            if self.keyboard.isVisible():
                self.keyboard.place()
        elif kind == QEvent.Type.Hide and self.keyboard.isVisible():
            QTimer.singleShot(0, self._drop_hidden_target)  # the field's overlay or screen
        return False

    def _drop_hidden_target(self) -> None:
        target = self.keyboard.target
        if target is None or not target.isVisible():
            self.keyboard.hide()
            self.keyboard.target = None

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def _prompted(field: QWidget) -> bool:
    """An overlay's field (the catalog search, a reason) or one marked ``keyboardOnFocus``:
    the code gives it the focus to ask for typing."""
    widget: QWidget | None = field
    while widget is not None:
        if isinstance(widget, Overlay) or widget.property("keyboardOnFocus"):
            return True
        widget = widget.parentWidget()
    return False


def _read_only(field: QWidget) -> bool:
    return bool(getattr(field, "isReadOnly", lambda: False)())


def keyboard_button(field: QWidget, keyboard: OnScreenKeyboard) -> QPushButton:
    """A ⌨ button beside a scanner field: opens the keyboard for it on purpose."""
    button = _key("⌨", f"{field.objectName()}Keyboard", KEY)
    button.setToolTip("Type instead of scanning")
    button.clicked.connect(lambda: keyboard.open_for(field))
    return button


def add_keyboard_button(field: QWidget, keyboard: OnScreenKeyboard) -> QPushButton | None:
    """Put a ⌨ button just after ``field`` in the box layout holding it (None if none does)."""
    parent = field.parentWidget()
    found = _holder(parent.layout(), field) if parent is not None else None
    if found is None:
        return None
    layout, index = found
    button = keyboard_button(field, keyboard)
    if layout.direction() in (QBoxLayout.Direction.LeftToRight,
                              QBoxLayout.Direction.RightToLeft):
        layout.insertWidget(index + 1, button)
        return button
    stretch = layout.stretch(index)
    layout.takeAt(index)  # a column of rows: the field and its button become one row
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(button)
    layout.insertLayout(index, row, stretch)
    return button


def _holder(layout: QLayout | None, field: QWidget) -> tuple[QBoxLayout, int] | None:
    if layout is None:
        return None
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        if item.widget() is field:
            return (layout, index) if isinstance(layout, QBoxLayout) else None
        found = _holder(item.layout(), field)
        if found is not None:
            return found
    return None
