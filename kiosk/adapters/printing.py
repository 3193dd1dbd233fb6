"""Printing through the OS spooler (CUPS / lp). Callers run it in the background."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor

from kiosk.domain.errors import KioskError
from kiosk.services.printing_ports import Printer

LP_TIMEOUT_S = 60


class PrintFailed(KioskError):
    """The document could not be handed to a printer."""


class SpoolerPrinter:
    """``lp [-d PRINTER] -n COPIES FILE``; no printer named means the system default."""

    def __init__(self, lp: str | None = None) -> None:
        self._lp = lp

    def print_file(self, path: str, printer: str | None = None, copies: int = 1) -> str:
        lp = self._lp or shutil.which("lp")
        if lp is None:
            raise PrintFailed("No print spooler (lp) is installed here; the file was saved "
                              f"as {path} instead.")
        command = [lp, *(["-d", printer] if printer else []), "-n", str(max(1, copies)), path]
        try:
            done = subprocess.run(command, capture_output=True, text=True,  # noqa: S603
                                  timeout=LP_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PrintFailed(f"The print spooler did not answer ({error}); the file was "
                              f"saved as {path}.") from None
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()
            where = f"printer {printer}" if printer else "the default printer"
            detail = reason[-1].removeprefix("lp: ") if reason else f"exit {done.returncode}"
            raise PrintFailed(f"Could not print to {where} ({detail}); the file was saved "
                              f"as {path}.")
        return done.stdout.strip()


_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="print")


def print_in_background(printer: Printer, path: str, name: str | None,
                        copies: int = 1) -> Future[str]:
    """Queue one print job on the printing thread; the future holds the spooler's reply."""
    return _POOL.submit(printer.print_file, path, name, copies)


LPSTAT_TIMEOUT_S = 5


def list_printers(lpstat: str | None = None) -> list[str]:
    """The printers the spooler knows (``lpstat -e``), sorted; [] when there is no spooler or
    it does not answer within a few seconds. Runs a process: call it off the GUI thread."""
    lpstat = lpstat or shutil.which("lpstat")
    if lpstat is None:
        return []
    try:
        done = subprocess.run([lpstat, "-e"], capture_output=True, text=True,  # noqa: S603
                              timeout=LPSTAT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:
        return []
    return sorted({line.split()[0] for line in done.stdout.splitlines() if line.strip()})
