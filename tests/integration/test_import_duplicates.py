"""A key given twice in one import file is refused, naming both lines, and nothing of the file
is imported (issue 14, item 11): before, the later row silently won."""

from __future__ import annotations

import csv
import io

import pytest
from test_cli_doors import one_sentence, store_fingerprint

# kind: (the column a second row changes, the new value, the key the sentence names)
CHANGES = {
    "items": ("name", "Renamed bracket", "sku BRK-MBT-U1R"),
    "offers": ("unit_cost", "9.99", "sku BRK-MBT-U1R and vendor Alder Ortho Direct"),
    "lots": ("quantity", "1", "sku BRK-MBT-U1R and lot_number B25E392"),
    "staff": ("name", "Someone Else", "badge B1001"),
    "patients": ("first_name", "Other", "chart_number C-10231"),
    "appliances": ("status", "PLACED", "appliance_id 64b300000000000000000001"),
}


@pytest.fixture
def clinic(cli, demo_csvs):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    return cli


def with_a_second_first_row(source, column: str, value: str) -> str:
    """The file's header and first row, three more rows, then the first row again with
    ``column`` changed: the same key on lines 2 and 6."""
    rows = list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"))))
    again = dict(rows[0], **{column: value})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows([*rows[:4], again])
    return out.getvalue()


@pytest.mark.parametrize("kind", CHANGES)
def test_a_key_given_twice_is_refused_naming_both_lines(clinic, demo_csvs, tmp_path, kind):
    column, value, key = CHANGES[kind]
    path = tmp_path / f"twice-{kind}.csv"
    path.write_text(with_a_second_first_row(demo_csvs[kind], column, value), encoding="utf-8")
    before = store_fingerprint(clinic)
    sentence = one_sentence(clinic("import", kind, str(path)))
    assert "lines 2 and 6" in sentence.lower() and key in sentence, sentence
    assert "Nothing from this file was imported" in sentence
    assert store_fingerprint(clinic) == before


def test_the_same_key_with_spaces_around_it_is_the_same_key(clinic, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text(
        "sku,name,category,gtins,hibcc,unit_of_measure,reorder_point,reorder_quantity\n"
        "NEW-1,First,BRACKET,,,EACH,1,2\n"
        " NEW-1 ,Second,BRACKET,,,EACH,1,2\n", encoding="utf-8")
    sentence = one_sentence(clinic("import", "items", str(path)))
    assert "lines 2 and 3" in sentence.lower() and "sku NEW-1" in sentence
