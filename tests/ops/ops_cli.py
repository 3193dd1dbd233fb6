"""The real `kiosk` CLI in-process, and what the ops tests look at in database files."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import integration_cli

ONE_SENTENCE = re.compile(r"kiosk: [A-Z][^\n]*\.\n")
SCAN = "(01)00812345671018(10){}"
C10239_BRACKETS = "64b300000000000000000004"


class Cli(integration_cli.Cli):
    """The shared CLI driver, plus what the ops tests check of a refusal and a database."""

    def fails(self, *args: str) -> str:
        """The one sentence a refused command prints (exit 1, no traceback)."""
        result = self(*args)
        assert result.code == 1, result.out
        assert ONE_SENTENCE.fullmatch(result.err), result.err
        return result.err

    @property
    def database(self) -> Path:
        return self.config.parent / "data" / "kiosk.sqlite3"

    def deduct(self, lot: str = "B25E392", qty: str = "1") -> str:
        return self.ok("deduct", "--actor", "B1001", "--patient", "C-10239", "--appliance-type",
                       "BRACKET", "--appliance-id", C10239_BRACKETS, "--scan", SCAN.format(lot),
                       "--qty", qty)


def rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def snapshot(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table but the schema version, in a stable order. With ``columns``
    (``columns_of`` an older file), only those tables and columns: what a later migration
    added (a table, a column) is left out, so the rows can be compared."""
    names = columns or columns_of(path)
    return {name: sorted(rows(path, "SELECT " + ", ".join(f'"{c}"' for c in cols) +
                                    f' FROM "{name}"'), key=repr)
            for name, cols in names.items()}


def columns_of(path: Path) -> dict[str, list[str]]:
    names = [n for (n,) in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                      "name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
    return {name: [c[1] for c in rows(path, f'PRAGMA table_info("{name}")')] for name in names}
