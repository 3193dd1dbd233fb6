"""Quarantine, release or recall one lot by hand, with a reason and a permitted actor.

The reason is kept on the lot in ``recall_notice`` (the lot's only note field): for a RECALLED
lot it is the recall notice shown at the chair; for QUARANTINED and ACTIVE it says why the lot
was set aside or released. A RECALLED lot stays recalled: a recall comes from the manufacturer
or the FDA and is not undone at a kiosk. Setting the status a lot already has changes nothing,
so a change applied centrally and then retried locally is safe.
"""

from __future__ import annotations

from kiosk.domain.errors import NotFound, RuleViolation, ValidationError
from kiosk.domain.model import Lot, LotStatus
from kiosk.domain.permissions import Permission
from kiosk.domain.rules import require_reason
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize, find_item

VERB = {LotStatus.ACTIVE: "release a lot", LotStatus.QUARANTINED: "quarantine a lot",
        LotStatus.RECALLED: "recall a lot"}


def parse_status(status: object) -> LotStatus:
    """A LotStatus from an enum member or its name (any case), or one sentence saying why not."""
    if isinstance(status, LotStatus):
        return status
    try:
        return LotStatus(str(status).strip().upper())
    except ValueError:
        raise ValidationError(f"The lot status {str(status)[:20]!r} is not ACTIVE, QUARANTINED "
                              "or RECALLED.") from None


def set_lot_status(ctx: ServiceContext, actor: str, sku: str, lot_number: str,  # noqa: PLR0917
                   status: LotStatus | str, reason: str) -> Lot:
    """Set one lot's status (needs inventory:adjust and a reason); returns the lot as saved."""
    status = parse_status(status)
    reason = require_reason(reason, VERB[status])
    number = (lot_number or "").strip()
    if not number:
        raise ValidationError("Name the lot to change: its lot number is empty.")
    with ctx.store.write() as tx:
        authorize(tx, actor, Permission.INVENTORY_ADJUST)
        item = find_item(tx, sku)
        lot = tx.lot_by_number(item.id, number)
        if lot is None:
            raise NotFound(f"Item {item.sku} has no lot {number!r}.")
        if lot.status is status:
            return lot
        if lot.status is LotStatus.RECALLED:
            raise RuleViolation(f"Lot {lot.lot_number} is recalled; a recalled lot cannot be "
                                "released or quarantined.")
        lot.status = status
        lot.recall_notice = reason
        tx.save_lot(lot)
        return lot
