"""`kiosk doctor`: local health, one line per check; non-zero exit on any failure."""

from __future__ import annotations

from argparse import Namespace
from dataclasses import asdict

from kiosk import bootstrap
from kiosk.cli.output import to_json


def cmd_doctor(args: Namespace) -> int:
    checks = bootstrap.doctor_checks(args.config)
    if args.json:
        print(to_json({"ok": all(c.ok for c in checks), "checks": [asdict(c) for c in checks]}))
    else:
        for check in checks:
            mark = "ok  " if check.ok else "FAIL"
            fix = f" -> {check.fix}" if not check.ok and check.fix else ""
            print(f"[{mark}] {check.name}: {check.detail}{fix}")
    return 0 if all(c.ok for c in checks) else 1
