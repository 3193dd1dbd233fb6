"""`kiosk doctor`'s device checks: the serial scanner's port and the print spooler."""

from __future__ import annotations

import os
import shutil
import subprocess

import serial

from kiosk.adapters.checks import Check

LPSTAT_TIMEOUT_S = 5
WEDGE = "none set: a keyboard-wedge scanner types into the focused field"


def check_scanner(port: str) -> Check:
    """Open and close the configured serial port (a device path or pyserial URL)."""
    if not port:
        return Check("scanner", True, WEDGE)
    try:
        handle = serial.serial_for_url(port, timeout=0)
    except (serial.SerialException, OSError, ValueError) as error:
        return Check("scanner", False, f"cannot open {port} ({_reason(error)})",
                     _scanner_fix(error))
    handle.close()
    return Check("scanner", True, f"{port} opens")


def _reason(error: Exception) -> str:
    text = str(getattr(error, "strerror", None) or error).strip()
    return (text.splitlines() or [type(error).__name__])[0][:160]


def _scanner_fix(error: Exception) -> str:
    text = str(error).lower()
    if "permission" in text or "access is denied" in text:
        if os.name == "posix":
            return ("Add the kiosk user to the port's group (`sudo usermod -aG dialout USER`) "
                    "and sign in again.")
        return "Close the kiosk first (Windows lets one program hold a port), then check again."
    return ("Plug the scanner in, or correct scanner_port in the kiosk config "
            "(a device such as /dev/ttyACM0 or COM3; empty for a keyboard-wedge scanner).")


def check_printer(name: str = "", lpstat: str | None = None) -> Check:
    """The printer the kiosk prints to: ``name`` from the config, else the spooler's default."""
    lpstat = lpstat or shutil.which("lpstat")
    if lpstat is None or shutil.which("lp") is None:
        return _no_spooler(name)
    default = _lpstat(lpstat, "-d")
    if default is None or "scheduler is not running" in default.lower():
        return Check("printer", False, "the print spooler (CUPS) does not answer",
                     "Start it (`sudo systemctl start cups`), then check again.")
    if not name:
        name = default.rpartition(":")[2].strip() if "destination:" in default else ""
        if not name:
            return Check("printer", False, f"no default printer (printers: {_known(lpstat)})",
                         "Choose one with `lpoptions -d NAME`, or add the printer in CUPS first.")
    status = _lpstat(lpstat, "-p", name) or ""
    if not status.lower().startswith(f"printer {name.lower()} "):
        return Check("printer", False, f"the spooler does not know printer {name} "
                                       f"(printers: {_known(lpstat)})",
                     "Correct printer in the kiosk config, or add the printer in CUPS.")
    if "disabled" in status.lower():
        return Check("printer", False, f"the printer {name} is disabled",
                     f"Enable it with `cupsenable {name}` and `cupsaccept {name}`.")
    return Check("printer", True, f"printer {name}")


def _no_spooler(name: str) -> Check:
    if not name:
        return Check("printer", True, "no print spooler (lp) here: cost sheets and labels are "
                                      "saved as PDF files in the data folder")
    fix = ("Install the CUPS client (`sudo apt install cups-client`) and add the printer."
           if os.name == "posix" else
           "Clear printer in the kiosk config: on Windows the kiosk saves PDFs to print.")
    return Check("printer", False, f"the config names printer {name}, but there is no print "
                                   "spooler (lp) here", fix)


def _known(lpstat: str) -> str:
    return ", ".join((_lpstat(lpstat, "-e") or "").split()) or "none yet"


def _lpstat(lpstat: str, *args: str) -> str | None:
    try:
        done = subprocess.run([lpstat, *args], capture_output=True, text=True,  # noqa: S603
                              timeout=LPSTAT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout + done.stderr).strip()
