"""Where the kiosk's package data is (demo clinic, theme, sounds, fonts, kits): the top-level
resources/ folder of the source tree, which pyproject.toml installs as the kiosk.resources
package (wheel, editable install) and the PyInstaller spec bundles at the same place; it is
found with importlib.resources.

In a source checkout the checkout's own resources/ beside kiosk/ is used first: a checkout
run with PYTHONPATH in a virtualenv installed from another checkout must read its own files,
not those of the checkout the virtualenv's editable install points at.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import kiosk

PACKAGE = "kiosk.resources"


def resources_dir() -> Path:
    """The package data folder as a real path (Qt, reportlab and aplay open files by path)."""
    root = Path(kiosk.__file__).resolve().parents[1]
    checkout = root / "resources"
    if (root / "pyproject.toml").is_file() and (checkout / "__init__.py").is_file():
        return checkout
    return Path(str(files(PACKAGE)))  # a regular package on disk: files() is its folder


RESOURCES = resources_dir()
