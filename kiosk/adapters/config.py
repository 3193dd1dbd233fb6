"""The kiosk's TOML config file: where it lives, how it is read and written."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, fields
from pathlib import Path
from zoneinfo import ZoneInfo

from platformdirs import user_config_dir, user_data_dir

from kiosk.domain.errors import ConfigError, ValidationError
from kiosk.domain.ids import is_object_id
from kiosk.services.config import DATABASE_NAME, KioskConfig

__all__ = [
    "DATABASE_NAME", "ConfigError", "KioskConfig", "default_config_path", "default_data_dir",
    "load_config", "resolve_config_path", "save_config", "validate",
]

APP_NAME = "ortho-supply-kiosk"


def default_config_path() -> Path:
    return Path(user_config_dir(APP_NAME)) / "config.toml"


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_NAME))


def resolve_config_path(explicit: str | None) -> Path:
    """--config, else KIOSK_CONFIG, else the platform's config file."""
    return Path(explicit or os.environ.get("KIOSK_CONFIG") or default_config_path())


def load_config(path: Path) -> KioskConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"No kiosk config at {path}; run `kiosk init` first.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"The config {path} cannot be read ({error}).") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"The config {path} is not valid TOML ({error}).") from None
    except RecursionError:
        raise ConfigError(f"The config {path} nests arrays or tables too deeply to read; "
                          "a kiosk config holds plain settings only.") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise ConfigError(f"The config {path} holds a number too long to read; a kiosk "
                          "config holds plain settings only.") from None
    known = {f.name: f for f in fields(KioskConfig)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        shown = ", ".join(n if n.isprintable() and n.strip() else repr(n) for n in unknown)
        raise ConfigError(f"The config {path} has unknown setting(s): {shown}.")
    for name in ("clinic_id", "workstation_id", "data_dir"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise ConfigError(f"The config {path} lacks {name}; run `kiosk init` again.")
    for name, value in data.items():
        expected = int if known[name].type == "int" else str
        if isinstance(value, bool) or not isinstance(value, expected):
            raise ConfigError(f"The setting {name} in {path} should be {expected.__name__}.")
    config = KioskConfig(**data)
    validate(config)
    return config


def validate(config: KioskConfig) -> None:
    if not is_object_id(config.clinic_id):
        raise ValidationError(f"The clinic id {config.clinic_id!r} is not a 24-character hex id.")
    if not config.workstation_id.strip() or len(config.workstation_id) > 64:
        raise ValidationError("The workstation id must be 1 to 64 characters.")
    if not 1 <= config.expiry_window_days <= 365:
        raise ValidationError("expiry_window_days must be between 1 and 365.")
    if not 1 <= config.max_line_quantity <= 10_000:
        raise ValidationError("max_line_quantity must be between 1 and 10000.")
    if not 15 <= config.idle_timeout_s <= 3600:
        raise ValidationError("idle_timeout_s must be between 15 and 3600 seconds.")
    if len(config.scanner_port) > 255 or not config.scanner_port.isprintable():
        raise ValidationError("scanner_port must be a device path or URL on one line.")
    if len(config.printer) > 127 or not config.printer.isprintable() or " " in config.printer:
        raise ValidationError("printer must be a printer name without spaces (at most 127 "
                              "characters).")
    _validate_recall_watch(config)
    try:
        ZoneInfo(config.timezone)
    except (KeyError, ValueError, OSError):
        raise ValidationError(f"The time zone {config.timezone!r} is not known.") from None


def _validate_recall_watch(config: KioskConfig) -> None:
    url = config.openfda_base_url
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        raise ValidationError("openfda_base_url must be an http(s) address such as "
                              "https://api.fda.gov.")
    if not config.openfda_api_key.isprintable() or " " in config.openfda_api_key:
        raise ValidationError("openfda_api_key must be one word without spaces.")
    bad = [c for c in config.product_codes if not re.fullmatch(r"[A-Z]{3}", c)]
    if bad:
        raise ValidationError(f"recall_product_codes holds {bad[0]!r}; FDA product codes are "
                              "three letters (e.g. DYW), separated by commas.")
    if any(not f.isprintable() or '"' in f for f in config.firms):
        raise ValidationError("recall_firms must be firm names on one line, separated by "
                              "semicolons, without double quotes.")


def save_config(config: KioskConfig, path: Path) -> None:
    """Write the config readable by its owner only (it may hold server credentials)."""
    validate(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{key} = {_toml_value(value)}" for key, value in asdict(config).items()]
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


SECRET_KEYS = ("openfda_api_key",)  # shown as set/unset only


def config_values(path: Path) -> dict[str, object]:
    """`kiosk config show`: every key of the file, secrets masked."""
    values: dict[str, object] = asdict(load_config(path))
    for key in SECRET_KEYS:
        values[key] = "(set)" if values[key] else ""
    return values


def config_value(path: Path, key: str) -> object:
    """`kiosk config get KEY` (a secret too: the owner of the file asks)."""
    values = asdict(load_config(path))
    if key not in values:
        raise ConfigError(f"There is no setting {key!r}; `kiosk config show` lists them.")
    return values[key]


def set_config_value(path: Path, key: str, text: str) -> object:
    """`kiosk config set KEY VALUE`: checked like the whole file, then written (0600)."""
    config = load_config(path)
    known = {f.name: f for f in fields(KioskConfig)}
    if key not in known or key in ("clinic_id", "data_dir"):
        raise ConfigError(f"The setting {key!r} cannot be set here; `kiosk config show` lists "
                          "the settings (the clinic and data folder are set by `kiosk init`).")
    value: object = text
    if known[key].type == "int":
        try:
            value = int(text)
        except ValueError:
            raise ValidationError(f"{key} takes a whole number, not {text!r}.") from None
    updated = {**asdict(config), key: value}
    save_config(KioskConfig(**updated), path)
    return value
