"""JSON files a person hands the kiosk (bulk deductions, recall notices), read so that no file
can crash it: a number too long or nesting too deep is refused with one sentence.

Python's decoder raises RecursionError past about a thousand levels and ValueError on an
integer of more than 4,300 digits; neither is a fault of the kiosk, so neither may end in the
"unexpected error" exit.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from kiosk.domain.errors import ValidationError

MAX_NUMBER_CHARS = 40  # far beyond any quantity, price or id a file carries
MAX_DEPTH = 32


def load_json(text: str, what: str, nothing: str) -> object:
    """The value of ``text``, or ValidationError naming ``what`` ("the bulk file") and ending
    with ``nothing`` ("nothing was deducted")."""
    try:
        data = json.loads(text, parse_int=_number(int), parse_float=_number(float),
                          parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise ValidationError(f"{_cap(what)} is not valid JSON at line {error.lineno}, column "
                              f"{error.colno} ({error.msg}); {nothing}.") from None
    except RecursionError:
        data = None
        depth = MAX_DEPTH + 1
    except _TooLong as error:
        raise ValidationError(f"{_cap(what)} holds a number of {error.length} characters "
                              f"(at most {MAX_NUMBER_CHARS}); {nothing}.") from None
    except _Constant as error:
        raise ValidationError(f"{_cap(what)} holds {error.word}, which is not a number; "
                              f"{nothing}.") from None
    else:
        depth = _depth(data)
    if depth > MAX_DEPTH:
        raise ValidationError(f"{_cap(what)} is nested more than {MAX_DEPTH} levels deep; "
                              f"{nothing}.")
    return data


class _TooLong(ValueError):
    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length


class _Constant(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def _number(kind: Callable[[str], object]) -> Callable[[str], object]:
    def parse(text: str) -> object:
        if len(text) > MAX_NUMBER_CHARS:
            raise _TooLong(len(text))
        return kind(text)
    return parse


def _constant(word: str) -> object:
    raise _Constant(word)  # NaN, Infinity, -Infinity: not JSON, and never a quantity


def _depth(data: object) -> int:
    """How deeply lists and objects nest in ``data`` (walked without recursion)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
        else:
            continue
        deepest = max(deepest, level + 1)
        if deepest > MAX_DEPTH:
            break
    return deepest


def _cap(what: str) -> str:
    return what[:1].upper() + what[1:]
