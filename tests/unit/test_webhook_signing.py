"""Webhook signatures, retry delays and the checks on what `kiosk api webhook add` takes."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from kiosk.domain.errors import ValidationError
from kiosk.domain.webhooks import (
    EVENT_TYPES,
    RetryPolicy,
    checked_events,
    checked_url,
    event_id,
    new_secret,
    sign,
    signature_valid,
)


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = b'{"id":"e1","type":"usage.recorded"}'
    expected = hmac.new(b"whsec_k", b"1796328047." + body, hashlib.sha256).hexdigest()
    assert sign("whsec_k", "1796328047", body) == f"sha256={expected}"
    assert signature_valid("whsec_k", "1796328047", body, f"sha256={expected}")


def test_a_changed_body_timestamp_or_secret_fails_the_check():
    header = sign("whsec_k", "100", b"{}")
    assert not signature_valid("whsec_k", "100", b"{ }", header)
    assert not signature_valid("whsec_k", "101", b"{}", header)
    assert not signature_valid("whsec_other", "100", b"{}", header)


def test_secrets_are_long_and_new_each_time():
    first, second = new_secret(), new_secret()
    assert first != second and first.startswith("whsec_") and len(first) > 40


def test_backoff_doubles_from_the_base_up_to_the_cap():
    assert RetryPolicy(attempts=6, base_s=2, cap_s=10).delays() == [2, 4, 8, 10, 10]
    assert RetryPolicy(attempts=1).delays() == []
    assert RetryPolicy(attempts=3, base_s=0.01, cap_s=1).delays() == [0.01, 0.02]


def test_event_ids_are_stable_per_change_and_distinct_between_changes():
    assert event_id('{"_data": "37aa"}') == event_id('{"_data": "37aa"}')
    assert event_id('{"_data": "37aa"}') != event_id('{"_data": "37ab"}')


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "file:///etc/passwd",
                                 "example.org/hook", "http://", "javascript:alert(1)", ""])
def test_a_url_that_is_not_http_or_https_is_refused_in_one_sentence(url):
    with pytest.raises(ValidationError) as refused:
        checked_url(url)
    sentence = str(refused.value)
    assert sentence.endswith(".") and sentence.count(". ") == 0 and "http" in sentence


def test_http_and_https_urls_are_accepted():
    assert checked_url(" https://fin.example.org/hooks/kiosk ") == \
        "https://fin.example.org/hooks/kiosk"
    assert checked_url("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x"


def test_events_may_be_given_comma_or_space_separated_and_unknown_ones_are_refused():
    assert checked_events(["usage.recorded,usage.voided", "lot.recalled", "usage.recorded"]) \
        == ("usage.recorded", "usage.voided", "lot.recalled")
    assert set(checked_events([" ".join(EVENT_TYPES)])) == set(EVENT_TYPES)
    with pytest.raises(ValidationError, match=r"usage\.deleted"):
        checked_events(["usage.deleted"])
    with pytest.raises(ValidationError):
        checked_events([""])
