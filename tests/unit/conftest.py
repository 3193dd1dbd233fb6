"""A small clinic on the in-memory store, with a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from clinic_data import ID, TODAY, FixedClock, with_check_digit
from fake_store import FakeStore

from kiosk.domain.model import (
    ApplianceRecord,
    ApplianceStatus,
    ApplianceType,
    Item,
    Lot,
    LotStatus,
    Patient,
    Staff,
    Vendor,
    VendorOffer,
)
from kiosk.domain.permissions import Role
from kiosk.services.context import ServiceContext, Settings
from kiosk.services.ports import KioskIdentity


@dataclass
class Clinic:
    ctx: ServiceContext
    store: FakeStore
    clock: FixedClock
    gtin_bracket: str
    gtin_wire: str
    gtin_bond: str
    gtin_elastic: str

    def stock(self, sku: str) -> int:
        with self.store.read() as tx:
            return tx.item_by_sku(sku).quantity_on_hand

    def lot_stock(self, sku: str, lot: str) -> int:
        with self.store.read() as tx:
            return tx.lot_by_number(tx.item_by_sku(sku).id, lot).quantity_on_hand



@pytest.fixture
def clinic() -> Clinic:
    store = FakeStore(KioskIdentity(kiosk_id=ID(900), clinic_id=ID(1), workstation_id="chair-1"))
    clock = FixedClock()
    ctx = ServiceContext(store=store, clock=clock, settings=Settings(timezone="UTC"))
    gtins = [with_check_digit(f"008123456700{n}") for n in range(1, 5)]
    north, south = Vendor(ID(301), "Northbay"), Vendor(ID(302), "Southbay")
    with store.write() as tx:
        for vendor in (north, south):
            tx.save_vendor(vendor)
        tx.save_staff(Staff(ID(11), "Ana Assistant", Role.ASSISTANT, "B1"))
        tx.save_staff(Staff(ID(12), "Otto Ortho", Role.ORTHODONTIST, "B2"))
        tx.save_staff(Staff(ID(13), "Ines Inventory", Role.INVENTORY_MANAGER, "B3"))
        tx.save_staff(Staff(ID(14), "Ivan IT", Role.IT_ADMIN, "B4"))
        tx.save_patient(Patient(ID(21), "C-1", "Zoë", "Álvarez"))
        tx.save_patient(Patient(ID(22), "C-2", "Sam", "Lee"))
        tx.save_appliance(ApplianceRecord(ID(31), ID(21), ApplianceType.BRACKET,
                                          ApplianceStatus.PLACED, treatment_plan_id=ID(41)))
        tx.save_appliance(ApplianceRecord(ID(32), ID(21), ApplianceType.WIRE,
                                          ApplianceStatus.ORDERED, treatment_plan_id=ID(41)))
        tx.save_appliance(ApplianceRecord(ID(33), ID(22), ApplianceType.BRACKET,
                                          ApplianceStatus.REMOVED))
        offers = [VendorOffer(north.id, "N-1", Decimal("2.50"), True),
                  VendorOffer(south.id, "S-1", Decimal("2.10"))]
        items = [
            Item(ID(51), "BRK-U1", "Twin bracket U1", ApplianceType.BRACKET, gtins=(gtins[0],),
                 hibcc=("A123BRK01",), reorder_point=5, offers=offers),
            Item(ID(52), "WIR-014", "NiTi 0.014 upper", ApplianceType.WIRE, gtins=(gtins[1],),
                 reorder_point=3, offers=[VendorOffer(north.id, "N-2", Decimal("1.75"), True)]),
            Item(ID(53), "BON-ADH", "Adhesive syringe", ApplianceType.BONDING, gtins=(gtins[2],),
                 reorder_point=1, offers=[VendorOffer(north.id, "N-3", Decimal("42.00"), True)]),
            Item(ID(54), "ELA-316", "Elastics 3/16 4.5oz", ApplianceType.ELASTIC,
                 gtins=(gtins[3],), reorder_point=2, unit_cost=Decimal("0.0450")),
        ]
        for item in items:
            tx.save_item(item)
        lots = [
            Lot(ID(61), ID(51), "BR-A", TODAY + timedelta(days=400), south.id, None, 20),
            Lot(ID(62), ID(51), "BR-B", TODAY + timedelta(days=300), north.id,
                Decimal("2.3333"), 10),
            Lot(ID(63), ID(52), "NT-1", TODAY + timedelta(days=200), north.id, None, 10),
            Lot(ID(64), ID(53), "AD-OLD", TODAY - timedelta(days=3), north.id, None, 2),
            Lot(ID(65), ID(53), "AD-RCL", TODAY + timedelta(days=90), north.id, None, 3,
                LotStatus.RECALLED, "FDA Z-0001-2026"),
            Lot(ID(66), ID(53), "AD-QRN", TODAY + timedelta(days=90), north.id, None, 1,
                LotStatus.QUARANTINED),
            Lot(ID(67), ID(54), "EL-1", TODAY + timedelta(days=20), None, None, 4),
        ]
        for lot in lots:
            tx.save_lot(lot)
            tx.change_stock(lot.item_id, None, lot.quantity_on_hand)
    return Clinic(ctx, store, clock, *gtins)
