"""Kiosk identity and sequence, staff, patients and appliance records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select, update

from kiosk.adapters.sqlite import mapping as m
from kiosk.adapters.sqlite.orm import (
    ApplianceRecordRow,
    Base,
    KioskIdentityRow,
    PatientRow,
    StaffRow,
)
from kiosk.adapters.sqlite.repo_base import RepoBase, chunks, table
from kiosk.domain.errors import StoreUnavailable
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import ApplianceRecord, Patient, Staff
from kiosk.services.ports import KioskIdentity

IDENTITY_ROW = 1
NOT_INITIALISED = "This kiosk is not initialised; run `kiosk init`."
T = TypeVar("T")

_identity = table(KioskIdentityRow)
_IDENTITY = select(_identity).where(_identity.c.id == IDENTITY_ROW)
# One UPDATE under the write lock: atomic, and rolled back with the transaction.
_NEXT_SEQ = (
    update(_identity)
    .where(_identity.c.id == IDENTITY_ROW)
    .values(last_seq=_identity.c.last_seq + 1)
    .returning(_identity.c.last_seq)
)


def _by(row_class: type[Base], column: str) -> Select[Any]:
    """The row of ``row_class`` whose ``column`` (unique) is the bound ``value``."""
    rows = table(row_class)
    return select(rows).where(rows.c[column] == bindparam("value"))


_staff = table(StaffRow)
_STAFF_BY_ID = _by(StaffRow, "id")
# Badges are printed in capitals and typed any way: ASCII case does not matter (NOCASE).
_STAFF_BY_BADGE = select(_staff).where(_staff.c.badge.collate("NOCASE") == bindparam("value"))
_patients = table(PatientRow)
_patient_of: Callable[[Any], Patient] = m.patient_to_domain  # a Core row has the same fields
_PATIENT_BY_ID, _PATIENT_BY_CHART = _by(PatientRow, "id"), _by(PatientRow, "chart_number")


class PeopleRepo(RepoBase):
    def identity(self) -> KioskIdentity:
        known = self._memo.get(("identity",))
        if known is not None:
            return known
        with self._guard("read the kiosk identity"):
            row = self._execute(_IDENTITY).first()
        if row is None:
            raise StoreUnavailable(NOT_INITIALISED)
        identity = KioskIdentity(row.kiosk_id, row.clinic_id, row.workstation_id)
        self._memo[("identity",)] = identity
        return identity

    def claim_identity(self, clinic_id: str, workstation_id: str) -> KioskIdentity:
        """Create this kiosk's identity (new kiosk id, sequence 0) unless it has one.

        An existing identity of the same clinic is kept (a new workstation name is recorded);
        one of another clinic is refused.
        """
        action = "set up the kiosk identity"
        self._require_write(action)
        with self._guard(action):
            row = self._session.get(KioskIdentityRow, IDENTITY_ROW)
            if row is None:
                row = KioskIdentityRow(
                    id=IDENTITY_ROW,
                    kiosk_id=new_object_id(),
                    clinic_id=clinic_id,
                    workstation_id=workstation_id,
                    last_seq=0,
                )
                self._session.add(row)
            elif row.clinic_id != clinic_id:
                raise StoreUnavailable(
                    f"This kiosk database belongs to clinic {row.clinic_id}, not {clinic_id}; "
                    "use another data directory or ask IT to reset it."
                )
            else:
                row.workstation_id = workstation_id
            self._session.flush()
        self._memo.pop(("identity",), None)
        return KioskIdentity(row.kiosk_id, row.clinic_id, row.workstation_id)

    def next_kiosk_seq(self) -> int:
        action = "reserve the next kiosk sequence number"
        self._require_write(action)
        with self._guard(action):
            seq = self._execute(_NEXT_SEQ).scalar_one_or_none()
        if seq is None:
            raise StoreUnavailable(NOT_INITIALISED)
        self._expire(KioskIdentityRow, IDENTITY_ROW, "last_seq")
        return int(seq)

    # staff
    def staff_by_id(self, staff_id: str) -> Staff | None:
        return self._one(_STAFF_BY_ID, staff_id, "read a staff member", m.staff_to_domain)

    def staff_by_badge(self, badge: str) -> Staff | None:
        return self._one(_STAFF_BY_BADGE, badge, "look up a staff badge", m.staff_to_domain)

    def _one(self, statement: Select[Any], value: str, action: str,
             to_domain: Callable[[Any], T]) -> T | None:
        """One frozen record by a unique column (a Core SELECT), remembered for the
        transaction (see RepoBase)."""
        key = (statement, value)  # the statement is one of the constants above
        if key in self._memo:
            return self._memo[key]
        with self._guard(action):
            row = self._execute(statement, {"value": value}).first()
        if row is None:
            return None
        self._memo[key] = record = to_domain(row)
        return record

    def all_staff(self) -> list[Staff]:
        with self._guard("read the staff list"):
            rows = self._session.scalars(select(StaffRow).order_by(StaffRow.name, StaffRow.id))
            return [m.staff_to_domain(r) for r in rows]

    def save_staff(self, staff: Staff) -> None:
        self._upsert(m.staff_from_domain(staff), f"save staff member {staff.id}")

    # patients
    def patient_by_id(self, patient_id: str) -> Patient | None:
        return self._one(_PATIENT_BY_ID, patient_id, "read a patient", m.patient_to_domain)

    def patient_by_chart(self, chart_number: str) -> Patient | None:
        return self._one(_PATIENT_BY_CHART, chart_number, "look up a chart number",
                         m.patient_to_domain)

    def patients_by_ids(self, patient_ids: Iterable[str]) -> dict[str, Patient]:
        found: dict[str, Patient] = {}
        with self._guard("read patients"):
            for chunk in chunks(patient_ids):
                rows = self._execute(select(_patients).where(_patients.c.id.in_(chunk)))
                found |= {row.id: _patient_of(row) for row in rows}
        return found

    def all_patients(self) -> list[Patient]:
        order = (PatientRow.last_name, PatientRow.first_name, PatientRow.chart_number)
        with self._guard("read the patient list"):
            rows = self._session.scalars(select(PatientRow).order_by(*order))
            return [m.patient_to_domain(r) for r in rows]

    def save_patient(self, patient: Patient) -> None:
        self._upsert(m.patient_from_domain(patient), f"save patient {patient.chart_number}")

    # appliance records
    def appliance(self, appliance_id: str) -> ApplianceRecord | None:
        with self._guard("read an appliance record"):
            row = self._session.get(ApplianceRecordRow, appliance_id)
        return m.appliance_to_domain(row) if row else None

    def appliances_for_patient(self, patient_id: str) -> list[ApplianceRecord]:
        stmt = (
            select(ApplianceRecordRow)
            .where(ApplianceRecordRow.patient_id == patient_id)
            .order_by(
                ApplianceRecordRow.placed_at.is_(None),
                ApplianceRecordRow.placed_at,
                ApplianceRecordRow.id,
            )
        )
        with self._guard("read a patient's appliance records"):
            return [m.appliance_to_domain(r) for r in self._session.scalars(stmt)]

    def save_appliance(self, record: ApplianceRecord) -> None:
        self._upsert(m.appliance_from_domain(record), f"save appliance record {record.id}")
