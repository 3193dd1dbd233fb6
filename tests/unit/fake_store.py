"""An in-memory Store for unit tests of services: same contract, no I/O.

A write transaction works on a deep copy and replaces the state only when the block ends
normally, so all-or-nothing behaviour is observable exactly as with SQLite.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from kiosk.domain.errors import KioskError
from kiosk.services.ports import (
    ANY_USAGE,
    KioskIdentity,
    OutboxCounts,
    OutboxEntry,
    Store,
    Tx,
)


@dataclass
class State:
    identity: KioskIdentity
    seq: int = 0
    staff: dict = field(default_factory=dict)
    patients: dict = field(default_factory=dict)
    appliances: dict = field(default_factory=dict)
    vendors: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    lots: dict = field(default_factory=dict)
    usages: dict = field(default_factory=dict)
    voids: dict = field(default_factory=dict)
    adjustments: list = field(default_factory=list)
    outbox: dict = field(default_factory=dict)
    outbox_state: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    attempts: dict = field(default_factory=dict)
    cursors: dict = field(default_factory=dict)
    parked: dict = field(default_factory=dict)
    lockouts: dict = field(default_factory=dict)


class FakeTx(Tx):
    def __init__(self, state: State, writable: bool) -> None:
        self.s = state
        self.writable = writable

    def _w(self) -> None:
        assert self.writable, "write through a read transaction"

    def identity(self): return self.s.identity
    def next_kiosk_seq(self):
        self._w()
        self.s.seq += 1
        return self.s.seq

    def staff_by_id(self, staff_id): return self.s.staff.get(staff_id)
    def staff_by_badge(self, badge):
        return next((m for m in self.s.staff.values()
                     if m.badge.upper() == badge.upper()), None)
    def all_staff(self): return list(self.s.staff.values())
    def save_staff(self, staff):
        self._w()
        self.s.staff[staff.id] = staff

    def patient_by_id(self, patient_id): return self.s.patients.get(patient_id)
    def patient_by_chart(self, chart):
        return next((p for p in self.s.patients.values() if p.chart_number == chart), None)
    def all_patients(self): return list(self.s.patients.values())
    def save_patient(self, patient):
        self._w()
        self.s.patients[patient.id] = patient

    def appliance(self, appliance_id): return copy.copy(self.s.appliances.get(appliance_id))
    def appliances_for_patient(self, patient_id):
        return [a for a in self.s.appliances.values() if a.patient_id == patient_id]
    def save_appliance(self, record):
        self._w()
        self.s.appliances[record.id] = record

    def vendor_by_id(self, vendor_id): return self.s.vendors.get(vendor_id)
    def vendor_by_name(self, name):
        return next((v for v in self.s.vendors.values() if v.name.lower() == name.lower()), None)
    def save_vendor(self, vendor):
        self._w()
        self.s.vendors[vendor.id] = vendor

    def item(self, item_id): return copy.deepcopy(self.s.items.get(item_id))
    def item_by_sku(self, sku):
        return copy.deepcopy(next((i for i in self.s.items.values() if i.sku == sku), None))
    def item_by_gtin(self, gtin14):
        return copy.deepcopy(next((i for i in self.s.items.values() if gtin14 in i.gtins), None))
    def item_by_hibcc(self, key):
        return copy.deepcopy(next((i for i in self.s.items.values() if key in i.hibcc), None))
    def all_items(self): return [copy.deepcopy(i) for i in self.s.items.values()]
    def save_item(self, item):
        self._w()
        self.s.items[item.id] = copy.deepcopy(item)

    def lot(self, lot_id): return copy.copy(self.s.lots.get(lot_id))
    def lot_by_number(self, item_id, lot_number):
        return copy.copy(next((lot for lot in self.s.lots.values()
                               if lot.item_id == item_id and lot.lot_number == lot_number), None))
    def lots_for_item(self, item_id):
        return [copy.copy(lot) for lot in self.s.lots.values() if lot.item_id == item_id]
    def lots_numbered(self, lot_number):
        return [copy.copy(lot) for lot in self.s.lots.values() if lot.lot_number == lot_number]
    def save_lot(self, lot):
        self._w()
        self.s.lots[lot.id] = copy.copy(lot)

    def change_stock(self, item_id, lot_id, delta):
        self._w()
        if item_id not in self.s.items or (lot_id and lot_id not in self.s.lots):
            raise KioskError("stock change for an unknown item or lot")
        self.s.items[item_id].quantity_on_hand += delta
        if lot_id:
            lot = self.s.lots[lot_id]
            self.s.lots[lot_id] = replace(lot, quantity_on_hand=lot.quantity_on_hand + delta)

    def add_usage(self, usage):
        self._w()
        assert usage.id not in self.s.usages
        self.s.usages[usage.id] = usage
    def usage(self, usage_id): return self.s.usages.get(usage_id)
    def usages(self, where=ANY_USAGE, timezone="UTC"):
        start, end = where.span(timezone)

        def keep(u):
            return ((where.patient_id is None or u.patient_id == where.patient_id)
                    and (where.lot_number is None or u.lot_number == where.lot_number)
                    and (where.appliance_type is None or u.appliance_type == where.appliance_type)
                    and (where.used_by is None or u.used_by == where.used_by)
                    and (where.item_id is None or u.inventory_item_id == where.item_id)
                    and (start is None or u.usage_date >= start)
                    and (end is None or u.usage_date < end))
        return sorted((u for u in self.s.usages.values() if keep(u)), key=lambda u: u.kiosk_seq)
    def add_void(self, void):
        self._w()
        assert void.usage_id not in self.s.voids
        self.s.voids[void.usage_id] = void
    def void_for(self, usage_id): return self.s.voids.get(usage_id)
    def voided_usage_ids(self): return set(self.s.voids)
    def add_adjustment(self, adjustment):
        self._w()
        self.s.adjustments.append(adjustment)
    def adjustments(self): return list(self.s.adjustments)

    def enqueue(self, event):
        self._w()
        assert event.event_id not in self.s.outbox
        self.s.outbox[event.event_id] = event
    def outbox_counts(self):
        states = [self.s.outbox_state.get(e, "PENDING") for e in self.s.outbox]
        return OutboxCounts(states.count("PENDING"), states.count("ACKNOWLEDGED"),
                            states.count("QUARANTINED"))

    def pending_events(self, limit):
        due = [e for e in self.s.outbox.values()
               if self.s.outbox_state.get(e.event_id, "PENDING") == "PENDING"]
        return sorted(due, key=lambda e: e.kiosk_seq)[:limit]

    def mark_acknowledged(self, event_ids, at):
        self._w()
        for event_id in event_ids:
            self.s.outbox_state[event_id] = "ACKNOWLEDGED"

    def mark_quarantined(self, event_ids, error):
        self._w()
        for event_id in event_ids:
            self.s.outbox_state[event_id] = "QUARANTINED"
            self.s.errors[event_id] = error

    def record_failure(self, event_ids, error):
        self._w()
        for event_id in event_ids:
            self.s.errors[event_id] = error
            self.s.attempts[event_id] = self.s.attempts.get(event_id, 0) + 1

    def pending_stock_deltas(self):
        pending = {e for e in self.s.outbox if self.s.outbox_state.get(e, "PENDING") == "PENDING"}
        changes = [((u.inventory_item_id, u.lot_id), -u.quantity)
                   for u in self.s.usages.values() if u.id in pending]
        changes += [((self.s.usages[v.usage_id].inventory_item_id,
                      self.s.usages[v.usage_id].lot_id), self.s.usages[v.usage_id].quantity)
                    for v in self.s.voids.values() if v.id in pending]
        changes += [((a.inventory_item_id, a.lot_id), a.quantity_delta)
                    for a in self.s.adjustments if a.id in pending]
        deltas = {}
        for key, delta in changes:
            deltas[key] = deltas.get(key, 0) + delta
        return {key: delta for key, delta in deltas.items() if delta}

    # SequencePort: a fake kiosk never moves or shares its id
    def kiosk_claim(self):
        from kiosk.services.ports import LocalClaim  # noqa: PLC0415
        claim = self.s.cursors.get("kiosk claim") or (None, False)
        return LocalClaim(claim[0], "fake:kiosk", claim[1])

    def keep_kiosk_claim(self, token, takeover):
        self._w()
        self.s.cursors["kiosk claim"] = (token, takeover)

    def sequence_state(self):
        from kiosk.services.ports import SequenceState  # noqa: PLC0415
        unsent = [e.kiosk_seq for e in self.s.outbox.values()
                  if self.s.outbox_state.get(e.event_id, "PENDING") != "ACKNOWLEDGED"]
        return SequenceState(self.s.seq, min(unsent, default=None))

    def resequence(self, event_ids, above, recorded_after):
        raise NotImplementedError("the fake store keeps its sequence")

    def requeue(self, event_ids):
        self._w()
        moved = [e for e in event_ids if self.s.outbox_state.get(e) == "QUARANTINED"]
        for event_id in moved:
            self.s.outbox_state[event_id] = "PENDING"
        return moved

    def replace_kiosk_id(self, kiosk_id, applied, at):
        raise NotImplementedError("the fake store keeps its kiosk id")

    def unsynced_events(self, limit):
        entries = [OutboxEntry(e.event_id, e.kiosk_seq, e.event_type,
                               self.s.outbox_state.get(e.event_id, "PENDING"),
                               self.s.attempts.get(e.event_id, 0),
                               self.s.errors.get(e.event_id), e.created_at)
                   for e in self.s.outbox.values()]
        entries = [e for e in entries if e.state in ("PENDING", "QUARANTINED")]
        return sorted(entries, key=lambda e: (e.state != "QUARANTINED", e.kiosk_seq))[:limit]

    def sync_cursor(self, name): return self.s.cursors.get(name)
    def set_sync_cursor(self, name, value):
        self._w()
        self.s.cursors[name] = value

    def add_parked_cart(self, cart):
        self._w()
        self.s.parked[cart.id] = cart

    def parked_cart(self, cart_id): return self.s.parked.get(cart_id)
    def parked_carts(self, state="PARKED"):
        carts = [c for c in self.s.parked.values() if state is None or c.state == state]
        return sorted(carts, key=lambda c: (c.parked_at, c.id))

    def close_parked_cart(self, cart_id, state, by, at, reason=None):
        self._w()
        cart = self.s.parked.get(cart_id)
        if cart is None or cart.state != "PARKED":
            return False
        self.s.parked[cart_id] = replace(cart, state=state, closed_by=by.id, closed_by_name=by.name,
                                         closed_at=at, discard_reason=reason)
        return True
    def sign_in_lockout(self, key): return self.s.lockouts.get(key)
    def save_sign_in_lockout(self, state):
        self._w()
        self.s.lockouts[state.key] = state
    def clear_sign_in_lockout(self, key):
        self._w()
        self.s.lockouts.pop(key, None)


class FakeStore(Store):
    def __init__(self, identity: KioskIdentity) -> None:
        self.state = State(identity)

    @contextmanager
    def write(self):
        draft = copy.deepcopy(self.state)
        yield FakeTx(draft, writable=True)
        self.state = draft

    @contextmanager
    def read(self):
        yield FakeTx(self.state, writable=False)
