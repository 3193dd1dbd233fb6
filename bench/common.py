"""What every benchmark module shares: timing, percentiles, the figure rows, the test server.

These machines are noisy (2 cores, shared), so each figure is a median (or p99) over many
runs, set beside a baseline measured in the same process a moment before or after, and the
ratio between them is what must hold on any machine.
"""

from __future__ import annotations

import gc
import importlib.util
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SERVER_MODULE = Path(__file__).resolve().parents[1] / "tests" / "mongo_server.py"


@dataclass(frozen=True)
class Settings:
    """How hard to push: ``quick`` for a smoke run in a minute or two, ``full`` adds the
    million-record lot tracking (several minutes of inserts)."""

    quick: bool = False
    full: bool = False

    def rounds(self, normal: int) -> int:
        return max(20, normal // 5) if self.quick else normal


@dataclass(frozen=True)
class Figure:
    """One row of the table. ``ratio`` is ours ÷ baseline for times (lower is better) and
    ours ÷ baseline for throughputs (higher is better); ``ok`` is None when no target."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""


def timed(action: Callable[[int], object], rounds: int, warmup: int = 5) -> list[float]:
    """Seconds per call of ``action(n)``, after a few untimed warm-up calls; the garbage
    collector runs between calls, not inside them."""
    for n in range(warmup):
        action(-1 - n)
    samples = []
    gc.collect()
    for n in range(rounds):
        start = time.perf_counter()
        action(n)
        samples.append(time.perf_counter() - start)
    return samples


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def latency_figures(name: str, ours: list[float], base: list[float], *, p99_ms: float,
                    max_ratio: float, base_name: str) -> list[Figure]:
    """Two rows: p50 against the baseline's p50 (the ratio target) and p99 against the
    absolute target."""
    p50, b50 = median(ours), median(base)
    p99, b99 = pct(ours, 0.99), pct(base, 0.99)
    return [
        Figure(f"{name} p50", p50 * 1e3, "ms", b50 * 1e3, p50 / b50, f"≤ {max_ratio:g}×",
               p50 / b50 <= max_ratio, f"baseline: {base_name}"),
        Figure(f"{name} p99", p99 * 1e3, "ms", b99 * 1e3, p99 / b99, f"≤ {p99_ms:g} ms",
               p99 * 1e3 <= p99_ms),
    ]


def secantus_server_class():
    """The test suite's SecantusDB launcher (start on a free port, stop)."""
    spec = importlib.util.spec_from_file_location("kiosk_bench_mongo_server", SERVER_MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SecantusServer
