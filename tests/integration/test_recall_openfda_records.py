"""Real openFDA device recall records of orthodontic products (issue 16): both endpoints'
formats import, the right lots are marked, ranges expand, product-level recalls take every
lot, a match on description words alone is only proposed, and nothing is marked twice.

The records are in tests/fixtures/openfda (sources in its README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.bootstrap import open_kiosk

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openfda"

# A catalog holding the recalled products: SKUs are the firms' REF / product numbers.
ITEMS = """sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,reorder_quantity
224-017,Avex CX ceramic bracket 0.022 UL4-5 hook,BRACKET,,,EACH,5,20
OPAL-CX2-UR3,Avex CX2 ceramic bracket UR3,BRACKET,,,EACH,5,20
90885,M-4 Mechanism Set 16 mm,EXPANDER,,,EACH,1,2
91522,LR Telescoping Cantilever Arm,EXPANDER,,,EACH,1,2
"""
LOTS = """sku,lot_number,expiration_date,vendor,unit_cost,quantity,status
224-017,R131360,2030-01-31,,4.10,20,ACTIVE
224-017,R131361,2030-01-31,,4.10,20,ACTIVE
OPAL-CX2-UR3,4520,2030-01-31,,4.20,10,ACTIVE
OPAL-CX2-UR3,4523,2030-01-31,,4.20,10,ACTIVE
OPAL-CX2-UR3,4600,2030-01-31,,4.20,10,ACTIVE
90885,H-1,2031-01-31,,80.00,2,ACTIVE
90885,H-2,2031-01-31,,80.00,2,ACTIVE
91522,T-7,2031-01-31,,50.00,2,ACTIVE
"""


@pytest.fixture
def clinic(cli, demo_csvs, tmp_path):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    for kind, text in (("items", ITEMS), ("lots", LOTS)):
        path = tmp_path / f"real-{kind}.csv"
        path.write_text(text, encoding="utf-8")
        cli.ok("import", kind, str(path))
    return cli


def statuses(cli):
    with open_kiosk(str(cli.config)).context.store.read() as tx:
        return {(tx.item(lot.item_id).sku, lot.lot_number): (lot.status.value, lot.recall_notice)
                for item in tx.all_items() for lot in tx.lots_for_item(item.id)
                if item.sku in {"224-017", "OPAL-CX2-UR3", "90885", "91522"}}


def recall_import(cli, path, out_dir):
    out_dir.mkdir(exist_ok=True)
    return json.loads(cli.ok("recall", "import", str(path), "--actor", "B1007",
                             "--out-dir", str(out_dir), "--json"))


def test_real_enforcement_records_mark_the_right_lots_and_only_propose_name_matches(
        clinic, tmp_path):
    results = [r for name in ("enforcement-Z-0876-2013.json", "enforcement-Z-0481-2014.json",
                              "enforcement-Z-1506-2015.json", "enforcement-Z-1508-2015.json")
               for r in json.loads((FIXTURES / name).read_text())["results"]]
    path = tmp_path / "enforcement.json"
    path.write_text(json.dumps({"results": results}), encoding="utf-8")

    out = recall_import(clinic, path, tmp_path / "out")

    assert statuses(clinic) == {
        ("224-017", "R131360"): ("RECALLED", "Z-0876-2013"),  # REF #224-017, Lot R131360
        ("224-017", "R131361"): ("ACTIVE", None),  # another lot of the same product
        ("90885", "H-1"): ("RECALLED", "Z-1506-2015"),  # "Product No. 90885", no lots:
        ("90885", "H-2"): ("RECALLED", "Z-1506-2015"),  # every lot of the product
        ("91522", "T-7"): ("RECALLED", "Z-1508-2015"),
        # Z-0481-2014 names Avex CX2 in words only: proposed, never marked
        ("OPAL-CX2-UR3", "4520"): ("ACTIVE", None),
        ("OPAL-CX2-UR3", "4523"): ("ACTIVE", None),
        ("OPAL-CX2-UR3", "4600"): ("ACTIVE", None),
    }
    assert [(m["recallNumber"], m["sku"], m["lotNumber"]) for m in out["marked"]] == [
        ("Z-0876-2013", "224-017", "R131360"), ("Z-1506-2015", "90885", "H-1"),
        ("Z-1506-2015", "90885", "H-2"), ("Z-1508-2015", "91522", "T-7")]
    # the ranges "4519 - 4522, …, 4558 - 4612" hold 4520 and 4600, not 4523
    assert out["review"] == [{"recallNumber": "Z-0481-2014", "sku": "OPAL-CX2-UR3",
                              "itemName": "Avex CX2 ceramic bracket UR3",
                              "lots": ["4520", "4600"], "words": ["avex", "cx2"]}]
    first = out["recalls"][0]
    assert first == {"recallNumber": "Z-0876-2013", "eventNumber": "64303",
                     "firm": "Ultradent Products, Inc.",
                     "reason": "Orthodontic brackets distributed was incorrectly labeled.",
                     "classification": "Class III", "status": "Terminated",
                     "productCode": "", "source": "enforcement"}

    # the name-only match waits in the recall alerts until a manager has looked at it
    alerts = {a["recall_number"]: a for a in json.loads(
        clinic.ok("recall", "alerts", "--json"))["alerts"]}
    assert (alerts["Z-0481-2014"]["lots_marked"], alerts["Z-0481-2014"]["to_review"]) == (0, 1)
    assert "OPAL-CX2-UR3 lots 4520, 4600" in alerts["Z-0481-2014"]["review"]
    assert (alerts["Z-0876-2013"]["lots_marked"], alerts["Z-0876-2013"]["to_review"]) == (1, 0)
    said = clinic.ok("recall", "alerts")
    assert "Device recall Z-0481-2014: 1 possible match to review — see Recalls" in said

    marked = statuses(clinic)
    again = recall_import(clinic, path, tmp_path / "again")  # nothing is marked twice
    assert [m["newlyRecalled"] for m in again["marked"]] == [False] * 4
    assert statuses(clinic) == marked


def test_a_device_recall_json_file_imports_with_its_own_field_names(clinic, tmp_path):
    out = recall_import(clinic, FIXTURES / "recall-ultradent-saw.json", tmp_path / "out")

    assert [(m["recallNumber"], m["lotNumber"]) for m in out["marked"]] == [
        ("Z-0876-2013", "R131360"), ("Z-1506-2015", "H-1"), ("Z-1506-2015", "H-2")]
    assert [r["recallNumber"] for r in out["recalls"]] == [
        "Z-0876-2013", "Z-0481-2014", "Z-1506-2015"]
    assert {(r["eventNumber"], r["status"], r["source"]) for r in out["recalls"]} == {
        ("64303", "Terminated", "recall"), ("66978", "Terminated", "recall"),
        ("70787", "Terminated", "recall")}
    assert [p["lots"] for p in out["review"]] == [["4520", "4600"]]


@pytest.mark.parametrize(("change", "says"), [
    (lambda r: r.pop("product_res_number"), "results[1].recall_number is missing"),
    (lambda r: r.update(product_res_number=17), "results[1].product_res_number is missing"),
    (lambda r: r.update(res_event_number=["x"]), "results[1].res_event_number is not text"),
    (lambda r: r.update(recall_status={"$ne": 1}), "results[1].recall_status is not text"),
])
def test_a_malformed_device_recall_file_is_one_sentence_and_changes_nothing(
        clinic, tmp_path, change, says):
    data = json.loads((FIXTURES / "recall-ultradent-saw.json").read_text())
    change(data["results"][1])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = statuses(clinic)
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    result = clinic("recall", "import", str(path), "--actor", "B1007", "--out-dir", str(out_dir))

    assert result.code == 1 and says in result.err and result.err.count("\n") == 1, result
    assert "nothing was changed" in result.err
    assert statuses(clinic) == before and not list(out_dir.iterdir())


UDI_ITEMS = """sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,reorder_quantity
4323-635,iris 5% NaF varnish white mint,BONDING,00366975000590,,EACH,1,2
409-375,Piston 0.6 mm,ACCESSORY,00844505000772,,EACH,1,2
"""
UDI_LOTS = """sku,lot_number,expiration_date,vendor,unit_cost,quantity,status
4323-635,207540,2024-09-30,,9.00,5,ACTIVE
4323-635,207541,2024-09-30,,9.00,5,ACTIVE
409-375,122927,2031-03-01,,30.00,2,ACTIVE
409-375,122928,2031-03-01,,30.00,2,ACTIVE
"""


def test_real_udi_forms_mark_only_the_lot_they_name(clinic, tmp_path):
    for kind, text in (("items", UDI_ITEMS), ("lots", UDI_LOTS)):
        path = tmp_path / f"udi-{kind}.csv"
        path.write_text(text, encoding="utf-8")
        clinic.ok("import", kind, str(path))
    results = [r for name in ("enforcement-Z-1697-2023.json", "enforcement-Z-2308-2026.json")
               for r in json.loads((FIXTURES / name).read_text())["results"]]
    path = tmp_path / "udi.json"
    path.write_text(json.dumps({"results": results}), encoding="utf-8")

    out = recall_import(clinic, path, tmp_path / "out")

    # "UDI/DI 00366975000590, Lot number 207540" and "(01)00844505000772(10)122927(17)310301"
    assert [(m["recallNumber"], m["sku"], m["lotNumber"]) for m in out["marked"]] == [
        ("Z-1697-2023", "4323-635", "207540"), ("Z-2308-2026", "409-375", "122927")]


def test_a_real_device_recall_json_response_no_longer_fails(clinic, tmp_path):
    """The /device/recall.json response openFDA documents (a catheter recall: nothing in an
    orthodontic catalog matches) used to be refused for lacking recall_number."""
    out = recall_import(clinic, FIXTURES / "recall-Z-1067-2003.json", tmp_path / "out")
    assert [(r["recallNumber"], r["eventNumber"], r["source"]) for r in out["recalls"]] == [
        ("Z-1067-2003", "26715", "recall")]
    assert out["marked"] == [] and out["review"] == []
