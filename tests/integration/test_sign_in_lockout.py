"""The wrong-PIN lockout on a real kiosk file: keyed to the person, kept across a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import bootstrap
from kiosk.services.sign_in import SignInRefused

ASSISTANT = ("B1001", "482913")  # Zoë Álvarez in the demo staff
MANAGER = ("B1008", "447120")  # Renée Dubois-Carter, clinic manager


def test_a_lock_survives_a_restart_and_counts_the_person_not_the_text(tmp_path: Path):
    home = tmp_path / "demo"
    kiosk = bootstrap.open_demo_kiosk(home)
    try:
        for badge in ("B1001", "b1001", "STAFF-B1001", "staff-b1001", " Staff-B1001 "):
            with pytest.raises(SignInRefused) as refused:
                kiosk.sign_in(badge, "000000")
        assert refused.value.locked_until is not None
        assert "Locked until" in str(refused.value)
    finally:
        kiosk.context.store.close()

    restarted = bootstrap.open_demo_kiosk(home)  # a new store and app on the same file
    try:
        with pytest.raises(SignInRefused, match="Locked until"):
            restarted.sign_in(*ASSISTANT)
        assert restarted.sign_in(*MANAGER).badge == "B1008"  # nobody else was locked
        assert restarted.unlock_sign_in(*MANAGER, "STAFF-b1001") == "Zoë Álvarez"
        assert restarted.sign_in("b1001", ASSISTANT[1]).badge == "B1001"
    finally:
        restarted.context.store.close()
