"""Domain errors: each carries one plain sentence a person can act on."""

from __future__ import annotations

from collections.abc import Mapping


class KioskError(Exception):
    """Base of every expected failure; ``str(error)`` is the sentence shown to the user.

    ``people`` maps each person's name the sentence holds to how the log names them (their
    id): the kiosk tells the person at the screen who was refused, a log file says only ids.
    """

    def __init__(self, *args: object, people: Mapping[str, str] | None = None) -> None:
        super().__init__(*args)
        self.people = dict(people or {})

    def for_log(self) -> str:
        """The sentence with the names of people in it replaced by their ids."""
        text = str(self)
        for name in sorted(self.people, key=len, reverse=True):
            if name.strip():
                text = text.replace(name, self.people[name])
        return text


def staff_by_id(name: str, staff_id: str) -> dict[str, str]:
    """``people`` for a sentence naming one staff member."""
    return {name: f"staff {staff_id}"}


class ValidationError(KioskError):
    """Input that cannot be accepted as given."""


class ExpiryMismatch(ValidationError):
    """A scanned label's expiry disagrees with the catalog's for the same lot."""

    def __init__(self, sentence: str, label_expiry: object, catalog_expiry: object) -> None:
        super().__init__(sentence)
        self.label_expiry = label_expiry
        self.catalog_expiry = catalog_expiry


class NotFound(KioskError):
    """A referenced patient, staff member, item, lot or event does not exist."""


class PermissionDenied(KioskError):
    """The actor's role lacks the permission the operation needs."""


class LotBlocked(KioskError):
    """A lot that may not be used: recalled, quarantined, or expired without override."""


class RuleViolation(KioskError):
    """A business rule refuses the operation (e.g. deducting for an ORDERED appliance)."""


class StoreUnavailable(KioskError):
    """The local database cannot be opened or written."""


class CentralUnavailable(KioskError):
    """The central server cannot be reached now (down, timeout, transient): retry later."""


class CentralRefused(KioskError):
    """The central server refuses us (authentication, authorisation, configuration): a person
    must fix the cause; retrying changes nothing."""


class ConfigError(KioskError):
    """The config file is missing, unreadable or has a bad value."""


class ImportConflict(CentralUnavailable):
    """Another writer (a kiosk's sync, another import) changed the same central documents
    during an import; the transaction was aborted and running the file again is safe."""
