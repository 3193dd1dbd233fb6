"""Corrections are new events with a reason and an actor; no usage is ever edited (rule 6).

Who may void is decided here, for the chair, the back office and the CLI alike: your own
usage within ``VOID_WINDOW`` needs appliance:update; anyone else's, or an older one,
inventory:adjust (``permissions.void_permission``).
"""

from __future__ import annotations

from kiosk.domain.errors import (
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationError,
    staff_by_id,
)
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import Adjustment, AdjustmentKind, Staff, Usage, UsageVoid
from kiosk.domain.permissions import (
    VOID_WINDOW,
    Permission,
    has_permission,
    require,
    role_label,
    void_permission,
    who_may,
)
from kiosk.domain.rules import require_reason, validate_delta
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize, find_actor, find_item
from kiosk.services.payloads import adjustment_event, void_event


def void_usage(ctx: ServiceContext, actor: str, usage_id: str, reason: str) -> UsageVoid:
    """Net out one usage and put its quantity back into stock."""
    reason = require_reason(reason, "void a usage")
    with ctx.store.write() as tx:
        staff = find_actor(tx, actor)
        if not has_permission(staff.role, Permission.INVENTORY_ADJUST):
            require(staff.name, staff.role, Permission.APPLIANCE_UPDATE, staff.id)
        usage = tx.usage((usage_id or "").strip())
        if usage is None:
            raise NotFound(f"No usage has the id {usage_id!r}.")
        _may_void(ctx, staff, usage)
        if tx.void_for(usage.id) is not None:
            raise RuleViolation(f"Usage {usage.id} is already voided; there is nothing left to "
                                "void.")
        identity = tx.identity()
        void = UsageVoid(
            id=new_object_id(), clinic_id=identity.clinic_id, kiosk_id=identity.kiosk_id,
            kiosk_seq=tx.next_kiosk_seq(), usage_id=usage.id, voided_by=staff.id,
            reason=reason, voided_at=ctx.now(),
        )
        tx.add_void(void)
        tx.enqueue(void_event(void))
        tx.change_stock(usage.inventory_item_id, usage.lot_id, usage.quantity)
        return void


def _may_void(ctx: ServiceContext, staff: Staff, usage: Usage) -> None:
    needed = void_permission(staff.id, usage.used_by, usage.created_at, ctx.now())
    if has_permission(staff.role, needed) or has_permission(staff.role,
                                                            Permission.INVENTORY_ADJUST):
        return
    minutes = int(VOID_WINDOW.total_seconds() // 60)
    raise PermissionDenied(
        f"{staff.name} ({role_label(staff.role)}) may void only their own usage within "
        f"{minutes} minutes of recording it; ask {who_may(Permission.INVENTORY_ADJUST)} "
        "(inventory:adjust) to void this one.", people=staff_by_id(staff.name, staff.id))


def adjust_stock(ctx: ServiceContext, actor: str, sku: str, *, lot_number: str | None,
                 delta: object, reason: str) -> Adjustment:
    """A counted correction of an item's (and optionally a lot's) on-hand quantity."""
    reason = require_reason(reason, "adjust stock")
    delta = validate_delta(_whole_number(delta))
    with ctx.store.write() as tx:
        staff = authorize(tx, actor, Permission.INVENTORY_ADJUST)
        item = find_item(tx, sku)
        lot = None
        if lot_number:
            lot = tx.lot_by_number(item.id, lot_number.strip())
            if lot is None:
                raise NotFound(f"Item {item.sku} has no lot {lot_number!r}.")
        identity = tx.identity()
        adjustment = Adjustment(
            id=new_object_id(), clinic_id=identity.clinic_id, kiosk_id=identity.kiosk_id,
            kiosk_seq=tx.next_kiosk_seq(), kind=AdjustmentKind.ADJUSTMENT,
            inventory_item_id=item.id, quantity_delta=delta, reason=reason, actor_id=staff.id,
            created_at=ctx.now(), lot_id=lot.id if lot else None,
            lot_number=lot.lot_number if lot else None,
        )
        tx.add_adjustment(adjustment)
        tx.enqueue(adjustment_event(adjustment))
        tx.change_stock(item.id, adjustment.lot_id, delta)
        return adjustment


def _whole_number(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValidationError(f"The quantity {str(value)[:20]!r} is not a whole number.") from None
