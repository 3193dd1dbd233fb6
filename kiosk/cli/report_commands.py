"""`kiosk report usage|supply-costs|low-stock|lot-tracking` as a table, JSON, CSV or PDF."""

from __future__ import annotations

from argparse import Namespace

from kiosk import bootstrap
from kiosk.app import KioskApp
from kiosk.cli.files import write_output
from kiosk.cli.output import RENDERERS, report_table
from kiosk.cli.print_commands import send_to_printer
from kiosk.domain.errors import ValidationError
from kiosk.services import reports
from kiosk.services.manager_reports import ReportFilters, report_extras, usage_filter
from kiosk.services.ports import UsageFilter
from kiosk.services.reports import Report


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
        write_report_pdf(kiosk, report, args)
        return 0
    if args.print is not None:
        raise ValidationError("--print needs --format pdf.")
    text = (report_table(report, ctx.settings.timezone) if args.format == "table"
            else RENDERERS[args.format](report))
    if args.output:
        data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
        write_output(kiosk, args.output, data)
        print(f"Wrote {len(report.rows)} row(s) to {args.output}.")
    else:
        print(text)
    return 0


def _usage_filter(ctx, args: Namespace) -> UsageFilter:
    filters = ReportFilters(from_date=args.from_date or "", to_date=args.to_date or "",
                            appliance_type=args.type or "", provider=args.provider or "")
    with ctx.store.read() as tx:
        return usage_filter(tx, filters)


def write_report_pdf(kiosk: KioskApp, report: Report, args: Namespace) -> None:
    """`kiosk report … --format pdf -o FILE [--print [PRINTER]]`."""
    if not args.output:
        raise ValidationError("A PDF report needs a file: add -o FILE.pdf.")
    extra = report_extras(kiosk.context, args.actor, args.name, args.patient)
    data = kiosk.ports.renderer().report(report, kiosk.clinic_name, extra)
    write_output(kiosk, args.output, data)
    print(f"Wrote {len(report.rows)} row(s) to {args.output}.")
    send_to_printer(kiosk, args, args.output)
