"""Checks shared by the fuzz tests."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, settings

FUZZ = settings(deadline=None, max_examples=150,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def one_sentence(message: str) -> bool:
    """A plain message: one line, not empty, no Python traceback or repr of an exception."""
    text = message.strip()
    return bool(text) and "\n" not in text and "Traceback" not in text


def store_fingerprint(database: Path) -> str:
    """A hash of every row of every table of the kiosk's SQLite file."""
    digest = hashlib.sha256()
    with sqlite3.connect(database) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()
