"""Outbox payloads: the central documents' fields (camelCase, seed names) as JSON text."""

from __future__ import annotations

import json
from datetime import datetime

from kiosk.domain.model import Adjustment, Lot, Usage, UsageVoid
from kiosk.domain.values import plain
from kiosk.services.ports import OutboxEvent

USAGE_RECORDED = "UsageRecorded"
USAGE_VOIDED = "UsageVoided"
STOCK_ADJUSTED = "StockAdjusted"


def _event(event_type: str, event_id: str, seq: int, at: datetime,
           body: dict[str, object]) -> OutboxEvent:
    text = json.dumps({k: plain(v) for k, v in body.items()}, sort_keys=True)
    return OutboxEvent(event_id=event_id, kiosk_seq=seq, event_type=event_type, payload=text,
                       created_at=at)


def usage_event(usage: Usage) -> OutboxEvent:
    return _event(USAGE_RECORDED, usage.id, usage.kiosk_seq, usage.created_at, {
        "_id": usage.id, "clinicId": usage.clinic_id,
        "applianceRecordId": usage.appliance_record_id,
        "applianceType": usage.appliance_type.value, "patientId": usage.patient_id,
        "inventoryItemId": usage.inventory_item_id, "lotNumber": usage.lot_number,
        "lotId": usage.lot_id, "expirationDate": usage.expiration_date,
        "usageDate": usage.usage_date, "quantity": usage.quantity, "unitCost": usage.unit_cost,
        "usedBy": usage.used_by, "notes": usage.notes, "createdAt": usage.created_at,
        "kioskId": usage.kiosk_id, "kioskSeq": usage.kiosk_seq,
        "treatmentPlanId": usage.treatment_plan_id, "costCategory": usage.cost_category.value,
        "overrideReason": usage.override_reason, "overrideBy": usage.override_by,
    })


def void_event(void: UsageVoid) -> OutboxEvent:
    return _event(USAGE_VOIDED, void.id, void.kiosk_seq, void.voided_at, {
        "_id": void.id, "clinicId": void.clinic_id, "usageId": void.usage_id,
        "voidedAt": void.voided_at, "voidedBy": void.voided_by, "voidReason": void.reason,
        "kioskId": void.kiosk_id, "kioskSeq": void.kiosk_seq,
    })


def adjustment_event(adj: Adjustment, lot: Lot | None = None) -> OutboxEvent:
    """A stock change; a receipt carries the lot so the central store can create it."""
    lot_fields = {} if lot is None else {
        "expirationDate": lot.expiration_date, "vendorId": lot.vendor_id,
        "lotUnitCost": lot.unit_cost, "lotStatus": lot.status.value,
    }
    return _event(STOCK_ADJUSTED, adj.id, adj.kiosk_seq, adj.created_at, lot_fields | {
        "_id": adj.id, "clinicId": adj.clinic_id, "kind": adj.kind.value,
        "inventoryItemId": adj.inventory_item_id, "lotId": adj.lot_id,
        "lotNumber": adj.lot_number, "quantity": adj.quantity_delta, "reason": adj.reason,
        "adjustedBy": adj.actor_id, "unitCost": adj.unit_cost, "createdAt": adj.created_at,
        "kioskId": adj.kiosk_id, "kioskSeq": adj.kiosk_seq,
    })
