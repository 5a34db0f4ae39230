"""The `websockets` side of a real-time session: opening connections, errors, quiet logs.

Imported only when a session connects: it imports `websockets`, the generated package's
optional extra `realtime` (`_realtime` says which extra to install when it is missing).
Connections are opened with websockets' own clients (`websockets.sync.client`,
`websockets.asyncio.client`), with its keep-alive pings, size limit and timeouts, and
without following redirects: a redirect to another origin would carry the credential
headers along. Its handshake log lines go through `RedactingLogger`, which shows the
request path without its query and no value of a header the session was given.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Literal

from websockets.asyncio.client import ClientConnection as AsyncConnection
from websockets.asyncio.client import connect as _async_connect
from websockets.exceptions import (
    ConnectionClosed,
    InvalidHandshake,
    InvalidStatus,
    WebSocketException,
)
from websockets.sync.client import ClientConnection as SyncConnection
from websockets.sync.client import reconnect as _sync_connect

from ._constants import REALTIME_NORMAL_CLOSE_CODES
from ._realtime_errors import (
    ABNORMAL_CLOSURE,
    RealtimeClosedError,
    RealtimeConnectionError,
    RealtimeError,
    RealtimeHandshakeError,
    RealtimeTimeoutError,
)

__all__ = [
    "AsyncConnection",
    "RedactingLogger",
    "SyncConnection",
    "closed_error",
    "connection_error",
    "open_async",
    "open_sync",
]

_ALWAYS_SECRET = frozenset({"authorization", "cookie", "proxy-authorization"})


class RedactingLogger(logging.LoggerAdapter[logging.Logger]):
    """websockets' client logger, with the handshake's request line shown without its
    query and the values of `secret_headers` (and Authorization, Cookie) blanked out."""

    def __init__(self, secret_headers: frozenset[str]) -> None:
        super().__init__(logging.getLogger("websockets.client"), {})
        self.secret_headers = _ALWAYS_SECRET | secret_headers

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        if msg == "> GET %s HTTP/1.1" and args:
            args = (str(args[0]).split("?", 1)[0],)
        elif (
            msg == "> %s: %s"
            and len(args) == 2
            and str(args[0]).lower() in self.secret_headers
        ):
            args = (args[0], "[redacted]")
        super().log(level, msg, *args, **kwargs)


class _SyncNoRedirects(_sync_connect):
    def process_redirect(self, exc: Exception) -> Exception | str:
        return exc


class _AsyncNoRedirects(_async_connect):
    def process_redirect(self, exc: Exception) -> Exception | str:
        return exc


def _options(
    headers: Mapping[str, str], options: Mapping[str, float | int | None]
) -> dict[str, Any]:
    return {
        "additional_headers": dict(headers),
        "open_timeout": options["connect_timeout"],
        "ping_interval": options["ping_interval"],
        "ping_timeout": options["ping_timeout"],
        "close_timeout": options["close_timeout"],
        "max_size": options["max_message_size"],
        "logger": RedactingLogger(frozenset(name.lower() for name in headers)),
    }


def open_sync(
    url: str,
    public_url: str,
    headers: Mapping[str, str],
    options: Mapping[str, float | int | None],
) -> SyncConnection:
    """A connection opened with websockets' sync client (its own receive thread, and a
    keep-alive thread when pinging), or a RealtimeConnectionError."""
    try:
        connection = _SyncNoRedirects(url, **_options(headers, options)).connect()
    except Exception as exc:
        raise connection_error(
            exc, public_url, "connect", options["connect_timeout"]
        ) from (None if _shows_url(exc) else exc)
    connection.pending_legacy_warning = (
        False  # used as websockets' connect(legacy=True)
    )
    return connection


async def open_async(
    url: str,
    public_url: str,
    headers: Mapping[str, str],
    options: Mapping[str, float | int | None],
) -> AsyncConnection:
    """A connection opened with websockets' asyncio client, or a RealtimeConnectionError."""
    try:
        return await _AsyncNoRedirects(url, **_options(headers, options))
    except Exception as exc:
        raise connection_error(
            exc, public_url, "connect", options["connect_timeout"]
        ) from (None if _shows_url(exc) else exc)


def _shows_url(exc: BaseException) -> bool:
    """Whether websockets' message may hold the URL (and so a query credential)."""
    return isinstance(exc, WebSocketException) and not isinstance(
        exc, (ConnectionClosed, InvalidStatus)
    )


def connection_error(
    exc: BaseException,
    url: str,
    phase: Literal["connect", "receive"],
    timeout: float | int | None,
) -> RealtimeError:
    """The real-time error for an exception of websockets or the socket; `url` is the
    public URL. A normal close is a RealtimeClosedError here too (sending after it)."""
    if isinstance(exc, RealtimeError):
        return exc
    if isinstance(exc, ConnectionClosed):
        code, reason, by_server = _close_of(exc)
        return RealtimeClosedError(code, reason, by_server=by_server, url=url)
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        return RealtimeHandshakeError(
            f"the server refused the WebSocket connection to {url} with HTTP {status}",
            status_code=status,
            url=url,
        )
    if isinstance(exc, InvalidHandshake):
        return RealtimeHandshakeError(
            f"invalid WebSocket handshake with {url} ({type(exc).__name__})", url=url
        )
    if isinstance(exc, TimeoutError):
        return RealtimeTimeoutError(phase=phase, timeout=float(timeout or 0), url=url)
    if isinstance(exc, WebSocketException):
        return RealtimeConnectionError(
            f"cannot connect to {url} ({type(exc).__name__})", url=url
        )
    if isinstance(exc, OSError):
        return RealtimeConnectionError(f"cannot connect to {url}: {exc}", url=url)
    return RealtimeConnectionError(
        f"connection to {url} failed ({type(exc).__name__})", url=url
    )


def _close_of(exc: ConnectionClosed) -> tuple[int, str, bool]:
    """(code, reason, by_server) of the close that ended the connection: the server's
    close frame, unless this side sent its own first; 1006 when there was none."""
    ours_first = exc.sent is not None and (
        exc.rcvd is None or exc.rcvd_then_sent is False
    )
    if ours_first and exc.sent is not None:
        return exc.sent.code, exc.sent.reason, False
    if exc.rcvd is not None:
        return exc.rcvd.code, exc.rcvd.reason, True
    return ABNORMAL_CLOSURE, "", False


def closed_error(
    exc: ConnectionClosed, url: str, *, closing: bool
) -> RealtimeClosedError | None:
    """None when the connection ended normally (a normal close code, or a close this side
    asked for: `closing`), else the RealtimeClosedError with its code and reason."""
    code, reason, by_server = _close_of(exc)
    if code in REALTIME_NORMAL_CLOSE_CODES or (closing and not by_server):
        return None
    return RealtimeClosedError(code, reason, by_server=by_server, url=url)
