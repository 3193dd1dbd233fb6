"""The clinic's stock for the low-stock report (issue 15 item 1), and where it came from.

What "clinic-wide low stock" means here: the clinic has one stock, kept centrally on
InventoryItem (every kiosk's push takes its usages off it). The kiosk's local figure is
already that stock as of its last catalog pull minus its own changes not pushed yet
(ARCHITECTURE §5); what it lacks is what the other chairs pushed since that pull. So:

- With the server answering, the report reads the clinic's items centrally (the stock
  every chair pushed to, reorder points as the central catalog has them now) and takes this
  kiosk's pending changes off once (``pending_stock_deltas``: only events not yet pushed, so
  nothing is counted twice). The scope is "clinic" as of now, and names the other chairs
  whose queued events are not in the central stock yet, as the usage reports do.
- Without it (none configured, unreachable, refusing), the local figures answer: the stock
  as of this kiosk's last full pull (its time is kept as the ``pulledAt`` cursor), with its
  own changes since; the scope is "this-kiosk" and says when that pull was.

The central stock is read before the local pending changes: a push finishing between the
two leaves that batch's changes out of this one report (never counts them twice).

The chairside low-stock banner does not ask the server: it is read again after every write,
on the writer thread, and must not wait on the network. It shows the local figures, which
the pull every minute brings up to the clinic's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from kiosk.domain.errors import CentralRefused, CentralUnavailable
from kiosk.domain.model import Item
from kiosk.services.clinic_reads import CLINIC, STOCK, THIS_KIOSK, Scope, pending_stations
from kiosk.services.context import ServiceContext
from kiosk.services.sync_pull import PULLED_AT_CURSOR


@dataclass(frozen=True)
class StockRead:
    items: list[Item]
    scope: Scope


def read_stock(ctx: ServiceContext, central: bool = True) -> StockRead:
    """The clinic's items with their stock (see the module's docstring); ``central=False``
    reads the local figures only, without asking the server."""
    now, zone = ctx.now(), ctx.settings.timezone
    found = None
    why = ""
    if central and ctx.ledger is not None:
        try:
            found = ctx.ledger.stock()
        except (CentralUnavailable, CentralRefused) as error:
            why = str(error)
    with ctx.store.read() as tx:
        deltas = tx.pending_stock_deltas()
        own_kiosk = tx.identity().kiosk_id
        pulled = _moment(tx.sync_cursor(PULLED_AT_CURSOR))
        local = tx.all_items() if found is None else []
    if found is None:
        return StockRead(local, Scope(THIS_KIOSK, now, why_local=why, timezone=zone,
                                      what=STOCK, pulled_at=pulled,
                                      server_set_up=ctx.ledger is not None))
    per_item: dict[str, int] = {}
    for (item_id, _lot_id), delta in deltas.items():
        per_item[item_id] = per_item.get(item_id, 0) + delta
    items = [replace(item, quantity_on_hand=item.quantity_on_hand + per_item.get(item.id, 0))
             for item in found.items]
    return StockRead(items, Scope(CLINIC, now, pending_stations(found.stations, own_kiosk, now),
                                  timezone=zone, what=STOCK))


def _moment(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo is not None else None
