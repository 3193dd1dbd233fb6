"""`kiosk --config FILE run --demo` keeps the demo where the config says, not in the
platform's data folder (issue 19: IT found it ignored --config)."""

from __future__ import annotations

from kiosk.adapters.config import load_config
from kiosk.cli import ui_kiosk
from kiosk.cli.parser import build_parser


def test_run_demo_with_a_config_keeps_the_demo_beside_that_config(tmp_path):
    config = tmp_path / "ward" / "demo.toml"
    args = build_parser().parse_args(["--config", str(config), "run", "--demo"])
    kiosk = ui_kiosk(args)()
    try:
        assert config.exists()
        assert load_config(config).database_path.parent == config.parent.resolve()
        assert load_config(config).database_path.exists()
        with kiosk.context.store.read() as tx:
            assert tx.all_items()  # seeded on first use
    finally:
        kiosk.context.store.close()
