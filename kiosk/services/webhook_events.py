"""Central changes -> the webhook events Financial and Reporting receive.

Payloads use the seed's camelCase field names, money as decimal strings, times as ISO 8601
UTC, dates as ISO dates, ids as hex text. A usage carries what the seed's
ApplianceInventoryLink carries (the patient's id, never a name). An item's fall to its reorder
point is one event per crossing: ``below`` holds the items already at or below it, and an item
leaves it only when its stock rose above the point again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from kiosk.domain.model import LotStatus
from kiosk.domain.webhooks import (
    LOT_RECALLED,
    STOCK_REORDER_POINT,
    USAGE_RECORDED,
    USAGE_VOIDED,
    event_id,
)
from kiosk.services.webhook_ports import Change

USAGE_FIELDS = ("applianceRecordId", "applianceType", "patientId", "inventoryItemId",
                "lotNumber", "expirationDate", "usageDate", "quantity", "unitCost", "usedBy",
                "notes", "createdAt", "costCategory", "treatmentPlanId", "kioskId")
VOID_FIELDS = ("voidedAt", "voidedBy", "voidReason")
DAY_FIELDS = frozenset({"expirationDate"})


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    clinic_id: str
    occurred_at: datetime
    data: Mapping[str, object]

    def body(self) -> bytes:
        """The exact bytes POSTed and signed."""
        envelope = {"id": self.id, "type": self.type, "clinicId": self.clinic_id,
                    "occurredAt": iso(self.occurred_at), "data": dict(self.data)}
        return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def events_for(change: Change, clinic_id: str, below: frozenset[str], now: datetime
               ) -> tuple[list[WebhookEvent], frozenset[str]]:
    """The events one change makes (none or one) and the items at or below their reorder
    point afterwards."""
    doc = change.document
    if str(doc.get("clinicId")) != clinic_id:  # the feed filters already; never leak
        return [], below
    at = change.at or now
    kind, data = _event(change, below)
    if change.kind == "item" and "quantityOnHand" in change.updated:
        below = _below_after(doc, change.updated["quantityOnHand"], below)
    if kind is None:
        return [], below
    return [WebhookEvent(event_id(change.key), kind, clinic_id, at, data)], below


def _event(change: Change, below: frozenset[str]) -> tuple[str | None, dict[str, object]]:
    doc, updated = change.document, change.updated
    if change.kind == "usage" and change.operation == "insert":
        return USAGE_RECORDED, _usage(doc)
    if change.kind == "usage" and updated.get("voidedAt") is not None:
        return USAGE_VOIDED, {**_usage(doc), **_fields(doc, VOID_FIELDS)}
    if change.kind == "lot" and updated.get("status") == LotStatus.RECALLED.value:
        return LOT_RECALLED, _lot(doc)
    if (change.kind == "item" and "quantityOnHand" in updated
            and _is_low(doc, updated["quantityOnHand"]) and str(doc.get("_id")) not in below):
        return STOCK_REORDER_POINT, _item(doc, updated["quantityOnHand"])
    return None, {}


def _below_after(doc: Mapping[str, object], quantity: object,
                 below: frozenset[str]) -> frozenset[str]:
    item = str(doc.get("_id"))
    return below | {item} if _is_low(doc, quantity) else below - {item}


def _is_low(doc: Mapping[str, object], quantity: object) -> bool:
    point = doc.get("reorderPoint")
    if not isinstance(point, int) or not isinstance(quantity, int):
        return False
    return quantity <= point


def _usage(doc: Mapping[str, object]) -> dict[str, object]:
    return {"id": str(doc.get("_id")), **_fields(doc, USAGE_FIELDS)}


def _item(doc: Mapping[str, object], quantity: object) -> dict[str, object]:
    return {"inventoryItemId": str(doc.get("_id")),
            **_fields(doc, ("sku", "name", "reorderPoint", "reorderQuantity")),
            "quantityOnHand": quantity}


def _lot(doc: Mapping[str, object]) -> dict[str, object]:
    return {"lotId": str(doc.get("_id")), "inventoryItemId": _plain("", doc.get("itemId")),
            **_fields(doc, ("lotNumber", "expirationDate", "quantityOnHand", "status",
                            "recallNotice"))}


def _fields(doc: Mapping[str, object], names: tuple[str, ...]) -> dict[str, object]:
    return {name: _plain(name, doc.get(name)) for name in names}


def _plain(name: str, value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).date().isoformat() if name in DAY_FIELDS else iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the millisecond."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
