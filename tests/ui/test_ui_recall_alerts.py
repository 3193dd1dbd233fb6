"""A recall that marked lots raises the chairside banner and the Recalls alert until a
manager taps Acknowledge (issue 16); who and when are recorded."""

from __future__ import annotations

from ui_helpers import WAIT_MS, click, sign_in_as

from kiosk.services.sync_status import Connection, SyncState

RECALL = ('{"results": [{"recall_number": "Z-0101-2027", "product_code": "DYW", '
          '"product_description": "Metal twin bracket MBT 0.022 U1 right, UDI-DI '
          '00812345671018", "code_info": "Lot Numbers: B25E392."}]}')
BANNER = "Device recall Z-0101-2027: 1 lot marked RECALLED — see Recalls"


def test_the_alert_shows_at_the_chair_and_in_recalls_until_a_manager_acknowledges(
        qtbot, window, kiosk):
    kiosk.import_recall_file("B1007", RECALL)  # as `kiosk recall import` does
    placement = sign_in_as(qtbot, window, "clinic_manager")
    assert placement is window.placement
    qtbot.waitUntil(lambda: placement.recall_banner.text() == BANNER, timeout=WAIT_MS)
    assert placement.recall_banner.isVisible()
    click(qtbot, placement.back_office_button)
    click(qtbot, window.back_office.tabs["recalls"])
    section = window.back_office.sections["recalls"]
    qtbot.waitUntil(lambda: section.alert_banner.text().startswith(BANNER), timeout=WAIT_MS)
    click(qtbot, section.acknowledge_button)
    qtbot.waitUntil(lambda: not section.alert_banner.isVisible(), timeout=WAIT_MS)
    [alert] = kiosk.recall_alerts(open_only=False)
    assert alert.acknowledged_by == "64b100000000000000000008"
    assert alert.acknowledged_at is not None
    assert not section.acknowledge_button.isVisible()


def test_a_recall_the_daily_watch_applies_mid_session_reaches_the_signed_in_chair(
        qtbot, window, kiosk):
    """The sync thread's daily run applies a recall while an assistant is signed in: the
    chair's banner shows it after that sync round, not only at the next sign-in."""
    placement = sign_in_as(qtbot, window, "clinic_manager")
    qtbot.wait(200)
    assert not placement.recall_banner.isVisible()
    kiosk.import_recall_file("B1007", RECALL)  # what the watch does on the sync thread
    window.sync_bar.on_state(SyncState(connection=Connection.ONLINE,
                                       recall_watch="Recall watch: 1 new recall applied."))
    qtbot.waitUntil(lambda: placement.recall_banner.text() == BANNER, timeout=WAIT_MS)
    assert placement.recall_banner.isVisible()


REVIEW_ONLY = ('{"results": [{"recall_number": "Z-0102-2027", "recalling_firm": "Alder Ortho", '
               '"classification": "Class II", "status": "Ongoing", "event_id": "90001", '
               '"product_description": "Kobayashi ligature hooks", '
               '"code_info": "Lot Numbers: A245509"}]}')


def test_recalls_shows_who_recalled_and_what_waits_for_review(qtbot, window, kiosk):
    """A recall matching an item by its description's words only marks nothing; Recalls says
    which recall, from which firm, and which items it may mean, until acknowledged."""
    outcome = kiosk.import_recall_outcome("B1007", REVIEW_ONLY)
    assert outcome.affected == [] and outcome.review
    sign_in_as(qtbot, window, "clinic_manager")
    click(qtbot, window.placement.back_office_button)
    click(qtbot, window.back_office.tabs["recalls"])
    section = window.back_office.sections["recalls"]
    qtbot.waitUntil(lambda: "Z-0102-2027" in section.alert_banner.text(), timeout=WAIT_MS)
    text = section.alert_banner.text()
    assert "possible match" in text and "to review" in text
    assert "Alder Ortho · Class II · Ongoing" in text
    assert outcome.review[0].sku in text
