"""The kiosk's own settings (printer, scanner port, idle timeout, central server) and the
queue IT looks at: who may change them, what is valid, and what takes a restart.

Only ``admin:configure`` may read the queue or save settings; the check is here, so a screen
reached some other way still cannot write the config. The config file itself is behind the
``SettingsWriter`` port (the TOML adapter in ``kiosk.adapters.config_writer``).

The central server URI may hold a user and password: ``mask_uri`` is what may be shown or
logged, and a screen edits the address and the login apart (``split_uri``/``join_uri``), so
the password is never put back on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Protocol
from urllib.parse import quote, unquote

from kiosk.domain.errors import ValidationError
from kiosk.domain.permissions import Permission
from kiosk.domain.redaction import redact
from kiosk.services.app_ports import ConnectionProbe
from kiosk.services.context import ServiceContext
from kiosk.services.lookup import authorize
from kiosk.services.ports import OutboxEntry

MIN_IDLE_S, MAX_IDLE_S = 15, 3600
QUEUE_LIMIT = 200
SCHEMES = ("mongodb://", "mongodb+srv://")
# Read once when the kiosk starts: the scanner port and the server are opened then, and the
# screens print to the printer of the kiosk's start-up config.
RESTART_NEEDED = ("printer", "scanner_port", "mongo_uri")
LABELS = {"printer": "printer", "scanner_port": "scanner port",
          "idle_timeout_s": "idle timeout", "mongo_uri": "central server"}
_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z0-9+.-]+://)(?:(?P<userinfo>[^@/?]*)@)?(?P<rest>.*)$")


@dataclass(frozen=True)
class KioskSettings:
    """What the Settings screen edits; every other config key stays as it is in the file."""

    printer: str = ""  # "" is the system's default printer
    scanner_port: str = ""  # "" for none (keyboard-wedge scanners need no setting)
    idle_timeout_s: int = 120
    mongo_uri: str = ""  # "" for a local-only kiosk


class SettingsWriter(Protocol):
    """Where the settings live (the kiosk's config file)."""

    def current(self) -> KioskSettings:
        """The settings as saved now."""
        ...

    def write(self, settings: KioskSettings) -> None:
        """Save them, keeping every other setting; raises a KioskError when it cannot."""
        ...


@dataclass(frozen=True)
class SettingsSaved:
    settings: KioskSettings
    changed: tuple[str, ...]  # field names, in KioskSettings order
    restart_needed: tuple[str, ...]  # the changed ones that apply after a restart

    @property
    def applied_now(self) -> tuple[str, ...]:
        return tuple(name for name in self.changed if name not in self.restart_needed)

    def sentence(self) -> str:
        """One sentence for the screen: what was saved, what applies now, what on restart."""
        if not self.changed:
            return "Nothing changed; the settings were already saved like this."
        text = "Saved."
        if self.applied_now:
            text += f" In use now: {_names(self.applied_now)}."
        if self.restart_needed:
            text += f" Restart the kiosk to use the new {_names(self.restart_needed)}."
        return text


@dataclass(frozen=True)
class QueueView:
    """The outbox as IT sees it: counts, and the events still waiting or quarantined."""

    pending: int
    quarantined: int
    entries: list[OutboxEntry]  # quarantined first, then oldest first; at most QUEUE_LIMIT


def save_settings(ctx: ServiceContext, actor: str, writer: SettingsWriter,
                  settings: KioskSettings) -> SettingsSaved:
    """Check ``actor`` may configure the kiosk and the settings are valid, then write the
    ones that changed (admin:configure). Nothing is written when either check fails."""
    with ctx.store.read() as tx:
        authorize(tx, actor, Permission.ADMIN_CONFIGURE)
    settings = validate_settings(settings)
    current = writer.current()
    changed = tuple(f.name for f in fields(KioskSettings)
                    if getattr(current, f.name) != getattr(settings, f.name))
    if changed:
        writer.write(settings)
    return SettingsSaved(settings, changed, tuple(n for n in changed if n in RESTART_NEEDED))


def queue_view(ctx: ServiceContext, actor: str, limit: int = QUEUE_LIMIT) -> QueueView:
    """The events not yet synced and why each is stuck (admin:configure)."""
    with ctx.store.read() as tx:
        authorize(tx, actor, Permission.ADMIN_CONFIGURE)
        counts = tx.outbox_counts()
        entries = tx.unsynced_events(limit)
    return QueueView(counts.pending, counts.quarantined, entries)


def validate_settings(settings: KioskSettings) -> KioskSettings:
    """The settings with blanks trimmed, or a ValidationError naming the first bad one."""
    printer = settings.printer.strip()
    port = settings.scanner_port.strip()
    uri = settings.mongo_uri.strip()
    if len(printer) > 127 or not printer.isprintable() or any(c.isspace() for c in printer):
        raise ValidationError("A printer name has no spaces; pick one from the list or type "
                              "the name the print spooler knows it by.")
    if len(port) > 255 or not port.isprintable():
        raise ValidationError("The scanner port is a device path or URL on one line, such as "
                              "/dev/ttyACM0 or COM3.")
    idle = settings.idle_timeout_s
    if isinstance(idle, bool) or not isinstance(idle, int) or not MIN_IDLE_S <= idle <= MAX_IDLE_S:
        raise ValidationError(f"The idle timeout must be {MIN_IDLE_S} to {MAX_IDLE_S} seconds.")
    if uri and (not uri.startswith(SCHEMES) or any(c.isspace() for c in uri)
                or not uri.isprintable() or not split_uri(uri)[0].partition("://")[2]):
        raise ValidationError("The central server address must look like "
                              "mongodb://host:27017/database (or mongodb+srv://…).")
    return KioskSettings(printer=printer, scanner_port=port, idle_timeout_s=idle, mongo_uri=uri)


def split_uri(uri: str) -> tuple[str, str, str]:
    """(address without credentials, user, password), the user and password decoded."""
    match = _USERINFO.match(uri.strip())
    if match is None:
        return uri.strip(), "", ""
    user, _, password = (match.group("userinfo") or "").partition(":")
    return match.group("scheme") + match.group("rest"), unquote(user), unquote(password)


def join_uri(address: str, user: str, password: str, previous: str = "") -> str:
    """The address with ``user`` and ``password`` put in (percent-encoded). An empty
    password keeps ``previous``'s when the user is the same (the screen never shows it);
    without a user the URI carries no credentials."""
    address, _, _ = split_uri(address)  # credentials typed into the address are replaced
    user = user.strip()
    if not address or not user:
        return address
    _, old_user, old_password = split_uri(previous)
    if not password and old_user == user:
        password = old_password
    scheme, _, rest = address.partition("://")
    login = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    return f"{scheme}://{login}@{rest}"


def hide_credentials(text: str, uri: str) -> str:
    """``text`` (an error that may quote ``uri``) with the URI masked and its password gone."""
    _, _, password = split_uri(uri)
    if uri.strip():
        text = text.replace(uri.strip(), mask_uri(uri))
    if len(password) >= 4:  # a shorter one would blank out ordinary words
        text = text.replace(password, "***")
    return text


def mask_uri(uri: str) -> str:
    """The URI as it may be shown or logged: any user and password replaced by ``***``."""
    address, user, password = split_uri(uri)
    if not user and not password:
        return address
    scheme, _, rest = address.partition("://")
    return f"{scheme}://***@{rest}"


def _names(names: tuple[str, ...]) -> str:
    words = [LABELS.get(name, name) for name in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    sentence: str  # never holds the URI's user or password


def test_connection(probe: ConnectionProbe, uri: str, clinic_id: str) -> ConnectionTest:
    """Try ``uri`` as this kiosk's central server: one sentence that tells a server that is
    down, a wrong password and a wrong database apart. Talks to the network for a few
    seconds at most: call it off the GUI thread."""
    if not uri.strip():
        return ConnectionTest(False, "Type the central server's address first.")
    checks, address = probe.probe(uri, clinic_id)
    failed = next((check for check in checks if not check.ok), None)
    if failed is None:
        schema = next((c.detail for c in checks if c.name == "central schema"), "")
        text = f"Connected to {address}: {schema}."
    elif failed.detail[:1].isupper():
        text = failed.detail if failed.detail.endswith(".") else f"{failed.detail}."
    else:
        text = f"The {failed.name} check failed: {failed.detail}. {failed.fix}".strip()
    # The checks show addresses without credentials; this is a backstop.
    return ConnectionTest(failed is None, hide_credentials(redact(text), uri))


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
