"""Every CSV the kiosk writes neutralises cells a spreadsheet would run as a formula
(OWASP's CSV injection rule: a cell starting with = + - @, tab or carriage return)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kiosk.services.clinic_reads import CLINIC, THIS_KIOSK, PendingStation, Scope
from kiosk.services.recalls import AffectedLot, contact_csv
from kiosk.services.report_export import report_csv
from kiosk.services.reports import Report

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR",
            "=cmd|' /C calc'!A0"]


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def neutralised(formula: str) -> str:
    """What the cell reads back as: prefixed, a carriage return kept as a newline in it."""
    return "'" + formula.replace("\r", "\n")


@pytest.mark.parametrize("formula", FORMULAS)
def test_report_csv_neutralises_formula_cells(formula):
    report = Report(title="Usage", columns=("patient", "item"),
                    rows=[{"patient": formula, "item": "Bracket"}])
    rows = parsed(report_csv(report))
    assert len(rows) == 2
    assert rows[1] == [neutralised(formula), "Bracket"]


def test_report_csv_keeps_negative_numbers_as_numbers():
    """A negative amount or quantity is a value the kiosk made, not text someone typed."""
    report = Report(title="Stock", columns=("qty", "cost"),
                    rows=[{"qty": -3, "cost": Decimal("-1.50")}])
    assert parsed(report_csv(report))[1] == ["-3", "-1.50"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_recall_contact_csv_neutralises_formula_cells(formula):
    lot = AffectedLot(recall_number="Z-1", sku="BRK-1", lot_number="L1", newly_recalled=True,
                      contacts=[{"chartNumber": "C-1", "patientName": formula,
                                 "usageDate": datetime(2026, 1, 2, tzinfo=UTC), "quantity": 1,
                                 "sku": "BRK-1", "lotNumber": formula, "provider": formula}])
    header, row = parsed(contact_csv(lot))
    assert row[header.index("patientName")] == neutralised(formula)
    assert row[header.index("lotNumber")] == neutralised(formula)
    assert row[header.index("provider")] == neutralised(formula)
    assert row[header.index("chartNumber")] == "C-1"


def scoped(scope: Scope) -> Report:
    return Report(title="Usage", columns=("patient", "qty"),
                  rows=[{"patient": "=1+1", "qty": 2}], scope=scope)


def test_report_csv_starts_with_the_scope_line_and_still_parses():
    """Issue 15 item 3: the CSV says where its usages came from, in one leading row a reader
    can skip (it starts with #), then the header and rows as before, formulas still neutral."""
    as_of = datetime(2026, 3, 2, 16, 42, tzinfo=UTC)
    chair = PendingStation("chair 4", as_of - timedelta(days=3), 12,
                           last_sync=as_of - timedelta(days=3))
    scope = Scope(CLINIC, as_of, (chair,), timezone="America/Chicago")
    text = report_csv(scoped(scope))
    first, header, row = parsed(text)
    assert first == ["# Whole clinic as of 10:42 · chair 4 last synced 3 days ago with 12 "
                     "events queued."]
    assert first[0] == "# " + scope.sentence()
    assert header == ["patient", "qty"] and row == ["'=1+1", "2"]
    assert text.startswith("# Whole clinic")  # a plain comment line, not quoted


def test_report_csv_scope_line_of_an_offline_kiosk_and_an_odd_workstation_name():
    offline = Scope(THIS_KIOSK, datetime(2026, 3, 2, tzinfo=UTC))
    assert parsed(report_csv(scoped(offline)))[0] == [
        "# Central server unreachable: this kiosk's usages only."]
    odd = PendingStation('=chair,"5"', None, 1)
    rows = parsed(report_csv(scoped(Scope(CLINIC, datetime(2026, 3, 2, tzinfo=UTC), (odd,)))))
    assert len(rows) == 3 and len(rows[0]) == 1  # one cell, whatever the name holds
    assert rows[0][0].startswith("# Whole clinic as of 00:00 · =chair,\"5\" never synced")


def test_report_csv_without_a_scope_has_no_scope_line():
    assert parsed(report_csv(Report("Stock", ("qty",), [{"qty": 1}])))[0] == ["qty"]
