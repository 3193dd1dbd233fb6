"""GS1 Digital Link rules biip does not check, each refused with one sentence.

- The (01) path value is a GTIN of 8, 12, 13 or 14 digits (GS1 Digital Link URI syntax;
  the shorter forms are padded to 14), never zero-filled from fewer digits.
- Key qualifiers of a GTIN, (22) (10) (21) or (235), belong in the path after the GTIN,
  never after the "?": there they would be a second, unordered way to say the same thing.
  With (235) as the qualifier, (10) is an ordinary data attribute.
- No AI is given both in the path and in the query string.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["digital_link_problem"]

_GTIN_LENGTHS = (8, 12, 13, 14)
_QUALIFIERS = {
    "22": "product variant",
    "10": "lot",
    "21": "serial number",
    "235": "third-party product number",
}
_NOT_WITH_235 = {"10"}  # a data attribute when (235) is the key qualifier


def _path_pairs(path: str) -> list[tuple[str, str]]:
    """The /AI/value pairs at the end of the path, from the (01) key on; [] without one."""
    segments = path.split("/")
    pairs: list[tuple[str, str]] = []
    end = len(segments)
    while end >= 2 and segments[end - 2].isascii() and segments[end - 2].isdigit():
        ai, value = segments[end - 2], unquote(segments[end - 1])
        pairs.insert(0, (ai, value))
        if ai == "01":
            return pairs
        end -= 2
    return []


def digital_link_problem(url: str) -> str | None:
    """One sentence on what breaks the Digital Link rules above, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:  # left to the general parser, which says it cannot read it
        return None
    pairs = _path_pairs(parts.path)
    if not pairs:
        return None
    gtin = pairs[0][1]
    if gtin.isascii() and gtin.isdigit() and len(gtin) not in _GTIN_LENGTHS:
        return (
            f"The GS1 Digital Link's product number (01) has {len(gtin)} digits, but a "
            "Digital Link carries a GTIN of 8, 12, 13 or 14 digits."
        )
    in_path = {ai for ai, _ in pairs}
    not_in_query = set(_QUALIFIERS) - (_NOT_WITH_235 if "235" in in_path else set())
    for ai, _ in parse_qsl(parts.query, keep_blank_values=True):
        if ai in in_path:
            return (
                f"The GS1 Digital Link gives ({ai}) both in its path and after the “?”, "
                "so it is not clear which to use."
            )
        if ai in not_in_query:
            return (
                f"The GS1 Digital Link gives the {_QUALIFIERS[ai]} ({ai}) after the “?”, "
                "but a Digital Link carries it in the path, after the product number."
            )
    return None
