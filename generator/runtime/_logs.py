"""What a client logs of each attempt, under `<package>._runtime.http`, without credentials.

INFO, one line per attempt: method, URL (no user info; credential query parameters
`[REDACTED]`), status or failure, duration, attempt number:

    GET https://api.example.com/v1/items?limit=2 -> 200 in 12.3 ms (attempt 1)

DEBUG, in addition: the request and response bodies (not streamed ones), at most
LOG_BODY_LIMIT characters each. In a JSON body the values of credential-like keys
(`password`, `token`, `api_key`, `client_secret`, ... and the client's
`sensitive_fields`) are replaced by `[REDACTED]`, as is, anywhere in a body, the text of
any credential the client holds. Headers are never logged.

A generated client names an environment variable (`log_env_var="EXAMPLE_LOG"`); set to
`debug` or `info` when the client is created, it sets the runtime logger's level and, when
no handler is configured anywhere, adds one writing to stderr (see `_client`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import httpx

from ._constants import LOG_BODY_LIMIT, SENSITIVE_FIELDS
from ._credentials import REDACTED

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ._auth import AuthScheme
    from ._credentials import Credentials

__all__ = ["ExchangeLog"]

logger = logging.getLogger(f"{__package__ or __name__}.http")


class ExchangeLog:
    """The INFO/DEBUG lines of one client, with what it must keep out of them."""

    __slots__ = ("_fields", "_query", "_values")

    def __init__(
        self,
        secret_values: Iterable[str | None],
        query_names: Iterable[str],
        sensitive_fields: Iterable[str] = (),
    ) -> None:
        self._values = tuple(
            sorted(
                {v for v in secret_values if v and len(v) >= 4}, key=len, reverse=True
            )
        )
        self._query = frozenset(query_names)
        self._fields = SENSITIVE_FIELDS | {name.lower() for name in sensitive_fields}

    @classmethod
    def for_client(
        cls,
        auth: Iterable[AuthScheme],
        headers: Mapping[str, str | None],
        secret_header_names: Iterable[str],
        credentials: Credentials,
        sensitive_fields: Iterable[str],
    ) -> ExchangeLog:
        """The log of a client with these credentials: every secret value it holds is
        kept out, and its credential query parameters."""
        values = [headers.get(name) for name in secret_header_names]
        for scheme in auth:
            for alternative in scheme.needs():
                values.extend(credential.value for _, credential in alternative)
            client_secret = getattr(scheme, "client_secret", None)
            values.append(getattr(client_secret, "value", None))
        return cls(values, credentials.strip_query, sensitive_fields)

    @staticmethod
    def start() -> float:
        """The clock reading an attempt's duration is measured from (0 when not logged)."""
        return time.perf_counter() if logger.isEnabledFor(logging.INFO) else 0.0

    def attempt(
        self,
        request: httpx.Request,
        attempt: int,
        started: float,
        response: httpx.Response | None = None,
        failure: str = "",
    ) -> None:
        if not started or not logger.isEnabledFor(logging.INFO):
            return
        millis = (time.perf_counter() - started) * 1000
        outcome = failure if response is None else str(response.status_code)
        logger.info(
            "%s %s -> %s in %.1f ms (attempt %d)",
            request.method,
            self.url(request.url),
            outcome,
            millis,
            attempt + 1,
        )
        if logger.isEnabledFor(logging.DEBUG):
            try:
                sent = request.content
            except httpx.RequestNotRead:
                sent = b"<streamed>"
            if sent:
                logger.debug("request body: %s", self.body(sent))
            if response is not None:
                try:
                    received = response.content
                except httpx.ResponseNotRead:
                    received = b"<streamed>"
                if received:
                    logger.debug("response body: %s", self.body(received))

    def url(self, url: httpx.URL) -> str:
        shown = url.copy_with(username=None, password=None) if url.userinfo else url
        if self._query and url.query:
            params = url.params
            if any(name in params for name in self._query):
                shown = shown.copy_with(
                    params=[
                        (name, REDACTED if name in self._query else value)
                        for name, value in params.multi_items()
                    ]
                )
        return self.scrub(str(shown))

    def body(self, content: bytes) -> str:
        text = content[: LOG_BODY_LIMIT * 4].decode("utf-8", "replace")
        try:
            parsed = json.loads(content)
        except ValueError:
            pass
        else:
            text = json.dumps(self._redact(parsed), ensure_ascii=False)
        text = self.scrub(text)
        if len(text) > LOG_BODY_LIMIT:
            text = text[:LOG_BODY_LIMIT] + "..."
        return text

    def scrub(self, text: str) -> str:
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        return text

    def _redact(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: (
                    REDACTED
                    if isinstance(key, str) and key.lower() in self._fields
                    else self._redact(item)
                )
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self._redact(item) for item in value]
        return value
