"""Business rules of ARCHITECTURE §3, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from kiosk.domain.errors import LotBlocked, RuleViolation, ValidationError
from kiosk.domain.model import ApplianceRecord, ApplianceStatus, Item, Lot, LotStatus
from kiosk.domain.permissions import Permission, Role, has_permission
from kiosk.domain.values import one_line

MAX_LINE_QUANTITY = 500
MAX_ADJUST_QUANTITY = 100_000
DEFAULT_EXPIRY_WINDOW_DAYS = 30


class StockLevel(StrEnum):
    OK = "OK"
    LOW = "LOW"
    OUT = "OUT"


def stock_level(quantity_on_hand: int, reorder_point: int) -> StockLevel:
    """Rule 2: out when on-hand ≤ 0, low when on-hand ≤ reorder point."""
    if quantity_on_hand <= 0:
        return StockLevel.OUT
    if quantity_on_hand <= reorder_point:
        return StockLevel.LOW
    return StockLevel.OK


def suggested_order_quantity(quantity_on_hand: int, reorder_point: int,
                             reorder_quantity: int | None) -> int:
    """What the order list suggests: the reorder quantity, or enough to get back above the
    reorder point if that is more."""
    return max(reorder_quantity or 0, reorder_point - quantity_on_hand + 1)


def is_expired(lot: Lot, today: date) -> bool:
    return lot.expiration_date is not None and lot.expiration_date < today


def is_expiring_soon(lot: Lot, today: date, window_days: int = DEFAULT_EXPIRY_WINDOW_DAYS) -> bool:
    if lot.expiration_date is None or is_expired(lot, today):
        return False
    return lot.expiration_date <= today + timedelta(days=window_days)


def check_lot_usable(
    lot: Lot, today: date, actor_role: Role, override_reason: str | None = None
) -> None:
    """Rule 2: recalled and quarantined lots are blocked; expired ones need a permitted override."""
    if lot.status is LotStatus.RECALLED:
        notice = f" ({lot.recall_notice})" if lot.recall_notice else ""
        raise LotBlocked(f"Lot {lot.lot_number} is recalled{notice}; do not use it: set it "
                        "aside and scan another lot.")
    if lot.status is LotStatus.QUARANTINED:
        raise LotBlocked(f"Lot {lot.lot_number} is quarantined; use another lot.")
    if not is_expired(lot, today):
        return
    expired = f"Lot {lot.lot_number} expired on {lot.expiration_date:%Y-%m-%d}"
    if not (override_reason and override_reason.strip()):
        raise LotBlocked(f"{expired}; use another lot, or have a manager approve an override "
                         "with their badge and PIN.")
    if not has_permission(actor_role, Permission.INVENTORY_ADJUST):
        raise LotBlocked(f"{expired}; only a manager (inventory:adjust) may approve it: use "
                         "another lot, or have one approve with their badge and PIN.")


def frozen_unit_cost(item: Item, lot: Lot | None) -> Decimal | None:
    """Rule 4: lot cost, else the lot vendor's offer, else the preferred offer, else item cost."""
    if lot is not None and lot.unit_cost is not None:
        return lot.unit_cost
    if lot is not None and (offer := item.offer_from(lot.vendor_id)) is not None:
        return offer.unit_cost
    if (preferred := item.preferred_offer()) is not None:
        return preferred.unit_cost
    return item.unit_cost


def validate_quantity(quantity: object, maximum: int = MAX_LINE_QUANTITY) -> int:
    """A usage quantity is a whole number from 1 to ``maximum``."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        try:
            quantity = int(str(quantity).strip())
        except ValueError:
            shown = str(quantity)[:20]
            raise ValidationError(f"The quantity {shown!r} is not a whole number.") from None
    if quantity < 1:
        raise ValidationError("The quantity must be at least 1.")
    if quantity > maximum:
        raise ValidationError(f"The quantity {quantity} is more than {maximum}; check the count.")
    return quantity


def validate_delta(delta: int) -> int:
    """A manual adjustment is a non-zero whole number within a sane bound."""
    if delta == 0:
        raise ValidationError("An adjustment of 0 changes nothing; give a positive or negative "
                              "count.")
    if abs(delta) > MAX_ADJUST_QUANTITY:
        raise ValidationError(f"An adjustment of {delta} is beyond ±{MAX_ADJUST_QUANTITY}.")
    return delta


REASON_LEN = 500  # a reason or recall notice, typed here or pulled from central


def require_reason(reason: str | None, what: str) -> str:
    """The reason as one clean line (escape sequences and controls removed), or one
    sentence: it is shown in refusals, tables and labels as given."""
    text = one_line(reason or "")
    if not text:
        raise ValidationError(f"A reason is required to {what}.")
    if len(text) > REASON_LEN:
        raise ValidationError(f"The reason is longer than {REASON_LEN} characters.")
    return text


def check_appliance_deductible(record: ApplianceRecord, mark_placed: bool) -> None:
    """Rule 1: deduct only for PLACED records, or ORDERED ones placed by the same call."""
    if record.status is ApplianceStatus.PLACED:
        return
    if record.status is ApplianceStatus.ORDERED:
        if mark_placed:
            return
        raise RuleViolation(
            f"Appliance {record.id} is still ORDERED; mark it placed to deduct its supplies."
        )
    raise RuleViolation(f"Appliance {record.id} was REMOVED; supplies cannot be deducted for it.")
