"""Every default the runtime uses: timeouts, retry policy, redirects, tokens, excerpt sizes,
real-time sessions."""

from __future__ import annotations

from typing import Final

__all__ = [
    "BODY_EXCERPT_LENGTH",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "IDEMPOTENT_METHODS",
    "INITIAL_RETRY_DELAY",
    "LOG_BODY_LIMIT",
    "MAX_REDIRECTS",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "MAX_VALIDATION_ERRORS_SHOWN",
    "REALTIME_CLOSE_TIMEOUT",
    "REALTIME_CONNECT_TIMEOUT",
    "REALTIME_MAX_MESSAGE_SIZE",
    "REALTIME_NORMAL_CLOSE_CODES",
    "REALTIME_PING_INTERVAL",
    "REALTIME_PING_TIMEOUT",
    "RETRY_JITTER",
    "RETRY_STATUSES_ANY_METHOD",
    "RETRY_STATUSES_IDEMPOTENT",
    "SENSITIVE_FIELDS",
    "STREAM_EXCERPT_LINES",
    "TOKEN_REFRESH_MARGIN",
]

DEFAULT_TIMEOUT: Final = 60.0
"""Seconds allowed for each of connect, read, write and pool acquisition."""

DEFAULT_MAX_RETRIES: Final = 2
"""Retries after the first attempt, so at most three requests per call."""

INITIAL_RETRY_DELAY: Final = 0.5
"""Backoff before the first retry, in seconds; doubled for each further retry."""

MAX_RETRY_DELAY: Final = 8.0
"""Upper bound of the exponential backoff, in seconds."""

RETRY_JITTER: Final = 0.25
"""Backoff delays are scaled by a random factor in [1 - RETRY_JITTER, 1]."""

MAX_RETRY_AFTER: Final = 60.0
"""A server's Retry-After is honoured only when it asks for at most this many seconds."""

IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods that may be repeated safely, even when the first request may have arrived."""

RETRY_STATUSES_IDEMPOTENT: Final = frozenset({408, 409, 429})
"""Statuses retried for idempotent methods, in addition to every 5xx."""

RETRY_STATUSES_ANY_METHOD: Final = frozenset({429, 503})
"""Statuses retried for every method: the server refused the request without acting on it."""

MAX_REDIRECTS: Final = 20
"""Redirects followed for one request before TooManyRedirectsError."""

TOKEN_REFRESH_MARGIN: Final = 30.0
"""An OAuth2 access token is fetched anew this many seconds before its `expires_in` runs
out (or halfway through its lifetime, when that is shorter)."""

BODY_EXCERPT_LENGTH: Final = 500
"""Characters of a response body shown in an error message."""

MAX_VALIDATION_ERRORS_SHOWN: Final = 3
"""Validation errors listed in a ResponseValidationError message."""

STREAM_EXCERPT_LINES: Final = 20
"""Last lines of a stream shown when one of its items does not match the declared type."""

REALTIME_CONNECT_TIMEOUT: Final = 10.0
"""Seconds allowed to open a real-time session: TCP, TLS and the WebSocket handshake."""

REALTIME_PING_INTERVAL: Final = 20.0
"""Seconds between the WebSocket-level keep-alive pings of a real-time session."""

REALTIME_PING_TIMEOUT: Final = 20.0
"""Seconds a keep-alive ping may wait for its pong before the session closes (code 1011)."""

REALTIME_CLOSE_TIMEOUT: Final = 10.0
"""Seconds a closing session waits for the server's close frame before dropping the socket."""

REALTIME_MAX_MESSAGE_SIZE: Final = 16 * 1024 * 1024
"""Largest server message a real-time session accepts, in bytes (audio events are large);
a larger one closes the session with code 1009."""

REALTIME_NORMAL_CLOSE_CODES: Final = frozenset({1000, 1005})
"""Close codes that end a real-time session's iteration quietly: normal closure, and a close
frame without a code. Any other code raises RealtimeClosedError."""

LOG_BODY_LIMIT: Final = 2000
"""Characters of a request or response body shown in a DEBUG log record."""

SENSITIVE_FIELDS: Final = frozenset(
    {
        "access_token",
        "api_key",
        "apikey",
        "authorization",
        "client_secret",
        "id_token",
        "password",
        "refresh_token",
        "secret",
        "token",
    }
)
"""JSON keys (lower case) whose values are `[REDACTED]` in logged bodies, with a client's
`sensitive_fields`."""
