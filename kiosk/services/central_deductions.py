"""The central API's write port: deductions other systems ask for, recorded exactly once.

A clinical module placing appliances calls ``POST /api/appliances/{id}/deduct-inventory`` or
``POST /api/appliances/bulk-deduct``; the API turns either into one ``DeductionRequest`` and
hands it to a ``CentralDeductions``. The implementation writes through the same exactly-once
ledger as kiosk pushes: one transaction with the usages, the stock, the patient's
SupplyCostSummary and a receipt holding the payload hash under the caller's idempotency key.
All lines or none are written. A replay of the same key and body answers the first result
again; another body under a used key is refused as a conflict. The kiosk's rules hold: placed
not ordered, recalled lots refused, expired lots refused unless the caller may override and
gives a reason, unit cost frozen at use.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True)
class DeductionLine:
    appliance_record_id: str
    inventory_item_id: str | None  # one of inventory_item_id and sku names the item
    sku: str | None
    lot_number: str | None
    quantity: int


@dataclass(frozen=True)
class DeductionRequest:
    clinic_id: str  # the API key's clinic; every read and write is filtered by it
    api_key_id: str  # idempotency keys are scoped per API key
    idempotency_key: str
    used_by: str  # the acting staff member; must exist and be active in the clinic
    lines: tuple[DeductionLine, ...]
    notes: str | None = None
    expired_override_reason: str | None = None  # honoured only when may_override_expired
    may_override_expired: bool = False  # the caller holds inventory:adjust


@dataclass(frozen=True)
class CreatedUsage:
    id: str  # the ApplianceInventoryLink id
    sku: str
    lot_number: str | None
    quantity: int
    unit_cost: Decimal


RefusalKind = Literal["not-found", "conflict", "invalid"]


class DeductionRefused(Exception):
    """Nothing was written. ``kind`` maps to HTTP 404 / 409 / 422; ``sentence`` is one plain
    sentence for the caller (no patient data)."""

    def __init__(self, kind: RefusalKind, sentence: str) -> None:
        super().__init__(sentence)
        self.kind = kind
        self.sentence = sentence


class CentralDeductions(ABC):
    @abstractmethod
    def deduct(self, request: DeductionRequest) -> list[CreatedUsage]:
        """Record every line or none; raise ``DeductionRefused`` or the central store's
        ``CentralUnavailable`` (retry later)."""
