"""Shared type vocabulary: the OMIT sentinel, per-call RequestOptions, FileInput, and the
Identity a client gives (here because creating a client imports this module anyway)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypedDict

if TYPE_CHECKING:  # not at run time: creating a client imports this module, not _params
    from ._params import Part

__all__ = [
    "OMIT",
    "BodyContent",
    "FileContent",
    "FileField",
    "FileInput",
    "Identity",
    "Omit",
    "RequestOptions",
]


class Omit:
    """The type of `OMIT`: "this argument was not given", as opposed to an explicit `None`.

    >>> OMIT
    OMIT
    >>> bool(OMIT)
    False
    """

    __slots__ = ()
    _instance: Omit | None = None

    def __new__(cls) -> Omit:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "OMIT"

    def __reduce__(self) -> str:
        return "OMIT"


OMIT: Final = Omit()


class RequestOptions(TypedDict, total=False):
    """Per-call overrides, passed as `request_options=` to any operation.

    >>> client.items.list(request_options={"timeout_in_seconds": 5, "max_retries": 0})

    A None in `additional_headers` removes that header (e.g. an identification header);
    `idempotency_key` is sent in the operation's idempotency header, when it has one.
    """

    timeout_in_seconds: float
    max_retries: int
    additional_headers: Mapping[str, str | None]
    idempotency_key: str
    additional_query_parameters: Mapping[str, Any]
    additional_body_parameters: Mapping[str, Any]


FileContent: TypeAlias = bytes | IO[bytes]
"""The bytes of an upload, in memory or as a binary file object."""

FileInput: TypeAlias = (
    FileContent
    | os.PathLike[str]
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
)
"""An upload: bytes, a binary file object, a path (opened and closed by the runtime),
or a tuple `(filename, content)` / `(filename, content, content_type)`."""

FileField: TypeAlias = "FileInput | list[FileInput] | Part | Omit | None"
"""What a multipart file field accepts: one file, a list of files (one part each), either
in a `Part` (the field's encoding: Content-Type, headers), or nothing (None or OMIT: no
part)."""

BodyContent: TypeAlias = bytes | str | IO[bytes] | os.PathLike[str]
"""A raw request body: bytes, text (sent as UTF-8), a binary file object (sent from where
it is) or a path (opened when sent)."""


class Identity:
    """Who is calling: a distribution and its version, and extra SDK headers."""

    __slots__ = ("distribution", "headers", "version")

    def __init__(
        self,
        distribution: str,
        version: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.distribution = distribution
        self.version = version
        self.headers = dict(headers or {})

    def __repr__(self) -> str:
        return f"Identity({self.distribution!r}, {self.version!r})"

    def user_agent(self, httpx_version: str) -> str:
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
        httpx_short = ".".join(httpx_version.split(".")[:2])
        return f"{self.distribution}/{self.version} python/{python} httpx/{httpx_short}"

    def all_headers(self, httpx_version: str) -> dict[str, str]:
        """The User-Agent and the extra headers (an extra User-Agent wins)."""
        return {"User-Agent": self.user_agent(httpx_version), **self.headers}
