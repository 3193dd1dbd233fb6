"""``OpenFdaFeed``: device recalls from openFDA (https://open.fda.gov/apis/device/recall/)
over the standard library's urllib (a few GETs a day need no HTTP client dependency).

Queries ``/device/recall.json`` for the clinic's product codes and firms posted in a date
range. Paging: ``limit``/``skip`` while ``skip`` stays within openFDA's 25,000, and the
``Link: <…>; rel="next"`` header (``search_after``) whenever openFDA sends one, which also
reaches beyond that. Every call has a short timeout. HTTP 429 is retried after its
Retry-After (capped); a 404 whose body says ``NOT_FOUND`` means no results; anything else
that is not a JSON object with a ``results`` list of objects is one sentence
(``RecallFeedUnavailable``) and nothing is handed on.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from typing import Any

from kiosk.services.recall_watch_ports import FeedQuery, RecallFeed, RecallFeedUnavailable

ENDPOINT = "/device/recall.json"
PAGE_LIMIT = 100  # openFDA allows up to 1000; smaller pages keep each answer quick
MAX_SKIP = 25_000
MAX_PAGES = 100
TIMEOUT_S = 10.0
RETRY_AFTER_CAP_S = 30.0
RATE_LIMIT_ATTEMPTS = 3
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class OpenFdaFeed(RecallFeed):
    """openFDA at ``base_url``; ``api_key`` ("" for none) goes in the query as ``api_key``.
    Thread-safe (no state between calls); blocks on the network."""

    def __init__(self, base_url: str, api_key: str = "", *, timeout_s: float = TIMEOUT_S,
                 sleep: Callable[[float], None] = time.sleep,
                 retry_after_cap_s: float = RETRY_AFTER_CAP_S) -> None:
        self._base = base_url.rstrip("/")
        self._key = api_key
        self._timeout = timeout_s
        self._sleep = sleep
        self._cap = retry_after_cap_s

    def fetch(self, query: FeedQuery) -> list[dict[str, object]]:
        params = {"search": search_text(query), "limit": str(PAGE_LIMIT)}
        if self._key:
            params["api_key"] = self._key
        url: str | None = self._url(params)
        records: list[dict[str, object]] = []
        for _ in range(MAX_PAGES):
            if url is None:
                return records
            body, link = self._get(url)
            page, total = _results(body)
            records += page
            url = self._next(link, params, len(records), total, len(page))
        raise RecallFeedUnavailable(f"openFDA kept sending pages (over {MAX_PAGES}); the query "
                                    "is too wide: narrow recall_product_codes or recall_firms.")

    def _url(self, params: dict[str, str]) -> str:
        query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        return f"{self._base}{ENDPOINT}?{query}"

    def _next(self, link: str | None, params: dict[str, str], have: int, total: int | None,
              got: int) -> str | None:
        if link:
            match = _NEXT.search(link)
            if match:  # search_after paging: the server's own next address
                return match.group(1)
        if got == 0 or total is None or have >= total:
            return None
        if have > MAX_SKIP:
            raise RecallFeedUnavailable(
                f"openFDA has {total} matching recalls, more than its skip paging reaches; "
                "narrow recall_product_codes or recall_firms.")
        return self._url({**params, "skip": str(have)})

    def _get(self, url: str) -> tuple[Any, str | None]:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise RecallFeedUnavailable("openFDA sent a next-page address that is not http(s); "
                                        "nothing was changed.")
        for attempt in range(1, RATE_LIMIT_ATTEMPTS + 1):
            # http(s) only: the base URL is checked by the config, the next page just above
            request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                    return _json(response.read()), response.headers.get("Link")
            except urllib.error.HTTPError as error:
                status, body = error.code, _read(error)
                if status == 429 and attempt < RATE_LIMIT_ATTEMPTS:
                    self._sleep(self._retry_after(error.headers.get("Retry-After")))
                    continue
                return _refused(status, body), None
            except (urllib.error.URLError, TimeoutError, ConnectionError, HTTPException,
                    OSError) as error:
                reason = getattr(error, "reason", None) or error
                raise RecallFeedUnavailable(
                    f"openFDA at {self._base} cannot be reached ({_short(reason)}); nothing "
                    "was changed and the watch tries again next time.") from None
        raise AssertionError("unreachable")

    def _retry_after(self, value: str | None) -> float:
        seconds = 1.0
        if value:
            try:
                seconds = float(value)
            except ValueError:
                try:
                    seconds = parsedate_to_datetime(value).timestamp() - time.time()
                except (TypeError, ValueError):
                    seconds = 1.0
        return min(max(seconds, 0.0), self._cap)


def search_text(query: FeedQuery) -> str:
    """openFDA's search: (product codes OR firms) AND posted in the range."""
    terms = []
    if query.product_codes:
        terms.append(f"product_code:({' OR '.join(query.product_codes)})")
    terms += [f'recalling_firm:"{firm}"' for firm in query.firms]
    span = f"event_date_posted:[{query.since:%Y%m%d} TO {query.until:%Y%m%d}]"
    return f"({' OR '.join(terms)}) AND {span}"


def _refused(status: int, body: bytes) -> Any:
    data = _maybe_json(body)
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    if status == 404 and code == "NOT_FOUND":
        return {"results": []}  # openFDA's way of saying: nothing matches
    if status == 429:
        raise RecallFeedUnavailable("openFDA is limiting requests (HTTP 429) and still was "
                                    "after waiting; nothing was changed and the watch tries "
                                    "again next time (an openfda_api_key raises the limit).")
    message = error.get("message") if isinstance(error, dict) else None
    detail = f": {_short(message)}" if isinstance(message, str) else ""
    if status >= 500:
        raise RecallFeedUnavailable(f"openFDA answered HTTP {status}{detail}; nothing was "
                                    "changed and the watch tries again next time.")
    raise RecallFeedUnavailable(f"openFDA refused the query (HTTP {status}{detail}); check "
                                "recall_product_codes, recall_firms and openfda_api_key.")


def _results(body: Any) -> tuple[list[dict[str, object]], int | None]:
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise RecallFeedUnavailable('openFDA answered without a "results" list of recall '
                                    "records; nothing was changed and the watch tries again "
                                    "next time.")
    meta = body.get("meta")
    paging = meta.get("results") if isinstance(meta, dict) else None
    total = paging.get("total") if isinstance(paging, dict) else None
    return results, total if isinstance(total, int) and not isinstance(total, bool) else None


def _json(raw: bytes) -> Any:
    data = _maybe_json(raw)
    if data is None:
        raise RecallFeedUnavailable("openFDA answered with something that is not JSON; "
                                    "nothing was changed and the watch tries again next time.")
    return data


def _maybe_json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _read(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except (OSError, HTTPException):
        return b""


def _short(reason: object) -> str:
    return " ".join(str(reason).split())[:160] or type(reason).__name__
