"""Recall follow-through: every patient who received a recalled lot, and where the clinic is
with each of them (to contact → contacted → assessed, each step with who, when and a note).

The recall's lots are the catalog lots whose recall notice is the recall number; their
patients are the clinic's (``clinic_reads``: central ledger and this kiosk's queue, else this
kiosk alone, said in ``warning``). The steps live behind the ``RecallFollowUps`` port: central
when the kiosk has a server (one kiosk's step is every kiosk's), else the local store. Reading
and taking steps needs the recall workbench's permissions, inventory:adjust and appliance:read
(the list shows patients and their phone numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.domain.errors import CentralRefused, CentralUnavailable, NotFound, ValidationError
from kiosk.domain.follow_up import (
    NEXT_STATUS,
    FollowUpKey,
    FollowUpStatus,
    FollowUpStep,
    check_next,
    clean_note,
    current_status,
)
from kiosk.domain.model import Item, Lot, Patient, Staff
from kiosk.domain.permissions import Permission
from kiosk.domain.values import one_line
from kiosk.services.clinic_reads import Scope, read_usages
from kiosk.services.context import ServiceContext
from kiosk.services.follow_up_ports import RecallFollowUps, StepConflict
from kiosk.services.lookup import authorize, find_patient
from kiosk.services.ports import Tx, UsageFilter
from kiosk.services.recalls import missing_chairs_warning

NOT_SAVED = ("The follow-up step was not saved: {why} Nothing was changed; try again when "
             "the central server answers (the sync bar shows when it does).")
NOT_READ = "Follow-up statuses could not be read: {why}"


@dataclass(frozen=True)
class AffectedPatient:
    key: FollowUpKey
    sku: str
    item_name: str
    patient: Patient
    steps: tuple[FollowUpStep, ...] | None  # None: the statuses could not be read

    @property
    def status(self) -> FollowUpStatus | None:
        return None if self.steps is None else current_status(self.steps)

    @property
    def next_status(self) -> FollowUpStatus | None:
        """The step to offer (None when complete, or when the statuses are unknown)."""
        return None if self.status is None else NEXT_STATUS.get(self.status)

    def as_json(self) -> dict[str, object]:
        last = self.steps[-1] if self.steps else None
        return {
            "patientId": self.patient.id, "chartNumber": self.patient.chart_number,
            "patientName": self.patient.display_name, "phone": self.patient.phone,
            "guardianName": self.patient.guardian_name,
            "guardianPhone": self.patient.guardian_phone,
            "sku": self.sku, "itemId": self.key.item_id, "lotNumber": self.key.lot_number,
            "status": self.status.value if self.status else None,
            "lastStepBy": last.by_name if last else None,
            "lastStepAt": last.at.isoformat(timespec="seconds") if last else None,
            "history": [{"status": s.status.value, "by": s.by, "byName": s.by_name,
                         "at": s.at.isoformat(timespec="seconds"), "note": s.note}
                        for s in self.steps or ()],
        }


@dataclass(frozen=True)
class RecallFollowUpList:
    recall_number: str
    patients: tuple[AffectedPatient, ...]
    scope: Scope | None = None  # where the patients came from
    statuses_error: str | None = None  # why the statuses are unknown, when they are

    @property
    def warning(self) -> str | None:
        """Why other chairs' patients may be missing (None when the clinic's were read)."""
        return missing_chairs_warning(self.scope)

    def as_json(self) -> dict[str, object]:
        return {"recallNumber": self.recall_number, "warning": self.warning,
                "statusesError": self.statuses_error,
                **(self.scope.as_json() if self.scope else {}),
                "patients": [p.as_json() for p in self.patients]}


def _authorize(tx: Tx, actor: str) -> Staff:
    authorize(tx, actor, Permission.APPLIANCE_READ)
    return authorize(tx, actor, Permission.INVENTORY_ADJUST)


def _recall_number(text: str) -> str:
    number = one_line(text or "")
    if not number:
        raise ValidationError("Give the recall number (the lot's recall notice).")
    return number


def recalled_lots(tx: Tx, recall_number: str) -> list[tuple[Item, Lot]]:
    """The catalog lots whose recall notice is ``recall_number``, by SKU and lot number."""
    found = [(item, lot) for item in tx.all_items() for lot in tx.lots_for_item(item.id)
             if lot.recall_notice == recall_number]
    return sorted(found, key=lambda pair: (pair[0].sku, pair[1].lot_number))


def follow_up_list(ctx: ServiceContext, follow_ups: RecallFollowUps, actor: str,
                   recall_number: str, *, sku: str | None = None,
                   lot_number: str | None = None) -> RecallFollowUpList:
    """The recall's affected patients (of one item's lot only, when ``sku`` and
    ``lot_number`` say so) with each one's follow-up. Reads the store and the network."""
    number = _recall_number(recall_number)
    with ctx.store.read() as tx:
        _authorize(tx, actor)
        lots = [(item, lot) for item, lot in recalled_lots(tx, number)
                if (sku is None or item.sku == sku)
                and (lot_number is None or lot.lot_number == lot_number)]
    if not lots:
        raise NotFound(f"No lot in the catalog carries the recall notice {number!r}; check "
                       "the number, or mark the lot recalled first.")
    keyed: list[tuple[Item, FollowUpKey]] = []
    reader, unreachable = ctx, None
    for item, lot in lots:
        read = read_usages(reader, UsageFilter(lot_number=lot.lot_number, item_id=item.id))
        if missing_chairs_warning(read.scope) is not None:  # ask no more, say the same
            reader, unreachable = replace(ctx, ledger=None), read.scope
        scope = unreachable or read.scope
        patients = dict.fromkeys(u.patient_id for u in read.usages if u.id not in read.voids)
        keyed += [(item, FollowUpKey(number, item.id, lot.lot_number, p)) for p in patients]
    with ctx.store.read() as tx:
        people = tx.patients_by_ids(key.patient_id for _, key in keyed)
    try:
        steps, error = follow_ups.follow_ups(number), None
    except (CentralUnavailable, CentralRefused) as failure:
        steps, error = None, NOT_READ.format(why=failure)
    rows = [AffectedPatient(key, item.sku, item.name,
                            people.get(key.patient_id) or Patient(key.patient_id,
                                                                  key.patient_id, "", ""),
                            None if steps is None else steps.get(key, ()))
            for item, key in keyed]
    rows.sort(key=lambda r: (r.sku, r.key.lot_number, r.patient.last_name,
                             r.patient.first_name, r.patient.chart_number))
    return RecallFollowUpList(number, tuple(rows), scope, error)


