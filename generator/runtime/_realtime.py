"""Real-time sessions: a typed WebSocket conversation, sync and async, over `websockets`.

A session is opened from a ws:// or wss:// URL (a signed URL as given, or a server's URL
with the channel's path), `query` parameters (None values left out, and names the URL's
own query already has: a signed URL keeps its own) and `headers` (credentials go in either);
the URL may also be a function called when the session opens (a coroutine function for
an async session), e.g. one that first asks an HTTP operation for a signed URL. It
connects on entering its context and closes cleanly on leaving it:

    with SyncRealtimeSession(url, decoder=decoder, headers={"X-Api-Key": key}) as session:
        session.send(Hello(name="Ada"))        # a pydantic model, or a plain dict
        for event in session:                  # typed server events, until a normal close
            match event:
                case Answer(): ...
                case UnknownMessage(type=kind, data=data): ...   # a type nobody declared

    async with AsyncRealtimeSession(url, decoder=decoder) as session:
        await session.send({"type": "hello"})
        async for event in session: ...

Messages. `send` writes one JSON text frame: a model dumped by alias, unset fields left
out, its discriminator (`type`) always in. Each server frame is a JSON object decoded by
`decoder`, a `MessageDecoder` over the server message models, keyed on their `type`
Literal; a `type` it does not know yields an `UnknownMessage(type, data)` and the session
goes on. A frame that is not a JSON object, or a known type its model rejects, raises
RealtimeMessageError from that step of iteration; the session stays open and iterating
again goes on with the next frame.

Automatic replies. `auto_replies` maps a server `type` to the reply the protocol requires:
a `Reply` declared as data, built from the raw object received, or a function of the
decoded event returning the message (None: nothing). The reply is sent before the event is
yielded, and the event is still yielded, so it can be observed:

    auto_replies={"ping": Reply("pong", copy={"event_id": "ping_event.event_id"})}
    auto_replies={"ping": lambda event: {"type": "pong", "event_id": event.ping_event.event_id}}

Robustness. `connect_timeout` bounds TCP, TLS and the handshake (RealtimeTimeoutError,
phase "connect"); websockets sends keep-alive pings every `ping_interval` seconds and
closes with 1011 when one goes unanswered for `ping_timeout`; a server message over
`max_message_size` bytes closes with 1009; `receive_timeout` (None: wait for ever) raises
RealtimeTimeoutError (phase "receive") when the server sends nothing for that long, the
session staying open. A close with code 1000 (or none) ends iteration; any other close,
from the server (1008: invalid or expired signature; 1011: server error) or from this side
(1009, 1011), raises RealtimeClosedError(code, reason); a connection that drops without a
close frame raises it with 1006. Redirects are not followed (RealtimeHandshakeError with
their status). Defaults are in `_constants` (REALTIME_*). Leaving the context closes the
connection (1000, or 1011 when leaving with an exception) and waits for websockets' own
receive and keep-alive threads (sync) or its keep-alive task (async) to end: nothing is
left running.

Credentials. The query (where a signed URL's signature is) and the header values are
never shown: `url` and repr show the URL without its query, errors too, and websockets'
handshake log lines have the query and the given headers' values blanked out.

Dependencies. `websockets` is imported when a session connects, not before (nor asyncio,
for a sync session); when it is missing, RealtimeDependencyError says
`pip install '<distribution>[realtime]'`, `distribution` being the generated package's
name. The generated package declares it as the optional extra `realtime`.

For generated code. A channel module holds the channel's message models, the union of
what the server sends and a `RealtimeChannel` (`_realtime_connect`), whose
`sync_session` / `async_session` the `connect` method of the channel's group calls with
the client's transport: a plain `def` on the async client too (it returns the session,
which `async with` opens). Its imports are inside the method, so that importing and
creating the client stay light.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self

from ._constants import (
    MAX_VALIDATION_ERRORS_SHOWN,
    REALTIME_CLOSE_TIMEOUT,
    REALTIME_CONNECT_TIMEOUT,
    REALTIME_MAX_MESSAGE_SIZE,
    REALTIME_PING_INTERVAL,
    REALTIME_PING_TIMEOUT,
)
from ._realtime_errors import (
    RealtimeDependencyError,
    RealtimeMessageError,
    RealtimeTimeoutError,
)
from ._realtime_messages import (
    AutoReply,
    EventT,
    Message,
    MessageDecoder,
    Reply,
    UnknownMessage,
    encode,
    parse_frame,
)

if TYPE_CHECKING:
    import asyncio
    from types import ModuleType

    from ._realtime_wire import AsyncConnection, SyncConnection

__all__ = ["AsyncRealtimeSession", "SyncRealtimeSession", "public_url"]


def public_url(url: str) -> str:
    """`url` as it may be shown: scheme, host, port and path; no user info, no query."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"


