"""Webhook signature verification: `construct_event` checks a delivery and returns its event.

Two schemes. `StandardWebhooks()` (https://www.standardwebhooks.com): headers
`webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature` (space-separated
`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), a secret `whsec_<base64 key>`, five
minutes of tolerance. `HmacScheme(...)`, configurable: the header, the signed payload, the
algorithm, hex or base64, the tolerance; for a header such as
`Example-Signature: t=<unix seconds>,v0=<hex HMAC-SHA256 of "<t>.<body>">`:

    HmacScheme(header="Example-Signature", signed_payload="{t}.{body}",
               timestamp_key="t", signature_key="v0", encoding="hex", tolerance=1800)

    event = construct_event(raw_body, request.headers, secret, scheme=STANDARD)
    event = construct_event(raw_body, sig_header=signature, secret=secret, scheme=scheme,
                            type=WebhookEvent)   # validated (a TypeAdapter), else JSON

A generated client's `webhooks` group gets a method that calls it with the spec's scheme
and event type (generated):

    def construct_event(self, *, rawBody: str | bytes, sig_header: str | None,
                        secret: str | None) -> WebhookEvent:
        return construct_event(rawBody, sig_header=sig_header, secret=secret,
                               scheme=_WEBHOOK_SCHEME, type=WebhookEvent)

Signatures are compared with `hmac.compare_digest`. The timestamp may differ from now by
at most the tolerance, either way. Every failure is a WebhookVerificationError, with a
`code`:

    WebhookVerificationError
     ├── EmptySecretError            "empty_secret"       no secret, or an empty one
     ├── InvalidSecretError          "invalid_secret"     a whsec_ secret not in base64
     ├── MalformedHeaderError        "malformed_header"   unparsable header or timestamp
     │    └── MissingHeaderError     "missing_header"     a required header is absent
     ├── TimestampToleranceError     "timestamp_out_of_tolerance"
     └── InvalidSignatureError       "invalid_signature"  no signature matches

This module imports only the standard library (pydantic when `type` is given).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

__all__ = [
    "EmptySecretError",
    "HmacScheme",
    "InvalidSecretError",
    "InvalidSignatureError",
    "MalformedHeaderError",
    "MissingHeaderError",
    "StandardWebhooks",
    "TimestampToleranceError",
    "WebhookScheme",
    "WebhookVerificationError",
    "construct_event",
    "verify_signature",
]


class WebhookVerificationError(ValueError):
    """A webhook delivery that could not be verified; `code` says why."""

    code = "verification_failed"


class EmptySecretError(WebhookVerificationError):
    code = "empty_secret"


class InvalidSecretError(WebhookVerificationError):
    code = "invalid_secret"


class MalformedHeaderError(WebhookVerificationError):
    code = "malformed_header"


class MissingHeaderError(MalformedHeaderError):
    code = "missing_header"


class TimestampToleranceError(WebhookVerificationError):
    code = "timestamp_out_of_tolerance"


class InvalidSignatureError(WebhookVerificationError):
    code = "invalid_signature"


@dataclass(frozen=True, slots=True)
class StandardWebhooks:
    """The Standard Webhooks scheme; header names and tolerance (seconds) adjustable."""

    id_header: str = "webhook-id"
    timestamp_header: str = "webhook-timestamp"
    signature_header: str = "webhook-signature"
    tolerance: float | None = 300.0
    secret_prefix: str = "whsec_"


@dataclass(frozen=True, slots=True)
class HmacScheme:
    """An HMAC signature in one header.

    `signed_payload` is what is signed, with `{body}` (the raw payload), `{t}` (the
    timestamp) and `{id}` (the value of `id_header`). The header holds comma-separated
    `key=value` items, the timestamp under `timestamp_key` and signatures under
    `signature_key` (several are allowed, any may match); with `signature_key=None` the
    whole header is the signature, after `signature_prefix` (`"sha256=<hex>"`). A
    timestamp in a header of its own is read from `timestamp_header`. The secret's
    UTF-8 bytes are the key, or its base64 decoding with `secret_encoding="base64"`
    (after `secret_prefix`, when it starts with it).
    """

    header: str
    signed_payload: str = "{t}.{body}"
    algorithm: str = "sha256"
    encoding: Literal["hex", "base64"] = "hex"
    tolerance: float | None = 300.0
    timestamp_key: str | None = "t"
    signature_key: str | None = "v0"
    signature_prefix: str = ""
    timestamp_header: str | None = None
    id_header: str | None = None
    secret_encoding: Literal["utf-8", "base64"] = "utf-8"
    secret_prefix: str = ""

    def __post_init__(self) -> None:
        if self.algorithm not in hashlib.algorithms_available:
            raise ValueError(f"unknown hash algorithm {self.algorithm!r}")
        if "{body}" not in self.signed_payload:
            raise ValueError("signed_payload must contain {body}")


WebhookScheme: TypeAlias = StandardWebhooks | HmacScheme


def _lower(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {} if headers is None else {k.lower(): v for k, v in headers.items()}


def _required(headers: dict[str, str], name: str) -> str:
    value = headers.get(name.lower())
    if value is None or not value.strip():
        raise MissingHeaderError(f"the {name} header is missing")
    return value.strip()


def _check_time(timestamp: str, tolerance: float | None, now: float) -> None:
    try:
        seconds = int(timestamp)
    except ValueError:
        raise MalformedHeaderError(f"invalid timestamp {timestamp[:20]!r}") from None
    if tolerance is not None and abs(now - seconds) > tolerance:
        raise TimestampToleranceError(
            f"timestamp {seconds} is more than {tolerance:g} seconds from now"
        )


def _key(secret: str | bytes | None, encoding: str, prefix: str) -> bytes:
    if secret is None or not secret:
        raise EmptySecretError("no webhook secret was given")
    if isinstance(secret, bytes):
        return secret
    if encoding == "utf-8":
        return secret.encode()
    text = secret.removeprefix(prefix) if prefix else secret
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSecretError("the webhook secret is not valid base64") from None
    if not key:
        raise EmptySecretError("the webhook secret is empty")
    return key


def _matches(expected: bytes, received: list[str], encoding: str) -> bool:
    want = expected.hex() if encoding == "hex" else base64.b64encode(expected).decode()
    found = False
    for candidate in received:  # every candidate is compared, in constant time each
        given = candidate.lower() if encoding == "hex" else candidate
        found |= hmac.compare_digest(want.encode(), given.encode("utf-8", "replace"))
    return found


def _verify_standard(
    scheme: StandardWebhooks,
    body: bytes,
    headers: dict[str, str],
    key: bytes,
    now: float,
) -> None:
    msg_id = _required(headers, scheme.id_header)
    timestamp = _required(headers, scheme.timestamp_header)
    signatures = _required(headers, scheme.signature_header)
    _check_time(timestamp, scheme.tolerance, now)
    received = []
    for item in signatures.split():
        version, sep, value = item.partition(",")
        if not sep:
            raise MalformedHeaderError(f"malformed {scheme.signature_header} header")
        if version == "v1":
            received.append(value)
    if not received:
        raise InvalidSignatureError("no v1 signature in the signature header")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    if not _matches(hmac.new(key, signed, hashlib.sha256).digest(), received, "base64"):
        raise InvalidSignatureError("no signature matches the payload")


def _verify_hmac(
    scheme: HmacScheme, body: bytes, headers: dict[str, str], key: bytes, now: float
) -> None:
    value = _required(headers, scheme.header)
    timestamp: str | None = None
    received: list[str] = []
    if scheme.signature_key is None:
        if not value.startswith(scheme.signature_prefix):
            raise MalformedHeaderError(f"malformed {scheme.header} header")
        received.append(value[len(scheme.signature_prefix) :])
    else:
        for item in value.split(","):
            name, sep, part = item.strip().partition("=")
            if not sep:
                raise MalformedHeaderError(f"malformed {scheme.header} header")
            if name == scheme.timestamp_key:
                timestamp = part
            elif name == scheme.signature_key:
                received.append(part)
    if scheme.timestamp_header is not None:
        timestamp = _required(headers, scheme.timestamp_header)
    needs_time = scheme.timestamp_key is not None or scheme.timestamp_header is not None
    if needs_time and timestamp is None:
        raise MalformedHeaderError(f"no timestamp in the {scheme.header} header")
    if not received or not all(received):
        raise MalformedHeaderError(f"no signature in the {scheme.header} header")
    if timestamp is not None:
        _check_time(timestamp, scheme.tolerance, now)
    head, _, tail = scheme.signed_payload.partition("{body}")
    fields = {"t": timestamp or "", "id": ""}
    if scheme.id_header is not None:
        fields["id"] = _required(headers, scheme.id_header)
    signed = head.format(**fields).encode() + body + tail.format(**fields).encode()
    digest = hmac.new(key, signed, scheme.algorithm).digest()
    if not _matches(digest, received, scheme.encoding):
        raise InvalidSignatureError("no signature matches the payload")


def verify_signature(
    payload: bytes | str,
    headers: Mapping[str, str] | None = None,
    secret: str | bytes | None = None,
    *,
    scheme: WebhookScheme,
    sig_header: str | None = None,
    now: float | None = None,
) -> None:
    """Raise a WebhookVerificationError unless `payload` (the raw body, as received) is
    signed with `secret` by `scheme`. `sig_header` is the value of an HmacScheme's header
    when the headers are not at hand."""
    body = payload.encode() if isinstance(payload, str) else payload
    found = _lower(headers)
    when = time.time() if now is None else now
    if isinstance(scheme, StandardWebhooks):
        key = _key(secret, "base64", scheme.secret_prefix)
        _verify_standard(scheme, body, found, key, when)
        return
    if sig_header is not None:
        found[scheme.header.lower()] = sig_header
    key = _key(secret, scheme.secret_encoding, scheme.secret_prefix)
    _verify_hmac(scheme, body, found, key, when)


def construct_event(
    payload: bytes | str,
    headers: Mapping[str, str] | None = None,
    secret: str | bytes | None = None,
    *,
    scheme: WebhookScheme,
    sig_header: str | None = None,
    type: Any = None,
    now: float | None = None,
) -> Any:
    """The verified event: `payload` parsed as JSON, validated into `type` when given.

    Raises WebhookVerificationError (see the module docstring) before parsing anything;
    a body that is not JSON raises ValueError, one that does not fit `type`
    pydantic.ValidationError."""
    verify_signature(
        payload, headers, secret, scheme=scheme, sig_header=sig_header, now=now
    )
    if type is None:
        return json.loads(payload)
    from ._decoding import validator_for

    return validator_for(type)(payload)
