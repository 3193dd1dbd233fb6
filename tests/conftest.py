"""Fixtures shared by every test folder: the MongoDB wire server and the run's fault report."""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from mongo_server import SecantusServer
from pymongo import MongoClient

FAULTS = str(Path(__file__).resolve().parent / "faults")
if FAULTS not in sys.path:
    sys.path.append(FAULTS)

from fault_report import new_report, render, write_json  # noqa: E402

EXTERNAL_URI = os.environ.get("KIOSK_TEST_MONGO_URI")


@pytest.fixture(scope="session")
def fault_report(tmp_path_factory) -> Iterator[dict]:
    """The run's fault counts: each scenario (tests marked ``faults``, in any folder) stores
    its section under ``["sections"]``. Written as JSON at the end of the run to
    ``$KIOSK_FAULT_REPORT`` (else ``fault-report.json`` in pytest's temporary folder) and
    rendered to ``$KIOSK_RELIABILITY_DOC`` when that is set (docs/RELIABILITY.md is made so)."""
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


@pytest.fixture(scope="session", autouse=True)
def private_log_dir(tmp_path_factory) -> Iterator[None]:
    """Every kiosk run by the tests (in-process or a subprocess) logs into the run's own
    temporary folder, never into the user's log directory."""
    before = os.environ.get("KIOSK_LOG_DIR")
    os.environ["KIOSK_LOG_DIR"] = str(tmp_path_factory.mktemp("logs"))
    yield
    if before is None:
        os.environ.pop("KIOSK_LOG_DIR", None)
    else:
        os.environ["KIOSK_LOG_DIR"] = before


@pytest.fixture(scope="session")
def mongo_uri(tmp_path_factory) -> Iterator[str]:
    """A MongoDB server for the whole run: KIOSK_TEST_MONGO_URI, else SecantusDB."""
    if EXTERNAL_URI:
        yield EXTERNAL_URI
        return
    server = SecantusServer(tmp_path_factory.mktemp("secantus") / "data").start()
    try:
        yield server.uri
    finally:
        server.stop()


@pytest.fixture
def central_uri(mongo_uri) -> Iterator[str]:
    """The server URI with a database of this test's own, dropped afterwards."""
    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    base, _, query = mongo_uri.partition("?")
    uri = f"{base.rstrip('/')}/{name}" + (f"?{query}" if query else "")
    yield uri
    with MongoClient(mongo_uri) as client:
        client.drop_database(name)


@pytest.fixture
def own_server(tmp_path) -> Iterator[SecantusServer]:
    """A server this test may kill and restart (faults); not available with an external URI."""
    if EXTERNAL_URI:
        pytest.skip("kill/restart faults need a server the test owns")
    server = SecantusServer(tmp_path / "secantus").start()
    try:
        yield server
    finally:
        server.stop()
