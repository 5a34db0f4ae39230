"""The exceptions a real-time (WebSocket) session raises; none of them shows a credential.

    Exception
     ├── RealtimeError                    base of every real-time error
     │    ├── RealtimeDependencyError     `websockets` is not installed (also an ImportError):
     │    │                               the message names the extra to install
     │    ├── RealtimeMessageError        a server frame that is not a JSON object, or whose
     │    │                               known `type` does not fit its model; the session
     │    │                               stays open and iteration may go on
     │    └── RealtimeConnectionError     could not connect, or the connection ended badly
     │         │                          (also an ApiConnectionError)
     │         ├── RealtimeHandshakeError   the server refused the upgrade (`status_code`)
     │         ├── RealtimeTimeoutError     no connection within the connect timeout, or no
     │         │                            message within the receive timeout (`phase`);
     │         │                            also a TimeoutError
     │         └── RealtimeClosedError      closed with a code other than a normal one:
     │                                      `code`, `reason`, `by_server`; 1006 when the
     │                                      connection dropped without a close frame

URLs in messages are shown without their query (a signed URL's signature is there), and
no header value is ever stored on an error. This module imports nothing heavy.
"""

from __future__ import annotations

from typing import Literal

from ._constants import BODY_EXCERPT_LENGTH
from ._errors import ApiConnectionError

__all__ = [
    "ABNORMAL_CLOSURE",
    "RealtimeClosedError",
    "RealtimeConnectionError",
    "RealtimeDependencyError",
    "RealtimeError",
    "RealtimeHandshakeError",
    "RealtimeMessageError",
    "RealtimeTimeoutError",
]

ABNORMAL_CLOSURE = 1006
"""The code RFC 6455 reserves for a connection that ended without a close frame."""


class RealtimeError(Exception):
    """Something went wrong in a real-time session; `url` is where it was opened, without
    its query."""

    url: str

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class RealtimeDependencyError(RealtimeError, ImportError):
    """The `websockets` package a real-time session needs is not installed."""

    def __init__(self, distribution: str, *, url: str = "") -> None:
        target = f"{distribution}[realtime]" if distribution else "websockets"
        super().__init__(
            f"real-time sessions need the 'websockets' package: pip install '{target}'",
            url=url,
        )
        self.distribution = distribution


class RealtimeMessageError(RealtimeError):
    """A frame from the server that cannot become an event: not JSON, not a JSON object, or
    a known `type` whose model rejects it. `frame` is an excerpt of the frame; the session
    stays open, and iterating again goes on with the next message."""

    frame: str

    def __init__(self, message: str, *, frame: str = "", url: str = "") -> None:
        if len(frame) > BODY_EXCERPT_LENGTH:
            more = len(frame) - BODY_EXCERPT_LENGTH
            frame = f"{frame[:BODY_EXCERPT_LENGTH]}... ({more} more characters)"
        super().__init__(f"{message}; frame: {frame}" if frame else message, url=url)
        self.frame = frame


class RealtimeConnectionError(RealtimeError, ApiConnectionError):
    """The session could not connect, or its connection broke."""


class RealtimeHandshakeError(RealtimeConnectionError):
    """The server answered the opening handshake with an HTTP status instead of switching
    protocols (`status_code`, e.g. 403), or with a response that is not a valid upgrade
    (`status_code` None)."""

    status_code: int | None

    def __init__(
        self, message: str, *, status_code: int | None = None, url: str = ""
    ) -> None:
        super().__init__(message, url=url)
        self.status_code = status_code


class RealtimeTimeoutError(RealtimeConnectionError, TimeoutError):
    """`phase` "connect": the connection was not open within the connect timeout (nothing
    to close). `phase` "receive": no message arrived within the receive timeout; the
    session stays open, and iterating again waits anew."""

    phase: Literal["connect", "receive"]
    timeout: float

    def __init__(
        self, *, phase: Literal["connect", "receive"], timeout: float, url: str = ""
    ) -> None:
        what = "no connection" if phase == "connect" else "no message"
        super().__init__(f"{what} within {timeout:g} s (to {url})", url=url)
        self.phase = phase
        self.timeout = timeout


class RealtimeClosedError(RealtimeConnectionError):
    """The connection was closed with `code` and `reason`: sent by the server
    (`by_server`, e.g. 1008 for an invalid or expired signature, 1011 for a server error),
    or by this side when the server broke the protocol or went quiet (1009 for a message
    over the size limit, 1011 for an unanswered keep-alive ping). 1006 (ABNORMAL_CLOSURE):
    the connection dropped without any close frame."""

    code: int
    reason: str
    by_server: bool

    def __init__(
        self, code: int, reason: str = "", *, by_server: bool, url: str = ""
    ) -> None:
        who = "the server" if by_server else "this side"
        if code == ABNORMAL_CLOSURE:
            text = f"connection to {url} dropped without a close frame"
        else:
            text = f"connection to {url} closed by {who} with code {code}"
            text += f" ({reason})" if reason else ""
        super().__init__(text, url=url)
        self.code = code
        self.reason = reason
        self.by_server = by_server
