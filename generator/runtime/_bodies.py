"""Request bodies: what a `Request` holds becomes bytes (or a rewindable stream) and headers.

The body is chosen in this order, and `content_type` (the media type the operation sends,
passed by generated code when the spec offers several) replaces the default Content-Type:

- `files` given, or `content_type` multipart/*: a multipart body of the `form` fields, then
  the `files` (default multipart/form-data; the boundary is added to a given type);
- `form` given: application/x-www-form-urlencoded, each field serialized as a query
  parameter would be (`Styled` for an `encoding` style, `Encoded` for a contentType);
- `content` given: bytes as they are, a str as UTF-8 (default text/plain; charset=utf-8),
  a binary file object or a path streamed from its start on every attempt (default
  application/octet-stream);
- `json` given (not OMIT or None): JSON text (default application/json; any +json type
  works the same).

Multipart parts: a scalar field is a text part without Content-Type, a list one part per
item, an object (mapping or model) an application/json part, `Encoded` a part of its media
type, `Part` a part with its encoding's Content-Type and headers (a `Styled` field's style
is ignored, as OpenAPI 3.0 and 3.1 say). A file is named after its path or its file
object's `name`, `upload` for bytes; a tuple gives (filename, content[, content type]).
File objects that cannot seek are read whole first, so that a retry sends the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import ExitStack
from typing import IO, Any, TypeAlias

import httpx
from pydantic import BaseModel

from ._encoding import encode_form, encode_json, encode_value, media_text
from ._params import Encoded, Part, Styled
from ._request import Request
from ._types import OMIT, BodyContent

__all__ = ["STREAMED", "Body", "FileStream", "attach_stream", "encode_body"]

_CHUNK_SIZE = 64 * 1024


Body: TypeAlias = tuple[
    bytes | tuple[()] | None,
    httpx.SyncByteStream | httpx.AsyncByteStream | None,
    int | None,
    str | None,
]
"""What httpx sends, as (content, stream, length, content type): `content` bytes, or a
`stream` of `length` bytes (None: unknown) that `attach_stream` gives the request (its
content then is `STREAMED`); content type None for no body. A plain tuple: it is made on
every call."""

_NO_BODY: Body = (None, None, None, None)

STREAMED: tuple[()] = ()
"""The `content` a request whose body is a stream is built with: httpx takes an iterable
for a stream of its own, so it neither reads nor keeps a body that `attach_stream` then
replaces (the empty bytes of no content would be kept as the request's `.content`)."""


class FileStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A file's bytes in chunks, from where the file object was (or a path's start) on
    every iteration, so that a retried request resends all of it. A path is opened for
    each iteration and closed after it."""

    def __init__(self, source: os.PathLike[str] | IO[bytes]) -> None:
        if isinstance(source, os.PathLike):
            self._path: str | None = os.fspath(source)
            self._file: IO[bytes] | None = None
            self._start = 0
            self.length = os.stat(self._path).st_size
        else:
            self._path, self._file = None, source
            self._start = source.tell()
            self.length = source.seek(0, os.SEEK_END) - self._start
            source.seek(self._start)

    def _chunks(self, file: IO[bytes]) -> Iterator[bytes]:
        while chunk := file.read(_CHUNK_SIZE):
            yield chunk

    def __iter__(self) -> Iterator[bytes]:
        if self._file is not None:
            self._file.seek(self._start)
            yield from self._chunks(self._file)
            return
        assert self._path is not None
        with open(self._path, "rb") as file:
            yield from self._chunks(file)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:  # local file reads, as httpx reads multipart files
            yield chunk


def _seekable(file: Any) -> bool:
    try:
        return bool(file.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _raw(content: BodyContent, content_type: str | None) -> Body:
    if isinstance(content, bytes):
        return (content, None, None, content_type or "application/octet-stream")
    if isinstance(content, str):
        body = content.encode("utf-8")
        return (body, None, None, content_type or "text/plain; charset=utf-8")
    media = content_type or "application/octet-stream"
    if isinstance(content, os.PathLike) or _seekable(content):
        stream = FileStream(content)
        return (STREAMED, stream, stream.length, media)
    return (content.read(), None, None, media)


# Multipart.

_PartTuple = tuple[str | None, Any, str | None, dict[str, str]]
"""httpx's (filename, content, content type, headers) for one part."""


def _file_part(
    value: object,
    content_type: str | None,
    headers: dict[str, str],
    stack: ExitStack,
) -> _PartTuple:
    """A file input as httpx's 4-tuple; `content_type` (when given) wins over the tuple's."""
    if isinstance(value, tuple):
        filename, content, *own_type = value
        return (
            filename,
            _rewindable(content),
            content_type or (own_type[0] if own_type else None),
            headers,
        )
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        # Closed by the stack, when the request is done with.
        handle = stack.enter_context(open(path, "rb"))  # noqa: SIM115
        return os.path.basename(path), handle, content_type, headers
    if isinstance(value, bytes):
        return "upload", value, content_type, headers
    name = os.path.basename(str(getattr(value, "name", "upload")))
    return name, _rewindable(value), content_type, headers


