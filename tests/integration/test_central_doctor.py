"""`kiosk doctor`'s central checks against real servers: each failure in plain words."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from mongo_server import SecantusServer
from pymongo import MongoClient

from kiosk import bootstrap
from kiosk.adapters.mongo.admin import init_central
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.health import check_central, server_address
from kiosk.adapters.mongo.schema import INDEXES
from kiosk.services.demo import DEMO_CLINIC_ID

NAMES = ["central server", "central login", "central clock", "central schema",
         "central indexes", "central catalog"]


def by_name(checks):
    return {check.name: check for check in checks}


def failures(checks):
    return [check for check in checks if not check.ok]


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    """A server that requires a login, with the user kiosk / s3cret-Pa55."""
    if os.environ.get("KIOSK_TEST_MONGO_URI"):
        pytest.skip("needs a server the tests start with --auth")
    folder = tmp_path_factory.mktemp("auth") / "data"
    setup = SecantusServer(folder).start()
    try:
        with MongoClient(setup.uri) as client:
            client.admin.command("createUser", "kiosk", pwd="s3cret-Pa55", roles=["root"])
    finally:
        setup.stop()
    server = SecantusServer(folder, port=setup.port, auth=True).start()
    try:
        yield server
    finally:
        server.stop()


def auth_uri(server: SecantusServer, password: str | None, db: str = "orthoSupply") -> str:
    login = f"kiosk:{password}@" if password is not None else ""
    return f"mongodb://{login}127.0.0.1:{server.port}/{db}?directConnection=true&authSource=admin"


def test_a_healthy_server_passes_every_check(central_uri):
    init_central(central_uri)
    checks = check_central(central_uri, DEMO_CLINIC_ID)
    assert [c.name for c in checks] == NAMES and not failures(checks)
    assert by_name(checks)["central server"].detail.startswith(
        f"reached at {server_address(central_uri)} in ")
    assert "no items for clinic" in by_name(checks)["central catalog"].detail


def test_a_stopped_server_is_told_apart_within_seconds(own_server):
    uri = own_server.uri
    own_server.kill()
    started = time.monotonic()
    checks = check_central(uri, DEMO_CLINIC_ID)
    assert time.monotonic() - started < 10
    [check] = checks
    assert not check.ok and check.name == "central server"
    assert check.detail == (f"The central server cannot be reached at 127.0.0.1:{own_server.port}"
                            " (connection refused); check the server is running and the network.")
    assert "running" in check.fix


def test_the_doctor_command_answers_within_seconds_when_the_server_is_down(cli, tmp_path,
                                                                          own_server):
    own_server.kill()
    cli.ok("init", "--clinic-id", DEMO_CLINIC_ID, "--workstation-id", "chair-3",
           "--data-dir", str(tmp_path / "data"), "--mongo-uri", own_server.uri)
    started = time.monotonic()
    result = cli("doctor")
    assert time.monotonic() - started < 10
    assert result.code == 1
    assert "[FAIL] central server: The central server cannot be reached at 127.0.0.1:" in result.out
    assert "[ok  ] database" in result.out


def test_a_wrong_password_is_told_apart_and_never_shown(auth_server):
    init_central(auth_uri(auth_server, "s3cret-Pa55"))
    assert not failures(check_central(auth_uri(auth_server, "s3cret-Pa55"), DEMO_CLINIC_ID))

    checks = check_central(auth_uri(auth_server, "wrong-Pa55"), DEMO_CLINIC_ID)
    [check] = failures(checks)
    assert check.detail == (f"The central server at 127.0.0.1:{auth_server.port} refused the "
                            "kiosk's credentials; check the user and password in the URI.")
    assert "password" in check.fix
    text = repr(checks)
    assert "wrong-Pa55" not in text and "s3cret" not in text


def test_a_missing_login_is_reported_as_refused_credentials(auth_server):
    checks = check_central(auth_uri(auth_server, None), DEMO_CLINIC_ID)
    assert [c.name for c in checks] == ["central server", "central login"]
    assert checks[0].ok and not checks[1].ok
    assert "refused the kiosk's credentials" in checks[1].detail


def test_a_wrong_database_name_says_so(central_uri):
    checks = check_central(central_uri, DEMO_CLINIC_ID)
    [check] = failures(checks)
    name = central_uri.rsplit("/", 1)[1].split("?")[0]
    assert check.name == "central schema"
    assert check.detail == (f"The central server has no kiosk schema in database {name}; check "
                            "the database name in the URI or run `kiosk central init`.")
    with connect(central_uri) as client:  # looking did not create anything
        assert database(client).list_collection_names() == []


def test_missing_indexes_are_listed_with_their_fix(central_uri):
    init_central(central_uri)
    with connect(central_uri) as client:
        database(client).InventoryItem.drop_index("clinicId_sku")
        database(client).ApplianceInventoryLink.drop_index("kioskId_kioskSeq")
    [check] = failures(check_central(central_uri, DEMO_CLINIC_ID))
    assert check.name == "central indexes"
    assert check.detail == ("2 index(es) missing: ApplianceInventoryLink.kioskId_kioskSeq, "
                            "InventoryItem.clinicId_sku")
    assert check.fix == "Run `kiosk central init` to create them."
    assert sorted(init_central(central_uri)) == ["clinicId_sku", "kioskId_kioskSeq"]
    assert not failures(check_central(central_uri, DEMO_CLINIC_ID))


def test_clock_skew_beyond_two_minutes_fails(central_uri):
    init_central(central_uri)
    late = check_central(central_uri, DEMO_CLINIC_ID,
                         now=lambda: datetime.now(UTC) + timedelta(seconds=600))
    [check] = failures(late)
    assert check.name == "central clock" and "behind this kiosk's" in check.detail
    assert "NTP" in check.fix
    near = check_central(central_uri, DEMO_CLINIC_ID,
                         now=lambda: datetime.now(UTC) - timedelta(seconds=60))
    assert not failures(near) and "ahead of" in by_name(near)["central clock"].detail


def test_central_init_through_bootstrap_is_idempotent(tmp_path, central_uri):
    config = str(tmp_path / "k.toml")
    bootstrap.init_kiosk(config, clinic_id=DEMO_CLINIC_ID, workstation_id="chair-1",
                         mongo_uri=central_uri, data_dir=str(tmp_path / "data"))
    assert len(bootstrap.central_init(config)) == sum(len(v) for v in INDEXES.values())
    assert bootstrap.central_init(config) == []
    checks = bootstrap.doctor_checks(config)
    assert not failures(checks) and [c.name for c in checks][-len(NAMES):] == NAMES
