"""Child process for the crash test: deduct in a loop, print each id once it is committed.

Run as ``python crash_worker.py CONFIG``. A printed id is an acknowledged deduction.
"""

from __future__ import annotations

import sys

from kiosk.bootstrap import open_kiosk
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance

SCANS = ["(01)00812345671018(10)B25E392", "(01)00812345671490(10)TM2609F"]


def main(config: str) -> None:
    ctx = open_kiosk(config).context
    n = 0
    while True:
        scan = SCANS[n % len(SCANS)]
        command = PlaceSupplies(patient="C-10239", appliance_type="BRACKET", scans=[scan])
        [usage] = deduct_for_appliance(ctx, "B1001", command)
        sys.stdout.write(f"{usage.id}\n")
        sys.stdout.flush()
        n += 1


if __name__ == "__main__":
    main(sys.argv[1])
