"""Appliance records read as words, not object-id tails; REMOVED ones are not offered."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.domain.model import ApplianceRecord, ApplianceStatus, ApplianceType
from kiosk.services.appliance_words import offered_records, record_words


def record(kind: ApplianceType, status: ApplianceStatus, placed_at=None, rid="000004"):
    return ApplianceRecord(id=f"64b300000000000000{rid}", patient_id="p", type=kind,
                           status=status, placed_at=placed_at)


def test_a_placed_record_reads_type_status_and_day_in_the_clinic_zone():
    late_utc = datetime(2024, 10, 3, 23, 30, tzinfo=UTC)  # 4 Oct in Sydney, 3 Oct in Denver
    placed = record(ApplianceType.BRACKET, ApplianceStatus.PLACED, late_utc)
    assert record_words(placed, "America/Denver") == "Brackets · placed 3 Oct"
    assert record_words(placed, "Australia/Sydney") == "Brackets · placed 4 Oct"
    assert "000004" not in record_words(placed)


def test_a_record_without_a_date_reads_type_and_status():
    assert record_words(record(ApplianceType.WIRE, ApplianceStatus.ORDERED)) == (
        "Archwire · ordered")
    assert record_words(record(ApplianceType.ELASTIC, ApplianceStatus.PLACED)) == (
        "Elastics · placed")


def test_removed_records_are_not_offered():
    kept = record(ApplianceType.BAND, ApplianceStatus.ORDERED, rid="000001")
    gone = record(ApplianceType.BRACKET, ApplianceStatus.REMOVED, rid="000002")
    assert offered_records([kept, gone]) == (kept,)
