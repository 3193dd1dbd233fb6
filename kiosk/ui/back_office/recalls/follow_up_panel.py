"""The recall workbench's follow-through of a RECALLED lot (issue 16 item 4): each patient who
received it, with phone and guardian, where the clinic is with them (to contact → contacted →
assessed) and every step taken (who, when in the clinic's zone, the note). Tapping a patient
offers the next step on one big button; the optional note is typed on the on-screen keyboard
(it opens for the field).

Every read and write runs on the runner's writer thread, never on the GUI thread. With a
central server the statuses are the clinic's. A refused step (someone took it meanwhile) says
so and shows the patient as they are now; an unreachable server saves nothing and says so.
Neither clears the note.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kiosk.domain.errors import ValidationError
from kiosk.domain.follow_up import NOTE_LEN, FollowUpKey, FollowUpStep
from kiosk.services.recall_follow_up import AffectedPatient, RecallFollowUpList
from kiosk.services.recall_workbench import LotInfo
from kiosk.ui.back_office.section import Section
from kiosk.ui.common.widgets import TOUCH, hbox, line_edit, named, touch_button, vbox
from kiosk.ui.common.workers import Task, describe

COLUMNS = {"patient": "Patient", "contact": "Phone, guardian", "status": "Follow-up",
           "steps": "Steps (who, when)"}
PICK = "Tap a patient"


def contact_text(p: AffectedPatient) -> str:
    guardian = " ".join(x for x in (p.patient.guardian_name, p.patient.guardian_phone) if x)
    return "\n".join(x for x in (p.patient.phone, guardian and f"guardian {guardian}") if x)


def step_text(step: FollowUpStep, zone: ZoneInfo) -> str:
    note = f" — {step.note}" if step.note else ""
    return f"{step.status.value}: {step.by_name}, {step.at.astimezone(zone):%Y-%m-%d %H:%M}{note}"


def cells(p: AffectedPatient, zone: ZoneInfo) -> dict[str, str]:
    return {"patient": f"{p.patient.display_name}\n{p.patient.chart_number}",
            "contact": contact_text(p),
            "status": p.status.value if p.status else "unknown",
            "steps": "\n".join(step_text(s, zone) for s in p.steps or ())}


class FollowUpPanel(QWidget):
    def __init__(self, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.lot: LotInfo | None = None
        self.patients: list[AffectedPatient] = []
        self._asked = 0  # bumped by each lot shown: older answers are not drawn
        self._session = 0  # bumped at sign-out: older answers are not even said
        self.table = named(QTableWidget(0, len(COLUMNS)), "recallFollowUps")
        self.table.setHorizontalHeaderLabels(list(COLUMNS.values()))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setMinimumSectionSize(TOUCH)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.note_field = line_edit("recallFollowUpNote", "Note on this step (optional)")
        self.note_field.setMaxLength(NOTE_LEN)
        self.step_button = touch_button(PICK, "recallFollowUpStepButton")
        layout = vbox((self.table, 1), hbox((self.note_field, 1), self.step_button))
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.table.itemSelectionChanged.connect(self._offer_step)
        self.step_button.clicked.connect(self.on_step)
        self.show_lot(None)

    # what is shown ------------------------------------------------------------------------------
    def cell(self, row: int, column: str) -> str:
        item = self.table.item(row, list(COLUMNS).index(column))
        return item.text() if item is not None else ""

    def selected(self) -> AffectedPatient | None:
        rows = self.table.selectionModel().selectedRows()
        return self.patients[rows[0].row()] if rows else None

    def show_lot(self, lot: LotInfo | None) -> None:
        """Follow up ``lot`` when it is recalled under a notice; hidden (and empty) otherwise."""
        lot = lot if lot is not None and lot.recall_notice else None
        if lot != self.lot:
            self.note_field.clear()
        self.lot = lot
        self._asked += 1
        self._fill([], None)
        self.setVisible(lot is not None)
        if lot is not None:
            self.reload()

    def clear(self) -> None:
        """Signed out: nothing of it stays for the next user."""
        self._session += 1
        self.show_lot(None)
        self.note_field.clear()

    def reload(self, tone: str = "", then: str = "") -> None:
        """Read the lot's patients and their follow-ups again; then say ``then``."""
        lot, kiosk, actor = self.lot, self.section.kiosk, self.section.actor
        if lot is None or lot.recall_notice is None:
            return
        notice, asked = lot.recall_notice, self._asked
        self.section.run(lambda: kiosk.recall_follow_ups(actor, notice, sku=lot.sku,
                                                         lot_number=lot.lot_number),
                         lambda listing: self._show(asked, listing, tone, then),
                         lambda sentence: self._said(asked, "error", then, sentence))

    def _show(self, asked: int, listing: RecallFollowUpList, tone: str, then: str) -> None:
        if asked != self._asked:
            return
        chosen = self.selected()
        self._fill(list(listing.patients), chosen.key if chosen else None)
        error = listing.statuses_error  # the server did not answer: statuses unknown
        self._said(asked, "warn" if error and tone != "error" else tone, then, error or "")

    def _fill(self, patients: list[AffectedPatient], keep: FollowUpKey | None) -> None:
        zone = ZoneInfo(self.section.ctx.settings.timezone)
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.patients = patients
        self.table.setRowCount(len(patients))
        for row, patient in enumerate(patients):
            for column, text in enumerate(cells(patient, zone).values()):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if patient.key == keep:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._offer_step()

    def _said(self, asked: int, tone: str, *sentences: str) -> None:
        """Say what was done (a step taken) and what then went wrong, if anything."""
        words = " ".join(s for s in sentences if s)
        if asked == self._asked and words:
            self.section.say(tone, words)

    def _offer_step(self) -> None:
        patient = self.selected()
        following = patient.next_status if patient else None
        self.step_button.setEnabled(following is not None)
        if patient is None:
            self.step_button.setText(PICK)
        elif following is not None:
            self.step_button.setText(f"Mark {following.value}")
        else:
            self.step_button.setText("Follow-up done" if patient.status else "Status unknown")

    # taking a step ------------------------------------------------------------------------------
    def on_step(self) -> None:
        patient = self.selected()
        following = patient.next_status if patient else None
        if patient is None or following is None:
            return
        self.step_button.setEnabled(False)
        kiosk, actor, note = self.section.kiosk, self.section.actor, self.note_field.text()
        asked = (self._session, self._asked)
        chart = patient.patient.chart_number
        (Task(self.section.worker,
              lambda: kiosk.take_follow_up_step(actor, patient.key, following, note=note))
         .success(lambda _step: self._on_stepped(asked, f"Patient {chart} is "
                                                        f"{following.value}."))
         .failure(lambda error: self._on_step_failed(asked, error))
         .changes().run())

    def _on_stepped(self, asked: tuple[int, int], then: str) -> None:
        session, shown = asked
        if session != self._session:
            return
        if shown != self._asked:  # another lot is shown now: only say it
            self.section.say("ok", then)
            return
        self.note_field.clear()
        self.reload("ok", then)

    def _on_step_failed(self, asked: tuple[int, int], error: BaseException) -> None:
        session, shown = asked
        if session != self._session:
            return
        if shown == self._asked and isinstance(error, ValidationError):
            self.reload("error", describe(error))  # refused: the patient as they are now
            return
        if shown == self._asked:
            self._offer_step()  # the server did not answer: nothing saved, tap again later
        self.section.say("error", describe(error))
