"""The argument parser of the CLI contract (ARCHITECTURE §8)."""

from __future__ import annotations

import argparse

from kiosk.cli import api_webhook_commands

IMPORT_KINDS = ("items", "offers", "lots", "staff", "patients", "appliances")


class Parser(argparse.ArgumentParser):
    """argparse that reports errors as one sentence and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"kiosk: {message[0].upper()}{message[1:]}.\n")


def build_parser() -> Parser:
    parser = Parser(prog="kiosk", description="Ortho Supply Kiosk")
    parser.add_argument("--config", help="config file (else KIOSK_CONFIG, else the default)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log debug detail, and echo the log to stderr")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    run = sub.add_parser("run", help="launch the kiosk UI")
    run.add_argument("--demo", action="store_true", help="run on the demo clinic")
    run.add_argument("--windowed", action="store_true", help="not full-screen")

    init = sub.add_parser("init", help="configure this workstation")
    init.add_argument("--clinic-id", required=True)
    init.add_argument("--workstation-id", required=True)
    init.add_argument("--mongo-uri", default=None,
                      help="the central server (kept from the config when not given)")
    init.add_argument("--mongo-uri-file", metavar="FILE",
                      help="read the server URI from FILE ('-' for standard input) so that its "
                           "password stays off the command line")
    init.add_argument("--data-dir")
    init.add_argument("--timezone", default=None,
                      help="the clinic's IANA time zone (UTC for a new kiosk; kept when not "
                           "given)")
    init.add_argument("--replace-kiosk", action="store_true",
                      help="give this data directory a new kiosk id (a copy of another "
                           "workstation's, refused by sync); its unsynced events move along")

    sub.add_parser("demo-seed", help="load the demo clinic into the local store")
    _add_scan_commands(sub)
    _add_correction_commands(sub)
    _add_report_commands(sub)
    _add_print_commands(sub)
    _add_ops_commands(sub)
    _add_api_commands(sub)
    return parser


def _add_api_commands(sub) -> None:
    """`kiosk api …`: the central service's commands. Each module adds its own to the group
    and sets ``api_handler`` on its leaves."""
    api = sub.add_parser("api", help="the central service: webhooks")
    groups = api.add_subparsers(dest="api_command", parser_class=Parser, required=True,
                                metavar="COMMAND")
    api_webhook_commands.add_parsers(groups)


def _add_ops_commands(sub) -> None:
    backup = sub.add_parser("backup", help="copy the kiosk database (safe while it runs)")
    backup.add_argument("-o", "--output", metavar="FILE",
                        help="where to write it (default: <data_dir>/backups/)")
    backup.add_argument("--json", action="store_true")

    config = sub.add_parser("config", help="show, read or change this workstation's config")
    config.add_argument("action", choices=("show", "get", "set"))
    config.add_argument("key", nargs="?")
    config.add_argument("value", nargs="?")
    config.add_argument("--json", action="store_true")

    sub.add_parser("migrate", help="back up and upgrade the database now (else done on start)")

    restore = sub.add_parser("restore", help="put a backup in place of the kiosk database")
    restore.add_argument("file")
    restore.add_argument("--replace-kiosk", action="store_true",
                         help="accept a backup of another kiosk of this clinic (this workstation "
                              "takes over from a retired one)")


def _add_scan_commands(sub) -> None:
    imp = sub.add_parser("import", help="import a CSV file")
    imp.add_argument("kind", choices=IMPORT_KINDS)
    imp.add_argument("file")

    parse = sub.add_parser("parse", help="what the scanner pipeline makes of one scan")
    parse.add_argument("raw")
    parse.add_argument("--json", action="store_true")

    deduct = sub.add_parser("deduct", help="deduct supplies for a patient's appliance")
    deduct.add_argument("--patient", required=True)
    deduct.add_argument("--actor", required=True)
    deduct.add_argument("--appliance-type", required=True)
    deduct.add_argument("--appliance-id")
    deduct.add_argument("--scan", nargs="+", required=True, action="extend")
    deduct.add_argument("--qty", default="1")
    deduct.add_argument("--mark-placed", action="store_true",
                        help="mark an ORDERED appliance placed in the same step")
    deduct.add_argument("--override-reason", help="use an expired lot (needs inventory:adjust)")
    deduct.add_argument("--notes")
    deduct.add_argument("--json", action="store_true")

    bulk = sub.add_parser("bulk-deduct", help="apply a JSON file of deductions, all or none")
    bulk.add_argument("file")
    bulk.add_argument("--actor", required=True)
    bulk.add_argument("--json", action="store_true")



def _add_correction_commands(sub) -> None:
    void = sub.add_parser("void", help="void one usage with a reason")
    void.add_argument("event_id")
    void.add_argument("--actor", required=True)
    void.add_argument("--reason", required=True)

    adjust = sub.add_parser("adjust", help="correct stock with a reason")
    adjust.add_argument("--item", required=True)
    adjust.add_argument("--lot")
    adjust.add_argument("--qty", required=True)
    adjust.add_argument("--reason", required=True)
    adjust.add_argument("--actor", required=True)

    receive = sub.add_parser("receive", help="receive stock into a lot")
    receive.add_argument("--scan", required=True)
    receive.add_argument("--qty", required=True)
    receive.add_argument("--actor", required=True)
    receive.add_argument("--unit-cost")
    receive.add_argument("--vendor")



def _add_report_commands(sub) -> None:
    report = sub.add_parser("report", help="usage, supply-costs, low-stock or lot-tracking")
    report.add_argument("name", choices=("usage", "supply-costs", "low-stock", "lot-tracking"))
    report.add_argument("lot", nargs="?", help="the lot number, for lot-tracking")
    report.add_argument("--actor", help="who asks (default: the operator at this workstation)")
    report.add_argument("--from", dest="from_date")
    report.add_argument("--to", dest="to_date")
    report.add_argument("--type")
    report.add_argument("--provider")
    report.add_argument("--patient")
    report.add_argument("--format", choices=("table", "json", "csv", "pdf"), default="table")
    report.add_argument("-o", "--output")
    _add_print_option(report)

    sync = sub.add_parser("sync", help="exchange events and catalog with the central server")
    sync.add_argument("--once", action="store_true", help="one round, then exit")
    sync.add_argument("--json", action="store_true")

    audit = sub.add_parser("audit", help="recompute central stock and costs from the ledger")
    audit.add_argument("--json", action="store_true")

    central = sub.add_parser("central", help="central server administration")
    central.add_argument("action", choices=("init",))

    queue = sub.add_parser("queue", help="list quarantined events, or send them again")
    queue.add_argument("action", nargs="?", choices=("list", "retry"), default="list")
    queue.add_argument("event_id", nargs="?", help="the event to retry")
    queue.add_argument("--all", action="store_true", help="retry every quarantined event")
    queue.add_argument("--actor", help="who retries (admin:configure)")
    queue.add_argument("--json", action="store_true")

    fleet = sub.add_parser("fleet", help="the clinic's workstations from their heartbeats")
    fleet.add_argument("--actor", help="who asks (inventory:read); default: this shell's "
                                       "operator")
    fleet.add_argument("--json", action="store_true")

    doctor = sub.add_parser("doctor", help="check this kiosk's health")
    doctor.add_argument("--json", action="store_true")


def _add_print_option(command) -> None:
    command.add_argument("--print", nargs="?", const="", default=None, metavar="PRINTER",
                         help="also print (to PRINTER, else the default printer)")


def _add_print_commands(sub) -> None:
    label = sub.add_parser("label", help="lot labels as PDF or ZPL")
    label.add_argument("--lot", required=True)
    label.add_argument("--item", help="the SKU, when the lot number is used by several items")
    label.add_argument("--copies", default="1")
    label.add_argument("--size", choices=("2x1", "4x2", "avery5160"), default="2x1")
    label.add_argument("--start", default="1", help="first free position on an Avery sheet")
    label.add_argument("--format", choices=("pdf", "zpl"), default="pdf")
    label.add_argument("--recalled", action="store_true",
                       help="the RECALLED over-label (the default for a RECALLED lot)")
    label.add_argument("--actor")
    label.add_argument("-o", "--output", required=True)
    _add_print_option(label)

    sheet = sub.add_parser("cost-sheet", help="a patient's supply cost sheet as PDF")
    sheet.add_argument("--patient", required=True)
    sheet.add_argument("--treatment-plan")
    sheet.add_argument("--actor")
    sheet.add_argument("--copies", default="1", help="printed copies with --print (1-20)")
    sheet.add_argument("-o", "--output", required=True)
    _add_print_option(sheet)

    recall = sub.add_parser("recall", help="device recalls: import a file, watch openFDA, "
                                           "list and acknowledge alerts")
    actions = recall.add_subparsers(dest="action", parser_class=Parser, required=True)
    imp = actions.add_parser("import", help="apply an openFDA recall file")
    imp.add_argument("file")
    imp.add_argument("--actor", required=True)
    imp.add_argument("--out-dir", default=".", help="where the patient contact lists go")
    imp.add_argument("--json", action="store_true",
                     help="print the recalls, the lots marked and the matches to review")
    watch = actions.add_parser("watch", help="fetch new recalls from openFDA and apply them")
    watch.add_argument("--actor", help="who applies them (inventory:adjust); default: the "
                                       "system principal recall-watch for the manager in "
                                       "recall_watch_authorized_by")
    watch.add_argument("--json", action="store_true")
    alerts = actions.add_parser("alerts", help="recalls that marked lots, not yet acknowledged")
    alerts.add_argument("--all", action="store_true", help="acknowledged ones too")
    alerts.add_argument("--json", action="store_true")
    ack = actions.add_parser("ack", help="a manager acknowledges a recall's alert")
    ack.add_argument("recall_number")
    ack.add_argument("--actor", required=True)
    for name, what in (("follow-up", "record a patient's next follow-up step"),
                       ("status", "the recall's patients and their follow-up")):
        step = actions.add_parser(name, help=what)
        step.add_argument("file", metavar="RECALL", help="the recall number")
        step.add_argument("--actor", required=True)
        step.add_argument("--sku", help="only this item's lot of the recall")
        step.add_argument("--lot", help="only this lot of the recall")
        if name == "follow-up":
            step.add_argument("--patient", help="the patient's chart number or id")
            step.add_argument("--status", help="contacted or assessed")
            step.add_argument("--note", help="a note on the step")
        else:
            step.add_argument("--json", action="store_true", help="machine-readable")
