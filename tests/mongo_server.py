"""A real MongoDB wire server for tests: SecantusDB on 127.0.0.1 and a free port.

It can be killed (SIGKILL) and restarted on the same data directory, for fault tests.
With KIOSK_TEST_MONGO_URI set, tests use that server instead and the kill/restart faults
that need to own the process are not available there.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

EXE = Path(sys.executable).with_name("secantusd-py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SecantusServer:
    def __init__(self, data_dir: Path, port: int | None = None, auth: bool = False) -> None:
        """``auth``: require a login (users are created beforehand by a run without it)."""
        self.data_dir = data_dir
        self.port = port or free_port()
        self.auth = auth
        self.process: subprocess.Popen | None = None
        self.log = data_dir.with_name(data_dir.name + ".log")

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def start(self, timeout: float = 30.0) -> SecantusServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(EXE), "--host", "127.0.0.1", "--port", str(self.port), "--storage-path",
                 str(self.data_dir), "--sync-on-commit", "--log-level", "WARNING",
                 *(["--auth"] if self.auth else [])],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_up(timeout)
        return self

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"SecantusDB exited: {self.log.read_text()[-2000:]}")
            try:
                with MongoClient(self.uri, serverSelectionTimeoutMS=300) as client:
                    client.admin.command("ping")
                return
            except PyMongoError:
                time.sleep(0.05)
        raise RuntimeError(f"SecantusDB did not start in {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as a power cut or a crash would do it."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.kill()
        self.start()
