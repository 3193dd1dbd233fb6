"""Lot labels (issue 5): PDFs rendered to images, every barcode decoded with zxing-cpp and
read back through the kiosk's own parser; Avery cells and start position; ZPL fields."""

from __future__ import annotations

from datetime import date

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp

from kiosk.adapters.pdf import PdfRenderer
from kiosk.adapters.pdf.labels import SHEETS
from kiosk.bootstrap import open_kiosk
from kiosk.domain.barcodes import parse_scan
from kiosk.services.labels import LabelData

GTIN, LOT = "00812345671018", "B25E392"
LABEL = LabelData("Metal twin bracket MBT 0.022\" U1 right", "BRK-MBT-U1R", GTIN, LOT,
                  date(2028, 1, 31), "Crescent Dental Distributors", date(2026, 11, 2))


def render(data: bytes, dpi: int = 300) -> list[np.ndarray]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_numpy().squeeze()
                for i in range(len(pdf))]
    finally:
        pdf.close()


def decode(image: np.ndarray) -> list:
    return zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)


def assert_label_codes(found, label: LabelData = LABEL, count: int = 1) -> None:
    kinds = sorted(b.format.name for b in found)
    assert kinds == ["Code128"] * count + ["DataMatrix"] * count
    for barcode in found:
        assert barcode.symbology_identifier in ("]d2", "]C1")  # GS1, FNC1 first
        scan = parse_scan(barcode.symbology_identifier + barcode.text)
        assert scan.error is None, scan.error
        assert (scan.gtin, scan.lot, scan.expiry) == (label.gtin, label.lot, label.expiry)


@pytest.mark.parametrize(("size", "dpi"), [("2x1", 600), ("4x2", 300)])
def test_thermal_labels_scan_back_to_the_same_gtin_lot_and_expiry(size, dpi):
    pages = render(PdfRenderer().labels([LABEL] * 2, size), dpi)
    assert len(pages) == 2
    width, height = SHEETS[size].page
    assert pages[0].shape == (round(height * dpi / 72), round(width * dpi / 72))
    for page in pages:
        assert_label_codes(decode(page))


def test_label_without_expiry_still_parses():
    label = LabelData("Elastics", "ELA", "00812345671490", "EL-7", None, None, None)
    [page] = render(PdfRenderer().labels([label], "4x2"))
    assert_label_codes(decode(page), label)


def _cells(found, sheet, dpi):
    """The cell index (0-29) holding the centre of each barcode, or None when outside."""
    scale = dpi / 72
    out = []
    for barcode in found:
        p = barcode.position
        cx = (p.top_left.x + p.bottom_right.x) / 2 / scale
        cy = sheet.page[1] - (p.top_left.y + p.bottom_right.y) / 2 / scale
        hit = None
        for n in range(sheet.per_page):
            x, y = sheet.cell(n)
            if x < cx < x + sheet.width and y < cy < y + sheet.height:
                hit = n
        out.append(hit)
    return out


def test_avery_sheet_places_30_labels_inside_their_cells():
    sheet = SHEETS["avery5160"]
    labels = [LabelData("Item", "SKU", GTIN, f"L{n:02d}", date(2028, 1, 31), "V", None)
              for n in range(30)]
    [page] = render(PdfRenderer().labels(labels, "avery5160"), 400)
    found = decode(page)
    assert len(found) == 60
    cells = _cells(found, sheet, 400)
    for barcode, cell in zip(found, cells, strict=True):
        assert cell is not None
        assert parse_scan(barcode.symbology_identifier + barcode.text).lot == f"L{cell:02d}"
    assert sorted(cells) == sorted(list(range(30)) * 2)


def test_avery_start_position_skips_used_cells_and_continues_on_a_new_sheet():
    sheet = SHEETS["avery5160"]
    pages = render(PdfRenderer().labels([LABEL] * 4, "avery5160", start=29), 400)
    assert len(pages) == 2
    first, second = (decode(p) for p in pages)
    assert sorted(set(_cells(first, sheet, 400))) == [28, 29]
    assert sorted(set(_cells(second, sheet, 400))) == [0, 1]
    assert_label_codes(first, count=2)


def test_zpl_carries_gs1_datamatrix_and_gs1_128():
    zpl = PdfRenderer().labels_zpl([LABEL] * 2, "4x2").decode()
    assert zpl.count("^XA") == 2 and zpl.count("^XZ") == 2
    assert "^CI28" in zpl and "^PW812" in zpl
    assert f"^BXN,6,200,,,,_^FD_101{GTIN}17280131" f"10{LOT}^FS" in zpl
    assert f"^BY2^BCN,89,N,N,N,D^FD(01){GTIN}(17)280131(10){LOT}^FS" in zpl
    assert "LOT B25E392" in zpl and "EXP 2028-01-31" in zpl


