"""`kiosk backup` and `kiosk restore`: the database, copied and put back, for IT."""

from __future__ import annotations

import sys
from argparse import Namespace
from dataclasses import asdict

from kiosk import bootstrap
from kiosk.cli.output import to_json
from kiosk.domain.errors import ValidationError

MAX_URI_BYTES = 4096


def cmd_backup(args: Namespace) -> int:
    info = bootstrap.backup_kiosk(args.config, args.output)
    if args.json:
        print(to_json({**asdict(info), "path": str(info.path)}))
    else:
        print(f"Backed up {info.summary()} to {info.path}.")
    return 0


def cmd_restore(args: Namespace) -> int:
    info, safety, database = bootstrap.restore_kiosk(args.config, args.file, args.replace_kiosk)
    kept = (f"; the database it replaced is kept at {safety} (events recorded after the backup "
            "that had not synced are only there)") if safety else ""
    print(f"Restored {args.file} ({info.summary()}) into {database}{kept}.")
    return 0


def cmd_migrate(args: Namespace) -> int:
    path, before, after, backup = bootstrap.migrate_kiosk(args.config)
    if backup is None and before == after:
        print(f"The kiosk database at {path} is already at schema {after}; nothing to do.")
    else:
        kept = f"; the copy taken before is {backup}" if backup else ""
        print(f"The kiosk database at {path} was at schema {before or 'none'} and is now at "
              f"{after}{kept}.")
    return 0


def read_uri_file(path: str) -> str:
    """The server URI from a file, or from standard input for "-": it holds a password, so it
    never goes on a command line, where every user's `ps` could read it."""
    try:
        text = sys.stdin.read(MAX_URI_BYTES + 1) if path == "-" else _read(path)
    except OSError as error:
        raise ValidationError(f"The server URI file {path} cannot be read "
                              f"({error.strerror}).") from None
    except UnicodeDecodeError:
        raise ValidationError(f"The server URI file {path} is not UTF-8 text.") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(text) > MAX_URI_BYTES or len(lines) != 1:
        raise ValidationError(f"The server URI file {path} should hold the URI alone, on one "
                              "line.")
    return lines[0]


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read(MAX_URI_BYTES + 1)
