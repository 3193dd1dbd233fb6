"""One `kiosk doctor` check and its result: the leaf type the local, device and central
checks all build on (kiosk.adapters.health, .device_checks, .mongo.health)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
