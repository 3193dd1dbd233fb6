"""Quarantining, releasing and recalling a lot by hand: a permitted actor, a reason, one lot."""

from __future__ import annotations

import pytest
from clinic_data import gs1

from kiosk.domain.errors import (
    LotBlocked,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from kiosk.domain.model import LotStatus
from kiosk.services.lot_status import set_lot_status
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance


def lot(clinic, sku, number):
    with clinic.store.read() as tx:
        return tx.lot_by_number(tx.item_by_sku(sku).id, number)


def test_an_assistant_may_not_change_a_lot_status(clinic):
    with pytest.raises(PermissionDenied):
        set_lot_status(clinic.ctx, "B1", "BRK-U1", "BR-A", LotStatus.QUARANTINED, "dented box")
    assert lot(clinic, "BRK-U1", "BR-A").status is LotStatus.ACTIVE


def test_quarantine_blocks_the_lot_and_release_makes_it_usable_again(clinic):
    saved = set_lot_status(clinic.ctx, "B3", "BRK-U1", "BR-A", LotStatus.QUARANTINED,
                           " box arrived wet ")
    assert saved.status is LotStatus.QUARANTINED
    stored = lot(clinic, "BRK-U1", "BR-A")
    assert stored.status is LotStatus.QUARANTINED and stored.recall_notice == "box arrived wet"
    command = PlaceSupplies("C-1", "BRACKET", [gs1(clinic.gtin_bracket, "BR-A")], 1)
    with pytest.raises(LotBlocked, match="quarantined"):
        deduct_for_appliance(clinic.ctx, "B1", command)
    set_lot_status(clinic.ctx, "B2", "BRK-U1", "BR-A", "active", "inspected, dry inside")
    stored = lot(clinic, "BRK-U1", "BR-A")
    assert stored.status is LotStatus.ACTIVE and stored.recall_notice == "inspected, dry inside"
    deduct_for_appliance(clinic.ctx, "B1", command)
    assert clinic.lot_stock("BRK-U1", "BR-A") == 19


def test_a_recall_keeps_its_notice_and_cannot_be_released_here(clinic):
    set_lot_status(clinic.ctx, "B3", "WIR-014", "NT-1", LotStatus.RECALLED, "FDA Z-0202-2026")
    stored = lot(clinic, "WIR-014", "NT-1")
    assert stored.status is LotStatus.RECALLED and stored.recall_notice == "FDA Z-0202-2026"
    with pytest.raises(RuleViolation, match="recalled lot cannot be released"):
        set_lot_status(clinic.ctx, "B3", "WIR-014", "NT-1", LotStatus.ACTIVE, "looks fine")
    # the same status again is no change, so a retried central-then-local change is safe
    again = set_lot_status(clinic.ctx, "B3", "WIR-014", "NT-1", "RECALLED", "another notice")
    assert again.recall_notice == "FDA Z-0202-2026"
    assert lot(clinic, "WIR-014", "NT-1").recall_notice == "FDA Z-0202-2026"


@pytest.mark.parametrize(("sku", "number", "status", "reason", "error", "sentence"), [
    ("BRK-U1", "BR-A", LotStatus.QUARANTINED, "  ", ValidationError,
     "A reason is required to quarantine a lot."),
    ("BRK-U1", "BR-A", "LOST", "why", ValidationError, "is not ACTIVE, QUARANTINED or RECALLED"),
    ("BRK-U1", " ", LotStatus.QUARANTINED, "why", ValidationError, "lot number is empty"),
    ("BRK-U1", "NOPE", LotStatus.QUARANTINED, "why", NotFound, "Item BRK-U1 has no lot 'NOPE'"),
    ("NOPE-1", "BR-A", LotStatus.QUARANTINED, "why", NotFound, "No item has the SKU 'NOPE-1'"),
])
def test_bad_input_is_one_sentence_and_changes_nothing(clinic, sku, number, status, reason,
                                                       error, sentence):
    with pytest.raises(error) as raised:
        set_lot_status(clinic.ctx, "B3", sku, number, status, reason)
    assert sentence in str(raised.value) and "\n" not in str(raised.value)
    stored = lot(clinic, "BRK-U1", "BR-A")
    assert stored.status is LotStatus.ACTIVE and stored.recall_notice is None
