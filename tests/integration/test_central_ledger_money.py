"""Money read back from the central ledger is range-checked like money pulled into the
catalog (issue 14, item 11): a link whose unitCost another program set to NaN, Infinity, a
negative, a huge or a float amount is still counted (quantity, lot, patient: a recall must
find it) with its cost unknown; no report or cost sheet shows that amount or ends in exit 70."""

from __future__ import annotations

import json
from decimal import Decimal

from bson import Decimal128, ObjectId
from test_cli_central import kiosk_cli

from kiosk.adapters.mongo.client import connect, database
from kiosk.domain.money import MAX_UNIT_COST

SCAN = "(01)00812345671018(10)B25E392"
POISONS = [Decimal128("NaN"), Decimal128("Infinity"), Decimal128("-Infinity"),
           Decimal128("-5"), Decimal128("1E+40"), Decimal128("0.000001"), "-3", "1e9", "abc",
           1.1, True, [1], {"$numberDecimal": "1"}]


def test_an_unreadable_central_unit_cost_is_counted_at_no_known_cost(tmp_path, capsys,
                                                                      central_uri, demo_csvs):
    first = kiosk_cli(tmp_path, capsys, central_uri, "chair-1")
    first.ok("central", "init")
    for kind, path in demo_csvs.items():
        first.ok("import", kind, str(path))
    first.ok("sync", "--once")
    [usage] = json.loads(first.ok("deduct", "--actor", "B1001", "--patient", "C-10239",
                                  "--appliance-type", "BRACKET", "--scan", SCAN,
                                  "--json"))["usages"]
    first.ok("sync", "--once")
    second = kiosk_cli(tmp_path, capsys, central_uri, "chair-2")  # reads it centrally only
    second.ok("sync", "--once")
    for cost in POISONS:
        with connect(central_uri) as client:
            database(client).ApplianceInventoryLink.update_one(
                {"_id": ObjectId(usage["id"])}, {"$set": {"unitCost": cost}})
        report = json.loads(second.ok("report", "usage", "--format", "json"))
        assert report["scope"] == "clinic", cost
        [row] = [r for r in report["rows"] if r["id"] == usage["id"]]
        assert row["unitCost"] is None and row["quantity"] == 1, (cost, row)
        [costs] = json.loads(second.ok("report", "supply-costs", "--patient", "C-10239",
                                       "--format", "json"))["rows"]
        amount = Decimal(costs["bracketCost"])
        assert amount.is_finite() and 0 <= amount <= MAX_UNIT_COST, (cost, costs)
        lots = json.loads(second.ok("report", "lot-tracking", "B25E392", "--format", "json"))
        assert [r["chartNumber"] for r in lots["rows"]] == ["C-10239"], cost
        result = second("cost-sheet", "--patient", "C-10239", "-o", str(tmp_path / "s.pdf"))
        assert result.code == 0, (cost, result.err)
