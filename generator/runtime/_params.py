"""How a parameter or body field is serialized, when not OpenAPI's default: `Styled`,
`Encoded` and `Part` wrap the value in a generated `request(...)`.

A bare value is serialized as OpenAPI serializes a parameter that declares nothing:

- query and cookie parameters, urlencoded fields: style form, explode true (a list repeats
  the name, an object's properties become name=value pairs of their own);
- path parameters and headers: style simple, explode false (`a,b,c`);
- multipart fields: a text part per value (a list gives one part per item, an object is one
  application/json part).

A parameter that declares `style`, `explode` or `allowReserved` is wrapped in `Styled`; one
declared with `content` instead of `schema` in `Encoded`; a multipart property with an
`encoding` (contentType, headers) in `Part`:

    Request(
        path_params={"color": Styled(color, "matrix", explode=True)},
        query=(
            ("ids", Styled(ids, "form", explode=False)),     # ids=1,2,3
            ("filter", Styled(filter, "deepObject")),        # filter%5Bstatus%5D=open
            ("where", Encoded(where, "application/json")),   # where=%7B%22a%22%3A1%7D
        ),
        headers=(("X-Tags", Styled(tags, "simple", explode=True)),),
    )

This module imports nothing heavy: operation modules import it when they are first used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = ["Encoded", "Part", "Style", "Styled"]

Style: TypeAlias = Literal[
    "simple",
    "label",
    "matrix",
    "form",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
]
"""OpenAPI's parameter styles: simple, label and matrix for path parameters (simple also
for headers), form for query and cookie parameters and urlencoded fields, spaceDelimited,
pipeDelimited and deepObject for query parameters and urlencoded fields."""


@dataclass(frozen=True, slots=True)
class Styled:
    """A value with the serialization its parameter (or urlencoded field) declares.

    `explode` None means the style's default: true for form, false for the others.
    `allow_reserved` (query parameters and urlencoded fields) sends RFC 3986 reserved
    characters and existing percent-escapes as they are, except `#`, which would end the
    query; everything else is still percent-encoded.

    >>> Request(query=(("ids", Styled([1, 2], "form", explode=False)),))  # ids=1,2
    >>> Request(path_params={"id": Styled(5, "label")})                  # /items/.5
    """

    value: object
    style: Style
    explode: bool | None = None
    allow_reserved: bool = False


@dataclass(frozen=True, slots=True)
class Encoded:
    """A value sent as text of a media type: a parameter declared with `content`, or a
    urlencoded field whose `encoding` names a contentType.

    JSON media types (application/json, anything +json) give JSON text (models by alias,
    unset fields left out); text/* and other types give the value as text (bytes decoded as
    UTF-8); application/x-www-form-urlencoded gives an object's form encoding. The text is
    then percent-encoded like any value where it goes (not in headers). In a multipart body
    it is one part with this Content-Type.

    >>> Request(query=(("where", Encoded({"a": 1}, "application/json")),))  # where=%7B%22a%22%3A1%7D
    """

    value: object
    media_type: str


@dataclass(frozen=True, slots=True)
class Part:
    """A multipart field or file with an `encoding`: its Content-Type and extra headers.

    The value is a file (bytes, a binary file object, a path or a (filename, content[,
    content type]) tuple), or any field value, encoded by `content_type` as `Encoded`
    would (JSON for JSON types); a list gives one part per item, each with this encoding.
    `content_type` None keeps the default (a file's guessed type, none for text, JSON for
    objects).

    >>> Request(form=(("meta", Part(meta, "application/json", {"X-Trace": "1"})),), files=())
    """

    value: object
    content_type: str | None = None
    headers: Mapping[str, str] | None = None
