"""Domain errors: each carries one plain sentence a person can act on."""

from __future__ import annotations


class KioskError(Exception):
    """Base of every expected failure; ``str(error)`` is the sentence shown to the user."""


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
