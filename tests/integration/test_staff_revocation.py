"""Issue 14 item 7: a staff member disabled or deleted centrally is disabled at the kiosk on
the next pull (real SQLite file, real MongoDB wire server, the real CLI); their usages queued
before still reach the central ledger."""

from __future__ import annotations

import json

import pytest
from bson import ObjectId
from test_central_push import central_db, open_site, place_many, seed_catalog
from test_cli_central import SCAN, kiosk_cli, sync

from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.revisions import next_rev
from kiosk.bootstrap import open_kiosk
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.sign_in import SignInRefused
from kiosk.services.sync_pull import pull_catalog

CLINIC = ObjectId(DEMO_CLINIC_ID)
THAO = ObjectId("64b100000000000000000002")  # assistant B1002, PIN 7351
MARCUS = ObjectId("64b100000000000000000003")  # assistant B1003, PIN 9024
AALIYAH = ObjectId("64b100000000000000000004")  # assistant B1004, PIN 61847
ZOE = ("B1001", "482913")


@pytest.fixture
def central_day(tmp_path, capsys, central_uri, demo_csvs):
    cli = kiosk_cli(tmp_path, capsys, central_uri)
    cli.ok("central", "init")
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    return cli


def deduct(cli, actor: str):
    return cli("deduct", "--actor", actor, "--patient", "C-10239", "--appliance-type",
               "BRACKET", "--scan", SCAN, "--qty", "1", "--json")


def pull_only(cli, uri: str) -> None:
    """One pull into the kiosk's file, as a sync round does after its push."""
    kiosk = open_kiosk(str(cli.config))
    try:
        with kiosk.context.store.read() as tx:
            kiosk_id = tx.identity().kiosk_id
        with connect(uri) as client:
            pull_catalog(kiosk.context, MongoCentral(client, DEMO_CLINIC_ID, kiosk_id))
    finally:
        kiosk.context.store.close()


def signs_in(cli, badge: str, pin: str) -> bool:
    kiosk = open_kiosk(str(cli.config))
    try:
        kiosk.sign_in(badge, pin)
        return True
    except SignInRefused:
        return False
    finally:
        kiosk.context.store.close()


def test_disabled_and_deleted_staff_are_revoked_on_the_next_pull(central_day, central_uri):
    cli = central_day
    assert sync(cli)["code"] == 0
    queued = json.loads(deduct(cli, "B1002").out)["usages"][0]["id"]  # not pushed yet
    assert signs_in(cli, "B1002", "7351") and signs_in(cli, "B1003", "9024")

    with connect(central_uri) as client:
        db = database(client)
        # disabled the way the practice system does it: active false, a new revision
        db.Staff.update_one({"_id": THAO}, {"$set": {"active": False,
                                                     "rev": next_rev(db, CLINIC)}})
        db.Staff.delete_one({"_id": MARCUS})  # deleted outright: no document left to pull
        # disabled from a mongo shell, without bumping the revision
        db.Staff.update_one({"_id": AALIYAH}, {"$set": {"active": False}})

    pull_only(cli, central_uri)

    for badge, pin in (("B1002", "7351"), ("B1003", "9024"), ("B1004", "61847")):
        assert not signs_in(cli, badge, pin), badge
        refused = deduct(cli, badge)
        assert refused.code != 0 and "disabled" in refused.err, refused.err
        assert len(refused.err.strip().splitlines()) == 1
    for action in (("void", queued, "--actor", "B1002", "--reason", "wrong patient"),
                   ("adjust", "--item", "BRK-MBT-U1R", "--qty", "-1", "--reason", "count",
                    "--actor", "64b100000000000000000002")):
        refused = cli(*action)
        assert refused.code != 0 and "disabled" in refused.err, refused.err
    assert signs_in(cli, *ZOE)  # nobody else was touched
    assert deduct(cli, "B1001").code == 0

    pushed = sync(cli)
    assert pushed["code"] == 0 and pushed["remaining"] == 0, pushed
    with connect(central_uri) as client:
        link = database(client).ApplianceInventoryLink.find_one({"_id": ObjectId(queued)})
    assert link is not None and link["usedBy"] == THAO  # the revoked one's usage arrived


def test_a_reenabled_staff_member_can_sign_in_again(central_day, central_uri):
    cli = central_day
    assert sync(cli)["code"] == 0
    with connect(central_uri) as client:
        db = database(client)
        db.Staff.update_one({"_id": THAO}, {"$set": {"active": False,
                                                     "rev": next_rev(db, CLINIC)}})
    assert sync(cli)["code"] == 0
    assert not signs_in(cli, "B1002", "7351")
    with connect(central_uri) as client:
        db = database(client)
        db.Staff.update_one({"_id": THAO}, {"$set": {"active": True,
                                                     "rev": next_rev(db, CLINIC)}})
    assert sync(cli)["code"] == 0
    assert signs_in(cli, "B1002", "7351")


@pytest.mark.parametrize("revoke", [{"$set": {"deletedAt": "2026-01-05T10:00:00Z"}},
                                    {"$set": {"active": "no"}}])
def test_a_tombstone_or_an_unreadable_active_flag_revokes(central_day, central_uri, revoke):
    cli = central_day
    assert sync(cli)["code"] == 0
    with connect(central_uri) as client:
        db = database(client)
        revoke["$set"]["rev"] = next_rev(db, CLINIC)
        db.Staff.update_one({"_id": THAO}, revoke)
    sync(cli)
    assert not signs_in(cli, "B1002", "7351")
    assert signs_in(cli, *ZOE)


def test_a_deleted_members_badge_can_be_given_to_someone_new(central_day, central_uri,
                                                             tmp_path):
    cli = central_day
    assert sync(cli)["code"] == 0
    with connect(central_uri) as client:
        database(client).Staff.delete_one({"_id": MARCUS})
    newcomer = tmp_path / "newcomer.csv"
    newcomer.write_text("staff_id,name,role,badge,pin\n"
                        "64b1000000000000000000a1,Nia Newcomer,assistant,B1003,2468\n",
                        encoding="utf-8")
    cli.ok("import", "staff", str(newcomer))
    assert sync(cli)["code"] == 0
    assert signs_in(cli, "B1003", "2468")
    assert not signs_in(cli, "B1003", "9024")
    refused = cli("deduct", "--actor", str(MARCUS), "--patient", "C-10239", "--appliance-type",
                  "BRACKET", "--scan", SCAN, "--qty", "1")
    assert refused.code != 0 and "disabled" in refused.err, refused.err


def test_a_central_store_without_a_staff_list_revokes_no_one(tmp_path, central_uri):
    """A central database that keeps no staff for this clinic (catalog there, staff not yet)
    manages no one: the demo kiosk's staff keep signing in and deducting after a pull. Only a
    list that names people can leave someone off it."""
    site = open_site(central_uri, tmp_path / "kiosk")
    client, db = central_db(central_uri)
    try:
        seed_catalog(db, site.ctx)
        assert db.Staff.count_documents({"clinicId": CLINIC}) == 0
        pull_catalog(site.ctx, site.central)
        with site.ctx.store.read() as tx:
            assert all(member.active for member in tx.all_staff())
        place_many(site.ctx, 1)
    finally:
        client.close()
        site.central.close()
        site.ctx.store.close()
