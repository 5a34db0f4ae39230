"""Webhook verification: good, tampered, expired and malformed deliveries for each scheme."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from pydantic import BaseModel, ValidationError

from generator.runtime import (
    EmptySecretError,
    HmacScheme,
    InvalidSecretError,
    InvalidSignatureError,
    MalformedHeaderError,
    MissingHeaderError,
    StandardWebhooks,
    TimestampToleranceError,
    WebhookVerificationError,
    construct_event,
)

NOW = 1_700_000_000
BODY = json.dumps({"type": "call.ended", "data": {"id": "c1"}}).encode()
KEY = b"0123456789abcdef0123456789abcdef"
WHSEC = "whsec_" + base64.b64encode(KEY).decode()
STANDARD = StandardWebhooks()
TIMED = HmacScheme(header="Example-Signature", tolerance=1800)


class Event(BaseModel):
    type: str
    data: dict[str, str]


def _standard_headers(body: bytes = BODY, ts: int = NOW, msg: str = "msg_1") -> dict[str, str]:
    signed = f"{msg}.{ts}.".encode() + body
    signature = base64.b64encode(hmac.new(KEY, signed, hashlib.sha256).digest()).decode()
    return {
        "Webhook-Id": msg,
        "Webhook-Timestamp": str(ts),
        "Webhook-Signature": f"v1,bm90IHRoaXM= v1,{signature}",
    }


def _timed_header(body: bytes = BODY, ts: int = NOW, secret: str = "wsec_abc") -> str:
    digest = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={ts},v0={digest}"


def test_standard_webhooks_accepts_a_good_delivery_and_returns_the_json() -> None:
    event = construct_event(BODY, _standard_headers(), WHSEC, scheme=STANDARD, now=NOW + 10)
    assert event == {"type": "call.ended", "data": {"id": "c1"}}
    typed = construct_event(
        BODY.decode(), _standard_headers(), WHSEC, scheme=STANDARD, type=Event, now=NOW
    )
    assert typed == Event(type="call.ended", data={"id": "c1"})


@pytest.mark.parametrize(
    ("payload", "headers", "error"),
    [
        (BODY + b" ", _standard_headers(), InvalidSignatureError),
        (BODY, {**_standard_headers(), "Webhook-Id": "msg_2"}, InvalidSignatureError),
        (BODY, _standard_headers(ts=NOW - 301), TimestampToleranceError),
        (BODY, _standard_headers(ts=NOW + 301), TimestampToleranceError),
        (BODY, {**_standard_headers(), "Webhook-Timestamp": "soon"}, MalformedHeaderError),
        (BODY, {**_standard_headers(), "Webhook-Signature": "v1"}, MalformedHeaderError),
        (BODY, {**_standard_headers(), "Webhook-Signature": "v2,abc"}, InvalidSignatureError),
        (BODY, {"Webhook-Id": "m", "Webhook-Timestamp": str(NOW)}, MissingHeaderError),
    ],
)
def test_standard_webhooks_refuses(
    payload: bytes, headers: dict[str, str], error: type[WebhookVerificationError]
) -> None:
    with pytest.raises(error) as raised:
        construct_event(payload, headers, WHSEC, scheme=STANDARD, now=NOW)
    assert raised.value.code == error.code
    assert WHSEC not in str(raised.value)


@pytest.mark.parametrize(
    ("secret", "error"),
    [(None, EmptySecretError), ("", EmptySecretError), ("whsec_***", InvalidSecretError)],
)
def test_standard_webhooks_secrets(secret: str | None, error: type[Exception]) -> None:
    with pytest.raises(error):
        construct_event(BODY, _standard_headers(), secret, scheme=STANDARD, now=NOW)


def test_a_timed_hmac_header_verifies_with_sig_header() -> None:
    header = _timed_header()
    event = construct_event(
        BODY, sig_header=header, secret="wsec_abc", scheme=TIMED, now=NOW + 1799
    )
    assert event["data"] == {"id": "c1"}
    headers = {"example-signature": header}
    assert construct_event(BODY, headers, "wsec_abc", scheme=TIMED, now=NOW) == event


@pytest.mark.parametrize(
    ("header", "secret", "error"),
    [
        (_timed_header(body=b"{}"), "wsec_abc", InvalidSignatureError),
        (_timed_header(), "wsec_abd", InvalidSignatureError),
        (_timed_header(ts=NOW - 1801), "wsec_abc", TimestampToleranceError),
        (_timed_header().replace(f"t={NOW}", f"t={NOW + 1}"), "wsec_abc", InvalidSignatureError),
        (_timed_header().split(",")[1], "wsec_abc", MalformedHeaderError),
        (_timed_header().split(",")[0], "wsec_abc", MalformedHeaderError),
        ("garbage", "wsec_abc", MalformedHeaderError),
        (None, "wsec_abc", MissingHeaderError),
        (_timed_header(), "", EmptySecretError),
    ],
)
def test_a_timed_hmac_header_refuses(
    header: str | None, secret: str, error: type[WebhookVerificationError]
) -> None:
    with pytest.raises(error):
        construct_event(BODY, sig_header=header, secret=secret, scheme=TIMED, now=NOW)


def test_an_hmac_scheme_with_the_signature_alone_in_base64_sha512() -> None:
    scheme = HmacScheme(
        header="X-Signature",
        signed_payload="{body}",
        algorithm="sha512",
        encoding="base64",
        timestamp_key=None,
        signature_key=None,
        signature_prefix="sha512=",
    )
    digest = base64.b64encode(hmac.new(b"k", BODY, hashlib.sha512).digest()).decode()
    good = {"X-Signature": f"sha512={digest}"}
    assert construct_event(BODY, good, "k", scheme=scheme)["type"] == "call.ended"
    with pytest.raises(InvalidSignatureError):
        construct_event(BODY, {"X-Signature": "sha512=AAAA"}, "k", scheme=scheme)
    with pytest.raises(MalformedHeaderError):
        construct_event(BODY, {"X-Signature": digest}, "k", scheme=scheme)


def test_a_timestamp_header_and_an_id_in_the_signed_payload() -> None:
    scheme = HmacScheme(
        header="X-Sig",
        signed_payload="{id}:{t}:{body}",
        timestamp_key=None,
        signature_key=None,
        timestamp_header="X-Time",
        id_header="X-Id",
        tolerance=60,
    )
    digest = hmac.new(b"k", f"e1:{NOW}:".encode() + BODY, hashlib.sha256).hexdigest()
    headers = {"X-Sig": digest.upper(), "X-Time": str(NOW), "X-Id": "e1"}
    assert construct_event(BODY, headers, "k", scheme=scheme, now=NOW + 60)
    with pytest.raises(TimestampToleranceError):
        construct_event(BODY, headers, "k", scheme=scheme, now=NOW + 61)
    with pytest.raises(MissingHeaderError):
        construct_event(BODY, {**headers, "X-Id": ""}, "k", scheme=scheme, now=NOW)


def test_an_event_that_does_not_fit_its_type_is_a_validation_error() -> None:
    body = b'{"type": 1}'
    headers = {"X-Sig": hmac.new(b"k", body, hashlib.sha256).hexdigest()}
    scheme = HmacScheme(
        header="X-Sig", signed_payload="{body}", timestamp_key=None, signature_key=None
    )
    with pytest.raises(ValidationError):
        construct_event(body, headers, "k", scheme=scheme, type=Event)


def test_schemes_refuse_bad_configuration() -> None:
    with pytest.raises(ValueError, match="algorithm"):
        HmacScheme(header="X", algorithm="sha999")
    with pytest.raises(ValueError, match="body"):
        HmacScheme(header="X", signed_payload="{t}")
