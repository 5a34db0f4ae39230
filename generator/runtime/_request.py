"""`Request`: the arguments of one operation call, sorted by where they go on the wire."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ._types import OMIT, BodyContent, FileField

__all__ = ["Request"]


@dataclass(frozen=True, slots=True)
class Request:
    """What a generated operation's `request(...)` builds; values are encoded when sent.

    Parameters: `path_params` fill the path's `{name}`s; `query`, `headers` and `cookies`
    are (name, value) pairs, in order. A bare value has its location's default style
    (form, explode true for query and cookies; simple for path and headers); a value
    wrapped in `Styled` or `Encoded` (see `_params`) the style or media type its parameter
    declares. None and OMIT are skipped (not sent); in `path_params` they raise TypeError
    before anything is sent. Cookies go in a Cookie header of this request only.

    At most one body: `json` (any JSON value or model), `form` (urlencoded, or multipart
    fields when `files` is given or `content_type` is multipart/*), `files` (multipart) or
    raw `content` (bytes, str, a binary file object or a path). `content_type` is the
    media type sent, when not the body's default (application/json, the form types,
    application/octet-stream, text/plain for a str). See `_bodies`.

    >>> Request(path_params={"item_id": "abc"}, query=(("include_archived", True),))
    >>> Request(json=patch, content_type="application/merge-patch+json")
    """

    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Sequence[tuple[str, object]] = ()
    headers: Sequence[tuple[str, object]] = ()
    cookies: Sequence[tuple[str, object]] = ()
    json: object = OMIT
    form: Sequence[tuple[str, object]] | None = None
    files: Sequence[tuple[str, FileField]] | None = None
    content: BodyContent | None = None
    content_type: str | None = None
