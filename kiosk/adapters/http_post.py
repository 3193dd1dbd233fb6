"""The webhook dispatcher's HTTP POST, with the standard library's urllib (no redirects
followed: a receiver that moved must be re-added, so a signed body never goes elsewhere)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from urllib.parse import urlsplit

from kiosk.services.webhook_ports import DeliveryFailed, Poster


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class UrllibPoster(Poster):
    def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout_s: float) -> int:
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise DeliveryFailed("the receiver's address is not http(s)")
        # S310: http(s) only, checked just above and when the webhook was added
        request = urllib.request.Request(url, data=body, headers=dict(headers),  # noqa: S310
                                         method="POST")
        try:
            with _OPENER.open(request, timeout=timeout_s) as response:
                response.read(1024)
                return int(response.status)
        except urllib.error.HTTPError as answer:  # an HTTP answer that is not 2xx
            answer.close()
            return int(answer.code)
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise DeliveryFailed(f"no answer from the receiver ({reason})") from None
