"""The one redaction of text that leaves the kiosk (logs, messages, screens): credentials in
server URIs, SQL parameters, PIN hashes, PINs and names given as key = value."""

from __future__ import annotations

import re

_KEY_NAMES = (r"pin|pins|password|passwd|pwd|secret|token|first_?name|last_?name|"
              r"firstName|lastName|patient_?name|patientName|display_?name|full_?name")
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # SQLAlchemy appends "[parameters: (...)]" to its errors: the row's values, names included.
    (re.compile(r"\[parameters: [^\n]*"), "[parameters: redacted]"),
    (re.compile(r"\b([a-z][a-z0-9+.-]*://)[^@/\s?#]+@", re.IGNORECASE), r"\1***@"),
    (re.compile(r"pbkdf2\$\d+\$[0-9a-f]+\$[0-9a-f]+"), "pbkdf2$***"),
    (re.compile(rf"""(?i)(?<![\w])(["']?(?:{_KEY_NAMES})["']?\s*[:=]\s*)"""
                r"""("[^"]*"|'[^']*'|[^\s,;)}\]]+)"""), r"\1***"),
    (re.compile(r"(?i)\b(pin\s+(?:code\s+)?)\d{3,12}\b"), r"\1***"),
)


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
