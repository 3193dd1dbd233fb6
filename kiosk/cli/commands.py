"""One function per CLI command: translate arguments into a service call and print."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.ops_commands import read_uri_file
from kiosk.cli.output import RENDERERS, to_json
from kiosk.domain.barcodes import parse_scan
from kiosk.domain.errors import ValidationError
from kiosk.services import corrections, placement, receiving, reports
from kiosk.services.manager_reports import ReportFilters, usage_filter
from kiosk.services.placement import PlaceSupplies
from kiosk.services.ports import UsageFilter

MAX_INPUT_BYTES = 20_000_000


def read_text(path: str) -> str:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_INPUT_BYTES:
            raise ValidationError(f"{path} is larger than 20 MB.")
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not UTF-8 text; save it as UTF-8.") from None
    except OSError as error:
        raise ValidationError(f"{path} cannot be read ({error.strerror}).") from None


def cmd_init(args: Namespace) -> int:
    mongo_uri = args.mongo_uri
    if args.mongo_uri_file:
        mongo_uri = read_uri_file(args.mongo_uri_file)
    path, identity = bootstrap.init_kiosk(
        args.config, clinic_id=args.clinic_id, workstation_id=args.workstation_id,
        mongo_uri=mongo_uri, data_dir=args.data_dir, timezone=args.timezone)
    print(f"Kiosk {identity.kiosk_id} ({identity.workstation_id}) of clinic "
          f"{identity.clinic_id} is ready; config written to {path}.")
    return 0


def cmd_demo_seed(args: Namespace) -> int:
    counts = bootstrap.seed_demo(bootstrap.open_kiosk(args.config))
    print("Demo clinic loaded: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ".")
    return 0


def cmd_import(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    count = bootstrap.import_file(kiosk, args.kind, read_text(args.file))
    where = "the central server" if kiosk.config.mongo_uri else "this kiosk"
    print(f"Imported {count} {args.kind} row(s) from {args.file} into {where}.")
    return 0


def cmd_parse(args: Namespace) -> int:
    result = parse_scan(args.raw)
    if args.json:
        print(to_json(result.to_json()))
    elif result.ok:
        for key, value in result.to_json().items():
            if value is not None and key != "error":
                print(f"{key}: {value}")
    if result.error:
        print(result.error, file=sys.stderr)
        return 1
    return 0


def _usage_lines(kiosk: bootstrap.Kiosk, usages: list) -> list[dict]:
    with kiosk.context.store.read() as tx:
        skus = {u.inventory_item_id: item.sku if (item := tx.item(u.inventory_item_id))
                else u.inventory_item_id for u in usages}
    return [{"id": u.id, "sku": skus[u.inventory_item_id], "lotNumber": u.lot_number,
             "quantity": u.quantity, "unitCost": u.unit_cost} for u in usages]


def _print_usages(lines: list[dict], as_json: bool) -> None:
    if as_json:
        print(to_json({"usages": lines}))
        return
    for line in lines:
        cost = f" at {line['unitCost']}" if line["unitCost"] is not None else ""
        lot = f" lot {line['lotNumber']}" if line["lotNumber"] else ""
        print(f"Recorded {line['quantity']} x {line['sku']}{lot}{cost} (usage {line['id']}).")


def cmd_deduct(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    command = PlaceSupplies(
        patient=args.patient, appliance_type=args.appliance_type, scans=args.scan,
        quantity=args.qty, appliance_id=args.appliance_id, mark_placed=args.mark_placed,
        override_reason=args.override_reason, notes=args.notes,
    )
    usages = placement.deduct_for_appliance(kiosk.context, args.actor, command)
    _print_usages(_usage_lines(kiosk, usages), args.json)
    return 0


def cmd_bulk_deduct(args: Namespace) -> int:
    commands = _bulk_commands(read_text(args.file))
    kiosk = bootstrap.open_kiosk(args.config)
    usages = placement.bulk_deduct(kiosk.context, args.actor, commands)
    _print_usages(_usage_lines(kiosk, usages), args.json)
    return 0


def _bulk_commands(text: str) -> list[PlaceSupplies]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(f"The bulk file is not valid JSON (line {error.lineno}).") from None
    lines = data.get("deductions") if isinstance(data, dict) else None
    if not isinstance(lines, list):
        raise ValidationError('The bulk file needs a "deductions" list.')
    commands = []
    for number, line in enumerate(lines, start=1):
        if not isinstance(line, dict) or not all(
                isinstance(line.get(k), str) for k in ("patient", "applianceType", "scan")):
            raise ValidationError(f'Deduction {number} needs "patient", "applianceType" and '
                                  '"scan" as text. Nothing was deducted.')
        for key in ("applianceId", "notes"):
            if line.get(key) is not None and not isinstance(line[key], str):
                raise ValidationError(f'Deduction {number}: "{key}" must be text. '
                                      'Nothing was deducted.')
        commands.append(PlaceSupplies(
            patient=line["patient"], appliance_type=line["applianceType"], scans=[line["scan"]],
            quantity=line.get("quantity", 1), appliance_id=line.get("applianceId"),
            mark_placed=line.get("markPlaced") is True, notes=line.get("notes"),
        ))
    return commands


def cmd_void(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    void = corrections.void_usage(kiosk.context, args.actor, args.event_id, args.reason)
    print(f"Usage {void.usage_id} voided (event {void.id}); its stock is back on hand.")
    return 0


def cmd_adjust(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    adj = corrections.adjust_stock(kiosk.context, args.actor, args.item, lot_number=args.lot,
                                   delta=args.qty, reason=args.reason)
    lot = f" lot {adj.lot_number}" if adj.lot_number else ""
    print(f"Adjusted {args.item}{lot} by {adj.quantity_delta:+d} (event {adj.id}).")
    return 0


def cmd_receive(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    adj = receiving.receive_stock(kiosk.context, args.actor, args.scan, args.qty,
                                  unit_cost=args.unit_cost, vendor=args.vendor)
    print(f"Received {adj.quantity_delta} into lot {adj.lot_number} (event {adj.id}).")
    return 0


def cmd_report(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    ctx = kiosk.context
    if args.name == "usage":
        report = reports.usage_report(ctx, args.actor, _usage_filter(ctx, args))
    elif args.name == "supply-costs":
        report = reports.supply_costs(ctx, args.actor, args.patient)
    elif args.name == "low-stock":
        report = reports.low_stock(ctx, args.actor)
    else:
        if not args.lot:
            raise ValidationError("Give the lot number: kiosk report lot-tracking LOT.")
        report = reports.lot_tracking(ctx, args.actor, args.lot)
    if args.format == "pdf":
        from kiosk.cli.print_commands import write_report_pdf  # noqa: PLC0415 - no cycle

        write_report_pdf(kiosk, report, args)
        return 0
    if args.print is not None:
        raise ValidationError("--print needs --format pdf.")
    text = RENDERERS[args.format](report)
    if args.output:
        Path(args.output).write_text(text if text.endswith("\n") else text + "\n", "utf-8")
        print(f"Wrote {len(report.rows)} row(s) to {args.output}.")
    else:
        print(text)
    return 0


def _usage_filter(ctx, args: Namespace) -> UsageFilter:
    filters = ReportFilters(from_date=args.from_date or "", to_date=args.to_date or "",
                            appliance_type=args.type or "", provider=args.provider or "")
    with ctx.store.read() as tx:
        return usage_filter(tx, filters)

