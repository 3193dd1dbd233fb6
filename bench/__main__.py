"""`make bench` (``python -m bench``): every speed target of the kiosk, one table.

    python -m bench                    # everything (~5-10 minutes on a 2-core machine)
    python -m bench --quick            # smaller runs, for a smoke check (~2 minutes)
    python -m bench --full             # lot tracking and clinic reads over 1,000,000 records
    python -m bench --only scan,lots   # some of the modules listed in MODULES below
    python -m bench --markdown docs/PERFORMANCE.md   # also write the table into that file

Each figure is a median (or p99) over many runs beside a baseline measured in the same run
(these machines are noisy and shared), the ratio between them, its target, and pass/fail.
The exit status is 0 even when a target is missed: the table is the result.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    chair_bench,
    clinic_bench,
    deduction_bench,
    lot_bench,
    pdf_bench,
    push_bench,
    pushers_bench,
    scan_bench,
    startup_bench,
)
from bench.common import Figure, Settings
from bench.report import print_table, write_markdown

MODULES: dict[str, Callable[[Path, Settings], list[Figure]]] = {
    "deduction": deduction_bench.run,
    "scan": scan_bench.run,
    "chair": chair_bench.run,
    "push": push_bench.run,
    "pushers": pushers_bench.run,
    "lots": lot_bench.run,
    "clinic": clinic_bench.run,
    "pdf": pdf_bench.run,
    "startup": startup_bench.run,
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (a smoke check)")
    parser.add_argument("--full", action="store_true",
                        help="add lot tracking over 1,000,000 central records (slow inserts)")
    parser.add_argument("--only", default="", help=f"comma-separated: {' '.join(MODULES)}")
    parser.add_argument("--markdown", metavar="FILE", help="write the table into this file")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {' '.join(MODULES)}")
    args.names = names
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    settings = Settings(quick=args.quick, full=args.full)
    figures: list[Figure] = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        for name in args.names:
            started = time.perf_counter()
            print(f"running {name} ...", file=sys.stderr, flush=True)
            folder = Path(tmp) / name
            folder.mkdir()
            figures += MODULES[name](folder, settings)
            print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr,
                  flush=True)
    took = time.perf_counter() - began
    print_table(figures)
    if args.markdown:
        command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
        write_markdown(Path(args.markdown), figures, command.strip(), took)
        print(f"\nwrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
