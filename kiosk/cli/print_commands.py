"""`kiosk label`, `kiosk cost-sheet`, `kiosk recall import`, and PDF output of reports."""

from __future__ import annotations

import re
from argparse import Namespace
from pathlib import Path

from kiosk import bootstrap
from kiosk.app import KioskApp
from kiosk.cli.files import read_text, write_output
from kiosk.cli.output import to_json
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


def _recall_json(outcome: recalls.RecallOutcome, written: dict[int, Path]) -> dict[str, object]:
    warning = next((lot.warning for lot in outcome.affected if lot.warning), None)
    return {
        "recalls": [notice.identifiers() for notice in outcome.notices],
        "marked": [{"recallNumber": lot.recall_number, "sku": lot.sku,
                    "lotNumber": lot.lot_number, "newlyRecalled": lot.newly_recalled,
                    "patients": len(lot.contacts), "contactList": str(written[id(lot)])}
                   for lot in outcome.affected],
        "review": [proposal.to_json() for proposal in outcome.review],
        "warning": warning,
    }


def cmd_recall_import(args: Namespace) -> int:
    text = read_text(args.file)
    out_dir = Path(args.out_dir)
    if not out_dir.is_dir():
        raise ValidationError(f"{out_dir} is not a folder; create it or pick another with "
                              "--out-dir.")
    kiosk = bootstrap.open_kiosk(args.config)
    outcome = kiosk.import_recall_outcome(args.actor, text)  # central first, then alerts
    affected = outcome.affected
    written = {}
    for lot in affected:
        # each part cut short, so the name stays within the file system's 255 bytes
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"recall-{lot.recall_number[:40]}-"
                                                f"{lot.sku[:60]}-{lot.lot_number[:60]}.csv")
        write_output(kiosk, str(out_dir / name), recalls.contact_csv(lot).encode("utf-8"))
        written[id(lot)] = out_dir / name
    if args.json:
        print(to_json(_recall_json(outcome, written)))
        return 0
    if not affected:
        print("No lot in the catalog matches this recall file; nothing was marked.")
    for lot in affected:
        state = "marked RECALLED" if lot.newly_recalled else "already RECALLED"
        print(f"Lot {lot.lot_number} of {lot.sku} {state} ({lot.recall_number}); "
              f"{len(lot.contacts)} patient contact(s) in {written[id(lot)]}.")
    for proposal in outcome.review:
        print(f"To review (not marked): {proposal.recall_number} may mean {proposal.sku} "
              f"({proposal.item_name}) lots {', '.join(proposal.lot_numbers)}: only the "
              f"description's words match ({', '.join(proposal.words)}); check it in the "
              "recall workbench.")
    warning = next((lot.warning for lot in affected if lot.warning), None)
    if warning:  # also the first line of each contact file
        print(warning)
    return 0
