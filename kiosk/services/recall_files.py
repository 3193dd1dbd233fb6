"""The two openFDA device recall files, read into ``RecallNotice``s.

- ``/device/enforcement.json`` (the weekly enforcement report): a result names its recall
  ``recall_number`` (e.g. "Z-0876-2013") and its event ``event_id``, with ``classification``
  ("Class II") and ``status`` ("Ongoing", "Terminated"); ``more_code_info`` continues
  ``code_info``.
- ``/device/recall.json`` (the recall database): the same recall is ``product_res_number``,
  its event ``res_event_number``, its state ``recall_status``; it has no classification but
  carries ``product_code`` and ``k_numbers``.

A result with neither ``recall_number`` nor ``product_res_number`` is refused, as is any named
field of the wrong type: the whole file then changes nothing. Every text kept is one line
(escape sequences and controls removed), as it is shown at the chair and in file names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.domain.errors import ValidationError
from kiosk.domain.values import one_line
from kiosk.services.json_text import load_json

RECALL_NUMBER_LEN = 64  # an FDA number is "Z-0101-2027"; as long as any code imports take
TEXT_FIELDS = ("product_description", "product_code", "reason_for_recall", "recalling_firm",
               "classification", "status", "recall_status", "more_code_info")
ENFORCEMENT, DEVICE_RECALL = "enforcement", "recall"


@dataclass(frozen=True)
class RecallNotice:
    recall_number: str
    code_info: str
    product_description: str = ""
    product_code: str = ""
    reason: str = ""
    event_number: str = ""
    firm: str = ""
    classification: str = ""  # enforcement files only
    status: str = ""
    source: str = ENFORCEMENT  # which openFDA endpoint the result came from

    def identifiers(self) -> dict[str, str]:
        """The recall's identifiers as `recall import --json` prints them."""
        return {"recallNumber": self.recall_number, "eventNumber": self.event_number,
                "firm": self.firm, "reason": self.reason,
                "classification": self.classification, "status": self.status,
                "productCode": self.product_code, "source": self.source}


def parse_recall_file(text: str) -> list[RecallNotice]:
    """The recall results of an openFDA file, or ValidationError naming the line or field."""
    data = load_json(text, "the recall file", "nothing was changed")
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise ValidationError('The recall file needs a "results" list at the top level; '
                              "nothing was changed.")
    return [_notice(f"results[{n}]", result) for n, result in enumerate(results)]


def _refuse(message: str) -> ValidationError:
    return ValidationError(f"{message}; nothing was changed.")


def _notice(where: str, result: Any) -> RecallNotice:
    if not isinstance(result, dict):
        raise _refuse(f"{where} is not an object")
    if "recall_number" not in result and "product_res_number" not in result:
        raise _refuse(f"{where}.recall_number is missing or not text (an enforcement file "
                      "names a recall recall_number, a device recall file product_res_number)")
    source = ENFORCEMENT if "recall_number" in result or "product_res_number" not in result \
        else DEVICE_RECALL
    id_name = "recall_number" if source == ENFORCEMENT else "product_res_number"
    number = _number(where, id_name, result.get(id_name))
    code_info = result.get("code_info")
    if source == DEVICE_RECALL and code_info is None:
        code_info = ""  # the recall database leaves it out for some product-level recalls
    if not isinstance(code_info, str):
        raise _refuse(f"{where}.code_info is missing or not text")
    for name in TEXT_FIELDS:
        if result.get(name) is not None and not isinstance(result[name], str):
            raise _refuse(f"{where}.{name} is not text")
    event_name = "event_id" if source == ENFORCEMENT else "res_event_number"
    event = result.get(event_name)
    if event is not None and (isinstance(event, bool) or not isinstance(event, str | int)):
        raise _refuse(f"{where}.{event_name} is not text")

    def text(name: str) -> str:
        return one_line(result.get(name) or "")

    more = result.get("more_code_info") or ""
    return RecallNotice(
        number, f"{code_info}\n{more}" if more else code_info,
        result.get("product_description") or "", text("product_code"),
        text("reason_for_recall"), one_line(str(event)) if event is not None else "",
        text("recalling_firm"), text("classification"),
        text("status") if source == ENFORCEMENT else text("recall_status"), source)


def _number(where: str, name: str, value: object) -> str:
    # the number is the lot's notice: shown at the chair, in the CLI and a file name
    number = one_line(value) if isinstance(value, str) else ""
    if not number:
        raise _refuse(f"{where}.{name} is missing or not text")
    if len(number) > RECALL_NUMBER_LEN:
        raise _refuse(f"{where}.{name} is {len(number)} characters long (at most "
                      f"{RECALL_NUMBER_LEN})")
    return number
