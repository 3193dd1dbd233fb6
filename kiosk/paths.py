"""Where the package data lives: the top-level ``resources/`` folder, in the wheel as
``kiosk.resources`` (demo clinic, theme, sounds, fonts, kits)."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources"
