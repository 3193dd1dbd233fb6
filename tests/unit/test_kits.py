"""Procedure kits: parsing the TOML and reconciling a kit against the scanned lines."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import ValidationError
from kiosk.domain.model import ApplianceType
from kiosk.services.kits import Kit, KitLine, parse_kits, reconcile

KIT = Kit("Upper bond-up", (
    KitLine("BRK-U1R", 1, ApplianceType.BRACKET),
    KitLine("BRK-U45R", 2, ApplianceType.BRACKET),
    KitLine("WIR-014-U", 1, ApplianceType.WIRE),
))


def test_nothing_scanned_expects_the_whole_kit():
    result = reconcile(KIT, [])
    assert result.expected == KIT.lines
    assert result.extra == ()
    assert not result.complete


def test_scans_fill_lines_and_partial_quantities_stay_expected():
    result = reconcile(KIT, [("BRK-U1R", 1), ("BRK-U45R", 1)])
    assert result.expected == (KitLine("BRK-U45R", 1, ApplianceType.BRACKET),
                               KitLine("WIR-014-U", 1, ApplianceType.WIRE))
    assert result.extra == ()


def test_the_same_sku_on_two_lines_adds_up_and_beyond_the_kit_is_extra():
    scanned = [("BRK-U45R", 1), ("BRK-U45R", 3), ("BRK-U1R", 1), ("WIR-014-U", 1),
               ("ELA-LIG", 5)]
    result = reconcile(KIT, scanned)
    assert result.complete
    assert result.extra == (("BRK-U45R", 2), ("ELA-LIG", 5))


def test_parse_kits_reads_lines_and_refuses_bad_ones():
    (kit,) = parse_kits('[[kit]]\nname = "Wire"\nlines = [{ sku = "W", quantity = 2, '
                        'type = "wire" }]\n')
    assert kit == Kit("Wire", (KitLine("W", 2, ApplianceType.WIRE),))
    for bad in ('[[kit]]\nname = ""\nlines = [{ sku = "W", quantity = 1, type = "WIRE" }]',
                '[[kit]]\nname = "X"\nlines = []',
                '[[kit]]\nname = "X"\nlines = [{ sku = "W", quantity = 0, type = "WIRE" }]',
                '[[kit]]\nname = "X"\nlines = [{ sku = "W", quantity = 1, type = "GLUE" }]',
                'not toml ['):
        with pytest.raises(ValidationError):
            parse_kits(bad)



def test_named_kit_lines_keep_their_names_through_the_reconciliation():
    kit = Kit("Upper", (KitLine("BRK-1", 2, ApplianceType.BRACKET),
                        KitLine("WIR-1", 1, ApplianceType.WIRE)))
    named = kit.named({"BRK-1": "Ceramic bracket U1R"})
    (left, wire) = reconcile(named, [("BRK-1", 1)]).expected
    assert left.label == "Ceramic bracket U1R ×1"
    assert wire.label == "WIR-1 ×1", "a SKU not in the catalog keeps its SKU"
