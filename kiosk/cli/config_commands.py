"""`kiosk config get|set|show`: read and change the workstation's config file."""

from __future__ import annotations

from argparse import Namespace

from kiosk import bootstrap
from kiosk.cli.output import to_json


def cmd_config(args: Namespace) -> int:
    path = bootstrap.resolve_config_path(args.config)
    if args.action == "show":
        values = bootstrap.config_values(path)
        if args.json:
            print(to_json(values))
        else:
            for key, value in values.items():
                print(f"{key} = {value}")
    elif args.action == "get":
        print(bootstrap.config_value(path, args.key or ""))
    else:
        if args.key is None or args.value is None:
            raise bootstrap.ConfigError("`kiosk config set` takes a key and a value.")
        value = bootstrap.set_config_value(path, args.key, args.value)
        shown = "(set)" if args.key.endswith("api_key") and value else value
        print(f"{args.key} = {shown}; takes effect when the kiosk next starts.")
    return 0
