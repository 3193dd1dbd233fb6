"""Carts parked at sign-out: one row each, its lines as JSON text; never deleted."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update

from kiosk.adapters.sqlite.orm import ParkedCartRow
from kiosk.adapters.sqlite.repo_base import RepoBase, table
from kiosk.domain.model import ApplianceType, Staff
from kiosk.services.ports import PARKED, ParkedCart, ParkedLine

_carts = table(ParkedCartRow)
_INSERT = insert(_carts)
_HEADER = ("id", "state", "cause", "parked_at", "parked_by", "parked_by_name", "patient_id",
           "patient_name", "chart_number", "appliance_id", "closed_by", "closed_by_name",
           "closed_at", "discard_reason")


def lines_json(lines: tuple[ParkedLine, ...]) -> str:
    """The lines as JSON: unit costs as exact decimal text, dates as ISO text."""
    return json.dumps([{
        "item_id": line.item_id, "sku": line.sku, "name": line.name,
        "category": line.category.value, "lot_number": line.lot_number,
        "expiry": line.expiry.isoformat() if line.expiry else None,
        "unit_cost": str(line.unit_cost) if line.unit_cost is not None else None,
        "scans": list(line.scans), "quantity": line.quantity,
        "expiring_soon": line.expiring_soon, "override_reason": line.override_reason,
    } for line in lines], ensure_ascii=False)


def lines_from_json(text: str) -> tuple[ParkedLine, ...]:
    return tuple(ParkedLine(
        item_id=d["item_id"], sku=d["sku"], name=d["name"],
        category=ApplianceType(d["category"]), lot_number=d["lot_number"],
        expiry=date.fromisoformat(d["expiry"]) if d["expiry"] else None,
        unit_cost=Decimal(d["unit_cost"]) if d["unit_cost"] is not None else None,
        scans=tuple(d["scans"]), quantity=int(d["quantity"]),
        expiring_soon=bool(d.get("expiring_soon")), override_reason=d.get("override_reason"),
    ) for d in json.loads(text))


def _to_domain(row: Any) -> ParkedCart:
    values = {name: getattr(row, name) for name in _HEADER}
    return ParkedCart(lines=lines_from_json(row.lines), **values)


class ParkingRepo(RepoBase):
    def add_parked_cart(self, cart: ParkedCart) -> None:
        values: dict[str, object] = {name: getattr(cart, name) for name in _HEADER}
        values["lines"] = lines_json(cart.lines)
        self._insert(_INSERT, values, "park the cart")

    def parked_cart(self, cart_id: str) -> ParkedCart | None:
        with self._guard("read a parked cart"):
            row = self._execute(select(_carts).where(_carts.c.id == cart_id)).first()
        return _to_domain(row) if row is not None else None

    def parked_carts(self, state: str | None = PARKED) -> list[ParkedCart]:
        stmt = select(_carts).order_by(_carts.c.parked_at, _carts.c.id)
        if state is not None:
            stmt = stmt.where(_carts.c.state == state)
        with self._guard("read the parked carts"):
            return [_to_domain(row) for row in self._execute(stmt)]

    def close_parked_cart(self, cart_id: str, state: str, by: Staff, at: datetime,
                          reason: str | None = None) -> bool:
        action = "close the parked cart"
        self._require_write(action)
        stmt = (update(_carts).where(_carts.c.id == cart_id, _carts.c.state == PARKED)
                .values(state=state, closed_by=by.id, closed_by_name=by.name, closed_at=at,
                        discard_reason=reason))
        with self._guard(action):
            return self._execute(stmt).rowcount == 1
