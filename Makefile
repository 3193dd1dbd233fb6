# Everything a fresh machine needs: `make run` opens the demo kiosk, `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: install run test lint unit bench clean screenshots samples wheel bundle

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/kiosk run --demo --windowed

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

unit: install
	$(BIN)/python -m pytest tests/unit -q

screenshots: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots docs/screenshots

samples: install
	$(BIN)/python scripts/samples.py docs/samples

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache

# The wheel the Linux installer installs (installer/linux/install.sh --wheel dist/...).
wheel: install
	rm -f dist/ortho_supply_kiosk-*.whl
	$(BIN)/python -m pip wheel --quiet --disable-pip-version-check --no-deps -w dist .

# The PyInstaller one-folder build (the Windows spec, built here for Linux) and its smoke test.
bundle: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bundle]'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/windows/kiosk.spec
	installer/bundle_check.sh dist/ortho-supply-kiosk
