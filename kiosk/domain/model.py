"""Entities and value objects of the supply-usage domain (field names follow the seed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from kiosk.domain.permissions import Role


class ApplianceType(StrEnum):
    BRACKET = "BRACKET"
    BAND = "BAND"
    WIRE = "WIRE"
    BONDING = "BONDING"
    ELASTIC = "ELASTIC"
    ALIGNER = "ALIGNER"
    RETAINER = "RETAINER"
    EXPANDER = "EXPANDER"
    ACCESSORY = "ACCESSORY"


class CostCategory(StrEnum):
    """SupplyCostSummary fields; alignerCost is our addition to the seed model."""

    BRACKET = "bracketCost"
    WIRE = "wireCost"
    BONDING = "bondingCost"
    ELASTIC = "elasticCost"
    ACCESSORY = "accessoryCost"
    RETAINER = "retainerCost"
    ALIGNER = "alignerCost"


COST_CATEGORY_OF: dict[ApplianceType, CostCategory] = {
    ApplianceType.BRACKET: CostCategory.BRACKET,
    ApplianceType.BAND: CostCategory.BRACKET,
    ApplianceType.WIRE: CostCategory.WIRE,
    ApplianceType.BONDING: CostCategory.BONDING,
    ApplianceType.ELASTIC: CostCategory.ELASTIC,
    ApplianceType.RETAINER: CostCategory.RETAINER,
    ApplianceType.ALIGNER: CostCategory.ALIGNER,
    ApplianceType.EXPANDER: CostCategory.ACCESSORY,
    ApplianceType.ACCESSORY: CostCategory.ACCESSORY,
}


class LotStatus(StrEnum):
    ACTIVE = "ACTIVE"
    QUARANTINED = "QUARANTINED"
    RECALLED = "RECALLED"


class ApplianceStatus(StrEnum):
    ORDERED = "ORDERED"
    PLACED = "PLACED"
    REMOVED = "REMOVED"


class AdjustmentKind(StrEnum):
    ADJUSTMENT = "ADJUSTMENT"
    RECEIPT = "RECEIPT"


@dataclass(frozen=True)
class Vendor:
    id: str
    name: str


@dataclass(frozen=True)
class VendorOffer:
    vendor_id: str
    vendor_sku: str
    unit_cost: Decimal
    is_preferred: bool = False


@dataclass
class Item:
    id: str
    sku: str
    name: str
    category: ApplianceType
    unit_of_measure: str = "EACH"
    gtins: tuple[str, ...] = ()
    hibcc: tuple[str, ...] = ()
    reorder_point: int = 0
    reorder_quantity: int = 0
    quantity_on_hand: int = 0
    unit_cost: Decimal | None = None
    offers: list[VendorOffer] = field(default_factory=list)
    active: bool = True

    def preferred_offer(self) -> VendorOffer | None:
        preferred = [o for o in self.offers if o.is_preferred]
        return next(iter(preferred or self.offers), None)

    def offer_from(self, vendor_id: str | None) -> VendorOffer | None:
        return next((o for o in self.offers if o.vendor_id == vendor_id), None)


@dataclass
class Lot:
    id: str
    item_id: str
    lot_number: str
    expiration_date: date | None = None
    vendor_id: str | None = None
    unit_cost: Decimal | None = None
    quantity_on_hand: int = 0
    status: LotStatus = LotStatus.ACTIVE
    recall_notice: str | None = None


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    role: Role
    badge: str
    pin_hash: str = ""
    active: bool = True  # False once disabled or deleted centrally: cannot sign in nor act


PHONE_LEN = 40  # a phone number as people write it: "+1 (555) 010-2030 ext. 12"
CONTACT_NAME_LEN = 200


@dataclass(frozen=True)
class Patient:
    id: str
    chart_number: str
    first_name: str
    last_name: str
    phone: str = ""  # contact details for a recall: the patient's, and a guardian's
    guardian_name: str = ""
    guardian_phone: str = ""

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class ApplianceRecord:
    id: str
    patient_id: str
    type: ApplianceType
    status: ApplianceStatus
    treatment_plan_id: str | None = None
    placed_at: datetime | None = None


@dataclass(frozen=True)
class Usage:
    """One supply used on a patient: the seed's ApplianceInventoryLink plus kiosk fields."""

    id: str
    clinic_id: str
    kiosk_id: str
    kiosk_seq: int
    patient_id: str
    appliance_type: ApplianceType
    inventory_item_id: str
    quantity: int
    used_by: str
    usage_date: datetime
    created_at: datetime
    cost_category: CostCategory
    appliance_record_id: str | None = None
    treatment_plan_id: str | None = None
    lot_number: str | None = None
    lot_id: str | None = None
    expiration_date: date | None = None
    unit_cost: Decimal | None = None
    notes: str | None = None
    override_reason: str | None = None
    override_by: str | None = None  # the staff id who approved the override, when not used_by

    @property
    def line_cost(self) -> Decimal:
        return (self.unit_cost or Decimal(0)) * self.quantity


@dataclass(frozen=True)
class UsageVoid:
    """A correction event: the usage stays, this event nets it out."""

    id: str
    clinic_id: str
    kiosk_id: str
    kiosk_seq: int
    usage_id: str
    voided_by: str
    reason: str
    voided_at: datetime


@dataclass(frozen=True)
class Adjustment:
    """A stock change that is not a usage: a manual correction or a receipt into a lot."""

    id: str
    clinic_id: str
    kiosk_id: str
    kiosk_seq: int
    kind: AdjustmentKind
    inventory_item_id: str
    quantity_delta: int
    reason: str
    actor_id: str
    created_at: datetime
    lot_id: str | None = None
    lot_number: str | None = None
    unit_cost: Decimal | None = None
