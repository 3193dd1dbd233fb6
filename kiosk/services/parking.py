"""Park an unconfirmed cart at sign-out, offer it to the next user, resume or discard it.

Nothing used is ever thrown away: a non-empty cart is written to the store before the kiosk
says "signed out"; the next user at this kiosk gets it back (Resume) or discards it with a
reason. A parked cart is never deleted: a closed one is the audit record (who parked it, who
closed it, when, why, and its lines). Qt-free; every function here touches the store, so the
UI calls them on the writer executor.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kiosk.domain.errors import RuleViolation, ValidationError
from kiosk.domain.ids import new_object_id
from kiosk.domain.model import ApplianceRecord, Patient, Staff
from kiosk.services.cart import CartLine
from kiosk.services.chairside import PatientDay
from kiosk.services.context import ServiceContext
from kiosk.services.ports import DISCARDED, RESUMED, ParkedCart, ParkedLine

IDLE, SIGN_OUT = "idle", "sign_out"
DISCARD_REASONS = (
    "Supplies were not used after all",
    "Already recorded on another kiosk",
    "Scanned by mistake or for training",
    "Supplies went back to stock",
)
ALREADY_CLOSED = ("That parked cart was already resumed or discarded; nothing changed. "
                  "Pick the patient and scan the supplies again if they were used.")


@dataclass(frozen=True)
class Resumed:
    """A resumed cart: its lines back as cart lines, and its patient (None when none was
    picked, or the patient is no longer in the kiosk's records)."""

    cart: ParkedCart
    lines: tuple[CartLine, ...]
    day: PatientDay | None
    record_id: str | None


def parked_line(line: CartLine) -> ParkedLine:
    return ParkedLine(item_id=line.item_id, sku=line.sku, name=line.name,
                      category=line.category, lot_number=line.lot_number, expiry=line.expiry,
                      unit_cost=line.unit_cost, scans=line.scans, quantity=line.quantity,
                      expiring_soon=line.expiring_soon, override_reason=line.override_reason)


def cart_line(line: ParkedLine) -> CartLine:
    return CartLine(item_id=line.item_id, sku=line.sku, name=line.name,
                    category=line.category, lot_number=line.lot_number, expiry=line.expiry,
                    unit_cost=line.unit_cost, scans=line.scans, quantity=line.quantity,
                    expiring_soon=line.expiring_soon, override_reason=line.override_reason)


def park(ctx: ServiceContext, staff: Staff, lines: tuple[CartLine, ...] | list[CartLine],
         *, patient: Patient | None = None, record: ApplianceRecord | None = None,
         cause: str = SIGN_OUT) -> ParkedCart | None:
    """Store the cart durably (committed when this returns); None when it has no lines."""
    if not lines:
        return None
    cart = ParkedCart(
        id=new_object_id(), parked_at=ctx.clock.now(), parked_by=staff.id,
        parked_by_name=staff.name, cause=cause, lines=tuple(parked_line(li) for li in lines),
        patient_id=patient.id if patient else None,
        patient_name=patient.display_name if patient else None,
        chart_number=patient.chart_number if patient else None,
        appliance_id=record.id if record else None,
    )
    with ctx.store.write() as tx:
        tx.add_parked_cart(cart)
    return cart


def offered(ctx: ServiceContext) -> list[ParkedCart]:
    """The carts waiting at this kiosk, oldest first."""
    with ctx.store.read() as tx:
        return tx.parked_carts()


def resume(ctx: ServiceContext, staff: Staff, cart_id: str) -> Resumed:
    """Take a parked cart back: marked RESUMED (so it is offered no more) and returned."""
    with ctx.store.write() as tx:
        cart = tx.parked_cart(cart_id)
        if cart is None or not tx.close_parked_cart(cart_id, RESUMED, staff,
                                                    ctx.clock.now()):
            raise RuleViolation(ALREADY_CLOSED)
        day = None
        patient = tx.patient_by_id(cart.patient_id) if cart.patient_id else None
        if patient is not None:
            day = PatientDay(patient, tuple(tx.appliances_for_patient(patient.id)))
        closed = tx.parked_cart(cart_id)
    assert closed is not None
    return Resumed(closed, tuple(cart_line(li) for li in cart.lines), day, cart.appliance_id)


def discard(ctx: ServiceContext, staff: Staff, cart_id: str, reason: str) -> ParkedCart:
    """Discard a parked cart for ``reason``; the row stays as the audit record."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Pick why the parked cart is discarded, then tap Discard.")
    with ctx.store.write() as tx:
        if not tx.close_parked_cart(cart_id, DISCARDED, staff, ctx.clock.now(),
                                    reason):
            raise RuleViolation(ALREADY_CLOSED)
        closed = tx.parked_cart(cart_id)
    assert closed is not None
    return closed


def item_count(cart: ParkedCart) -> int:
    return sum(line.quantity for line in cart.lines)


def offer_sentence(cart: ParkedCart, timezone: str) -> str:
    """'Parked cart for Mateo Hernández, 3 items, 10:42', the time in the clinic's zone."""
    local = cart.parked_at.astimezone(ZoneInfo(timezone))
    count = item_count(cart)
    whom = f"for {cart.patient_name}" if cart.patient_name else "(no patient picked)"
    return (f"Parked cart {whom}, {count} item{'s' if count != 1 else ''}, {local:%H:%M}"
            f" — parked by {cart.parked_by_name}")
