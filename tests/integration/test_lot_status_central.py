"""A lot quarantined at a kiosk with a central server is quarantined centrally first, so the
next pull keeps it quarantined instead of undoing it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bson import ObjectId

from kiosk import bootstrap
from kiosk.adapters.mongo.admin import init_central
from kiosk.adapters.mongo.client import connect, database
from kiosk.domain.errors import CentralUnavailable, PermissionDenied
from kiosk.domain.model import LotStatus
from kiosk.services.demo import DEMO_CLINIC_ID, IMPORT_ORDER, dated_lots


@pytest.fixture
def kiosk(tmp_path, central_uri):
    init_central(central_uri)
    config = tmp_path / "k.toml"
    bootstrap.init_kiosk(str(config), clinic_id=DEMO_CLINIC_ID, workstation_id="chair-1",
                         mongo_uri=central_uri, data_dir=str(tmp_path / "data"))
    kiosk = bootstrap.open_kiosk(str(config))
    for kind in IMPORT_ORDER:
        text = (bootstrap.DEMO_DIR / f"{kind}.csv").read_text(encoding="utf-8")
        if kind == "lots":
            text = dated_lots(text, datetime.now(UTC).date())
        kiosk.catalog.import_file(kind, text)
    sync(kiosk)
    yield kiosk
    kiosk.context.store.close()


def sync(kiosk):
    service, close = kiosk.sync_service()
    try:
        service.run_once()
    finally:
        close()


def central_lot(uri, number):
    with connect(uri) as client:
        doc = database(client).InventoryLot.find_one({"lotNumber": number,
                                                     "clinicId": ObjectId(DEMO_CLINIC_ID)})
        return doc["status"], doc.get("recallNotice")


def local_lot(kiosk, sku, number):
    with kiosk.context.store.read() as tx:
        lot = tx.lot_by_number(tx.item_by_sku(sku).id, number)
        return lot.status.value, lot.recall_notice


def test_a_quarantine_lands_centrally_and_survives_the_next_pull(kiosk, central_uri):
    assert local_lot(kiosk, "BRK-MBT-U1R", "B26A858") == ("ACTIVE", None)
    lot = kiosk.catalog.change_lot_status("B1007", "BRK-MBT-U1R", "B26A858",
                                      LotStatus.QUARANTINED, "bent brackets in the box")
    assert lot.status is LotStatus.QUARANTINED
    assert central_lot(central_uri, "B26A858") == ("QUARANTINED", "bent brackets in the box")
    assert local_lot(kiosk, "BRK-MBT-U1R", "B26A858") == ("QUARANTINED",
                                                          "bent brackets in the box")
    sync(kiosk)
    assert local_lot(kiosk, "BRK-MBT-U1R", "B26A858") == ("QUARANTINED",
                                                          "bent brackets in the box")
    kiosk.catalog.change_lot_status("B1007", "BRK-MBT-U1R", "B26A858", "ACTIVE",
                                "checked: only the outer box was bent")
    sync(kiosk)
    assert central_lot(central_uri, "B26A858")[0] == "ACTIVE"
    assert local_lot(kiosk, "BRK-MBT-U1R", "B26A858")[0] == "ACTIVE"


def test_an_assistant_changes_neither_the_central_nor_the_local_lot(kiosk, central_uri):
    with pytest.raises(PermissionDenied):
        kiosk.catalog.change_lot_status("B1001", "BRK-MBT-U1R", "B26A858",
                                    LotStatus.QUARANTINED, "looks odd")
    assert central_lot(central_uri, "B26A858") == ("ACTIVE", None)
    assert local_lot(kiosk, "BRK-MBT-U1R", "B26A858") == ("ACTIVE", None)


def test_with_the_central_server_down_the_lot_is_not_changed_anywhere(tmp_path):
    config = tmp_path / "down.toml"
    bootstrap.init_kiosk(str(config), clinic_id=DEMO_CLINIC_ID, workstation_id="chair-2",
                         mongo_uri="mongodb://127.0.0.1:9/kiosk?serverSelectionTimeoutMS=300",
                         data_dir=str(tmp_path / "down"))
    kiosk = bootstrap.open_kiosk(str(config))
    try:
        kiosk.seed_demo()
        with pytest.raises(CentralUnavailable, match="so lot B26A858 was not changed"):
            kiosk.catalog.change_lot_status("B1007", "BRK-MBT-U1R", "B26A858",
                                        LotStatus.QUARANTINED, "bent brackets")
        assert local_lot(kiosk, "BRK-MBT-U1R", "B26A858") == ("ACTIVE", None)
    finally:
        kiosk.context.store.close()
