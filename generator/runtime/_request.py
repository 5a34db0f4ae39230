"""`Request`: the arguments of one operation call, sorted by where they go on the wire."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ._types import OMIT, FileField

__all__ = ["Request"]


@dataclass(frozen=True, slots=True)
class Request:
    """What a generated operation's `request(...)` builds; values are encoded when sent.

    None and OMIT in query, headers, cookies and form fields are skipped (not sent); in
    `path_params` they raise TypeError before anything is sent. At most one body is given:
    `json` (any JSON value or model), `form` (urlencoded; multipart fields when `files` is
    given too), `files` (multipart) or raw `content` bytes with its `content_type`.

    >>> Request(path_params={"voice_id": "abc"}, query=(("show_legacy", True),))
    """

    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Sequence[tuple[str, object]] = ()
    headers: Sequence[tuple[str, object]] = ()
    cookies: Sequence[tuple[str, object]] = ()
    json: object = OMIT
    form: Sequence[tuple[str, object]] | None = None
    files: Sequence[tuple[str, FileField]] | None = None
    content: bytes | None = None
    content_type: str | None = None
