"""One function per CLI command: translate arguments into a service call and print."""

from __future__ import annotations

import sys
from argparse import Namespace
from dataclasses import replace

from kiosk import bootstrap
from kiosk.app import KioskApp
from kiosk.cli.files import read_text
from kiosk.cli.ops_commands import read_uri_file
from kiosk.cli.output import to_json
from kiosk.domain.barcodes import parse_scan
from kiosk.domain.errors import ValidationError
from kiosk.services import corrections, placement, receiving
from kiosk.services.demo import example_scans
from kiosk.services.json_text import load_json
from kiosk.services.placement import PlaceSupplies


def cmd_init(args: Namespace) -> int:
    mongo_uri = args.mongo_uri
    if args.mongo_uri_file:
        mongo_uri = read_uri_file(args.mongo_uri_file)
    path, identity = bootstrap.init_kiosk(
        args.config, clinic_id=args.clinic_id, workstation_id=args.workstation_id,
        mongo_uri=mongo_uri, data_dir=args.data_dir, timezone=args.timezone)
    if args.replace_kiosk:
        old, new, moved = bootstrap.replace_kiosk_id(str(path))
        print(f"This data directory now syncs as a new kiosk id {new} (it was {old}); "
              f"{moved} unsynced event(s) moved to it.")
        identity = replace(identity, kiosk_id=new)
    print(f"Kiosk {identity.kiosk_id} ({identity.workstation_id}) of clinic "
          f"{identity.clinic_id} is ready; config written to {path}.")
    return 0


def cmd_demo_seed(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    counts = kiosk.seed_demo()
    print("Demo clinic loaded: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ".")
    print(f"Example scans for {kiosk.context.today():%Y-%m-%d} (lot expiries as loaded today):")
    for scan, sku in example_scans(kiosk.context):
        print(f"  {scan}   {sku}")
    return 0


def cmd_import(args: Namespace) -> int:
    kiosk = bootstrap.open_kiosk(args.config)
    count = kiosk.catalog.import_file(args.kind, read_text(args.file))
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


def _usage_lines(kiosk: KioskApp, usages: list) -> list[dict]:
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
    data = load_json(text, "the bulk file", "nothing was deducted")
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
