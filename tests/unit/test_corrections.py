"""Voids, manual adjustments and receiving: new events, never edits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from clinic_data import TODAY, gs1

from kiosk.domain.errors import (
    LotBlocked,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from kiosk.domain.model import AdjustmentKind
from kiosk.services.corrections import adjust_stock, void_usage
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.receiving import receive_stock


def used(clinic, quantity=2):
    command = PlaceSupplies("C-1", "BRACKET", [gs1(clinic.gtin_bracket, "BR-A")], quantity)
    return deduct_for_appliance(clinic.ctx, "B1", command)[0]


def test_void_restores_stock_keeps_the_usage_and_queues_an_event(clinic):
    usage = used(clinic)
    void = void_usage(clinic.ctx, "B1", usage.id, "scanned the wrong patient")
    assert clinic.stock("BRK-U1") == 30 and clinic.lot_stock("BRK-U1", "BR-A") == 20
    assert clinic.store.state.usages[usage.id] == usage
    assert void.kiosk_seq == usage.kiosk_seq + 1 and void.id in clinic.store.state.outbox


def test_void_twice_unknown_or_without_reason_is_refused(clinic):
    usage = used(clinic)
    with pytest.raises(ValidationError, match="reason is required"):
        void_usage(clinic.ctx, "B1", usage.id, "  ")
    void_usage(clinic.ctx, "B1", usage.id, "wrong patient")
    with pytest.raises(RuleViolation, match="already voided"):
        void_usage(clinic.ctx, "B1", usage.id, "again")
    with pytest.raises(NotFound):
        void_usage(clinic.ctx, "B1", "f" * 24, "ghost")
    assert clinic.stock("BRK-U1") == 30


def test_adjust_needs_permission_reason_and_a_real_count(clinic):
    with pytest.raises(PermissionDenied):
        adjust_stock(clinic.ctx, "B1", "BRK-U1", lot_number="BR-A", delta=-2, reason="counted")
    with pytest.raises(ValidationError, match="0 changes nothing"):
        adjust_stock(clinic.ctx, "B3", "BRK-U1", lot_number="BR-A", delta=0, reason="counted")
    with pytest.raises(ValidationError, match="reason"):
        adjust_stock(clinic.ctx, "B3", "BRK-U1", lot_number="BR-A", delta=-2, reason="")
    with pytest.raises(NotFound, match="no lot"):
        adjust_stock(clinic.ctx, "B3", "BRK-U1", lot_number="NOPE", delta=-2, reason="counted")
    adjustment = adjust_stock(clinic.ctx, "B3", "BRK-U1", lot_number="BR-A", delta="-2",
                              reason="cycle count")
    assert adjustment.kind is AdjustmentKind.ADJUSTMENT and adjustment.quantity_delta == -2
    assert clinic.stock("BRK-U1") == 28 and clinic.lot_stock("BRK-U1", "BR-A") == 18


def test_receive_creates_a_new_lot_with_label_expiry_and_cost(clinic):
    expiry = TODAY + timedelta(days=500)
    receipt = receive_stock(clinic.ctx, "B3", gs1(clinic.gtin_wire, "NT-9", expiry), 12,
                            unit_cost="1.60", vendor="Northbay")
    with clinic.store.read() as tx:
        lot = tx.lot_by_number(tx.item_by_sku("WIR-014").id, "NT-9")
    assert lot.expiration_date == expiry and lot.unit_cost == Decimal("1.60")
    assert receipt.kind is AdjustmentKind.RECEIPT and clinic.stock("WIR-014") == 22


def test_receive_into_known_lot_adds_stock_and_refuses_conflicts(clinic):
    receive_stock(clinic.ctx, "B3", gs1(clinic.gtin_bracket, "BR-A"), 5)
    assert clinic.lot_stock("BRK-U1", "BR-A") == 25
    with pytest.raises(ValidationError, match="catalog says"):
        receive_stock(clinic.ctx, "B3", gs1(clinic.gtin_bracket, "BR-A", TODAY), 5)
    with pytest.raises(LotBlocked, match="recalled"):
        receive_stock(clinic.ctx, "B3", gs1(clinic.gtin_bond, "AD-RCL"), 5)
    with pytest.raises(ValidationError, match="no lot number"):
        receive_stock(clinic.ctx, "B3", gs1(clinic.gtin_bond), 5)
    with pytest.raises(PermissionDenied):
        receive_stock(clinic.ctx, "B1", gs1(clinic.gtin_bracket, "BR-A"), 5)
    assert clinic.lot_stock("BRK-U1", "BR-A") == 25
