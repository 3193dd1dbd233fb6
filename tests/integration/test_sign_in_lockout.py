"""The wrong-PIN lockout on a real kiosk file: keyed to the person, kept across a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import bootstrap
from kiosk.services.sign_in import SignInRefused

ASSISTANT = ("B1001", "482913")  # Zoë Álvarez in the demo staff
MANAGER = ("B1008", "447120")  # Renée Dubois-Carter, clinic manager
ZOE_ID = "64b100000000000000000001"  # the assistant's staff id


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


def test_badge_and_staff_id_share_one_count_that_survives_a_restart(tmp_path: Path):
    """Issue 14 item 8: after 5 wrong PINs by badge, 4 more by staff id were accepted. Three
    wrong by badge, a restart, then two wrong by staff id lock the one person."""
    home = tmp_path / "demo"
    kiosk = bootstrap.open_demo_kiosk(home)
    try:
        for _ in range(3):
            with pytest.raises(SignInRefused):
                kiosk.sign_in("B1001", "000000")
    finally:
        kiosk.context.store.close()

    restarted = bootstrap.open_demo_kiosk(home)
    try:
        with pytest.raises(SignInRefused) as fourth:
            restarted.sign_in(ZOE_ID, "000000")
        assert fourth.value.attempts_left == 1  # the badge's three wrong PINs counted
        with pytest.raises(SignInRefused) as fifth:
            restarted.sign_in(ZOE_ID, "000000")
        assert fifth.value.locked_until is not None
        for ref in (ZOE_ID, "B1001", "STAFF-B1001"):  # the right PIN, any way of naming her
            with pytest.raises(SignInRefused, match="Locked until"):
                restarted.sign_in(ref, ASSISTANT[1])
    finally:
        restarted.context.store.close()
