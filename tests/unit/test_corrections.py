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
from kiosk.domain.permissions import VOID_WINDOW
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


def placed_by(clinic, actor, quantity=1):
    command = PlaceSupplies("C-1", "BRACKET", [gs1(clinic.gtin_bracket, "BR-A")], quantity)
    return deduct_for_appliance(clinic.ctx, actor, command)[0]


def test_an_assistant_voids_only_their_own_recent_usage(clinic):
    """Issue 14 item 8: any assistant could void anyone's usage at any age through the CLI;
    the chair allows only your own last placement, within the void window."""
    others = placed_by(clinic, "B2")  # the orthodontist's
    with pytest.raises(PermissionDenied) as refused:
        void_usage(clinic.ctx, "B1", others.id, "not mine")
    sentence = str(refused.value)
    assert "inventory:adjust" in sentence and sentence.count(".") == 1
    assert "ask an orthodontist, inventory manager or clinic manager" in sentence
    own = placed_by(clinic, "B1")
    clinic.clock.at += VOID_WINDOW + timedelta(seconds=1)
    with pytest.raises(PermissionDenied, match="inventory:adjust"):
        void_usage(clinic.ctx, "B1", own.id, "too late")
    assert clinic.stock("BRK-U1") == 28 and not clinic.store.state.voids


def test_a_manager_voids_anyones_usage_at_any_age(clinic):
    own, others = placed_by(clinic, "B1"), placed_by(clinic, "B1")
    clinic.clock.at += timedelta(days=3)
    void_usage(clinic.ctx, "B2", own.id, "counted wrong")  # orthodontist: inventory:adjust
    void_usage(clinic.ctx, "B3", others.id, "counted wrong")  # inventory manager
    with pytest.raises(PermissionDenied):
        void_usage(clinic.ctx, "B4", placed_by(clinic, "B1").id, "IT")
    assert clinic.stock("BRK-U1") == 29


def test_an_assistant_voids_their_own_usage_within_the_window(clinic):
    own = placed_by(clinic, "B1")
    clinic.clock.at += VOID_WINDOW - timedelta(seconds=1)
    void_usage(clinic.ctx, "B1", own.id, "wrong tooth")
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
