"""`kiosk label`, `kiosk cost-sheet`, `kiosk recall import`, and PDF output of reports."""

from __future__ import annotations

import csv
import io
import re
from argparse import Namespace
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.commands import read_text
from kiosk.domain.errors import ValidationError
from kiosk.services import cost_sheet, labels, recalls
from kiosk.services.manager_reports import report_extras
from kiosk.services.printing_ports import LABEL_SIZES
from kiosk.services.reports import Report


def write_output(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` or fail with one sentence."""
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise ValidationError(f"Cannot write {path} ({error.strerror or error}).") from None


def send_to_printer(args: Namespace, path: str, copies: int = 1) -> None:
    """Spool ``path`` when --print was given (a name, or the default printer when bare)."""
    if args.print is None:
        return
    printer = args.print or None
    reply = bootstrap.print_in_background(path, printer, copies).result()
    print(f"Sent {path} to {printer or 'the default printer'}" + (f" ({reply})." if reply
                                                                   else "."))


def _positive(text: str, name: str, top: int) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise ValidationError(f"{name} must be a whole number.") from None
    if not 1 <= value <= top:
        raise ValidationError(f"{name} must be 1 to {top}.")
    return value


def cmd_label(args: Namespace) -> int:
    copies = _positive(args.copies, "--copies", labels.MAX_COPIES)
    start = _positive(args.start, "--start", 30)
    if args.size not in LABEL_SIZES:
        raise ValidationError(f"--size must be one of {', '.join(LABEL_SIZES)}.")
    if start != 1 and args.size != "avery5160":
        raise ValidationError("--start only applies to --size avery5160 sheets.")
    kiosk = bootstrap.open_kiosk(args.config)
    label = labels.lot_label(kiosk.context, args.actor, args.lot, args.item)
    renderer = bootstrap.document_renderer()
    if args.format == "zpl":
        data = renderer.labels_zpl([label] * copies, args.size)
    else:
        data = renderer.labels([label] * copies, args.size, start)
    write_output(args.output, data)
    print(f"Wrote {copies} label(s) for lot {label.lot} of {label.sku} to {args.output}.")
    send_to_printer(args, args.output)
    return 0


def cmd_cost_sheet(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    sheet = cost_sheet.cost_sheet(kiosk.context, args.actor, args.patient, args.treatment_plan)
    data = bootstrap.document_renderer().cost_sheet(sheet, bootstrap.clinic_name(kiosk))
    write_output(args.output, data)
    print(f"Wrote the cost sheet of {sheet.patient.chart_number} (total {sheet.total}) to "
          f"{args.output}.")
    send_to_printer(args, args.output, args.copies)
    return 0


def write_report_pdf(kiosk: bootstrap.Kiosk, report: Report, args: Namespace) -> None:
    """`kiosk report … --format pdf -o FILE [--print [PRINTER]]`."""
    if not args.output:
        raise ValidationError("A PDF report needs a file: add -o FILE.pdf.")
    extra = report_extras(kiosk.context, args.actor, args.name, args.patient)
    data = bootstrap.document_renderer().report(report, bootstrap.clinic_name(kiosk), extra)
    write_output(args.output, data)
    print(f"Wrote {len(report.rows)} row(s) to {args.output}.")
    send_to_printer(args, args.output)


def cmd_recall(args: Namespace) -> int:
    text = read_text(args.file)
    out_dir = Path(args.out_dir)
    if not out_dir.is_dir():
        raise ValidationError(f"{out_dir} is not a folder; create it or pick another with "
                              "--out-dir.")
    kiosk = bootstrap.open_kiosk(args.config)
    affected = bootstrap.import_recall_file(kiosk, args.actor, text)  # central first
    if not affected:
        print("No lot in the catalog matches this recall file; nothing was marked.")
        return 0
    for lot in affected:
        # each part cut short, so the name stays within the file system's 255 bytes
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"recall-{lot.recall_number[:40]}-"
                                                f"{lot.sku[:60]}-{lot.lot_number[:60]}.csv")
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(recalls.contact_csv_rows(lot))
        write_output(str(out_dir / name), buffer.getvalue().encode("utf-8"))
        state = "marked RECALLED" if lot.newly_recalled else "already RECALLED"
        print(f"Lot {lot.lot_number} of {lot.sku} {state} ({lot.recall_number}); "
              f"{len(lot.contacts)} patient contact(s) in {out_dir / name}.")
    return 0
