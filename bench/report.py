"""The one table `make bench` prints, and the same table as Markdown with the machine it ran
on, the date and the command, for docs/PERFORMANCE.md."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.common import Figure

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
HEADERS = ("figure", "value", "baseline", "ratio", "target", "result")


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    digits = 3 if abs(value) < 1 else 2 if abs(value) < 100 else 0
    return f"{value:,.{digits}f} {unit}"


def _result(ok: bool | None) -> str:
    return "" if ok is None else "pass" if ok else "FAIL"


def rows(figures: list[Figure]) -> list[tuple[str, ...]]:
    return [(f.name, _number(f.value, f.unit), _number(f.baseline, f.unit),
             "" if f.ratio is None else f"{f.ratio:.2f}×", f.target, _result(f.ok))
            for f in figures]


def print_table(figures: list[Figure]) -> None:
    table = [HEADERS, *rows(figures)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADERS))]
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(w) if i in (0, 4, 5) else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    notes = [(f.name.strip(), f.note) for f in figures if f.note]
    if notes:
        print()
        for name, note in notes:
            print(f"{name}: {note}")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(int(line.split()[1]) for line in
                      Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
                      if line.startswith("MemTotal"))
        ram = f", {memory / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        ram = ""
    return (f"{cpu}, {os.cpu_count()} cores{ram}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"SQLAlchemy {_version('sqlalchemy')}, SecantusDB {_version('secantusdb')}, "
            f"reportlab {_version('reportlab')}, "
            f"PySide6 {_version('pyside6', 'pyside6-essentials')}")


def _version(*packages: str) -> str:
    """The installed version of the first of ``packages`` that is installed."""
    for package in packages:
        try:
            return version(package)
        except PackageNotFoundError:
            continue
    return "?"


def _commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=False, cwd=Path(__file__).parent)
    except OSError:
        return "?"
    return done.stdout.strip() or "?"


def markdown(figures: list[Figure], command: str, seconds: float) -> str:
    lines = [
        BEGIN,
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {_commit()} with "
        f"`{command}` ({seconds / 60:.1f} min).",
        "",
        f"Machine: {machine()}.",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "| " + " | ".join("---" for _ in HEADERS) + " |",
        *("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
          for row in rows(figures)),
        "",
        *(f"- **{f.name.strip()}**: {f.note}" for f in figures if f.note),
        END,
    ]
    return "\n".join(lines)


def write_markdown(path: Path, figures: list[Figure], command: str, seconds: float) -> None:
    """Replace the generated block of ``path`` (between the bench markers), keeping the text
    written around it; a new file gets a title and the block."""
    block = markdown(figures, command, seconds)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            text = head + block + rest.split(END, 1)[1]
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
    else:
        text = f"# Performance\n\n{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
