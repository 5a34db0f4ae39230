"""Pure functions turning Python values into the wire: path, query, headers, cookies, bodies.

Parameters follow OpenAPI's styles (RFC 6570 expansions): a bare value gets its location's
default style, a `Styled` value the style it names, an `Encoded` value the text of its media
type (see `_params`). For a value `color`:

    style           explode  "blue"        ["blue", "black"]          {"R": 100, "G": 200}
    simple          false    blue          blue,black                 R,100,G,200
    simple          true     blue          blue,black                 R=100,G=200
    label           false    .blue         .blue,black                .R,100,G,200
    label           true     .blue         .blue.black                .R=100.G=200
    matrix          false    ;color=blue   ;color=blue,black          ;color=R,100,G,200
    matrix          true     ;color=blue   ;color=blue;color=black    ;R=100;G=200
    form            false    color=blue    color=blue,black           color=R,100,G,200
    form            true     color=blue    color=blue&color=black     R=100&G=200
    spaceDelimited  false    color=blue    color=blue%20black         color=R%20100%20G%20200
    pipeDelimited   false    color=blue    color=blue%7Cblack         color=R%7C100%7CG%7C200
    deepObject      -        color=blue    color%5B0%5D=blue&...      color%5BR%5D=100&...

spaceDelimited and pipeDelimited with explode true are form's. deepObject nests: an object
inside an object gives `a[b][c]=v`, a list `a[items][0][price]=v` (form-encoded payment API
style, brackets percent-encoded). Elsewhere a list or object inside a list or object is sent
as JSON text. Delimiters are literal and every value is percent-encoded (RFC 3986 unreserved
characters only), except in headers (sent as text) and cookies (only what a cookie value may
not hold: controls, space, `"`, `,`, `;`, `\\` and non-ASCII). None and OMIT, as a value or
inside a list or object, are not sent, nor are empty lists and objects; an empty string is.
Objects are mappings or pydantic models (by alias, unset fields left out).
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from pydantic_core import SchemaSerializer, core_schema

from ._params import Encoded, Part, Styled
from ._types import OMIT

__all__ = [
    "encode_cookies",
    "encode_form",
    "encode_headers",
    "encode_json",
    "encode_query",
    "encode_value",
    "media_text",
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

    Enums give their value; models, mappings, lists and tuples become JSON text.
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
    if isinstance(value, BaseModel | Mapping | list | tuple):
        return _json_bytes(value).decode("utf-8")
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, Styled | Encoded | Part):
        raise TypeError(f"{type(value).__name__} does not apply here: {value!r}")
    return str(value)


def media_text(value: object, media_type: str) -> str:
    """The text of `value` as `media_type`, for a parameter declared with `content`.

    >>> media_text({"a": [1]}, "application/json"), media_text(3, "text/plain")
    ('{"a":[1]}', '3')
    """
    media = media_type.partition(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return _json_bytes(value).decode("utf-8")
    if media == "application/x-www-form-urlencoded":
        members = _members(value)
        if members is not None:  # an object: its properties as the fields of a form
            return encode_query(members)
    return encode_value(value)


# Percent-encoding: one function per place a value goes.

_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*").fullmatch


def _quote(text: str) -> str:
    """Percent-encode everything but RFC 3986 unreserved characters (fast path when none)."""
    return text if _UNRESERVED(text) else quote(text, safe="")


_ESCAPE = re.compile(r"(%[0-9A-Fa-f]{2})")


def _quote_reserved(text: str) -> str:
    """allowReserved: RFC 3986 reserved characters and percent-escapes stay as they are,
    except `#` (it would end the query); the rest is percent-encoded."""
    pieces = _ESCAPE.split(text)
    for index in range(0, len(pieces), 2):
        pieces[index] = quote(pieces[index], safe=":/?[]@!$&'()*+,;=")
    return "".join(pieces)


_COOKIE_SAFE = "".join(
    chr(code) for code in range(0x21, 0x7F) if chr(code) not in '",;\\'
)


def _quote_cookie(text: str) -> str:
    """Percent-encode only what RFC 6265 forbids in a cookie value (the rest is kept)."""
    return quote(text, safe=_COOKIE_SAFE)


def _as_text(text: str) -> str:
    """Headers: values are sent as text, not percent-encoded."""
    return text


# The shapes a value can have: undefined, a scalar, a list or an object.

_NUMBERS = frozenset([bool, int])
"""Scalars whose text (true, -12) needs no percent-encoding: a shortcut (not float:
1e+20 holds a `+`)."""


def _missing(value: object) -> bool:
    return value is None or value is OMIT


def _items(value: object) -> list[object] | None:
    """The defined items of a list or tuple, or None when `value` is not one."""
    if isinstance(value, list | tuple):
        return [item for item in value if item is not None and item is not OMIT]
    return None


def _members(value: object) -> list[tuple[str, object]] | None:
    """The defined (name, value) members of a mapping or model, or None when `value` is
    neither (models by alias, unset fields left out)."""
    if isinstance(value, BaseModel):
        value = _SERIALIZER.to_python(value, by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return [
            (encode_value(key), item)
            for key, item in value.items()
            if item is not None and item is not OMIT
        ]
    return None


# Query strings, urlencoded bodies and cookies: name=value segments.

_DELIMITERS = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "%7C"}


def _add_query(
    out: list[str],
    name: str,
    value: object,
    style: str,
    explode: bool,
    quote_value: Callable[[str], str],
) -> None:
    """Append the `name=value` segments of one query (or form, or cookie) parameter;
    `name` is already encoded."""
    if style == "deepObject":
        _add_deep(out, name, value, quote_value)
        return
    items = _items(value)
    if items is not None:
        if not items:
            return
        if explode:
            out += [f"{name}={quote_value(encode_value(item))}" for item in items]
        else:
            delimiter = _DELIMITERS[style]
            joined = delimiter.join([quote_value(encode_value(item)) for item in items])
            out.append(f"{name}={joined}")
        return
    members = _members(value)
    if members is not None:
        if not members:
            return
        if explode:
            out += [
                f"{quote_value(k)}={quote_value(encode_value(v))}" for k, v in members
            ]
        else:
            delimiter = _DELIMITERS[style]
            joined = delimiter.join(
                [
                    f"{quote_value(k)}{delimiter}{quote_value(encode_value(v))}"
                    for k, v in members
                ]
            )
            out.append(f"{name}={joined}")
        return
    out.append(f"{name}={quote_value(encode_value(value))}")


def _add_deep(
    out: list[str], prefix: str, value: object, quote_value: Callable[[str], str]
) -> None:
    """deepObject: `prefix[key]...=value` for each scalar inside `value`, lists indexed."""
    items = _items(value)
    if items is not None:
        for index, item in enumerate(items):
            _add_deep(out, f"{prefix}%5B{index}%5D", item, quote_value)
        return
    members = _members(value)
    if members is not None:
        for key, member in members:
            _add_deep(out, f"{prefix}%5B{_quote(key)}%5D", member, quote_value)
        return
    out.append(f"{prefix}={quote_value(encode_value(value))}")


_QUERY_STYLES = frozenset(["form", "spaceDelimited", "pipeDelimited", "deepObject"])


def _add_styled_query(out: list[str], name: str, value: object) -> None:
    """One query parameter or urlencoded field whose value may be Styled or Encoded."""
    if isinstance(value, Styled):
        if _missing(value.value):
            return
        if value.style not in _QUERY_STYLES:
            raise ValueError(
                f"style {value.style!r} is not for query parameters or form fields"
            )
        explode = value.style == "form" if value.explode is None else value.explode
        quote_value = _quote_reserved if value.allow_reserved else _quote
        _add_query(out, _quote(name), value.value, value.style, explode, quote_value)
    elif isinstance(value, Encoded):
        if not _missing(value.value):
            text = media_text(value.value, value.media_type)
            out.append(f"{_quote(name)}={_quote(text)}")
    else:
        _add_query(out, _quote(name), value, "form", True, _quote)


def encode_query(pairs: Iterable[tuple[str, object]]) -> str:
    """Build a percent-encoded query string (without the `?`).

    >>> encode_query([("ids", [1, 2]), ("debug", False), ("cursor", None), ("q", "a&b")])
    'ids=1&ids=2&debug=false&q=a%26b'
    >>> encode_query([("ids", Styled([1, 2], "form", explode=False))])
    'ids=1,2'
    """
    out: list[str] = []
    for name, value in pairs:
        if value is None or value is OMIT:
            continue
        if type(value) is str:
            out.append(f"{_quote(name)}={_quote(value)}")
        elif type(value) in _NUMBERS:
            out.append(f"{_quote(name)}={encode_value(value)}")
        else:
            _add_styled_query(out, name, value)
    return "&".join(out)


def encode_form(pairs: Iterable[tuple[str, object]]) -> bytes:
    """An application/x-www-form-urlencoded body: each field serialized as a query
    parameter would be (its `encoding` given by Styled or Encoded)."""
    return encode_query(pairs).encode("ascii")


def encode_cookies(pairs: Iterable[tuple[str, object]]) -> str:
    """A `Cookie` header value such as `a=1; b=true`; empty when nothing is set.

    Cookie parameters are style form (explode true unless Styled says otherwise); a
    list or object with explode gives a cookie per item or member.
    """
    out: list[str] = []
    for name, value in pairs:
        if value is None or value is OMIT:
            continue
        if isinstance(value, Styled):
            if _missing(value.value):
                continue
            if value.style != "form":
                raise ValueError(f"style {value.style!r} is not for cookies")
            explode = True if value.explode is None else value.explode
            _add_query(out, name, value.value, "form", explode, _quote_cookie)
        elif isinstance(value, Encoded):
            if not _missing(value.value):
                text = media_text(value.value, value.media_type)
                out.append(f"{name}={_quote_cookie(text)}")
        else:
            _add_query(out, name, value, "form", True, _quote_cookie)
    return "; ".join(out)


# Path segments and header values: one string each.


def _simple(value: object, explode: bool, quote_value: Callable[[str], str]) -> str:
    """simple style: `a,b,c`; objects `k,v,k,v` or, exploded, `k=v,k=v`."""
    items = _items(value)
    if items is not None:
        return ",".join([quote_value(encode_value(item)) for item in items])
    members = _members(value)
    if members is not None:
        link = "=" if explode else ","
        return ",".join(
            [
                f"{quote_value(k)}{link}{quote_value(encode_value(v))}"
                for k, v in members
            ]
        )
    return quote_value(encode_value(value))


def _label(value: object, explode: bool) -> str:
    """label style: `.a,b,c`, exploded `.a.b.c`; objects `.k,v`, exploded `.k=v.k=v`."""
    items = _items(value)
    members = _members(value) if items is None else None
    if items == [] or members == []:
        return ""
    if not explode or (items is None and members is None):
        return "." + _simple(value, False, _quote)
    if items is not None:
        return "".join([f".{_quote(encode_value(item))}" for item in items])
    assert members is not None
    return "".join([f".{_quote(k)}={_quote(encode_value(v))}" for k, v in members])


def _matrix(name: str, value: object, explode: bool) -> str:
    """matrix style: `;n=a,b`, exploded `;n=a;n=b`; objects `;n=k,v`, exploded `;k=v`.
    An empty value is `;n` alone."""

    def pair(key: str, text: str) -> str:
        return f";{key}={text}" if text else f";{key}"

    items = _items(value)
    members = _members(value) if items is None else None
    if items == [] or members == []:
        return ""
    if explode and items is not None:
        return "".join([pair(name, _quote(encode_value(item))) for item in items])
    if explode and members is not None:
        return "".join([pair(_quote(k), _quote(encode_value(v))) for k, v in members])
    return pair(name, _simple(value, False, _quote))


def _path_segment(name: str, value: object) -> str:
    """The text that replaces `{name}` in a path (percent-encoded)."""
    if isinstance(value, Encoded):
        if _missing(value.value):
            raise TypeError(f"path parameter {name!r} is required, got {value.value!r}")
        return _quote(media_text(value.value, value.media_type))
    if isinstance(value, Styled):
        inner, style = value.value, value.style
        explode = False if value.explode is None else value.explode
    else:
        inner, style, explode = value, "simple", False
    if _missing(inner):
        raise TypeError(f"path parameter {name!r} is required, got {inner!r}")
    if style == "simple":
        return _simple(inner, explode, _quote)
    if style == "label":
        return _label(inner, explode)
    if style == "matrix":
        return _matrix(_quote(name), inner, explode)
    raise ValueError(f"style {style!r} is not for path parameters")


@functools.lru_cache(maxsize=1024)
def _split_path(template: str) -> tuple[str, ...]:
    """`/v1/items/{item_id}/x` -> ('/v1/items/', 'item_id', '/x'): odd items are names."""
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

    >>> render_path("/v1/items/{item_id}", {"item_id": "a/b c"})
    '/v1/items/a%2Fb%20c'
    >>> render_path("/v1/items{id}", {"id": Styled([1, 2], "matrix", explode=True)})
    '/v1/items;id=1;id=2'

    Raises TypeError when a placeholder has no value (missing, None or OMIT).
    """
    if "{" not in template:
        return template
    parts = _split_path(template)
    out = [parts[0]]
    for index in range(1, len(parts), 2):
        name = parts[index]
        value = params.get(name)
        if type(value) is str:
            out += (_quote(value), parts[index + 1])
        elif type(value) in _NUMBERS:
            out += (encode_value(value), parts[index + 1])
        else:
            out += (_path_segment(name, value), parts[index + 1])
    return "".join(out)


def encode_headers(pairs: Iterable[tuple[str, object]]) -> dict[str, str]:
    """Header values as text (style simple); None and OMIT are skipped, lists are joined
    with commas, objects give `k,v,k,v` (`k=v,k=v` when Styled with explode)."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        if value is None or value is OMIT:
            continue
        if type(value) is str:
            headers[name] = value
        elif type(value) in _NUMBERS:
            headers[name] = encode_value(value)
        elif isinstance(value, Styled):
            if _missing(value.value):
                continue
            if value.style != "simple":
                raise ValueError(f"style {value.style!r} is not for headers")
            headers[name] = _simple(value.value, bool(value.explode), _as_text)
        elif isinstance(value, Encoded):
            if not _missing(value.value):
                headers[name] = media_text(value.value, value.media_type)
        else:
            headers[name] = _simple(value, False, _as_text)
    return headers


# Bodies.


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