def _with_query(
    url: str, query: Mapping[str, Any] | Iterable[tuple[str, Any]] | None
) -> str:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ValueError(
            f"a real-time session needs a ws:// or wss:// URL, not {public_url(url)!r}"
        )
    present = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    items = query.items() if isinstance(query, Mapping) else (query or ())
    pairs = [
        (name, _query_text(value))
        for name, value in items
        if value is not None and name not in present
    ]
    extra = urlencode(pairs)
    joined = f"{parts.query}&{extra}" if parts.query and extra else parts.query or extra
    return urlunsplit(parts._replace(query=joined, fragment=""))


def _query_text(value: Any) -> str:
    from enum import Enum

    if isinstance(value, Enum):
        value = value.value
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _load_wire(distribution: str, url: str) -> ModuleType:
    """The websockets side, imported now, or RealtimeDependencyError naming the extra."""
    try:
        from . import _realtime_wire
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] != "websockets":
            raise
        raise RealtimeDependencyError(distribution, url=url) from None
    return _realtime_wire


def _summary(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if not callable(errors):
        return str(error)
    shown = [
        f"{'.'.join(str(step) for step in item.get('loc', ()))}: {item.get('msg', '')}"
        for item in errors()[:MAX_VALIDATION_ERRORS_SHOWN]
    ]
    return "; ".join(shown)


class _Session(Generic[EventT]):
    """What the sync and async sessions share: options, decoding and replies."""

    url: str
    """Where the session goes, without its query (shown in reprs and errors)."""

    def __init__(
        self,
        url: str | Callable[[], str] | Callable[[], Awaitable[str]],
        *,
        decoder: MessageDecoder[EventT],
        query: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        auto_replies: Mapping[str, AutoReply] | None = None,
        connect_timeout: float | None = REALTIME_CONNECT_TIMEOUT,
        receive_timeout: float | None = None,
        ping_interval: float | None = REALTIME_PING_INTERVAL,
        ping_timeout: float | None = REALTIME_PING_TIMEOUT,
        close_timeout: float | None = REALTIME_CLOSE_TIMEOUT,
        max_message_size: int | None = REALTIME_MAX_MESSAGE_SIZE,
        distribution: str = "",
    ) -> None:
        self._query = query
        self._source = url
        self._target = ""
        self.url = "(a URL given when the session opens)"
        if isinstance(url, str):
            self._resolve(url)
        self._headers = dict(headers or {})
        self.decoder = decoder
        self.auto_replies = dict(auto_replies or {})
        self.receive_timeout = receive_timeout
        self._options: dict[str, float | int | None] = {
            "connect_timeout": connect_timeout,
            "ping_interval": ping_interval,
            "ping_timeout": ping_timeout,
            "close_timeout": close_timeout,
            "max_message_size": max_message_size,
        }
        self._distribution = distribution
        self._state = "not open"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r}, {self._state})"

    def _resolve(self, url: object) -> None:
        if not isinstance(url, str):
            raise TypeError(
                f"a real-time session's URL must be a str, not {type(url).__name__}"
            )
        self._target = _with_query(url, self._query)
        self.url = public_url(self._target)

    def _wire(self) -> ModuleType:
        return _load_wire(self._distribution, self.url)

    def _not_open(self) -> RuntimeError:
        return RuntimeError(f"{self!r} is not open: use it as a context manager")

    def _event(
        self, frame: str | bytes
    ) -> tuple[EventT | UnknownMessage, Message | None]:
        """The frame's event, and the automatic reply to send first (None: none)."""
        data = parse_frame(frame, url=self.url)
        tag = self.decoder.tag(data)
        try:
            event = self.decoder.decode(data)
        except ValueError as exc:
            text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
            raise RealtimeMessageError(
                f"a {tag!r} message that does not match its model ({_summary(exc)})",
                frame=text,
                url=self.url,
            ) from exc
        handler = None if tag is None else self.auto_replies.get(tag)
        if handler is None:
            return event, None
        if isinstance(handler, Reply):
            return event, handler.build(data)
        return event, handler(event)

    def _receive_timeout(self) -> RealtimeTimeoutError:
        return RealtimeTimeoutError(
            phase="receive", timeout=float(self.receive_timeout or 0), url=self.url
        )


