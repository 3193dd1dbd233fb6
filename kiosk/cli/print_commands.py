"""`kiosk label`, `kiosk cost-sheet`, `kiosk recall import`, and PDF output of reports."""

from __future__ import annotations

import re
from argparse import Namespace
from pathlib import Path

from kiosk import bootstrap
from kiosk.app import KioskApp
from kiosk.cli import follow_up_commands
from kiosk.cli.files import read_text, write_output
from kiosk.domain.errors import ValidationError
from kiosk.services import cost_sheet, labels, recall_labels, recalls
from kiosk.services.printing_ports import LABEL_SIZES, print_copies


def send_to_printer(kiosk: KioskApp, args: Namespace, path: str, copies: int = 1) -> None:
    """Spool ``path`` when --print was given (a name, or the default printer when bare)."""
    if args.print is None:
        return
    printer = args.print or None
    reply = kiosk.print_file(path, printer, copies)
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
    if args.recalled or recall_labels.lot_is_recalled(kiosk.context, args.actor, args.lot,
                                                      args.item):
        return _recalled_label(kiosk, args, copies, start)
    label = labels.lot_label(kiosk.context, args.actor, args.lot, args.item)
    renderer = kiosk.ports.renderer()
    if args.format == "zpl":
        data = renderer.labels_zpl([label] * copies, args.size)
    else:
        data = renderer.labels([label] * copies, args.size, start)
    write_output(kiosk, args.output, data)
    print(f"Wrote {copies} label(s) for lot {label.lot} of {label.sku} to {args.output}.")
    send_to_printer(kiosk, args, args.output)
    return 0


def _recalled_label(kiosk: KioskApp, args: Namespace, copies: int, start: int) -> int:
    """A RECALLED lot's label is its "RECALLED — do not use" over-label."""
    label = recall_labels.recalled_label(kiosk.context, args.actor, args.lot, args.item)
    renderer = kiosk.ports.renderer()
    if args.format == "zpl":
        data = renderer.recalled_labels_zpl([label] * copies, args.size)
    else:
        data = renderer.recalled_labels([label] * copies, args.size, start)
    write_output(kiosk, args.output, data)
    print(f"Wrote {copies} RECALLED over-label(s) for lot {label.lot} of {label.sku} "
          f"(recall {label.recall_number}) to {args.output}.")
    send_to_printer(kiosk, args, args.output)
    return 0


def cmd_cost_sheet(args: Namespace) -> int:
    copies = print_copies(args.copies, "--copies")
    kiosk = bootstrap.open_kiosk(args.config)
    sheet = cost_sheet.cost_sheet(kiosk.context, args.actor, args.patient, args.treatment_plan)
    data = kiosk.ports.renderer().cost_sheet(sheet, kiosk.clinic_name)
    write_output(kiosk, args.output, data)
    print(f"Wrote the cost sheet of {sheet.patient.chart_number} (total {sheet.total}) to "
          f"{args.output}.")
    send_to_printer(kiosk, args, args.output, copies)
    return 0


def cmd_recall(args: Namespace) -> int:
    if args.action in follow_up_commands.ACTIONS:
        return follow_up_commands.cmd_follow_up(args)
    text = read_text(args.file)
    out_dir = Path(args.out_dir)
    if not out_dir.is_dir():
        raise ValidationError(f"{out_dir} is not a folder; create it or pick another with "
                              "--out-dir.")
    kiosk = bootstrap.open_kiosk(args.config)
    affected = kiosk.catalog.import_recall_file(args.actor, text)  # central first
    if not affected:
        print("No lot in the catalog matches this recall file; nothing was marked.")
        return 0
    for lot in affected:
        # each part cut short, so the name stays within the file system's 255 bytes
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"recall-{lot.recall_number[:40]}-"
                                                f"{lot.sku[:60]}-{lot.lot_number[:60]}.csv")
        write_output(kiosk, str(out_dir / name), recalls.contact_csv(lot).encode("utf-8"))
        state = "marked RECALLED" if lot.newly_recalled else "already RECALLED"
        print(f"Lot {lot.lot_number} of {lot.sku} {state} ({lot.recall_number}); "
              f"{len(lot.contacts)} patient contact(s) in {out_dir / name}.")
    warning = next((lot.warning for lot in affected if lot.warning), None)
    if warning:  # also the first line of each contact file
        print(warning)
    return 0
