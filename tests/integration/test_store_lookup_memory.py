"""The store remembers look-ups (staff, patients, items, lots) from one transaction to the
next on the same connection, and must never serve a remembered record after the row changed:
not after another connection's commit, not after a write on the same pooled connection
outside a transaction of the store, not after a rolled-back stock change."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from kiosk.bootstrap import open_demo_kiosk
from kiosk.domain.errors import LotBlocked, NotFound
from kiosk.services.placement import PlaceSupplies, bulk_deduct, deduct_for_appliance

SCAN = "(01)00812345671018(10)B25E392"  # BRK-MBT-U1R lot B25E392
GTIN = "00812345671018"


def place(ctx, scan: str = SCAN):
    return deduct_for_appliance(ctx, "B1001", PlaceSupplies("C-10239", "BRACKET", [scan]))


@pytest.fixture
def kiosk(tmp_path):
    kiosk = open_demo_kiosk(tmp_path / "demo")
    yield kiosk
    kiosk.context.store.close()


def on_disk(kiosk, sql: str) -> tuple:
    with sqlite3.connect(kiosk.config.database_path) as conn:
        row = conn.execute(sql).fetchone()
    conn.close()
    return row


def test_a_lot_recalled_by_another_connection_is_refused_at_the_next_scan(kiosk):
    ctx = kiosk.context
    place(ctx)
    place(ctx)  # the lot and item are now remembered on the writer's connection
    with sqlite3.connect(kiosk.config.database_path) as other:
        other.execute("UPDATE lots SET status = 'RECALLED', recall_notice = 'FDA 42' "
                      "WHERE lot_number = 'B25E392'")
    other.close()

    with pytest.raises(LotBlocked, match="recalled"):
        place(ctx)


def test_a_write_on_the_same_pooled_connection_outside_the_store_is_seen(kiosk):
    ctx = kiosk.context
    place(ctx)
    with ctx.store.engine.begin() as conn:  # the pool hands out the connection just used
        conn.execute(text("UPDATE lots SET status = 'QUARANTINED' WHERE lot_number = 'B25E392'"))

    with pytest.raises(LotBlocked, match="quarantined"):
        place(ctx)


def test_remembered_stock_follows_commits_and_forgets_a_rollback(kiosk):
    ctx = kiosk.context
    for _ in range(3):
        place(ctx)
    with ctx.store.read() as tx:
        remembered = tx.item_by_gtin(GTIN).quantity_on_hand
    assert (remembered,) == on_disk(kiosk, "SELECT quantity_on_hand FROM items "
                                           "WHERE sku = 'BRK-MBT-U1R'")

    good = PlaceSupplies("C-10239", "BRACKET", [SCAN])
    bad = PlaceSupplies("C-10239", "BRACKET", ["(01)00812345671018(10)NO-SUCH-LOT"],
                        appliance_id="64b3ffffffffffffffffffff")
    with pytest.raises(NotFound):
        bulk_deduct(ctx, "B1001", [good, bad])  # the first line's stock change is undone
    with ctx.store.read() as tx:
        item = tx.item_by_gtin(GTIN)
        lot = tx.lot_by_number(item.id, "B25E392")
    assert item.quantity_on_hand == remembered
    assert (lot.quantity_on_hand,) == on_disk(kiosk, "SELECT quantity_on_hand FROM lots "
                                                     "WHERE lot_number = 'B25E392'")


def test_a_changed_badge_is_seen_at_the_next_transaction(kiosk):
    ctx = kiosk.context
    place(ctx)
    with sqlite3.connect(kiosk.config.database_path) as other:
        other.execute("UPDATE staff SET badge = 'B1001-LOST' WHERE badge = 'B1001'")
    other.close()

    with pytest.raises(NotFound, match="B1001"):
        place(ctx)


def test_a_caller_changing_a_returned_item_does_not_change_the_memory(kiosk):
    ctx = kiosk.context
    place(ctx)
    with ctx.store.read() as tx:
        item = tx.item_by_gtin(GTIN)
        item.quantity_on_hand = -999
        item.offers.clear()
    with ctx.store.read() as tx:
        again = tx.item_by_gtin(GTIN)
    assert again.quantity_on_hand != -999
    assert again.offers
