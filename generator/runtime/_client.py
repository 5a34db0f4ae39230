"""Base classes of generated clients, and `secret_header` for API keys read at construction.

A generated client's constructor turns its credential arguments into `secret_headers`
(one API key header sent on every request) or `auth` (security schemes from `_auth`, chosen
per operation by `Endpoint.security`), reading environment variables when it runs.

It also passes `identity=Identity(distribution, version, headers=...)` (see `_identity`),
`log_env_var="EXAMPLE_LOG"` (debug or info turns logging on, see `_logs`) and the caller's
`hooks=Hooks(...)` (see `_hooks`), `sensitive_fields` and the caller's `strict_responses`
(False: a 2xx JSON body that does not match its type is kept, with raw values where it does
not, instead of raising ResponseValidationError; see `_decoding.lenient_validator_for`):

    super().__init__(base_url=..., headers=headers, auth=..., hooks=hooks,
                     identity=Identity("example-client", __version__),
                     log_env_var="EXAMPLE_LOG")
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Self

from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._http import AsyncHttp, SyncHttp

if TYPE_CHECKING:
    import httpx

    from ._auth import AuthScheme
    from ._hooks import Hooks
    from ._types import Identity

__all__ = ["AsyncClientBase", "SyncClientBase", "secret_header"]


def secret_header(
    name: str, value: str | None, *, env_var: str | None = None, prefix: str = ""
) -> dict[str, str]:
    """`{name: prefix + value}`, falling back to the environment variable `env_var` read now
    (at client construction, never at import); `{}` when neither is set.

    >>> secret_header("X-Api-Key", None, env_var="EXAMPLE_API_KEY")
    {'X-Api-Key': '...'}
    >>> secret_header("Authorization", "t0k3n", prefix="Bearer ")
    {'Authorization': 'Bearer t0k3n'}
    """
    if value is None and env_var is not None:
        value = os.environ.get(env_var)
    return {} if value is None else {name: prefix + value}


def _configure_logging(level: str) -> None:
    """Log at `level` ("debug" or "info", any case; else nothing) under the runtime's
    logger, with a stderr handler when no handler is configured anywhere."""
    level = level.strip().upper()
    if level not in ("DEBUG", "INFO"):
        return
    import logging

    runtime = logging.getLogger(__package__ or __name__)
    runtime.setLevel(level)
    if not runtime.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        runtime.addHandler(handler)


class SyncClientBase:
    """What every generated synchronous client is: `self._http`, closing, a safe repr.

    >>> with Example(api_key="...") as client:
    ...     client.items.list_items()
    """

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str | None] | None = None,
        secret_headers: Mapping[str, str] | None = None,
        auth: Iterable[AuthScheme] = (),
        timeout: float | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        httpx_client: httpx.Client | None = None,
        hooks: Hooks | None = None,
        identity: Identity | None = None,
        sensitive_fields: Iterable[str] = (),
        log_env_var: str | None = None,
        strict_responses: bool = True,
    ) -> None:
        if log_env_var is not None and os.environ.get(log_env_var):
            _configure_logging(os.environ[log_env_var])
        self._http = SyncHttp(
            base_url=base_url,
            headers=headers,
            secret_headers=secret_headers,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            httpx_client=httpx_client,
            hooks=hooks,
            identity=identity,
            sensitive_fields=sensitive_fields,
            strict_responses=strict_responses,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._http.base_url!r})"

    def close(self) -> None:
        """Release pooled connections (a caller's httpx client is left open)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClientBase:
    """What every generated asynchronous client is: `self._http`, closing, a safe repr.

    >>> async with AsyncExample(api_key="...") as client:
    ...     await client.items.list_items()
    """

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str | None] | None = None,
        secret_headers: Mapping[str, str] | None = None,
        auth: Iterable[AuthScheme] = (),
        timeout: float | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        httpx_client: httpx.AsyncClient | None = None,
        hooks: Hooks | None = None,
        identity: Identity | None = None,
        sensitive_fields: Iterable[str] = (),
        log_env_var: str | None = None,
        strict_responses: bool = True,
    ) -> None:
        if log_env_var is not None and os.environ.get(log_env_var):
            _configure_logging(os.environ[log_env_var])
        self._http = AsyncHttp(
            base_url=base_url,
            headers=headers,
            secret_headers=secret_headers,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            httpx_client=httpx_client,
            hooks=hooks,
            identity=identity,
            sensitive_fields=sensitive_fields,
            strict_responses=strict_responses,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._http.base_url!r})"

    async def aclose(self) -> None:
        """Release pooled connections (a caller's httpx client is left open)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
