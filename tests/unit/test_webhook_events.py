"""Central changes mapped to webhook events: camelCase payloads, money as strings, UTC times,
ids for dedupe, another clinic's changes never mapped, and the reorder point once per
crossing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from clinic_data import ID

from kiosk.domain.webhooks import event_id
from kiosk.services.webhook_events import events_for
from kiosk.services.webhook_ports import Change

CLINIC = ID(1)
NOW = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)
AT = datetime(2026, 12, 3, 19, 59, 58, 123000, tzinfo=UTC)
LINK = {"_id": ID(501), "clinicId": CLINIC, "applianceRecordId": ID(601),
        "applianceType": "BRACKET", "patientId": ID(701), "inventoryItemId": ID(801),
        "lotNumber": "B25E392", "expirationDate": datetime(2028, 7, 1, tzinfo=UTC),
        "usageDate": AT, "quantity": 2, "unitCost": Decimal("3.370"), "usedBy": ID(11),
        "notes": None, "createdAt": AT, "costCategory": "bracketCost", "treatmentPlanId": None,
        "kioskId": ID(900), "kioskSeq": 7, "voidedAt": None}


def change(kind, operation, document, updated=None, key="t1", at=AT) -> Change:
    return Change(key=key, token={"_data": key}, kind=kind, operation=operation,
                  document=document, updated=updated or {}, at=at)


def item(quantity: int, point: int = 10) -> dict:
    return {"_id": ID(801), "clinicId": CLINIC, "sku": "BRK-1", "name": "Bracket",
            "reorderPoint": point, "reorderQuantity": 50, "quantityOnHand": quantity}


def test_a_usage_insert_is_usage_recorded_with_the_seed_fields_as_plain_json():
    [event], below = events_for(change("usage", "insert", LINK), CLINIC, frozenset(), NOW)
    assert (event.type, event.id, event.clinic_id, below) == (
        "usage.recorded", event_id("t1"), CLINIC, frozenset())
    body = json.loads(event.body())
    assert body["occurredAt"] == "2026-12-03T19:59:58.123Z"
    data = body["data"]
    assert data["id"] == ID(501) and data["patientId"] == ID(701)
    assert data["unitCost"] == "3.370" and data["quantity"] == 2
    assert data["expirationDate"] == "2028-07-01"
    assert data["usageDate"] == "2026-12-03T19:59:58.123Z"
    assert "kioskSeq" not in data and "firstName" not in json.dumps(body)


def test_a_void_update_is_usage_voided_with_who_when_and_why():
    voided = {**LINK, "voidedAt": NOW, "voidedBy": ID(12), "voidReason": "wrong patient"}
    [event], _ = events_for(change("usage", "update", voided,
                                   {"voidedAt": NOW, "voidedBy": ID(12)}), CLINIC,
                            frozenset(), NOW)
    data = json.loads(event.body())["data"]
    assert event.type == "usage.voided"
    assert (data["id"], data["voidedBy"], data["voidReason"]) == (ID(501), ID(12),
                                                                  "wrong patient")
    assert data["voidedAt"] == "2026-12-03T20:00:00.000Z"


def test_a_lot_set_to_recalled_is_lot_recalled_and_other_lot_changes_are_nothing():
    lot = {"_id": ID(901), "clinicId": CLINIC, "itemId": ID(801), "lotNumber": "L1",
           "expirationDate": None, "quantityOnHand": 4, "status": "RECALLED",
           "recallNotice": "Z-1234-2026"}
    [event], _ = events_for(change("lot", "update", lot, {"status": "RECALLED"}), CLINIC,
                            frozenset(), NOW)
    data = json.loads(event.body())["data"]
    assert event.type == "lot.recalled"
    assert (data["lotId"], data["inventoryItemId"], data["recallNotice"]) == (
        ID(901), ID(801), "Z-1234-2026")
    assert events_for(change("lot", "update", lot, {"quantityOnHand": 3}), CLINIC,
                      frozenset(), NOW)[0] == []


def test_the_reorder_point_fires_once_per_crossing():
    below: frozenset[str] = frozenset()
    fired = []
    for n, quantity in enumerate([12, 10, 8, 3, 11, 15, 9, 10, 20]):
        events, below = events_for(change("item", "update", item(quantity),
                                          {"quantityOnHand": quantity}, key=f"t{n}"),
                                   CLINIC, below, NOW)
        fired += [(quantity, json.loads(e.body())["data"]["quantityOnHand"]) for e in events]
    assert [q for q, _ in fired] == [10, 9]  # at the point, then again after rising above
    assert all(q == data for q, data in fired)
    assert below == frozenset()


def test_an_item_already_below_its_point_when_watching_began_does_not_fire():
    events, below = events_for(change("item", "update", item(4), {"quantityOnHand": 4}),
                               CLINIC, frozenset({ID(801)}), NOW)
    assert events == [] and below == frozenset({ID(801)})


def test_an_item_change_that_leaves_stock_alone_is_nothing():
    assert events_for(change("item", "update", item(3), {"name": "renamed"}), CLINIC,
                      frozenset(), NOW) == ([], frozenset())


def test_another_clinics_change_is_never_mapped():
    other = {**LINK, "clinicId": ID(2)}
    assert events_for(change("usage", "insert", other), CLINIC, frozenset(), NOW)[0] == []


def test_without_a_server_time_the_event_takes_the_clock():
    [event], _ = events_for(change("usage", "insert", LINK, at=None), CLINIC, frozenset(), NOW)
    assert event.occurred_at == NOW
