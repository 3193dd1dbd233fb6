"""Refusals tell the person at the kiosk who was refused, by name; the log file carries ids
only (issue 14, item 11): a log leaves the clinic with a support ticket, a name must not."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kiosk.domain.errors import PermissionDenied
from kiosk.services import chairside, placement, sign_in

SCAN = "(01)00812345671018(10)B25E392"
ZOE, THAO = "64b100000000000000000001", "64b100000000000000000002"
KENJI = "64b100000000000000000009"


@pytest.fixture
def logs(tmp_path, monkeypatch):
    folder = tmp_path / "logs"
    monkeypatch.setenv("KIOSK_LOG_DIR", str(folder))
    return lambda: "".join(p.read_text("utf-8") for p in sorted(folder.glob("kiosk-*.log*")))


@pytest.fixture
def clinic(cli, demo_csvs, logs):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    return cli


def refused_then_logged(cli, logs, *args) -> tuple[str, str]:
    result = cli(*args)
    assert result.code == 1, result
    return result.err, logs()


def test_a_missing_permission_is_logged_by_staff_id(clinic, logs):
    err, logged = refused_then_logged(clinic, logs, "report", "usage", "--actor", "B1009")
    assert "Kenji Takahashi" in err  # the person at the kiosk is told who
    assert "Kenji" not in logged and KENJI in logged and "appliance:read" in logged


def test_a_refused_void_is_logged_by_staff_id(clinic, logs):
    [usage] = json.loads(clinic.ok("deduct", "--actor", "B1001", "--patient", "C-10239",
                                   "--appliance-type", "BRACKET", "--scan", SCAN,
                                   "--json"))["usages"]
    err, logged = refused_then_logged(clinic, logs, "void", usage["id"], "--actor", "B1002",
                                      "--reason", "wrong patient")
    assert "Thảo Nguyen" in err
    assert "Thảo" not in logged and "Nguyen" not in logged and THAO in logged


def test_a_badge_clash_in_an_import_is_logged_by_staff_id(clinic, logs, tmp_path):
    clash = tmp_path / "staff.csv"
    clash.write_text("staff_id,name,role,badge,pin\n64b1000000000000000000aa,New Person,"
                     "assistant,B1001,2468\n", encoding="utf-8")
    err, logged = refused_then_logged(clinic, logs, "import", "staff", str(clash))
    assert "Zoë Álvarez" in err
    assert "Zoë" not in logged and "Álvarez" not in logged and ZOE in logged


def test_a_patient_typed_by_name_is_not_logged(clinic, logs):
    err, logged = refused_then_logged(clinic, logs, "deduct", "--actor", "B1001", "--patient",
                                      "Mateo Hernández", "--appliance-type", "BRACKET",
                                      "--scan", SCAN)
    assert "Mateo Hernández" in err
    assert "Mateo" not in logged and "Hernández" not in logged and "No patient" in logged


@pytest.mark.parametrize("refuse, name, staff_id", [
    (lambda ctx: sign_in.unlock(ctx, "B1005", "530672", "B1001"), "Łukasz Nowak",
     "64b100000000000000000005"),
    (lambda ctx: chairside.authorize_override(ctx, "B1001", "482913"), "Zoë Álvarez", ZOE),
], ids=["unlock", "override"])
def test_refusals_at_the_chair_carry_ids_for_the_log(demo, refuse, name, staff_id):
    """The window logs a refusal's ``for_log()`` (an unlock or an override by someone who may
    not): the sentence with ids where it names people."""
    with pytest.raises(PermissionDenied) as caught:
        refuse(demo.context)
    assert name in str(caught.value)
    logged = caught.value.for_log()
    assert name not in logged and name.split()[0] not in logged and staff_id in logged


def test_a_disabled_colleague_is_logged_by_id(demo):
    with demo.context.store.write() as tx:
        tx.save_staff(replace(tx.staff_by_badge("B1002"), active=False))
    with pytest.raises(PermissionDenied) as caught:
        placement.deduct_for_appliance(demo.context, "B1002", placement.PlaceSupplies(
            patient="C-10239", appliance_type="BRACKET", scans=[SCAN]))
    assert "Thảo Nguyen" in str(caught.value) and "disabled" in str(caught.value)
    assert "Thảo" not in caught.value.for_log() and THAO in caught.value.for_log()
