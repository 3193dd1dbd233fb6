"""Thousands of layout passes leave Python's reference count of None alone.

PySide6 6.12.0 lost a reference to None on every call that returns nothing (a resize, a
layout pass); on Python 3.11, where None is not immortal, the kiosk then aborted after a few
hundred scans with "Fatal Python error: none_dealloc". pyproject keeps PySide6 below 6.12;
this test fails on a release with that defect."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.ui.common.flow_layout import FlowLayout


def test_many_layout_passes_keep_the_reference_count_of_none(qtbot):
    row = QWidget()
    qtbot.addWidget(row)
    flow = FlowLayout(row)
    for n in range(5):
        flow.addWidget(QPushButton(f"Button {n}"), 1 if n == 4 else 0)
    row.show()
    before = sys.getrefcount(None)
    for n in range(3000):
        row.resize(200 + (n % 7) * 150, 120)
        flow.activate()
    assert sys.getrefcount(None) - before > -200
