"""SDK settings of [tool.generator]: identification, logging, idempotency, pagination, webhooks."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .diagnostics import GenerationFailed

__all__ = ["SDK_KEYS", "WebhookSignature", "sdk_settings", "webhook_signature"]

# The [tool.generator] keys read here (config.py adds them to the keys it knows).
SDK_KEYS = frozenset(
    {
        "distribution",
        "sdk_headers",
        "log_env_var",
        "idempotency_header",
        "pagination",
        "webhooks",
    }
)


@dataclass(frozen=True)
class WebhookSignature:
    """How webhook deliveries are signed: the runtime's `StandardWebhooks(**options)` (scheme
    "standard") or `HmacScheme(**options)` ("hmac"), `options` its keyword arguments."""

    scheme: str
    options: tuple[tuple[str, str | float | None], ...] = ()


HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PAGINATION_KINDS = ("cursor", "offset", "page", "next_url")
# [tool.generator.pagination."<operation>"]: the runtime Pagination's fields (strings, and
# first_page an integer).
PAGINATION_FIELDS = frozenset(
    {
        "kind",
        "items",
        "cursor_param",
        "next_cursor",
        "has_more",
        "offset_param",
        "limit_param",
        "page_param",
        "first_page",
        "next_url",
    }
)
_STANDARD = {"id_header", "timestamp_header", "signature_header", "tolerance", "secret_prefix"}
_HMAC = {
    "header",
    "signed_payload",
    "algorithm",
    "encoding",
    "tolerance",
    "timestamp_key",
    "signature_key",
    "signature_prefix",
    "timestamp_header",
    "id_header",
    "secret_encoding",
    "secret_prefix",
}
# Options that may be switched off (`false` in TOML, null in a spec): None.
_NULLABLE = {"tolerance", "timestamp_key", "signature_key", "timestamp_header", "id_header"}
_MAY_BE_EMPTY = {"secret_prefix", "signature_prefix"}
_CHOICES = {"encoding": ("hex", "base64"), "secret_encoding": ("utf-8", "base64")}

PaginationSettings = tuple[tuple[str, tuple[tuple[str, str | int], ...]], ...]


def sdk_settings(table: dict[str, Any], shown: str) -> dict[str, Any]:
    """The Config fields these keys set, each checked; a wrong one fails located in `shown`."""

    def fail(message: str) -> GenerationFailed:
        return GenerationFailed.in_file(shown, f"[tool.generator] {message}")

    settings: dict[str, Any] = {}
    for key in ("distribution", "log_env_var", "idempotency_header"):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{key} must be a non-empty string, got {value!r}")
        if key == "idempotency_header" and not HEADER_NAME.match(value):
            raise fail(f"idempotency_header must be an HTTP header name, got {value!r}")
        if key == "log_env_var" and not _ENV_NAME.match(value):
            raise fail(f"log_env_var must be an environment variable name, got {value!r}")
        settings[key] = value
    headers = table.get("sdk_headers", {})
    if not isinstance(headers, dict):
        raise fail("sdk_headers must be a table of header name = value")
    for name, value in headers.items():
        if not HEADER_NAME.match(name) or not isinstance(value, str):
            raise fail(f"sdk_headers: {name!r} must be a header name with a string value")
        try:
            value.format(version="", distribution="")
        except (KeyError, IndexError, ValueError):
            raise fail(
                f"sdk_headers: the value of {name!r} may only use {{version}} and"
                " {distribution} (double any other brace)"
            ) from None
    settings["sdk_headers"] = tuple((str(k), v) for k, v in headers.items())
    settings["pagination"] = _pagination(table.get("pagination", {}), fail)
    hooks = table.get("webhooks")
    if hooks is not None:
        if not isinstance(hooks, dict):
            raise fail('webhooks must be a table (scheme = "standard" or "hmac", ...)')
        try:
            settings["webhook_signature"] = webhook_signature(
                {k: (None if v is False else v) for k, v in hooks.items()}
            )
        except ValueError as exc:
            raise fail(f"webhooks: {exc}") from None
    return settings


def _pagination(table: Any, fail: Callable[[str], GenerationFailed]) -> PaginationSettings:
    if not isinstance(table, dict):
        raise fail('pagination must be a table of operations ("GET /path" or operationId)')
    result = []
    for operation, fields in table.items():
        where = f"pagination.{operation!r}"
        if not isinstance(fields, dict):
            raise fail(f"{where} must be a table (kind, items, ...)")
        unknown = sorted(set(fields) - PAGINATION_FIELDS)
        if unknown:
            raise fail(f"{where}: unknown key(s): {', '.join(unknown)}")
        if fields.get("kind") not in PAGINATION_KINDS:
            raise fail(f"{where}: kind must be one of {', '.join(PAGINATION_KINDS)}")
        if "items" not in fields:
            raise fail(f"{where}: items must name the response field of the items")
        for key, value in fields.items():
            number = key == "first_page"
            wrong = (
                isinstance(value, bool) or not isinstance(value, int)
                if number
                else not isinstance(value, str) or not value
            )
            if wrong:
                kind = "an integer" if number else "a non-empty string"
                raise fail(f"{where}: {key} must be {kind}, got {value!r}")
        result.append((str(operation), tuple(sorted(fields.items()))))
    return tuple(result)


def webhook_signature(table: Any) -> WebhookSignature:
    """A signature scheme from its table ([tool.generator.webhooks] or a document's
    `x-webhook-signature`); ValueError says what is wrong."""
    if not isinstance(table, dict):
        raise ValueError('must be a table with scheme = "standard" or "hmac"')
    scheme = table.get("scheme")
    if scheme not in ("standard", "hmac"):
        raise ValueError(f'scheme must be "standard" or "hmac", got {scheme!r}')
    allowed = _STANDARD if scheme == "standard" else _HMAC
    unknown = sorted(set(table) - allowed - {"scheme"})
    if unknown:
        raise ValueError(
            f"unknown key(s) for scheme {scheme!r}: {', '.join(unknown)} (known:"
            f" {', '.join(sorted(allowed))})"
        )
    if scheme == "hmac" and not isinstance(table.get("header"), str):
        raise ValueError("an hmac scheme needs header, the name of the signature header")
    options: list[tuple[str, str | float | None]] = []
    for key in sorted(set(table) - {"scheme"}):
        options.append((key, _option(key, table[key])))
    return WebhookSignature(str(scheme), tuple(options))


def _option(key: str, value: Any) -> str | float | None:
    if value is None and key in _NULLABLE:
        return None
    if key == "tolerance":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"tolerance must be seconds (a number >= 0), got {value!r}")
        return float(value)
    if not isinstance(value, str) or (not value and key not in _MAY_BE_EMPTY):
        raise ValueError(f"{key} must be a non-empty string, got {value!r}")
    if key in _CHOICES and value not in _CHOICES[key]:
        raise ValueError(f"{key} must be one of {', '.join(_CHOICES[key])}, got {value!r}")
    if key == "algorithm" and value not in hashlib.algorithms_available:
        raise ValueError(f"unknown hash algorithm {value!r}")
    if key == "signed_payload" and "{body}" not in value:
        raise ValueError("signed_payload must contain {body}")
    if key in ("header", "id_header", "timestamp_header", "signature_header") and not (
        HEADER_NAME.match(value)
    ):
        raise ValueError(f"{key} must be an HTTP header name, got {value!r}")
    return value