def _rewindable(content: Any) -> Any:
    """File content httpx can send twice: bytes as they are, a file object that cannot seek
    read whole."""
    if isinstance(content, bytes | str) or _seekable(content):
        return content
    return content.read()


def _field_part(
    value: object, content_type: str | None, headers: dict[str, str]
) -> _PartTuple:
    """A non-file field: text, or the text of `content_type`; objects as JSON."""
    if content_type is not None:
        if isinstance(value, bytes):
            return None, value, content_type, headers
        return (
            None,
            media_text(value, content_type).encode("utf-8"),
            content_type,
            headers,
        )
    if isinstance(value, BaseModel | Mapping):
        return None, encode_json(value), "application/json", headers
    if isinstance(value, bytes):
        return None, value, None, headers
    return None, encode_value(value).encode("utf-8"), None, headers


def _parts(
    name: str,
    value: object,
    as_file: bool,
    stack: ExitStack | None,
    out: list[tuple[str, _PartTuple]],
) -> None:
    """Append the parts of one field (`as_file`: one of `files`)."""
    if value is None or value is OMIT:
        return
    content_type: str | None = None
    headers: Mapping[str, str] = {}
    if isinstance(value, Part):
        content_type, headers = value.content_type, value.headers or {}
        value = value.value
    elif isinstance(value, Encoded):
        content_type, value = value.media_type, value.value
    elif isinstance(value, Styled):  # styles are for urlencoded fields: ignored here
        value = value.value
    repeated = isinstance(value, list) or (not as_file and isinstance(value, tuple))
    for item in value if repeated else [value]:  # type: ignore[attr-defined]
        if item is None or item is OMIT:
            continue
        # httpx writes the part's Content-Type into the headers it is given: one dict each.
        if not as_file:
            out.append((name, _field_part(item, content_type, dict(headers))))
        elif stack is None:
            raise ValueError("a request with files needs an ExitStack to open them on")
        else:
            out.append((name, _file_part(item, content_type, dict(headers), stack)))


_MULTIPART_URL = httpx.URL("http://multipart.invalid/")


def _multipart(
    fields: Sequence[tuple[str, object]],
    files: Sequence[tuple[str, object]],
    content_type: str | None,
    stack: ExitStack | None,
) -> Body:
    parts: list[tuple[str, _PartTuple]] = []
    for name, value in fields:
        _parts(name, value, False, stack, parts)
    for name, value in files:
        _parts(name, value, True, stack, parts)
    boundary = os.urandom(16).hex()
    media = (content_type or "multipart/form-data").partition(";")[0].strip()
    media_type = f"{media}; boundary={boundary}"
    if not parts:
        return (f"--{boundary}--\r\n".encode("ascii"), None, None, media_type)
    # httpx's multipart encoder (streaming, rewinding files on retries), reached through
    # its public API: a request built with our boundary.
    encoded = httpx.Request(
        "POST",
        _MULTIPART_URL,
        files=parts,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    length = encoded.headers.get("content-length")
    return (
        STREAMED,
        encoded.stream,
        None if length is None else int(length),
        media_type,
    )


def encode_body(
    request: Request, extra: Mapping[str, Any] | None, stack: ExitStack | None
) -> Body:
    """The body of `request`; `extra` (additional_body_parameters) joins form fields or
    the top-level JSON object; paths in `files` are opened on `stack`. A top-level JSON
    body of None means no body, like OMIT."""
    content_type = request.content_type
    if request.files is not None or (
        content_type is not None and content_type.startswith("multipart/")
    ):
        fields = [*(request.form or ()), *(extra or {}).items()]
        return _multipart(fields, request.files or (), content_type, stack)
    if request.form is not None:
        form = encode_form([*request.form, *(extra or {}).items()])
        return (form, None, None, content_type or "application/x-www-form-urlencoded")
    if request.content is not None:
        return _raw(request.content, content_type)
    if (request.json is not OMIT and request.json is not None) or extra:
        body = OMIT if request.json is None else request.json
        return (
            encode_json(body, extra),
            None,
            None,
            content_type or "application/json",
        )
    return _NO_BODY


def attach_stream(
    outgoing: httpx.Request,
    stream: httpx.SyncByteStream | httpx.AsyncByteStream,
    length: int | None,
) -> None:
    """Make `stream` the body of `outgoing`, built with `content=STREAMED`, with its length
    (None: chunked). httpx.Request(stream=...) would leave out the Host header too."""
    outgoing.stream = stream
    if length is not None:
        outgoing.headers.pop("transfer-encoding", None)
        outgoing.headers["content-length"] = str(length)
