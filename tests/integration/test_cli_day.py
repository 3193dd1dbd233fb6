"""A scripted clinic day through the CLI over a real SQLite file (issue 2 acceptance)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from kiosk.bootstrap import open_kiosk

BRACKET_U1R = "(01)00812345671018(10){}"
ADHESIVE = "(01)00081234901516(10){}"
PRIMER = "(01)00812345671520(10){}"
TMA_WIRE = "(01)00812345671490(10)TM2609F"
C10239_BRACKETS = "64b300000000000000000004"
C10239_WIRE = "64b300000000000000000005"
C10231_BRACKETS_ORDERED = "64b300000000000000000001"
C10260_BRACKETS = "64b30000000000000000000c"


@pytest.fixture
def day(cli, demo_csvs):
    for kind, path in demo_csvs.items():
        assert "Imported" in cli.ok("import", kind, str(path))
    return cli


def stock_snapshot(cli):
    with open_kiosk(str(cli.config)).context.store.read() as tx:
        return ({i.sku: i.quantity_on_hand for i in tx.all_items()},
                tx.outbox_counts().pending, len(tx.usages()))


def deduct(cli, *args):
    return json.loads(cli.ok("deduct", "--actor", "B1001", "--json", *args))["usages"]


def test_scripted_day(day, tmp_path):
    first = deduct(day, "--patient", "C-10239", "--appliance-type", "BRACKET",
                   "--appliance-id", C10239_BRACKETS, "--scan", BRACKET_U1R.format("B25E392"),
                   "--qty", "2")
    assert first == [{"id": first[0]["id"], "sku": "BRK-MBT-U1R", "lotNumber": "B25E392",
                      "quantity": 2, "unitCost": "3.36"}]  # lot's vendor offer, frozen
    [mistake] = deduct(day, "--patient", "CHART-C-10239", "--appliance-type", "BRACKET",
                       "--appliance-id", C10239_BRACKETS, "--scan", BRACKET_U1R.format("B26A858"))
    assert mistake["unitCost"] == "3.37"  # the lot's own purchase cost

    kit = tmp_path / "upper-bond-up.json"
    kit.write_text(json.dumps({"deductions": [
        {"patient": "C-10239", "applianceType": "BRACKET", "applianceId": C10239_BRACKETS,
         "scan": ADHESIVE.format("TX25376"), "quantity": 1},
        {"patient": "C-10239", "applianceType": "WIRE", "applianceId": C10239_WIRE,
         "scan": TMA_WIRE, "quantity": 3},
        {"patient": "C-10260", "applianceType": "BRACKET", "applianceId": C10260_BRACKETS,
         "scan": BRACKET_U1R.format("B25E392"), "quantity": 1},
    ]}), encoding="utf-8")
    kit_usages = json.loads(day.ok("bulk-deduct", str(kit), "--actor", "STAFF-B1002", "--json"))
    assert [u["sku"] for u in kit_usages["usages"]] == ["BON-ADH-LC", "WIR-TMA-1925-U",
                                                        "BRK-MBT-U1R"]

    assert "voided" in day.ok("void", mistake["id"], "--actor", "B1001", "--reason",
                              "scanned the wrong box")
    assert "by -1" in day.ok("adjust", "--item", "ELA-316-45", "--lot", "EL260247", "--qty", "-1",
                             "--reason", "pack torn", "--actor", "B1007")

    costs = json.loads(day.ok("report", "supply-costs", "--patient", "C-10239", "--format",
                              "json"))["rows"]
    [plan] = costs
    assert plan["bracketCost"] == "6.72"       # 2 × 3.36; the voided 3.37 netted out
    assert plan["bondingCost"] == "45.23"      # adhesive lot without cost → its vendor's offer
    assert plan["wireCost"] == "14.82"         # 3 × 4.94, the TMA lot's own cost
    assert Decimal(plan["totalCost"]) == Decimal("66.77")
    assert plan["treatmentPlanId"] == "64b400000000000000000002" and plan["alignerCost"] == "0"

    tracked = json.loads(day.ok("report", "lot-tracking", "B25E392", "--format", "json"))["rows"]
    assert sorted((r["chartNumber"], r["quantity"]) for r in tracked) == [
        ("C-10239", 2), ("C-10260", 1)]
    assert json.loads(day.ok("report", "lot-tracking", "B26A858", "--format", "json"))[
        "rows"] == []  # voided: nobody received it

    low = {r["sku"]: r for r in json.loads(day.ok("report", "low-stock", "--format", "json"))[
        "rows"]}
    assert low["WIR-TMA-1925-U"]["quantityOnHand"] == 10  # fell to its reorder point today
    assert low["WIR-TMA-1925-U"]["reorderPoint"] == 10
    assert low["ELA-316-45"]["quantityOnHand"] == 3 and low["BRK-CER-U3R"]["level"] == "OUT"

    table = day.ok("report", "usage", "--type", "WIRE")
    assert "WIR-TMA-1925-U" in table and "BRK-MBT-U1R" not in table
    csv_text = day.ok("report", "supply-costs", "--format", "csv")
    scope, header = csv_text.splitlines()[:2]  # issue 15: a scope line, then the header
    assert scope == "# No central server is set up: this kiosk's usages only."
    assert header.startswith("chartNumber,treatmentPlanId,bracketCost")


REFUSALS = [
    ("ORDERED; mark it placed",
     ["--patient", "C-10231", "--appliance-type", "BRACKET", "--appliance-id",
      C10231_BRACKETS_ORDERED, "--scan", BRACKET_U1R.format("B25E392")]),
    ("recalled", ["--patient", "C-10239", "--appliance-type", "BONDING",
                  "--scan", ADHESIVE.format("TX25117")]),
    ("expired on", ["--patient", "C-10239", "--appliance-type", "BONDING",
                    "--scan", PRIMER.format("PR25062")]),
    ("not in the catalog", ["--patient", "C-10239", "--appliance-type", "BRACKET",
                            "--scan", "(01)00000000000017(10)X"]),
    ("check digit", ["--patient", "C-10239", "--appliance-type", "BRACKET",
                     "--scan", "(01)00812345671019(10)B25E392"]),
    ("at least 1", ["--patient", "C-10239", "--appliance-type", "BRACKET", "--qty", "0",
                    "--scan", BRACKET_U1R.format("B25E392")]),
    ("at least 1", ["--patient", "C-10239", "--appliance-type", "BRACKET", "--qty", "-3",
                    "--scan", BRACKET_U1R.format("B25E392")]),
    ("more than 500", ["--patient", "C-10239", "--appliance-type", "BRACKET", "--qty", "99999",
                       "--scan", BRACKET_U1R.format("B25E392")]),
    ("No patient", ["--patient", "C-99999", "--appliance-type", "BRACKET",
                    "--scan", BRACKET_U1R.format("B25E392")]),
]


@pytest.mark.parametrize(("message", "args"), REFUSALS, ids=[m for m, _ in REFUSALS])
def test_refusals_change_nothing(day, message, args):
    before = stock_snapshot(day)
    result = day("deduct", "--actor", "B1001", *args)
    assert result.code == 1 and message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert stock_snapshot(day) == before


def test_actor_without_permission_changes_nothing(day):
    before = stock_snapshot(day)
    result = day("deduct", "--actor", "B1009", "--patient", "C-10239", "--appliance-type",
                 "BRACKET", "--scan", BRACKET_U1R.format("B25E392"))
    assert result.code == 1 and "does not have the appliance:update permission" in result.err
    assert stock_snapshot(day) == before


def test_bulk_with_one_bad_line_deducts_nothing(day, tmp_path):
    kit = tmp_path / "kit.json"
    kit.write_text(json.dumps({"deductions": [
        {"patient": "C-10239", "applianceType": "BRACKET", "scan": BRACKET_U1R.format("B25E392"),
         "quantity": 2},
        {"patient": "C-10239", "applianceType": "BONDING", "scan": ADHESIVE.format("TX25117"),
         "quantity": 1},
    ]}), encoding="utf-8")
    before = stock_snapshot(day)
    result = day("bulk-deduct", str(kit), "--actor", "B1001")
    assert result.code == 1 and result.err.startswith("kiosk: Line 2: ")
    assert "Nothing was deducted" in result.err
    assert stock_snapshot(day) == before


def test_expired_lot_with_manager_override(day):
    [usage] = json.loads(day.ok("deduct", "--actor", "B1005", "--json", "--patient", "C-10239",
                                "--appliance-type", "BONDING", "--scan", PRIMER.format("PR25062"),
                                "--override-reason", "only bottle left, patient in chair"))[
        "usages"]
    assert usage["lotNumber"] == "PR25062"


def test_bad_import_reports_line_and_imports_nothing(cli, demo_csvs, tmp_path):
    text = demo_csvs["items"].read_text(encoding="utf-8").splitlines()
    text.insert(5, "BAD-1,Broken item,BRACKET,00812345671019,,EACH,1,1")
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = cli("import", "items", str(broken))
    assert result.code == 1 and "Line 6 of the items file" in result.err
    with open_kiosk(str(cli.config)).context.store.read() as tx:
        assert tx.all_items() == []


def test_missing_file_and_unconfigured_kiosk(cli, tmp_path):
    assert "There is no file" in cli("import", "items", str(tmp_path / "nope.csv")).err
    other = type(cli)(tmp_path / "absent.toml", cli.capsys)
    result = other("report", "low-stock")
    assert result.code == 1 and "run `kiosk init` first" in result.err