def record_step(ctx: ServiceContext, follow_ups: RecallFollowUps, actor: str,
                key: FollowUpKey, status: FollowUpStatus, *,
                note: str | None = None) -> FollowUpStep:
    """Take the follow-up of ``key`` one step on, to ``status`` (its next one). Reads the store
    and writes where the follow-ups live; a refusal or an unreachable server changes nothing."""
    note_text = clean_note(note)
    with ctx.store.read() as tx:
        staff = _authorize(tx, actor)
    try:
        steps = follow_ups.follow_ups(key.recall_number).get(key, ())
        expected = check_next(steps, status)
        step = FollowUpStep(status, staff.id, staff.name, ctx.now(), note_text)
        try:
            follow_ups.add_step(key, expected, step)
        except StepConflict as conflict:  # another kiosk took a step meanwhile
            check_next(conflict.steps, status)
            raise ValidationError("This patient's follow-up changed meanwhile; look it up "
                                  "again. Nothing was changed.") from None
    except (CentralUnavailable, CentralRefused) as failure:
        kind = CentralRefused if isinstance(failure, CentralRefused) else CentralUnavailable
        raise kind(NOT_SAVED.format(why=failure)) from failure
    return step


def find_follow_up(ctx: ServiceContext, follow_ups: RecallFollowUps, actor: str,
                   recall_number: str, patient_ref: str, *, sku: str | None = None,
                   lot_number: str | None = None) -> AffectedPatient:
    """The affected patient ``patient_ref`` (id, chart number) of the recall, for the CLI;
    ``sku``/``lot_number`` choose when they received several of its lots."""
    with ctx.store.read() as tx:
        _authorize(tx, actor)
        patient = find_patient(tx, patient_ref)
    listing = follow_up_list(ctx, follow_ups, actor, recall_number, sku=sku,
                             lot_number=lot_number)
    mine = [p for p in listing.patients if p.patient.id == patient.id]
    if not mine:
        raise NotFound(f"Patient {patient.chart_number} did not receive a lot of recall "
                       f"{listing.recall_number}; check the chart number and the recall.")
    if len(mine) > 1:
        lots = ", ".join(f"{p.sku} lot {p.key.lot_number}" for p in mine)
        raise ValidationError(f"Patient {patient.chart_number} received several lots of "
                              f"recall {listing.recall_number} ({lots}); name one with --sku "
                              "and --lot.")
    return mine[0]
