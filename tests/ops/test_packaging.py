"""The wheel's package list in pyproject.toml: explicit (resources/ is mapped in as
kiosk.resources, which a find directive cannot do), so it must keep up with kiosk/."""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_every_folder_under_kiosk_is_a_listed_package():
    folders = {".".join(path.relative_to(ROOT).parts) for path in [ROOT / "kiosk",
               *(ROOT / "kiosk").rglob("*")] if path.is_dir() and path.name != "__pycache__"}
    assert set(SETUPTOOLS["packages"]) == folders | {"kiosk.resources"}


def test_resources_are_installed_as_kiosk_resources_with_every_file():
    assert SETUPTOOLS["package-dir"] == {"kiosk.resources": "resources"}
    assert (ROOT / "resources" / "__init__.py").is_file()  # a regular package: files() is a dir
    globs = SETUPTOOLS["package-data"]["kiosk.resources"]
    data = [PurePosixPath(path.relative_to(ROOT / "resources").as_posix())
            for path in (ROOT / "resources").rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py"]
    assert data
    assert [name for name in data if not any(name.match(g) for g in globs)] == []
