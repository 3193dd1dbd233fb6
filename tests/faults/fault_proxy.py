"""The loopback proxy of the integration tests (lossy_proxy.LossyProxy), able also to cut the
network path and to delay it.

- ``cut()``: every open connection is dropped at its next message, and new ones are dropped
  at their first, until ``restore()`` (as a pulled cable or a dead switch would do);
- ``delay(seconds)``: each message, both ways, waits that long before it is forwarded;
- ``drop_replies(...)`` (inherited): the server's answer to a write is lost after the write.
"""

from __future__ import annotations

import threading
import time

from lossy_proxy import LossyProxy


class FaultProxy(LossyProxy):
    def __init__(self, target_port: int, target_host: str = "127.0.0.1",
                 lifetime: float = 600.0) -> None:
        self._path_cut = threading.Event()
        self._delay_s = 0.0
        self.messages_cut = 0
        super().__init__(target_port, target_host, lifetime)

    def cut(self) -> None:
        self._path_cut.set()

    def restore(self) -> None:
        self._path_cut.clear()

    def delay(self, seconds: float) -> None:
        self._delay_s = seconds

    # hooks of LossyProxy._pump: called for each message before it is forwarded

    def _note_request(self, request_id: int, message: bytes) -> None:
        self._hold()
        super()._note_request(request_id, message)

    def _should_drop(self, response_to: int) -> bool:
        self._hold()
        return super()._should_drop(response_to)

    def _hold(self) -> None:
        if self._delay_s:
            time.sleep(self._delay_s)
        if self._path_cut.is_set():
            self.messages_cut += 1
            raise ConnectionAbortedError("the proxy's network path is cut")
