"""Shared look: the QSS theme, touch-sized controls and coloured one-sentence messages."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.paths import RESOURCES

W = TypeVar("W", bound=QWidget)

TOUCH = 48  # px: the smallest touch target

STYLE = f"""
QWidget {{ font-size: 16pt; }}
QPushButton, QLineEdit, QComboBox {{ min-height: {TOUCH}px; }}
QPushButton {{ padding: 0 18px; }}
QListWidget::item {{ min-height: {TOUCH}px; }}
QLabel[tone="error"] {{ color: #b00020; font-weight: bold; }}
QLabel[tone="ok"] {{ color: #1b7f3b; font-weight: bold; }}
QLabel[tone="warn"] {{ color: #8a5a00; }}
QLabel#lowStockBanner[tone="amber"] {{ background: #ffc94d; color: #3a2a00; padding: 8px; }}
QLabel#lowStockBanner[tone="red"] {{ background: #c62828; color: white; padding: 8px; }}
"""

THEME_PATH = RESOURCES / "theme" / "kiosk.qss"


@cache
def theme() -> str:
    """The high-contrast kiosk theme (resources/theme/kiosk.qss), read once at start-up;
    the small built-in ``STYLE`` when the file is missing, so the kiosk still starts."""
    try:
        return THEME_PATH.read_text(encoding="utf-8")
    except OSError:
        return STYLE


def set_tone(label: QLabel, tone: str, text: str | None = None) -> None:
    """Colour a label through its ``tone`` property (error, ok, warn, amber, red, or "")."""
    if text is not None:
        label.setText(text)
    label.setProperty("tone", tone)
    label.style().unpolish(label)
    label.style().polish(label)


def named(widget: W, name: str) -> W:
    """Set the object name (tests and the style sheet find widgets by it)."""
    widget.setObjectName(name)
    return widget


def touch_button(text: str, name: str, size: int = TOUCH) -> QPushButton:
    """A button at least ``size`` px square that never takes keyboard focus, so the scan
    field keeps it."""
    button = named(QPushButton(text), name)
    button.setMinimumSize(size, size)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


def line_edit(name: str, placeholder: str) -> QLineEdit:
    field = named(QLineEdit(), name)
    field.setPlaceholderText(placeholder)
    return field


def message_label(name: str) -> QLabel:
    label = named(QLabel(""), name)
    label.setWordWrap(True)
    label.setProperty("tone", "")
    return label


Part = QWidget | QLayout | int | tuple[QWidget | QLayout, int]


_Box = TypeVar("_Box", bound=QBoxLayout)


def _fill(box: _Box, parts: tuple[Part, ...]) -> _Box:
    """Widgets and layouts in order; an int is a stretch; (part, n) gives the part stretch n."""
    for part in parts:
        thing, stretch = part if isinstance(part, tuple) else (part, 0)
        if isinstance(thing, int):
            box.addStretch(thing)
        elif isinstance(thing, QLayout):
            box.addLayout(thing, stretch)
        else:
            box.addWidget(thing, stretch)
    return box


def hbox(*parts: Part) -> QHBoxLayout:
    return _fill(QHBoxLayout(), parts)


def vbox(*parts: Part) -> QVBoxLayout:
    return _fill(QVBoxLayout(), parts)


def file_dialog(parent: QWidget, title: str, start: str, filters: list[str], *,
                save: bool, on_picked) -> QFileDialog:
    """A non-native file dialog, opened window-modal without blocking: ``on_picked(path)``
    gets the file chosen; the dialog deletes itself when closed."""
    dialog = QFileDialog(parent, title, start)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(filters)
    dialog.fileSelected.connect(on_picked)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
