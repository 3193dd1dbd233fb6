"""Lot tracking on a real MongoDB wire server: every use of a lot at the clinic, oldest first,
voids left out unless asked, no other clinic's documents, and served by the lot index."""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from test_central_push import BRACKET_SCAN, WIRE_SCAN, central_db, open_site, place, seed_catalog

from kiosk.adapters.mongo.lot_tracking import LOT_INDEX, lot_query
from kiosk.services.corrections import void_usage
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.sync_push import push_pending

OTHER_CLINIC = ObjectId("64b0000000000000000000cc")


def test_every_use_of_a_lot_at_this_clinic_oldest_first(central_uri, tmp_path):
    site = open_site(central_uri, tmp_path / "demo")
    client, db = central_db(central_uri)
    try:
        seed_catalog(db, site.ctx)
        first = place(site.ctx, [BRACKET_SCAN], quantity=2)[0]
        wire = place(site.ctx, [WIRE_SCAN], kind="WIRE")[0]
        second = place(site.ctx, [BRACKET_SCAN])[0]
        voided = place(site.ctx, [BRACKET_SCAN])[0]
        void_usage(site.ctx, "B1008", voided.id, "scanned twice")
        db.ApplianceInventoryLink.insert_one({  # the same lot number at another clinic
            "clinicId": OTHER_CLINIC, "lotNumber": "B25E392", "usageDate": datetime.now(UTC),
            "patientId": ObjectId(), "inventoryItemId": ObjectId(), "quantity": 9})
        assert push_pending(site.ctx, site.central).remaining == 0

        uses = site.central.lot_uses(["B25E392", " B25E392 ", ""])

        assert [u.usage_id for u in uses] == [first.id, second.id]
        assert [u.quantity for u in uses] == [2, 1]
        assert {u.lot_number for u in uses} == {"B25E392"}
        assert uses[0].patient_id == first.patient_id
        assert uses[0].item_id == first.inventory_item_id
        assert uses[0].usage_date <= uses[1].usage_date
        assert uses[0].usage_date.tzinfo is not None
        with_voids = site.central.lot_uses(["B25E392"], include_voided=True)
        assert [(u.usage_id, u.voided) for u in with_voids] == [
            (first.id, False), (second.id, False), (voided.id, True)]
        both = site.central.lot_uses(["TM2609F", "B25E392"])
        assert [u.usage_id for u in both] == [wire.id, first.id, second.id]
        assert site.central.lot_uses(["NO-SUCH-LOT"]) == []
    finally:
        site.central.close()
        client.close()


def test_the_lot_query_is_served_by_the_clinic_first_lot_index(central_uri):
    client, db = central_db(central_uri)
    try:
        plan = (db.ApplianceInventoryLink.find(lot_query(ObjectId(DEMO_CLINIC_ID), "B25E392"))
                .sort("usageDate", 1).explain())
    finally:
        client.close()
    assert f"'indexName': '{LOT_INDEX}'" in str(plan["queryPlanner"]["winningPlan"])
    assert "COLLSCAN" not in str(plan["queryPlanner"]["winningPlan"])
