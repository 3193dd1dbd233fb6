"""The headless face of the services, for IT, scripts and tests (ARCHITECTURE §8).

Every failure exits non-zero with one plain sentence on stderr, never a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import bootstrap
from kiosk.app import KioskApp
from kiosk.cli import (
    central_commands,
    commands,
    config_commands,
    fleet_commands,
    ops_commands,
    print_commands,
    queue_commands,
    recall_commands,
    report_commands,
)
from kiosk.cli.doctor import cmd_doctor
from kiosk.cli.parser import build_parser
from kiosk.domain.errors import KioskError, ValidationError

EXIT_FAILED = 1
EXIT_UNEXPECTED = 70
log = logging.getLogger(__name__)

HANDLERS = {
    "init": commands.cmd_init,
    "demo-seed": commands.cmd_demo_seed,
    "import": commands.cmd_import,
    "parse": commands.cmd_parse,
    "deduct": commands.cmd_deduct,
    "bulk-deduct": commands.cmd_bulk_deduct,
    "void": commands.cmd_void,
    "adjust": commands.cmd_adjust,
    "receive": commands.cmd_receive,
    "report": report_commands.cmd_report,
    "doctor": cmd_doctor,
    "sync": central_commands.cmd_sync,
    "audit": central_commands.cmd_audit,
    "central": central_commands.cmd_central,
    "queue": queue_commands.cmd_queue,
    "fleet": fleet_commands.cmd_fleet,
    "label": print_commands.cmd_label,
    "cost-sheet": print_commands.cmd_cost_sheet,
    "recall": recall_commands.cmd_recall,
    "config": config_commands.cmd_config,
    "backup": ops_commands.cmd_backup,
    "restore": ops_commands.cmd_restore,
    "migrate": ops_commands.cmd_migrate,
    "api": lambda args: args.api_handler(args),  # each `kiosk api …` leaf names its handler
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    bootstrap.start_logging(command, verbose=args.verbose)
    log.debug("kiosk %s started", command)  # the command only: arguments name patients
    try:
        _refuse_undecodable(args)
        if command == "run":
            return _run_ui(args)
        return HANDLERS[command](args)
    except KioskError as error:
        log.warning("kiosk %s failed: %s", command, error.for_log())
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("kiosk: Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_FAILED
    except Exception as error:  # the contract: a sentence, never a traceback
        log.exception("kiosk %s failed unexpectedly", command)
        if os.environ.get("KIOSK_DEBUG"):
            traceback.print_exc()
        print(f"kiosk: Unexpected error ({type(error).__name__}: {str(error)[:200]}); "
              "run again with KIOSK_DEBUG=1 for details and report it.", file=sys.stderr)
        return EXIT_UNEXPECTED


def _refuse_undecodable(args) -> None:
    """Refuse an argument holding bytes that are not UTF-8: the shell hands them over as lone
    surrogates, which SQLite, the log file and the terminal cannot take."""
    for name, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not _is_utf8(text):
                raise ValidationError(f"The {name.replace('_', '-')} argument is not UTF-8 "
                                      "text; type it again (or rename the file).")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def ui_kiosk(args) -> Callable[[], KioskApp]:
    """What `kiosk run` opens: the demo (beside --config when one is given) or the kiosk."""
    config = args.config
    if getattr(args, "demo", False):
        where = Path(config) if config else None
        return lambda: bootstrap.open_demo_kiosk(config_path=where)
    return lambda: bootstrap.open_kiosk(config)


def _run_ui(args) -> int:
    from kiosk.ui.app import run_kiosk  # noqa: PLC0415 - Qt loads only for the UI

    return run_kiosk(ui_kiosk(args), windowed=getattr(args, "windowed", False))


if __name__ == "__main__":
    sys.exit(main())
