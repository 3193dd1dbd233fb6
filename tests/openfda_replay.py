"""A local HTTP server replaying recorded openFDA responses (tests/fixtures/openfda_watch)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "openfda_watch"


def recorded(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Replay:
    """Answers each request with the next scripted reply (the last one repeats)."""

    replies: list[Reply]
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    url: str = ""

    def next_reply(self, path: str) -> Reply:
        parts = urlsplit(path)
        self.paths.append(parts.path)
        self.requests.append(parse_qs(parts.query))
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


def paged() -> list[Reply]:
    """Two pages by limit/skip, as openFDA pages a query of three records."""
    return [Reply(body=recorded("page1.json")), Reply(body=recorded("page2.json"))]


def not_found() -> Reply:
    return Reply(404, recorded("not_found.json"))


@contextmanager
def replaying(replies: list[Reply]) -> Iterator[Replay]:
    replay = Replay(list(replies))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = replay.next_reply(self.path)
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            for name, value in reply.headers.items():
                self.send_header(name, value.replace("{url}", replay.url))
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    replay.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def as_json(data: object) -> bytes:
    return json.dumps(data).encode("utf-8")
