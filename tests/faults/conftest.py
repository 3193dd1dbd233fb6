"""End-to-end fault tests: the session-wide fault report, and the integration helpers.

Every test module here sets ``pytestmark = pytest.mark.faults``: ``pytest -m faults`` runs
them alone. The counts each scenario records are written as JSON at the end of the run to
``$KIOSK_FAULT_REPORT`` (else ``fault-report.json`` in pytest's temporary folder) and rendered
to ``$KIOSK_RELIABILITY_DOC`` when that is set (docs/RELIABILITY.md is made that way).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# the loopback proxy lives with the integration tests
INTEGRATION = str(Path(__file__).resolve().parents[1] / "integration")
if INTEGRATION not in sys.path:
    sys.path.append(INTEGRATION)

from fault_report import new_report, render, write_json  # noqa: E402


@pytest.fixture(scope="session")
def fault_report(tmp_path_factory) -> Iterator[dict]:
    """The run's fault counts: each scenario stores its section under ``["sections"]``."""
    report = new_report()
    started = time.monotonic()
    yield report
    report["duration_s"] = round(time.monotonic() - started, 1)
    path = Path(os.environ.get("KIOSK_FAULT_REPORT")
                or tmp_path_factory.getbasetemp() / "fault-report.json")
    write_json(report, path)
    doc = os.environ.get("KIOSK_RELIABILITY_DOC")
    if doc:
        Path(doc).write_text(render(report), encoding="utf-8")
