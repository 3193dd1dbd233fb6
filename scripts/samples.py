"""Regenerate the PNG previews in docs/samples: `python scripts/samples.py [docs/samples]`.

Builds a throw-away demo kiosk, records a small day of usage (with one void) through the
services, renders every document kind and rasterises each one's first page with pypdfium2
(a test dependency: `pip install -e '.[test]'`)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from kiosk import bootstrap
from kiosk.domain.errors import KioskError
from kiosk.services import cost_sheet, labels, reports
from kiosk.services.corrections import void_usage
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance

ACTORS = ("B1001", "B1002", "B1005", "B1006")


def record_day(kiosk: bootstrap.KioskApp) -> tuple[str, str]:
    """A few placements per patient; the first lot used and the patient with a void."""
    ctx = kiosk.context
    with ctx.store.read() as tx:
        patients = [p.chart_number for p in tx.all_patients()][:6]
        stock = [(item, lot) for item in tx.all_items() if item.gtins
                 for lot in tx.lots_for_item(item.id)][:40:3]
    usages = []
    for n, (item, lot) in enumerate(stock):
        scan = f"(01){item.gtins[0]}(10){lot.lot_number}"
        command = PlaceSupplies(patients[n % len(patients)], item.category.value, [scan],
                                1 + n % 3)
        try:
            usages += deduct_for_appliance(ctx, ACTORS[n % len(ACTORS)], command)
        except KioskError:
            continue
    void_usage(ctx, "B1001", usages[1].id, "placed on the wrong tooth")
    return usages[0].lot_number, usages[1].patient_id


def save_png(data: bytes, target: Path, dpi: int) -> None:
    pdf = pdfium.PdfDocument(data)
    try:
        pdf[0].render(scale=dpi / 72).to_pil().save(target, optimize=True)
    finally:
        pdf.close()


def main(folder: str = "docs/samples") -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    renderer = bootstrap.document_renderer()
    with tempfile.TemporaryDirectory() as tmp:
        kiosk = bootstrap.open_demo_kiosk(Path(tmp))
        lot, patient = record_day(kiosk)
        ctx, clinic = kiosk.context, kiosk.clinic_name
        label = labels.lot_label(ctx, None, lot)
        documents = {
            "label-2x1": (renderer.labels([label], "2x1"), 300),
            "label-4x2": (renderer.labels([label], "4x2"), 200),
            "label-avery5160": (renderer.labels([label] * 12, "avery5160", start=4), 110),
            "cost-sheet": (renderer.cost_sheet(cost_sheet.cost_sheet(ctx, None, patient),
                                               clinic), 110),
            "report-usage": (renderer.report(reports.usage_report(ctx, None), clinic), 100),
            "report-supply-costs": (renderer.report(
                reports.supply_costs(ctx, None), clinic,
                [cost_sheet.provider_costs(ctx, None)]), 100),
            "report-low-stock": (renderer.report(reports.low_stock(ctx, None), clinic), 110),
            "report-lot-tracking": (renderer.report(reports.lot_tracking(ctx, None, lot),
                                                    clinic), 110),
        }
        for name, (data, dpi) in documents.items():
            save_png(data, out / f"{name}.png", dpi)
            sys.stdout.write(f"{out / name}.png\n")


if __name__ == "__main__":
    main(*sys.argv[1:2])