class SyncRealtimeSession(_Session[EventT]):
    """A real-time session on websockets' sync client (see the module docstring)."""

    _connection: SyncConnection | None = None

    def open(self) -> Self:
        """Connect (entering the context does it); RealtimeConnectionError when it fails."""
        if self._connection is not None:
            raise RuntimeError(f"{self!r} is already open")
        if not isinstance(self._source, str):
            self._resolve(self._source())
        wire = self._wire()
        self._connection = wire.open_sync(
            self._target, self.url, self._headers, self._options
        )
        self._state = "open"
        return self

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(1000 if exc_type is None else 1011)

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (the closing handshake, at most `close_timeout` seconds)
        and wait for websockets' threads to end. Closing twice does nothing."""
        connection = self._connection
        if connection is None or self._state == "closed":
            return
        self._state = "closed"
        try:
            connection.close(code, reason)
        finally:
            connection.wait_closed()
            keepalive = connection.keepalive_thread
            if keepalive is not None:
                keepalive.join()

    def send(self, message: Message) -> None:
        """Send one message: a model of a client message or a plain JSON object."""
        connection = self._connection
        if connection is None:
            raise self._not_open()
        wire = self._wire()
        try:
            connection.send(encode(message, self.decoder.discriminator))
        except Exception as exc:
            raise wire.connection_error(exc, self.url, "receive", None) from exc

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> EventT | UnknownMessage:
        connection = self._connection
        if connection is None:
            raise self._not_open()
        wire = self._wire()
        try:
            frame = connection.recv(self.receive_timeout)
        except TimeoutError:
            raise self._receive_timeout() from None
        except wire.ConnectionClosed as exc:
            error = wire.closed_error(exc, self.url, closing=self._state == "closed")
            if error is None:
                raise StopIteration from None
            raise error from exc
        event, reply = self._event(frame)
        if reply is not None:
            self.send(reply)
        return event


class AsyncRealtimeSession(_Session[EventT]):
    """A real-time session on websockets' asyncio client (see the module docstring)."""

    _connection: AsyncConnection | None = None
    _keepalive: asyncio.Task[None] | None = None

    async def open(self) -> Self:
        """Connect (entering the context does it); RealtimeConnectionError when it fails."""
        import inspect

        if self._connection is not None:
            raise RuntimeError(f"{self!r} is already open")
        if not isinstance(self._source, str):
            url = self._source()
            self._resolve(await url if inspect.isawaitable(url) else url)
        wire = self._wire()
        self._connection = await wire.open_async(
            self._target, self.url, self._headers, self._options
        )
        # Kept now: websockets forgets its keep-alive task when the connection is lost,
        # before the task has finished.
        self._keepalive = self._connection.keepalive_task
        self._state = "open"
        return self

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close(1000 if exc_type is None else 1011)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (the closing handshake, at most `close_timeout` seconds)
        and wait for websockets' keep-alive task to end. Closing twice does nothing."""
        import asyncio

        connection = self._connection
        if connection is None or self._state == "closed":
            return
        self._state = "closed"
        keepalive = self._keepalive
        try:
            await connection.close(code, reason)
        finally:
            if keepalive is not None and not keepalive.done():
                keepalive.cancel()
                await asyncio.wait({keepalive})

    async def send(self, message: Message) -> None:
        """Send one message: a model of a client message or a plain JSON object."""
        connection = self._connection
        if connection is None:
            raise self._not_open()
        wire = self._wire()
        try:
            await connection.send(encode(message, self.decoder.discriminator))
        except Exception as exc:
            raise wire.connection_error(exc, self.url, "receive", None) from exc

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> EventT | UnknownMessage:
        import asyncio

        connection = self._connection
        if connection is None:
            raise self._not_open()
        wire = self._wire()
        try:
            async with asyncio.timeout(self.receive_timeout):
                frame = await connection.recv()
        except TimeoutError:
            raise self._receive_timeout() from None
        except wire.ConnectionClosed as exc:
            error = wire.closed_error(exc, self.url, closing=self._state == "closed")
            if error is None:
                raise StopAsyncIteration from None
            raise error from exc
        event, reply = self._event(frame)
        if reply is not None:
            await self.send(reply)
        return event
