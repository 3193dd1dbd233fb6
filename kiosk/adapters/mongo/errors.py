"""pymongo failures become CentralUnavailable (retry) or CentralRefused (a person must act)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pymongo.errors import (
    AutoReconnect,
    ConfigurationError,
    ConnectionFailure,
    ExecutionTimeout,
    NetworkTimeout,
    OperationFailure,
    PyMongoError,
    ServerSelectionTimeoutError,
    WTimeoutError,
)

from kiosk.domain.errors import CentralRefused, CentralUnavailable, KioskError
from kiosk.domain.redaction import redact

AUTH_CODES = {18, 13, 8000}  # AuthenticationFailed, Unauthorized, Atlas auth
TRANSIENT_LABELS = ("TransientTransactionError", "UnknownTransactionCommitResult",
                    "RetryableWriteError")


def classify(error: PyMongoError, action: str) -> KioskError:
    """One sentence saying what happened while doing ``action``, in the right class."""
    text = redact(str(error).splitlines()[0] if str(error) else type(error).__name__)[:200]
    if isinstance(error, OperationFailure) and error.code in AUTH_CODES:
        return CentralRefused(f"The central server refused the kiosk's credentials while trying "
                              f"to {action}; check the user and password in the server URI.")
    if isinstance(error, ConfigurationError):
        return CentralRefused(f"The central server settings are wrong ({text}).")
    if isinstance(error, ServerSelectionTimeoutError | ConnectionFailure | AutoReconnect
                  | NetworkTimeout | ExecutionTimeout | WTimeoutError):
        return CentralUnavailable(f"The central server cannot be reached to {action}; "
                                  "the kiosk keeps working and will retry.")
    if any(error.has_error_label(label) for label in TRANSIENT_LABELS):
        return CentralUnavailable(f"The central server asked to retry while trying to {action}.")
    return CentralUnavailable(f"The central server failed to {action} ({text}).")


@contextmanager
def central_errors(action: str) -> Iterator[None]:
    try:
        yield
    except PyMongoError as error:
        raise classify(error, action) from error