@pytest.fixture
def demo(cli, demo_csvs):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    return cli


def test_cli_label_pdf_and_zpl(demo, tmp_path):
    cli = demo
    cli.ok("receive", "--scan", f"(01){GTIN}(10){LOT}", "--qty", "5", "--actor", "B1007")
    out = tmp_path / "labels.pdf"
    said = cli.ok("label", "--lot", LOT, "--copies", "3", "--size", "avery5160", "--start", "5",
                  "-o", str(out))
    assert "Wrote 3 label(s)" in said
    [page] = render(out.read_bytes(), 400)
    found = decode(page)
    assert sorted(set(_cells(found, SHEETS["avery5160"], 400))) == [4, 5, 6]
    with open_kiosk(str(cli.config)).context.store.read() as tx:
        lot = tx.lots_numbered(LOT)[0]
    for barcode in found:
        scan = parse_scan(barcode.symbology_identifier + barcode.text)
        assert (scan.gtin, scan.lot, scan.expiry) == (GTIN, LOT, lot.expiration_date)
    text = pdfium.PdfDocument(out.read_bytes())[0].get_textpage().get_text_range()
    assert "Alder Ortho Direct" in text and "Rcvd 20" in text
    zpl = tmp_path / "labels.zpl"
    cli.ok("label", "--lot", LOT, "--format", "zpl", "-o", str(zpl))
    assert f"_101{GTIN}" in zpl.read_text()


def test_cli_label_errors_are_one_sentence(demo, tmp_path):
    cli = demo
    result = cli("label", "--lot", "NOPE", "-o", str(tmp_path / "x.pdf"))
    assert result.code == 1 and "No lot has the number 'NOPE'" in result.err
    extra = tmp_path / "dup.csv"
    extra.write_text("sku,lot_number,expiration_date,vendor,unit_cost,quantity,status\n"
                     f"BRK-MBT-U1L,{LOT},2029-01-01,Alder Ortho Direct,,5,ACTIVE\n")
    cli.ok("import", "lots", str(extra))
    result = cli("label", "--lot", LOT, "-o", str(tmp_path / "x.pdf"))
    assert result.code == 1 and "--item SKU" in result.err
    assert result.err.count("\n") == 1
    cli.ok("label", "--lot", LOT, "--item", "BRK-MBT-U1L", "-o", str(tmp_path / "x.pdf"))
    result = cli("label", "--lot", LOT, "--item", "BRK-MBT-U1L", "-o",
                 str(tmp_path / "missing" / "x.pdf"))
    assert result.code == 1 and "Cannot write" in result.err
    result = cli("label", "--lot", LOT, "--item", "BRK-MBT-U1L", "--start", "31", "-o",
                 str(tmp_path / "x.pdf"))
    assert result.code == 1 and "--start must be 1 to 30" in result.err
    result = cli("label", "--lot", LOT, "--item", "BRK-MBT-U1L", "--start", "3", "-o",
                 str(tmp_path / "x.pdf"))
    assert result.code == 1 and "--start only applies to --size avery5160" in result.err
    result = cli("label", "--lot", LOT, "--item", "BRK-MBT-U1L", "--size", "avery5160",
                 "--format", "zpl", "-o", str(tmp_path / "x.zpl"))
    assert result.code == 1 and "Avery sheets are PDF only" in result.err


def test_print_without_a_spooler_is_one_sentence(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    out = tmp_path / "x.pdf"
    result = demo("label", "--lot", LOT, "--print", "Zebra1", "-o", str(out))
    assert result.code == 1 and "No print spooler (lp)" in result.err
    assert out.exists()  # the save-as-PDF fallback


def test_print_through_a_spooler_passes_printer_and_copies(demo, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "lp.log"
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {log}\necho "request id is Zebra1-7 (1 file(s))"\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    out = tmp_path / "sheet.pdf"
    said = demo.ok("cost-sheet", "--patient", "C-10239", "--copies", "2", "--print", "Zebra1",
                   "-o", str(out))
    assert "request id is Zebra1-7" in said
    assert log.read_text().split() == ["-d", "Zebra1", "-n", "2", str(out)]
    lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    result = demo("cost-sheet", "--patient", "C-10239", "--print", "Nope", "-o", str(out))
    assert result.code == 1
    assert "Could not print to printer Nope (The printer or class does not exist.)" in result.err
