"""Business rules as pure functions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kiosk.domain.costs import summarize_costs
from kiosk.domain.errors import ValidationError
from kiosk.domain.ids import is_object_id, new_object_id
from kiosk.domain.model import COST_CATEGORY_OF, ApplianceType, CostCategory, Lot
from kiosk.domain.money import parse_money
from kiosk.domain.permissions import ROLE_PERMISSIONS, Permission, Role
from kiosk.domain.rules import StockLevel, is_expiring_soon, stock_level


def test_stock_levels():
    assert stock_level(0, 5) is StockLevel.OUT and stock_level(-2, 5) is StockLevel.OUT
    assert stock_level(5, 5) is StockLevel.LOW and stock_level(6, 5) is StockLevel.OK


def test_expiring_window():
    lot = Lot("x", "i", "L", expiration_date=date(2026, 12, 20))
    assert is_expiring_soon(lot, date(2026, 11, 24), 30)
    assert not is_expiring_soon(lot, date(2026, 11, 24), 20)
    assert not is_expiring_soon(lot, date(2026, 12, 21), 30)  # expired is not "soon"


def test_every_appliance_type_has_a_cost_category_and_aligners_their_own():
    assert set(COST_CATEGORY_OF) == set(ApplianceType)
    assert COST_CATEGORY_OF[ApplianceType.ALIGNER] is CostCategory.ALIGNER
    assert COST_CATEGORY_OF[ApplianceType.BAND] is CostCategory.BRACKET


def test_object_ids_are_unique_hex():
    ids = {new_object_id() for _ in range(10_000)}
    assert len(ids) == 10_000 and all(is_object_id(i) for i in ids)


@pytest.mark.parametrize("bad", [1.5, "abc", "-1", "NaN", "1e9", None])
def test_money_refuses_floats_and_nonsense(bad):
    with pytest.raises(ValidationError):
        parse_money(bad)


def test_money_is_exact():
    assert parse_money("$1,234.5678") == Decimal("1234.5678")


def test_roles():
    assert Permission.INVENTORY_ADJUST not in ROLE_PERMISSIONS[Role.ASSISTANT]
    assert Permission.ADMIN_CONFIGURE in ROLE_PERMISSIONS[Role.IT_ADMIN]
    assert all(ROLE_PERMISSIONS[r] for r in Role)


def test_summaries_are_empty_for_no_usage():
    assert summarize_costs([], set()) == []


@pytest.mark.parametrize("text, value", [("1.50", "1.50"), ("1,234.50", "1234.50"),
                                         ("$12,345", "12345"), ("0.0001", "0.0001"),
                                         ("1234", "1234")])
def test_money_takes_thousands_separators(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize("bad", ["1,50", "12,5", "1,2345", "1,23,456.00", "1.234,50", ",5",
                                 "1,,000", "1,000,0"])
def test_money_refuses_a_comma_that_is_not_a_thousands_separator(bad):
    """'1,50' was stored as 150 (commas stripped): a decimal comma is refused, not guessed."""
    with pytest.raises(ValidationError, match="decimal point"):
        parse_money(bad)
