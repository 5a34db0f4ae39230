"""`Endpoint`: one operation's method, path, result kind, error statuses, security and
servers."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import FrozenInstanceError, dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar, overload

import httpx

from ._decoding import Validator, lenient_validator_for, type_name, validator_for
from ._errors import ApiError
from ._sse import ServerSentEvent, aiter_events, iter_events

if TYPE_CHECKING:
    from ._pagination import Pagination

__all__ = [
    "BytesResult",
    "ContentTypeResult",
    "Endpoint",
    "JsonLinesResult",
    "JsonResult",
    "NoneResult",
    "ResultKind",
    "SseResult",
    "StatusResult",
    "TextResult",
]

T = TypeVar("T")
S = TypeVar("S")


class ResultKind(Generic[T]):
    """How a 2xx response becomes a `T`: whole (`decode`) or as a stream of items (`items`).

    `strict=False` (the client's `strict_responses=False`) decodes JSON that does not match
    its type leniently (see `_decoding.lenient_validator_for`) instead of raising.
    """

    __slots__ = ()

    def describe(self) -> str:
        """The declared type, for error messages."""
        return type(self).__name__

    def decode(self, response: httpx.Response, strict: bool = True) -> T:
        """The result of a fully read response; may raise pydantic.ValidationError."""
        raise TypeError(f"{self.describe()} is a streamed result: use stream_items()")

    def items(self, lines: Iterable[str], strict: bool = True) -> Iterator[T]:
        """Items parsed from the lines of a streamed body."""
        raise TypeError(f"{self.describe()} is not a streamed result: use call()")

    def aitems(
        self, lines: AsyncIterable[str], strict: bool = True
    ) -> AsyncIterator[T]:
        """The asynchronous twin of `items`."""
        raise TypeError(f"{self.describe()} is not a streamed result: use call()")


class _TypedResult(ResultKind[T]):
    """A result kind holding a type form, whose validators (strict and lenient) are built
    on first use and kept."""

    __slots__ = ("_lenient", "_validator")
    _validator: Validator | None
    _lenient: Validator | None

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self), self._key()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self._key()))})"

    def _validate(self, text: str | bytes, strict: bool = True) -> Any:
        if strict:
            validate = self._validator
            if validate is None:
                validate = validator_for(self._key()[0])
                object.__setattr__(self, "_validator", validate)
        else:
            validate = self._lenient
            if validate is None:
                validate = lenient_validator_for(self._key()[0])
                object.__setattr__(self, "_lenient", validate)
        return validate(text)


class JsonResult(_TypedResult[T]):
    """A JSON body parsed into `type`: a model, `list[Foo]`, `Foo | Bar`, `dict[str, Any]`..."""

    __slots__ = ("type",)
    type: Any

    @overload
    def __init__(self: JsonResult[S], type: builtins.type[S]) -> None: ...
    @overload
    def __init__(self: JsonResult[Any], type: object) -> None: ...
    def __init__(self, type: object) -> None:
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "_validator", None)
        object.__setattr__(self, "_lenient", None)

    def _key(self) -> tuple[Any, ...]:
        return (self.type,)

    def describe(self) -> str:
        return type_name(self.type)

    def decode(self, response: httpx.Response, strict: bool = True) -> T:
        result: T = self._validate(response.content, strict)
        return result


class SseResult(_TypedResult[T]):
    """A text/event-stream: each event's data parsed as JSON into `item_type`.

    With `item_type=str` the data is yielded as is; with `ServerSentEvent` the events
    themselves. An event whose data equals `terminator` ends the stream.
    """

    __slots__ = ("item_type", "terminator")
    item_type: Any
    terminator: str | None

    @overload
    def __init__(
        self: SseResult[S], item_type: type[S], terminator: str | None = ...
    ) -> None: ...
    @overload
    def __init__(
        self: SseResult[Any], item_type: object, terminator: str | None = ...
    ) -> None: ...
    def __init__(self, item_type: object, terminator: str | None = "[DONE]") -> None:
        object.__setattr__(self, "item_type", item_type)
        object.__setattr__(self, "terminator", terminator)
        object.__setattr__(self, "_validator", None)
        object.__setattr__(self, "_lenient", None)

    def _key(self) -> tuple[Any, ...]:
        return (self.item_type, self.terminator)

    def describe(self) -> str:
        return f"stream of {type_name(self.item_type)}"

    def _item(self, event: ServerSentEvent, strict: bool) -> Any:
        if self.item_type is ServerSentEvent:
            return event
        if self.item_type is str:
            return event.data
        return self._validate(event.data, strict)

    def items(self, lines: Iterable[str], strict: bool = True) -> Iterator[T]:
        for event in iter_events(lines):
            if event.data == self.terminator:
                return
            yield self._item(event, strict)

    async def aitems(
        self, lines: AsyncIterable[str], strict: bool = True
    ) -> AsyncIterator[T]:
        async for event in aiter_events(lines):
            if event.data == self.terminator:
                return
            yield self._item(event, strict)


class JsonLinesResult(_TypedResult[T]):
    """Newline-delimited JSON: each non-blank line parsed into `item_type`."""

    __slots__ = ("item_type",)
    item_type: Any

    @overload
    def __init__(self: JsonLinesResult[S], item_type: type[S]) -> None: ...
    @overload
    def __init__(self: JsonLinesResult[Any], item_type: object) -> None: ...
    def __init__(self, item_type: object) -> None:
        object.__setattr__(self, "item_type", item_type)
        object.__setattr__(self, "_validator", None)
        object.__setattr__(self, "_lenient", None)

    def _key(self) -> tuple[Any, ...]:
        return (self.item_type,)

    def describe(self) -> str:
        return f"stream of {type_name(self.item_type)}"

    def items(self, lines: Iterable[str], strict: bool = True) -> Iterator[T]:
        for line in lines:
            if line.strip():
                yield self._validate(line, strict)

    async def aitems(
        self, lines: AsyncIterable[str], strict: bool = True
    ) -> AsyncIterator[T]:
        async for line in lines:
            if line.strip():
                yield self._validate(line, strict)


@dataclass(frozen=True, slots=True)
class BytesResult(ResultKind[bytes]):
    """The body as bytes (or, with `stream_bytes`, as chunks)."""

    def decode(self, response: httpx.Response, strict: bool = True) -> bytes:
        return response.content


@dataclass(frozen=True, slots=True)
class TextResult(ResultKind[str]):
    """The body as text, decoded with the response's charset."""

    def decode(self, response: httpx.Response, strict: bool = True) -> str:
        return response.text


@dataclass(frozen=True, slots=True)
class NoneResult(ResultKind[None]):
    """No result (204 or a body the API does not describe): always None."""

    def decode(self, response: httpx.Response, strict: bool = True) -> None:
        return None


class ContentTypeResult(ResultKind[T]):
    """A body decoded by its Content-Type, for operations that answer in several media types.

    `options` pairs a media type (`audio/*` matches every audio type) with the result kind
    for it; a response whose type matches none is decoded by the first option.

    >>> ContentTypeResult((("application/json", JsonResult(Foo)), ("text/plain", TextResult())))
    """

    __slots__ = ("options",)
    options: tuple[tuple[str, ResultKind[Any]], ...]

    def __init__(self, options: Iterable[tuple[str, ResultKind[Any]]]) -> None:
        object.__setattr__(self, "options", tuple(options))
        if not self.options:
            raise ValueError("ContentTypeResult needs at least one option")

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentTypeResult) and self.options == other.options

    def __hash__(self) -> int:
        return hash((type(self), self.options))

    def __repr__(self) -> str:
        return f"ContentTypeResult({self.options!r})"

    def describe(self) -> str:
        return " or ".join(
            f"{kind.describe()} ({media})" for media, kind in self.options
        )

    def choose(self, content_type: str | None) -> ResultKind[Any]:
        """The option for a Content-Type header value (parameters and case ignored)."""
        media = (content_type or "").split(";", 1)[0].strip().lower()
        for pattern, kind in self.options:
            wanted = pattern.lower()
            if wanted == media or (
                wanted.endswith("/*")
                and media.startswith(wanted[:-1])
                and media != wanted[:-1]
            ):
                return kind
        return self.options[0][1]

    def decode(self, response: httpx.Response, strict: bool = True) -> T:
        kind = self.choose(response.headers.get("content-type"))
        result: T = kind.decode(response, strict)
        return result


