"""A loopback TCP proxy in front of the MongoDB server that can lose the server's answers.

``drop_replies(marker, times)`` makes the proxy forward the next ``times`` client messages
containing ``marker`` (by default the ``commitTransaction`` command) to the server as usual,
then throw the server's reply away and cut that connection: the write is applied, but the
client never hears back. Everything else passes through untouched.

Threads and sockets only; every socket polls a stop flag, and the proxy stops itself after
``lifetime`` seconds or on ``close()`` (it is a context manager).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

HEADER = struct.Struct("<iiii")  # messageLength, requestID, responseTo, opCode
POLL_S = 0.1
MAX_MESSAGE = 48 * 1024 * 1024


class LossyProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1",
                 lifetime: float = 300.0) -> None:
        self.target = (target_host, target_port)
        self._deadline = time.monotonic() + lifetime
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(POLL_S)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._marker = b""
        self._to_drop = 0
        self._drop_ids: set[int] = set()
        self.dropped = 0
        self.all_dropped = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._spawn(self._accept_loop)

    def uri(self, database: str = "") -> str:
        return f"mongodb://127.0.0.1:{self.port}/{database}?directConnection=true"

    def drop_replies(self, marker: bytes = b"commitTransaction", times: int = 1) -> None:
        """Lose the server's reply to the next ``times`` messages that contain ``marker``."""
        with self._lock:
            self._marker, self._to_drop = marker + b"\x00", times
            self.all_dropped.clear()

    # plumbing

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _running(self) -> bool:
        if time.monotonic() > self._deadline:
            self._stop.set()
        return not self._stop.is_set()

    def _accept_loop(self) -> None:
        while self._running():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            for sock in (client, server):
                sock.settimeout(POLL_S)
            with self._lock:
                self._sockets |= {client, server}
            self._spawn(self._pump, client, server, True)
            self._spawn(self._pump, server, client, False)

    def _pump(self, source: socket.socket, sink: socket.socket, from_client: bool) -> None:
        try:
            while self._running():
                message = self._read_message(source)
                if message is None:
                    break
                _, request_id, response_to, _ = HEADER.unpack_from(message)
                if from_client:
                    self._note_request(request_id, message)
                elif self._should_drop(response_to):
                    break  # the server's answer is lost with the connection
                sink.sendall(message)
        except OSError:
            pass
        finally:
            self._cut(source, sink)

    def _note_request(self, request_id: int, message: bytes) -> None:
        with self._lock:
            if self._to_drop > 0 and self._marker in message:
                self._to_drop -= 1
                self._drop_ids.add(request_id)

    def _should_drop(self, response_to: int) -> bool:
        with self._lock:
            if response_to not in self._drop_ids:
                return False
            self._drop_ids.discard(response_to)
            self.dropped += 1
            if self._to_drop == 0 and not self._drop_ids:
                self.all_dropped.set()
            return True

    def _read_message(self, sock: socket.socket) -> bytes | None:
        header = self._read_exact(sock, HEADER.size)
        if header is None:
            return None
        length = HEADER.unpack(header)[0]
        if not HEADER.size <= length <= MAX_MESSAGE:
            return None
        body = self._read_exact(sock, length - HEADER.size)
        return None if body is None else header + body

    def _read_exact(self, sock: socket.socket, size: int) -> bytes | None:
        chunks, wanted = [], size
        while wanted:
            if not self._running():
                return None
            try:
                chunk = sock.recv(min(wanted, 1 << 16))
            except TimeoutError:
                continue
            if not chunk:
                return None
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)

    def _cut(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def __enter__(self) -> LossyProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
