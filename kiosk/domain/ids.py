"""MongoDB-compatible ObjectId hex strings, generated where an event is created."""

from __future__ import annotations

import itertools
import os
import re
import threading
import time

_HEX24 = re.compile(r"^[0-9a-f]{24}$")
_PROCESS_RANDOM = os.urandom(5)
_counter = itertools.count(int.from_bytes(os.urandom(3), "big"))
_lock = threading.Lock()


def new_object_id() -> str:
    """Return a new ObjectId as 24 lowercase hex chars (timestamp, process random, counter)."""
    with _lock:
        count = next(_counter) & 0xFFFFFF
    seconds = int(time.time()) & 0xFFFFFFFF
    raw = seconds.to_bytes(4, "big") + _PROCESS_RANDOM + count.to_bytes(3, "big")
    return raw.hex()


def is_object_id(value: object) -> bool:
    return isinstance(value, str) and bool(_HEX24.match(value))
