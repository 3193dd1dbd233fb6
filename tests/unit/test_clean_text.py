"""Free text from outside shown in one line (issue 14 item 11): terminal escape sequences go
whole, not only their ESC byte; controls and bidi overrides go; the length is capped."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import ValidationError
from kiosk.domain.rules import REASON_LEN, require_reason
from kiosk.domain.values import one_line, strip_controls


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[1;31mBase pad\x1b[0m may detach", "Base pad may detach"),
    ("\x9b31mRed\x9b0m", "Red"),  # the one-byte C1 CSI
    ("\x1b]8;;https://evil.example/\x07link\x1b]8;;\x1b\\ text", "link text"),  # hyperlink
    ("\x1b]0;title\x9c\x1bPqdata\x1b\\ok", "ok"),  # window title, DCS
    ("\x1b(Bplain\x1b7\x1b8", "plain"),
    ("a\x00b\x07c\x7fd\x85e", "abcd e"),
    ("\u202eevil\u202c \u200bzero\ufeff", "evil zero"),
    ("line one\r\nline\ttwo\u2028three\x0bfour", "line one line two three four"),
    ("   ", ""),
])
def test_one_line_keeps_only_the_words(raw, shown):
    assert one_line(raw) == shown


def test_one_line_cuts_a_huge_value_with_an_ellipsis():
    cut = one_line("\x1b[2J" + "x" * 3_000_000, REASON_LEN)
    assert len(cut) == REASON_LEN and cut.endswith("…") and cut.startswith("xxx")


def test_strip_controls_keeps_tabs_and_newlines_for_names():
    assert strip_controls("a\tb\nc\x1b[31md\x1b[0m") == "a\tb\ncd"


def test_a_reason_is_cleaned_and_capped():
    assert require_reason(" \x1b[31mdamaged\x1b[0m\nbox ", "quarantine a lot") == "damaged box"
    with pytest.raises(ValidationError, match="A reason is required"):
        require_reason("\x1b[0m\x00", "quarantine a lot")
    with pytest.raises(ValidationError, match="longer than 500"):
        require_reason("x" * (REASON_LEN + 1), "quarantine a lot")
