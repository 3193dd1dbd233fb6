"""`kiosk recall import FILE.json` (issue 5): openFDA device recalls flag the right lots and
list exactly the patients who received them; a malformed file changes nothing."""

from __future__ import annotations

import csv
import json

import pytest

from kiosk.bootstrap import open_kiosk

U1R = "(01)00812345671018(10){}"  # BRK-MBT-U1R, lots B25E392 and B26A858
U1L = "(01)00812345671025(10){}"  # BRK-MBT-U1L (vendor SKU NBO-01007), lot B24K805

RECALL = {
    "meta": {"results": {"skip": 0, "limit": 3, "total": 3}},
    "results": [
        {   # identified by GTIN; B26A858X is another lot, not B26A858
            "recall_number": "Z-0101-2027", "product_code": "DYW",
            "product_description": "Metal twin bracket MBT 0.022 U1 right, UDI-DI 00812345671018",
            "code_info": "Lot Numbers: B25E392, B26A858X. Exp 2028-01.",
            "reason_for_recall": "Base pad may detach.", "recalling_firm": "Acme Ortho",
        },
        {   # the lot number of BRK-MBT-U1L, but nothing names that item: no match
            "recall_number": "Z-0102-2027", "product_code": "DYW",
            "product_description": "Ceramic bracket, catalog AOD-9999",
            "code_info": "Lot B24K805", "reason_for_recall": "Mislabeled.",
        },
        {   # identified by the vendor's catalog number
            "recall_number": "Z-0103-2027", "product_code": "DYW",
            "product_description": "Northbay bracket REF NBO-01007",
            "code_info": "lots b24k805 and B99", "reason_for_recall": "Sterility.",
        },
    ],
}


@pytest.fixture
def clinic(cli, demo_csvs):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))

    def deduct(patient, scan, qty="1", actor="B1001"):
        out = cli.ok("deduct", "--patient", patient, "--appliance-type", "BRACKET", "--scan",
                     scan, "--qty", qty, "--actor", actor, "--json")
        return json.loads(out)["usages"][0]["id"]

    deduct("C-10239", U1R.format("B25E392"), "2")
    deduct("C-10252", U1R.format("B25E392"), actor="B1005")
    mistake = deduct("C-10247", U1R.format("B25E392"))
    cli.ok("void", mistake, "--actor", "B1001", "--reason", "wrong patient")
    deduct("C-10247", U1R.format("B26A858"))  # a lot not recalled
    deduct("C-10239", U1L.format("B24K805"), "3", actor="B1002")
    return cli


def statuses(cli):
    with open_kiosk(str(cli.config)).context.store.read() as tx:
        return {(tx.item(lot.item_id).sku, lot.lot_number): (lot.status.value, lot.recall_notice)
                for item in tx.all_items() for lot in tx.lots_for_item(item.id)}


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_recall_import_flags_the_right_lots_and_lists_exactly_their_patients(clinic, tmp_path):
    before = statuses(clinic)
    recall = tmp_path / "recall.json"
    recall.write_text(json.dumps(RECALL, indent=2), encoding="utf-8")
    out = tmp_path / "contacts"
    out.mkdir()
    said = clinic.ok("recall", "import", str(recall), "--actor", "B1007", "--out-dir", str(out))
    after = statuses(clinic)
    changed = {key: value for key, value in after.items() if before[key] != value}
    assert changed == {("BRK-MBT-U1R", "B25E392"): ("RECALLED", "Z-0101-2027"),
                       ("BRK-MBT-U1L", "B24K805"): ("RECALLED", "Z-0103-2027")}
    assert "Lot B25E392 of BRK-MBT-U1R marked RECALLED (Z-0101-2027); 2 patient contact" in said
    first = read_csv(out / "recall-Z-0101-2027-BRK-MBT-U1R-B25E392.csv")
    assert sorted((r["chartNumber"], r["quantity"], r["provider"]) for r in first) == [
        ("C-10239", "2", "Zoë Álvarez"), ("C-10252", "1", "Łukasz Nowak")]
    assert set(first[0]) == {"chartNumber", "patientName", "phone", "guardianName",
                             "guardianPhone", "usageDate", "quantity", "sku", "lotNumber",
                             "provider"}  # issue 16: contact details (changed deliberately)
    assert {r["patientName"] for r in first} >= {"Mateo Hernández"}
    second = read_csv(out / "recall-Z-0103-2027-BRK-MBT-U1L-B24K805.csv")
    assert [(r["chartNumber"], r["sku"], r["lotNumber"]) for r in second] == [
        ("C-10239", "BRK-MBT-U1L", "B24K805")]
    assert len(list(out.iterdir())) == 2
    # a recalled lot is now blocked at the chair
    result = clinic("deduct", "--patient", "C-10252", "--appliance-type", "BRACKET", "--scan",
                    U1R.format("B25E392"), "--actor", "B1001")
    assert result.code == 1 and "recall" in result.err.lower()
    # importing the same file again keeps the first notice and says so
    again = clinic.ok("recall", "import", str(recall), "--actor", "B1007", "--out-dir", str(out))
    assert "already RECALLED" in again and statuses(clinic) == after


