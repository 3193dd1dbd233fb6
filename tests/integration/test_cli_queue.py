"""`kiosk queue` and `kiosk queue retry` (issue 14): a quarantined event is listed with its
reason, and once its cause is fixed it is sent again, exactly once; `kiosk doctor` fails
while one is quarantined and names the commands."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing

import pytest
from test_central_rewind import Kiosk, assert_settled, kiosk_at, outbox

ONE_SENTENCE = re.compile(r"kiosk: [A-Z][^\n]*\.\n")
IT_ADMIN, ASSISTANT = "B1009", "B1001"


@pytest.fixture
def chair(tmp_path, capsys, central_uri, demo_csvs) -> Kiosk:
    cli = kiosk_at(tmp_path, capsys, central_uri, "chair-1")
    cli.ok("central", "init")
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    assert cli.sync()["code"] == 0
    return cli


def edit_payload(cli: Kiosk, event_id: str, **changes: object) -> str:
    """Damage (or mend) one queued payload as a bad release could have written it."""
    with closing(sqlite3.connect(cli.database)) as conn, conn:
        [(text,)] = conn.execute("SELECT payload FROM outbox WHERE event_id = ?", (event_id,))
        payload = json.loads(text) | changes
        conn.execute("UPDATE outbox SET payload = ? WHERE event_id = ?",
                     (json.dumps(payload, sort_keys=True), event_id))
    return text


def restore_payload(cli: Kiosk, event_id: str, text: str) -> None:
    with closing(sqlite3.connect(cli.database)) as conn, conn:
        conn.execute("UPDATE outbox SET payload = ? WHERE event_id = ?", (text, event_id))


def quarantine_one(cli: Kiosk) -> tuple[str, str, str]:
    """Two usages; the first is refused by the server. Returns (bad id, its good payload,
    the good id)."""
    bad, good = cli.deduct(), cli.deduct("2")
    original = edit_payload(cli, bad, quantity=-3)
    report = cli.sync()
    assert (report["pushed"], report["quarantined"]) == (1, 1), report
    return bad, original, good


def test_queue_lists_a_quarantined_event_with_its_reason_and_retry_sends_it_once(
        chair, central_uri):
    bad, original, _ = quarantine_one(chair)

    listed = json.loads(chair.ok("queue", "--json"))["quarantined"]
    assert [(e["id"], e["kind"]) for e in listed] == [(bad, "UsageRecorded")]
    assert "quantity" in listed[0]["reason"] and listed[0]["when"]
    table = chair.ok("queue")
    assert bad in table and "quantity" in table

    doctor = chair("doctor")
    assert doctor.code == 1
    [line] = [line for line in doctor.out.splitlines() if "queue:" in line]
    assert "`kiosk queue`" in line and "`kiosk queue retry ID`" in line

    restore_payload(chair, bad, original)  # the cause fixed
    out = chair.ok("queue", "retry", bad, "--actor", IT_ADMIN)
    assert bad in out
    assert outbox(chair.database)[bad][1] == "PENDING"
    report = chair.sync()
    assert (report["pushed"], report["quarantined"]) == (1, 0), report
    assert "no quarantined" in chair.ok("queue").lower()
    assert chair("doctor").code == 0
    assert assert_settled(chair, central_uri) == 2


def test_retry_all_and_a_retry_of_an_event_already_central_stay_exactly_once(
        chair, central_uri):
    bad, original, good = quarantine_one(chair)
    restore_payload(chair, bad, original)
    with closing(sqlite3.connect(chair.database)) as conn, conn:  # as if wrongly refused
        conn.execute("UPDATE outbox SET state = 'QUARANTINED', last_error = 'lost' "
                     "WHERE event_id = ?", (good,))

    out = chair.ok("queue", "retry", "--all", "--actor", IT_ADMIN)

    assert "2 quarantined event(s)" in out
    report = chair.sync()
    assert (report["code"], report["pushed"], report["quarantined"]) == (0, 2, 0), report
    assert assert_settled(chair, central_uri) == 2  # the good one acknowledged, not doubled


def test_retry_refuses_unknown_ids_and_people_without_the_permission(chair):
    bad, _, good = quarantine_one(chair)
    for args, words in (
            (("queue", "retry", "64b0000000000000000000aa", "--actor", IT_ADMIN),
             "No quarantined event"),
            (("queue", "retry", good, "--actor", IT_ADMIN), "synced already"),
            (("queue", "retry", bad, "--actor", ASSISTANT), "admin:configure"),
            (("queue", "retry", bad), "--actor"),
            (("queue", "retry", "--actor", IT_ADMIN), "event id or --all")):
        result = chair(*args)
        assert result.code != 0 and words in result.err, (args, result.err)
        assert ONE_SENTENCE.fullmatch(result.err), result.err
    assert outbox(chair.database)[bad][1] == "QUARANTINED"  # nothing moved
