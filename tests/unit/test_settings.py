"""Saving the kiosk's settings and reading its queue: admin:configure only, validated, with
credentials never shown."""

from __future__ import annotations

from dataclasses import replace

import pytest
from clinic_data import gs1

from kiosk.domain.errors import PermissionDenied, ValidationError
from kiosk.services.placement import PlaceSupplies, deduct_for_appliance
from kiosk.services.settings import (
    KioskSettings,
    hide_credentials,
    join_uri,
    mask_uri,
    queue_view,
    save_settings,
    split_uri,
    validate_settings,
)

SAVED = KioskSettings(printer="Front_Desk", scanner_port="/dev/ttyACM0", idle_timeout_s=120,
                      mongo_uri="mongodb://kiosk:old%40pw@db.lan:27017/orthoSupply")


class FakeWriter:
    def __init__(self, settings: KioskSettings = SAVED) -> None:
        self.settings = settings
        self.writes: list[KioskSettings] = []

    def current(self) -> KioskSettings:
        return self.settings

    def write(self, settings: KioskSettings) -> None:
        self.writes.append(settings)
        self.settings = settings


@pytest.mark.parametrize("actor", ["B1", "B2", "B3"])  # assistant, orthodontist, inventory
def test_save_settings_refuses_anyone_without_admin_configure(clinic, actor):
    writer = FakeWriter()
    with pytest.raises(PermissionDenied, match="admin:configure"):
        save_settings(clinic.ctx, actor, writer, replace(SAVED, idle_timeout_s=300))
    assert writer.writes == []


def test_queue_view_refuses_anyone_without_admin_configure(clinic):
    with pytest.raises(PermissionDenied, match="admin:configure"):
        queue_view(clinic.ctx, "B3")


def test_an_admin_saves_and_learns_what_takes_a_restart(clinic):
    writer = FakeWriter()
    wanted = replace(SAVED, printer=" Lab_Zebra ", idle_timeout_s=300,
                     scanner_port="/dev/ttyUSB1")
    saved = save_settings(clinic.ctx, "B4", writer, wanted)
    assert writer.writes == [replace(wanted, printer="Lab_Zebra")]
    assert saved.changed == ("printer", "scanner_port", "idle_timeout_s")
    assert saved.restart_needed == ("printer", "scanner_port")
    assert saved.sentence() == ("Saved. In use now: idle timeout. Restart the kiosk to use the "
                                "new printer and scanner port.")


def test_saving_the_same_settings_writes_nothing(clinic):
    writer = FakeWriter()
    saved = save_settings(clinic.ctx, "B4", writer, SAVED)
    assert writer.writes == [] and saved.changed == ()
    assert saved.sentence().startswith("Nothing changed")


@pytest.mark.parametrize(("change", "words"), [
    ({"idle_timeout_s": 5}, "15 to 3600 seconds"),
    ({"idle_timeout_s": 4000}, "15 to 3600 seconds"),
    ({"printer": "Front Desk"}, "no spaces"),
    ({"scanner_port": "/dev/tty\nACM0"}, "on one line"),
    ({"mongo_uri": "http://db.lan"}, "mongodb://host"),
    ({"mongo_uri": "mongodb://"}, "mongodb://host"),
])
def test_bad_settings_get_one_sentence_and_nothing_is_written(clinic, change, words):
    writer = FakeWriter()
    with pytest.raises(ValidationError, match=words):
        save_settings(clinic.ctx, "B4", writer, replace(SAVED, **change))
    assert writer.writes == []


def test_a_blank_server_address_makes_a_local_only_kiosk():
    assert validate_settings(replace(SAVED, mongo_uri="  ")).mongo_uri == ""


def test_the_uri_splits_into_address_and_decoded_login_and_joins_back():
    address, user, password = split_uri(SAVED.mongo_uri)
    assert (address, user, password) == ("mongodb://db.lan:27017/orthoSupply", "kiosk", "old@pw")
    assert join_uri(address, user, password) == SAVED.mongo_uri


def test_an_empty_password_keeps_the_saved_one_for_the_same_user_only():
    address = "mongodb://db2.lan/orthoSupply"
    assert join_uri(address, "kiosk", "", SAVED.mongo_uri) == \
        "mongodb://kiosk:old%40pw@db2.lan/orthoSupply"
    assert join_uri(address, "other", "", SAVED.mongo_uri) == "mongodb://other@db2.lan/orthoSupply"
    assert join_uri(address, "", "", SAVED.mongo_uri) == address
    # credentials typed into the address give way to the login fields
    assert join_uri("mongodb://x:y@db2.lan", "kiosk", "n:ew") == "mongodb://kiosk:n%3Aew@db2.lan"


def test_an_error_quoting_the_uri_loses_its_credentials():
    error = f"Unexpected error: InvalidURI: bad option in {SAVED.mongo_uri}; password old@pw"
    assert hide_credentials(error, SAVED.mongo_uri) == (
        "Unexpected error: InvalidURI: bad option in mongodb://***@db.lan:27017/orthoSupply; "
        "password ***")


def test_masking_hides_user_and_password():
    assert mask_uri(SAVED.mongo_uri) == "mongodb://***@db.lan:27017/orthoSupply"
    assert mask_uri("mongodb://db.lan/?directConnection=true") == \
        "mongodb://db.lan/?directConnection=true"


def test_the_queue_view_lists_quarantined_events_first_with_their_reason(clinic):
    first, second = (deduct_for_appliance(clinic.ctx, "B1", PlaceSupplies(
        "C-1", "BRACKET", [gs1(clinic.gtin_bracket, "BR-A")], 1))[0] for _ in range(2))
    with clinic.store.write() as tx:
        tx.mark_quarantined([second.id], "a different payload was already stored under this id")
    view = queue_view(clinic.ctx, "B4")
    assert (view.pending, view.quarantined) == (1, 1)
    assert [(e.event_id, e.state, e.last_error) for e in view.entries] == [
        (second.id, "QUARANTINED", "a different payload was already stored under this id"),
        (first.id, "PENDING", None),
    ]
