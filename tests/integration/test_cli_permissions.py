"""Issue 14 item 8 through the real CLI on a real SQLite file: the services, not the UI,
decide who may read patients and who may void what."""

from __future__ import annotations

import json

import pytest

CHART = "C-10239"
SCAN = "(01)00812345671018(10)B25E392"
IT_ADMIN, ASSISTANT, OTHER_ASSISTANT, ORTHODONTIST = "B1009", "B1001", "B1002", "B1005"


@pytest.fixture
def day(cli, demo_csvs):
    for kind, path in demo_csvs.items():
        cli.ok("import", kind, str(path))
    return cli


def deduct(cli, actor: str) -> str:
    out = cli.ok("deduct", "--actor", actor, "--patient", CHART, "--appliance-type", "BRACKET",
                 "--scan", SCAN, "--json")
    return json.loads(out)["usages"][0]["id"]


def one_sentence(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("report", [("usage",), ("lot-tracking", "B25E392")])
def test_it_admin_gets_no_patients_from_the_reports(day, report):
    deduct(day, ASSISTANT)
    shown = json.loads(day.ok("report", *report, "--actor", ASSISTANT, "--format", "json"))
    assert [r["chartNumber"] for r in shown["rows"]] == [CHART]
    refused = day("report", *report, "--actor", IT_ADMIN, "--format", "json")
    assert refused.code == 1 and CHART not in refused.out + refused.err
    sentence = one_sentence(refused.err)
    assert "appliance:read" in sentence and "clinic manager" in sentence


def test_an_assistant_cannot_void_a_colleagues_usage_but_a_manager_can(day):
    usage = deduct(day, ASSISTANT)
    refused = day("void", usage, "--actor", OTHER_ASSISTANT, "--reason", "not mine")
    assert refused.code == 1
    sentence = one_sentence(refused.err)
    assert "inventory:adjust" in sentence and "orthodontist" in sentence
    assert "voided" in day.ok("void", usage, "--actor", ORTHODONTIST, "--reason", "wrong chart")
    own = deduct(day, ASSISTANT)
    assert "voided" in day.ok("void", own, "--actor", ASSISTANT, "--reason", "wrong tooth")
