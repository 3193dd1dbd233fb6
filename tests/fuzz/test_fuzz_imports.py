"""Hostile CSV files for every import kind: random and malicious rows (`$`-operators, huge and
odd numbers, unicode digits, formulas, quotes, line breaks, bad dates), broken headers and
bad encodings. Either the whole file imports or nothing does, with one sentence that names
the line."""

from __future__ import annotations

import csv
import io

from bson import Decimal128
from fuzz_checks import FUZZ, one_sentence, store_fingerprint
from hypothesis import given
from hypothesis import strategies as st
from integration_cli import Cli

from kiosk.domain.errors import KioskError
from kiosk.services.import_rows import COLUMNS
from kiosk.services.imports import import_csv

KINDS = sorted(COLUMNS)
HOSTILE = [
    "", " ", "$gt", '{"$ne": null}', "$where", "{$set: {quantityOnHand: 1}}", "$", "a.$b",
    "__proto__", "9" * 30, "9" * 199, "-1", "--5", "+5", "-0", "0x10", "1e309", "1e-400", "NaN",
    "-Infinity", "1_000", "²", "٣", "Ⅻ", "0.1", "1,000.50", "$3.36", "3.36",
    "1.00000000000000000000000000000000001", "99999.99", "100000.01", "2024-02-30", "20240101",
    "9999-12-31", "2031-01-01", "\u202e", "x" * 201, "Robert'); DROP TABLE items;--",
    "=cmd|' /C calc'!A0", "\t", "line\nbreak", '"', "'", "true", "yes", "maybe", "BRACKET",
    "wire", "aligner", "recalled", "ACTIVE", "PLACED", "assistant", "manager", "1234", "12345678",
    "64b100000000000000000001", "64B2000000000000000000ZZ", "00812345671018", "00812345671019",
    "+A123BJC5D6E71G", "BRK-MBT-U1R", "WIR-TMA-1925-U", "B25E392", "C-10239", "B1001",
    "Alder Ortho Direct", "EACH",
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


@st.composite
def csv_files(draw) -> tuple[str, str]:
    kind = draw(st.sampled_from(KINDS))
    header = list(COLUMNS[kind])
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 9)) == 0:
        header = header[:-1]  # a column missing
    if draw(st.integers(0, 9)) == 0:
        header = [*header, draw(st.sampled_from(["extra", "$where", "SKU", ""]))]
    rows = draw(st.lists(st.lists(values, min_size=len(header) - 1, max_size=len(header) + 1),
                         max_size=6))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow([c.upper() if draw(st.booleans()) else c for c in header])
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    if draw(st.integers(0, 9)) == 0:  # broken quoting
        text = text.replace(",", ',"', 1)
    return kind, text


@FUZZ
@given(csv_files())
def test_a_hostile_csv_imports_whole_or_not_at_all_with_one_sentence(demo_kiosk, file) -> None:
    kind, text = file
    database = demo_kiosk.config.database_path
    before = store_fingerprint(database)
    try:
        count = import_csv(demo_kiosk.context, kind, text)
    except KioskError as error:
        message = str(error)
        assert one_sentence(message), message
        assert message.endswith("."), message
        if message.startswith("Line ") and ":" in message:  # a row was refused
            assert message.endswith("Nothing from this file was imported."), message
        assert store_fingerprint(database) == before, "a refused import changed the store"
    else:
        assert count >= 1


NUMBERS = st.one_of(
    st.sampled_from(["²", "٣", "--5", "-0", "+5", "1_000", "0x10", "1e3", "1e309", "NaN", "inf",
                     "9" * 199, "1.00000000000000000000000000000000001", " 7 ", "3.", ".5",
                     "1,5", "$-1", "$$3", "١٢٣"]),
    st.integers(-10**40, 10**40).map(str), st.decimals(allow_nan=True).map(str),
    st.text(alphabet="0123456789-+.,$eE_ ²³¹٠١٢٣", max_size=12))
# a valid row of each kind with numbers, and the columns the numbers go in
NUMBER_ROWS = {
    "items": ({"sku": "FZ-1", "name": "Fuzz", "category": "BRACKET", "gtins": "", "hibcc": "",
               "unit_of_measure": "EACH"}, ("reorder_point", "reorder_quantity")),
    "offers": ({"sku": "BRK-MBT-U1R", "vendor": "Fuzz Vendor", "vendor_sku": "F-1",
                "preferred": "false"}, ("unit_cost",)),
    "lots": ({"sku": "BRK-MBT-U1R", "lot_number": "FUZZLOT", "expiration_date": "2031-01-01",
              "vendor": "", "status": "ACTIVE"}, ("unit_cost", "quantity")),
}


@FUZZ
@given(kind=st.sampled_from(sorted(NUMBER_ROWS)), data=st.data())
def test_odd_numbers_in_a_valid_row_import_or_are_refused_by_line(demo_kiosk, kind,
                                                                  data) -> None:
    row, number_columns = NUMBER_ROWS[kind]
    row = row | {c: data.draw(NUMBERS, label=c) for c in number_columns}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS[kind]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    before = store_fingerprint(demo_kiosk.config.database_path)
    try:
        import_csv(demo_kiosk.context, kind, out.getvalue())
    except KioskError as error:
        message = str(error)
        assert one_sentence(message) and message.startswith("Line 2 of the "), message
        assert store_fingerprint(demo_kiosk.config.database_path) == before
    else:
        assert_costs_fit_the_central_server(demo_kiosk, row["sku"])


def assert_costs_fit_the_central_server(kiosk, sku: str) -> None:
    """Every unit cost an import accepts, and a line of the most units a placement allows,
    can be stored as MongoDB Decimal128 exactly; else the push of a usage priced with it
    would fail on every retry, holding the kiosk's queue for ever."""
    with kiosk.context.store.read() as tx:
        item = tx.item_by_sku(sku)
        costs = [o.unit_cost for o in item.offers] + [
            lot.unit_cost for lot in tx.lots_for_item(item.id) if lot.unit_cost is not None]
    top = kiosk.context.settings.max_line_quantity
    for cost in costs:
        for amount in (cost, cost * top):
            assert Decimal128(amount).to_decimal() == amount, f"{cost} cannot be stored centrally"


ENCODINGS = ["utf-16", "utf-32", "latin-1", "cp1252", "shift_jis"]


@FUZZ
@given(kind=st.sampled_from(KINDS), encoding=st.sampled_from(ENCODINGS),
       name=st.text(alphabet="éüñøßÆ€", min_size=1, max_size=10), junk=st.binary(max_size=200))
def test_a_csv_in_another_encoding_or_binary_is_refused_by_the_cli(
        demo_kiosk, tmp_path_factory, capsys, kind, encoding, name, junk) -> None:
    folder = tmp_path_factory.mktemp("enc")
    text = ",".join(COLUMNS[kind]) + "\n" + ",".join([name] * len(COLUMNS[kind])) + "\n"
    database = demo_kiosk.config.database_path
    for data in (text.encode(encoding, errors="replace"), junk, text.encode() + b"\x00" + junk):
        path = folder / f"{kind}.csv"
        path.write_bytes(data)
        before = store_fingerprint(database)
        code = Cli(demo_kiosk.config_path, capsys)("import", kind, str(path))
        assert code.code in (0, 1), code
        if code.code:
            assert code.err.startswith("kiosk: ") and one_sentence(code.err), code.err
            assert store_fingerprint(database) == before
