"""Cold start to the first painted frame, and resident memory after a day of scans.

Each start is a new Python process (``bench/kiosk_probe.py``) running the demo kiosk as
``kiosk run --demo --windowed`` does, with QT_QPA_PLATFORM=offscreen and its own data and
config folders; the time runs from just before the process is spawned until the main window
has painted its first frame. The first start creates and seeds the demo database (reported
apart); the figure is the median of the starts after it, on a warm OS file cache. The last
start then records 500 placements through the window's own kiosk, on its writer thread, and
reports the process's resident memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import Figure, Settings, median

PROBE = Path(__file__).with_name("kiosk_probe.py")
ROOT = PROBE.parents[1]
PLACEMENTS = 500


def start_kiosk(folder: Path, placements: int = 0) -> tuple[float, list[dict]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(folder / "data"),
           "XDG_CONFIG_HOME": str(folder / "config"), "PYTHONPATH": str(ROOT)}
    env.pop("KIOSK_CONFIG", None)
    began = time.time()
    done = subprocess.run([sys.executable, str(PROBE), str(placements)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    facts = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not facts:
        raise RuntimeError(f"the kiosk probe failed ({done.returncode}): {done.stderr[-2000:]}")
    return facts[0]["painted"] - began, facts


def run(folder: Path, settings: Settings) -> list[Figure]:
    first, _ = start_kiosk(folder)
    starts = [start_kiosk(folder)[0] for _ in range(2 if settings.quick else 4)]
    last, facts = start_kiosk(folder, PLACEMENTS)
    starts.append(last)
    at_paint, after = facts[0]["rss_mb"], facts[-1]
    return [
        Figure("cold start to first painted frame", median(starts), "s", target="≤ 2 s",
               ok=median(starts) <= 2,
               note=f"median of {len(starts)} new processes; the very first start, which "
                    f"creates and seeds the database, {first:.2f} s"),
        Figure(f"memory after {PLACEMENTS} placements", after["rss_mb"], "MB", at_paint,
               after["rss_mb"] / at_paint, "≤ 300 MB", after["rss_mb"] <= 300,
               f"resident; baseline: the same process at its first frame; "
               f"{PLACEMENTS} placements took {after['seconds']:.1f} s"),
    ]
