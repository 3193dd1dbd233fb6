"""Load the demo clinic (resources/demo) into an empty kiosk."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date, timedelta

from kiosk.domain.errors import RuleViolation
from kiosk.services.context import ServiceContext
from kiosk.services.imports import import_csv

DEMO_CLINIC_ID = "64b000000000000000000001"
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
