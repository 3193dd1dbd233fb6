"""CSV imports into the local store: every row is checked, then all or nothing is written."""

from __future__ import annotations

import csv
import io

from kiosk.domain.errors import KioskError, ValidationError
from kiosk.services.context import ServiceContext
from kiosk.services.import_rows import APPLY, COLUMNS, OPTIONAL_COLUMNS, CsvRow

MAX_ROWS = 200_000
# What names a record in each file (optional ids only when given): a key twice in one file
# is refused, since one of the two rows would silently win.
KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "items": (("sku",),),
    "offers": (("sku", "vendor"),),
    "lots": (("sku", "lot_number"),),
    "staff": (("badge",), ("staff_id",)),
    "patients": (("chart_number",), ("patient_id",)),
    "appliances": (("appliance_id",),),
}


def import_csv(ctx: ServiceContext, kind: str, text: str) -> int:
    """Import one CSV file's text of the given kind; returns the number of rows imported."""
    if kind not in COLUMNS:
        raise ValidationError(f"Unknown import kind {kind!r}; use one of {', '.join(COLUMNS)}.")
    rows = _read_rows(kind, text)
    _refuse_repeated_keys(kind, rows)
    apply = APPLY[kind]
    with ctx.store.write() as tx:
        for line, row in rows:
            try:
                apply(tx, row)
            except KioskError as error:
                message = str(error)
                raise ValidationError(
                    f"Line {line} of the {kind} file: {message[0].lower()}{message[1:]} "
                    "Nothing from this file was imported.", people=error.people
                ) from error
    return len(rows)


def _refuse_repeated_keys(kind: str, rows: list[tuple[int, CsvRow]]) -> None:
    for columns in KEYS[kind]:
        first_seen: dict[tuple[str, ...], int] = {}
        for line, row in rows:
            key = tuple((row.get(c) or "").strip() for c in columns)
            if not all(key):
                continue  # an optional id left out, or a missing value the row check names
            if key in first_seen:
                named = " and ".join(f"{c} {v[:60]}" for c, v in zip(columns, key, strict=True))
                raise ValidationError(
                    f"Lines {first_seen[key]} and {line} of the {kind} file both have "
                    f"{named}; keep one of them. Nothing from this file was imported.")
            first_seen[key] = line


def _read_rows(kind: str, text: str) -> list[tuple[int, CsvRow]]:
    if "\x00" in text:
        raise ValidationError(f"The {kind} file contains binary data; export it as UTF-8 CSV.")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        missing = [c for c in COLUMNS[kind] if c not in header and c not in OPTIONAL_COLUMNS]
        if missing:
            raise ValidationError(f"The {kind} file lacks the column(s) {', '.join(missing)}.")
        reader.fieldnames = header
        rows: list[tuple[int, CsvRow]] = []
        for row in reader:
            if None in row:
                raise ValidationError(
                    f"Line {reader.line_num} of the {kind} file has more fields than the header."
                )
            if any((value or "").strip() for value in row.values()):
                rows.append((reader.line_num, row))
            if len(rows) > MAX_ROWS:
                raise ValidationError(f"The {kind} file has more than {MAX_ROWS} rows.")
    except csv.Error as error:
        raise ValidationError(f"The {kind} file is not valid CSV ({error}).") from None
    if not rows:
        raise ValidationError(f"The {kind} file has no rows after the header.")
    return rows