class StatusResult(ResultKind[T]):
    """A body decoded by the response's status, for operations whose 2xx responses differ.

    `options` maps a status (or "2XX") to the result kind for it; any other status is
    decoded by the first option.

    >>> StatusResult({200: JsonResult(Foo), 204: NoneResult()})
    """

    __slots__ = ("options",)
    options: Mapping[int | str, ResultKind[Any]]

    def __init__(self, options: Mapping[int | str, ResultKind[Any]]) -> None:
        object.__setattr__(self, "options", dict(options))
        if not self.options:
            raise ValueError("StatusResult needs at least one option")

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StatusResult) and self.options == other.options

    def __hash__(self) -> int:
        return hash((type(self), tuple(self.options.items())))

    def __repr__(self) -> str:
        return f"StatusResult({self.options!r})"

    def describe(self) -> str:
        return " or ".join(
            f"{kind.describe()} ({status})" for status, kind in self.options.items()
        )

    def choose(self, status: int) -> ResultKind[Any]:
        """The option for a status: listed by number, else by range, else the first."""
        options = self.options
        found = options.get(status)
        if found is None:
            found = options.get(f"{status // 100}XX")
        return found if found is not None else next(iter(options.values()))

    def decode(self, response: httpx.Response, strict: bool = True) -> T:
        result: T = self.choose(response.status_code).decode(response, strict)
        return result


@dataclass(frozen=True, slots=True)
class Endpoint(Generic[T]):
    """One operation, declared once per generated module.

    `path` may hold `{name}` placeholders, filled from `Request.path_params`. `errors`
    maps a status to the ApiError subclass to raise and the type of its body (or None); a
    range ("4XX") or "default" applies to the statuses not listed by number.

    `security` is the operation's security requirement, by names of the client's `auth=`
    schemes: alternatives (any one will do), each a tuple of schemes required together.
    `(("ApiKeyAuth",), ("basicAuth",))` takes either; `(("a", "b"),)` needs both; an
    empty alternative, as in `((), ("ApiKeyAuth",))`, makes credentials optional (sent
    when configured); `()` requires none. None (the default) declares nothing and sends
    no scheme's credentials. See `_auth` for how an alternative is chosen.

    `servers` are the operation's own servers (from the operation or its path item), URL
    templates whose `{variables}` are the client's; the first is where the call goes (see
    `_servers`). `()` (the default) sends it to the client's base URL.

    `pagination` says how a list operation pages (see `_pagination`, used by
    `paginate`). `idempotency_header` names the header that carries an idempotency key
    (see `_idempotency`): each call of a non-idempotent method gets a fresh one, kept
    across its retries.
    """

    method: str
    path: str
    result: ResultKind[T]
    # Keys: a status (404), a range ("4XX") or "default"; Any keeps dict[int, ...] assignable.
    errors: Mapping[Any, tuple[type[ApiError], Any]] = field(default_factory=dict)
    security: tuple[tuple[str, ...], ...] | None = None
    servers: tuple[str, ...] = ()
    pagination: Pagination | None = None
    idempotency_header: str | None = None
