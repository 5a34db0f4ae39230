"""Pure functions turning Python values into the wire: path, query, headers, cookies, bodies."""

from __future__ import annotations

import datetime
import enum
import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from pydantic_core import SchemaSerializer, core_schema

from ._types import OMIT, FileField

__all__ = [
    "encode_cookies",
    "encode_form",
    "encode_headers",
    "encode_json",
    "encode_multipart_fields",
    "encode_query",
    "encode_value",
    "open_files",
    "render_path",
]

_SERIALIZER = SchemaSerializer(core_schema.any_schema())
"""Serializes any value as pydantic would; exclude_unset and by_alias reach nested models."""


def _json_bytes(value: object) -> bytes:
    return _SERIALIZER.to_json(value, by_alias=True, exclude_unset=True)


def encode_value(value: object) -> str:
    """Render one scalar for a URL, header or form field.

    >>> encode_value(True), encode_value(3), encode_value(datetime.date(2024, 1, 2))
    ('true', '3', '2024-01-02')

    Enums give their value; pydantic models and mappings become JSON text.
    """
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return encode_value(value.value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, BaseModel | Mapping):
        return _json_bytes(value).decode("utf-8")
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*").fullmatch


def _quote(text: str) -> str:
    """Percent-encode everything but RFC 3986 unreserved characters (fast path when none)."""
    return text if _UNRESERVED(text) else quote(text, safe="")


def _flatten(pairs: Iterable[tuple[str, object]]) -> list[tuple[str, str]]:
    """Skip None and OMIT; repeat the key for each item of a list or tuple (form, explode)."""
    flat: list[tuple[str, str]] = []
    for name, value in pairs:
        if value is None or value is OMIT:
            continue
        if type(value) is str:
            flat.append((name, value))
        elif isinstance(value, list | tuple):
            flat += (
                (name, encode_value(item))
                for item in value
                if item is not None and item is not OMIT
            )
        else:
            flat.append((name, encode_value(value)))
    return flat


def encode_query(pairs: Iterable[tuple[str, object]]) -> str:
    """Build a percent-encoded query string (without the `?`).

    >>> encode_query([("ids", [1, 2]), ("debug", False), ("cursor", None), ("q", "a&b")])
    'ids=1&ids=2&debug=false&q=a%26b'
    """
    return "&".join(
        [f"{_quote(name)}={_quote(text)}" for name, text in _flatten(pairs)]
    )


def encode_headers(pairs: Iterable[tuple[str, object]]) -> dict[str, str]:
    """Header values as text; None and OMIT are skipped, lists are joined with commas."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        if value is None or value is OMIT:
            continue
        if isinstance(value, list | tuple):
            headers[name] = ",".join(encode_value(item) for item in value)
        else:
            headers[name] = encode_value(value)
    return headers


def encode_cookies(pairs: Iterable[tuple[str, object]]) -> str:
    """A `Cookie` header value such as `a=1; b=true`; empty when nothing is set."""
    return "; ".join(f"{name}={text}" for name, text in _flatten(pairs))


@functools.lru_cache(maxsize=1024)
def _split_path(template: str) -> tuple[str, ...]:
    """`/v1/voices/{voice_id}/x` -> ('/v1/voices/', 'voice_id', '/x'): odd items are names."""
    parts: list[str] = []
    rest = template
    while "{" in rest:
        head, _, tail = rest.partition("{")
        name, closed, rest = tail.partition("}")
        if not closed:
            raise ValueError(f"unclosed '{{' in path template {template!r}")
        parts += (head, name)
    parts.append(rest)
    return tuple(parts)


def render_path(template: str, params: Mapping[str, object]) -> str:
    """Substitute `{name}` placeholders with percent-encoded values.

    >>> render_path("/v1/voices/{voice_id}", {"voice_id": "a/b c"})
    '/v1/voices/a%2Fb%20c'

    Raises TypeError when a placeholder has no value (missing, None or OMIT).
    """
    if "{" not in template:
        return template
    parts = _split_path(template)
    out = [parts[0]]
    for index in range(1, len(parts), 2):
        name = parts[index]
        value = params.get(name)
        if value is None or value is OMIT:
            raise TypeError(f"path parameter {name!r} is required, got {value!r}")
        out += (quote(encode_value(value), safe=""), parts[index + 1])
    return "".join(out)


def encode_json(value: object, extra: Mapping[str, Any] | None = None) -> bytes:
    """Serialize a JSON body: aliases used, only the fields of models that were set.

    Top-level mapping entries whose value is OMIT are dropped; `extra` entries are merged
    into a top-level object (or become the whole body when `value` is OMIT).
    """
    if isinstance(value, Mapping):
        value = {key: item for key, item in value.items() if item is not OMIT}
    if extra:
        if value is OMIT:
            value = dict(extra)
        elif isinstance(value, BaseModel | dict):
            base = _SERIALIZER.to_python(
                value, mode="json", by_alias=True, exclude_unset=True
            )
            value = {**base, **extra}
        else:
            raise TypeError("additional_body_parameters need a JSON object body")
    return _json_bytes(value)


def encode_form(pairs: Iterable[tuple[str, object]]) -> bytes:
    """An application/x-www-form-urlencoded body (lists repeat their key)."""
    return encode_query(pairs).encode("ascii")


def encode_multipart_fields(
    pairs: Iterable[tuple[str, object]],
) -> dict[str, list[str]]:
    """Non-file multipart fields in the shape httpx takes: each name to its values, in order."""
    fields: dict[str, list[str]] = {}
    for name, text in _flatten(pairs):
        fields.setdefault(name, []).append(text)
    return fields


def open_files(
    files: Sequence[tuple[str, FileField]], stack: ExitStack
) -> list[tuple[str, Any]]:
    """Multipart file parts in the shape httpx takes; paths are opened on `stack`.

    A path's part is named after the file; a bare file object after its `name`, bytes
    `upload` (httpx's default). Tuples give the filename (None for none) and content type.
    A list gives one part per item (repeated field); None and OMIT give no part.
    """
    parts: list[tuple[str, Any]] = []
    flat = [
        (name, item)
        for name, field in files
        for item in (field if isinstance(field, list) else [field])
        if item is not None and item is not OMIT
    ]
    for name, value in flat:
        if isinstance(value, os.PathLike):
            path = os.fspath(value)
            # Closed by the stack, when the request is done with.
            handle = stack.enter_context(open(path, "rb"))  # noqa: SIM115
            parts.append((name, (os.path.basename(path), handle)))
        else:
            parts.append((name, value))
    return parts
