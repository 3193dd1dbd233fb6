"""Entry point of the PyInstaller build: `kiosk` (console) and `kiosk-ui` (windowed) run this.

A windowed Windows program has no console: print() and the CLI's error sentence go nowhere
instead of failing, and the log file (kiosk-ui.log) keeps what happened.
"""

import os
import sys

if __name__ == "__main__":
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    from kiosk.cli import main

    sys.exit(main())
