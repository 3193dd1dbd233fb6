"""Every CSV the kiosk writes neutralises cells a spreadsheet would run as a formula
(OWASP's CSV injection rule: a cell starting with = + - @, tab or carriage return)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

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