@pytest.mark.parametrize(("text", "where"), [
    ('{\n  "results": [\n    {"recall_number": "Z-1",, }\n  ]\n}', "line 3"),
    ('["not", "an", "object"]', '"results" list'),
    (json.dumps({"results": [RECALL["results"][0], {"recall_number": "Z-2"}]}),
     "results[1].code_info"),
    (json.dumps({"results": [RECALL["results"][0], {"recall_number": " ", "code_info": ""}]}),
     "results[1].recall_number"),
    (json.dumps({"results": [{"recall_number": "Z", "code_info": "x", "product_code": 7}]}),
     "results[0].product_code"),
    (json.dumps({"results": [{**RECALL["results"][0], "recall_number": "Z" * 3_000_000}]}),
     "results[0].recall_number is 3000000 characters long"),
])
def test_a_malformed_file_is_refused_naming_the_line_or_field(clinic, tmp_path, text, where):
    before = statuses(clinic)
    recall = tmp_path / "bad.json"
    recall.write_text(text, encoding="utf-8")
    result = clinic("recall", "import", str(recall), "--actor", "B1007", "--out-dir",
                    str(tmp_path))
    assert result.code == 1 and where in result.err and "nothing was changed" in result.err
    assert result.err.count("\n") == 1
    assert statuses(clinic) == before
    assert not list(tmp_path.glob("recall-*.csv"))


def test_a_recall_number_with_escape_sequences_is_shown_and_kept_clean(clinic, tmp_path):
    """Issue 14 item 11: a recall number is the notice shown at the chair, in the CLI's lines
    and the contact list's file name; its ANSI escapes were kept as given."""
    recall = tmp_path / "recall.json"
    recall.write_text(json.dumps({"results": [{
        **RECALL["results"][0],
        "recall_number": "\x1b[1;31mZ-0101-2027\x1b[0m\r\n\u202e\x1b]8;;https://evil.example/\x07"}]}),
        encoding="utf-8")
    said = clinic.ok("recall", "import", str(recall), "--actor", "B1007", "--out-dir",
                     str(tmp_path))
    assert "marked RECALLED (Z-0101-2027); 2 patient contact" in said
    assert statuses(clinic)[("BRK-MBT-U1R", "B25E392")] == ("RECALLED", "Z-0101-2027")
    refused = clinic("deduct", "--patient", "C-10252", "--appliance-type", "BRACKET", "--scan",
                     U1R.format("B25E392"), "--actor", "B1001")
    assert "recalled (Z-0101-2027); do not use it" in refused.err
    assert [p.name for p in tmp_path.glob("recall-*.csv")] == [
        "recall-Z-0101-2027-BRK-MBT-U1R-B25E392.csv"]


def test_recall_import_needs_inventory_adjust_and_an_existing_folder(clinic, tmp_path):
    before = statuses(clinic)
    recall = tmp_path / "recall.json"
    recall.write_text(json.dumps(RECALL), encoding="utf-8")
    result = clinic("recall", "import", str(recall), "--actor", "B1001", "--out-dir",
                    str(tmp_path))
    assert result.code == 1 and statuses(clinic) == before
    result = clinic("recall", "import", str(recall), "--actor", "B1007", "--out-dir",
                    str(tmp_path / "nope"))
    assert result.code == 1 and "is not a folder" in result.err
    none = tmp_path / "none.json"
    none.write_text(json.dumps({"results": [{"recall_number": "Z-9", "code_info": "Lot B25E392",
                                             "product_description": "Something else"}]}))
    said = clinic.ok("recall", "import", str(none), "--actor", "B1007", "--out-dir",
                     str(tmp_path))
    assert "No lot in the catalog matches" in said and statuses(clinic) == before
