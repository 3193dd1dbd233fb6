"""Load the demo clinic (resources/demo) into an empty kiosk."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date, timedelta

from kiosk.domain.barcodes import gtin14
from kiosk.domain.errors import RuleViolation
from kiosk.services.context import ServiceContext
from kiosk.services.imports import import_csv

DEMO_CLINIC_ID = "64b000000000000000000001"
# The GS1 example scans of the demo README (sku, lot): the README's carry no (17) expiry, so
# they work on any day; ``example_scans`` adds the expiry the catalog has today.
EXAMPLE_LOTS = (
    ("BRK-MBT-U1R", "B25E392"), ("BRK-CER-U2R", "B26C879"), ("WIR-NTI-016-U", "NT2502D"),
    ("WIR-SS-1925-L", "SS2502E"), ("ELA-316-35", "EL260190"), ("ELA-18-35", "EL240312"),
    ("BON-ADH-LC", "TX25117"), ("BON-PRIMER", "PR25062"),
)
IMPORT_ORDER = ("items", "offers", "lots", "staff", "patients", "appliances")


def load_demo(ctx: ServiceContext, files: Mapping[str, str]) -> dict[str, int]:
    """Import the demo CSV texts (keyed by kind); lot expiries are relative to today."""
    with ctx.store.read() as tx:
        if tx.all_items():
            raise RuleViolation("This kiosk already has a catalog; the demo loads only into an "
                                "empty kiosk (use a new --data-dir).")
    texts = dict(files) | {"lots": dated_lots(files["lots"], ctx.today())}
    return {kind: import_csv(ctx, kind, texts[kind]) for kind in IMPORT_ORDER}


def dated_lots(text: str, today: date) -> str:
    """Turn the demo's `expires_in_days` column into the import's `expiration_date`."""
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    columns = ["sku", "lot_number", "expiration_date", "vendor", "unit_cost", "quantity", "status"]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        days = (row.pop("expires_in_days") or "").strip()
        row["expiration_date"] = (today + timedelta(days=int(days))).isoformat() if days else ""
        writer.writerow(row)
    return out.getvalue()


def example_scans(ctx: ServiceContext) -> list[tuple[str, str]]:
    """(scan, sku) of the demo's example lots as a label printed for them would read today:
    GTIN, the catalog's expiry as (17) (none when the lot has none), lot. Reads the store."""
    out = []
    with ctx.store.read() as tx:
        for sku, lot_number in EXAMPLE_LOTS:
            item = tx.item_by_sku(sku)
            lot = tx.lot_by_number(item.id, lot_number) if item else None
            if item is None or lot is None or not item.gtins:
                continue
            expiry = f"(17){lot.expiration_date:%y%m%d}" if lot.expiration_date else ""
            out.append((f"(01){gtin14(item.gtins[0])}{expiry}(10){lot_number}", sku))
    return out
