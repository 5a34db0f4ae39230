"""The HTTP runtime generated clients call, copied verbatim into each package as `_runtime`.

Each name is imported from its module on first use, so that importing a client and creating
one import neither httpx nor pydantic: those come with the first request.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import AsyncClientBase, SyncClientBase, secret_header
    from ._constants import (
        DEFAULT_MAX_RETRIES,
        DEFAULT_TIMEOUT,
        INITIAL_RETRY_DELAY,
        MAX_RETRY_AFTER,
        MAX_RETRY_DELAY,
    )
    from ._endpoint import (
        BytesResult,
        ContentTypeResult,
        Endpoint,
        JsonLinesResult,
        JsonResult,
        NoneResult,
        ResultKind,
        SseResult,
        StatusResult,
        TextResult,
    )
    from ._errors import ApiConnectionError, ApiError, ResponseValidationError
    from ._http import AsyncHttp, SyncHttp
    from ._request import Request
    from ._response import RawResponse
    from ._retry import retry_delay, should_retry
    from ._sse import ServerSentEvent
    from ._timeout_error import ApiTimeoutError
    from ._types import OMIT, FileInput, Omit, RequestOptions

_MODULES: dict[str, str] = {
    "DEFAULT_MAX_RETRIES": "_constants",
    "DEFAULT_TIMEOUT": "_constants",
    "INITIAL_RETRY_DELAY": "_constants",
    "MAX_RETRY_AFTER": "_constants",
    "MAX_RETRY_DELAY": "_constants",
    "OMIT": "_types",
    "ApiConnectionError": "_errors",
    "ApiError": "_errors",
    "ApiTimeoutError": "_timeout_error",
    "AsyncClientBase": "_client",
    "AsyncHttp": "_http",
    "BytesResult": "_endpoint",
    "ContentTypeResult": "_endpoint",
    "Endpoint": "_endpoint",
    "FileInput": "_types",
    "JsonLinesResult": "_endpoint",
    "JsonResult": "_endpoint",
    "NoneResult": "_endpoint",
    "Omit": "_types",
    "RawResponse": "_response",
    "Request": "_request",
    "RequestOptions": "_types",
    "ResponseValidationError": "_errors",
    "ResultKind": "_endpoint",
    "ServerSentEvent": "_sse",
    "SseResult": "_endpoint",
    "StatusResult": "_endpoint",
    "SyncClientBase": "_client",
    "SyncHttp": "_http",
    "TextResult": "_endpoint",
    "retry_delay": "_retry",
    "secret_header": "_client",
    "should_retry": "_retry",
}

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "OMIT",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AsyncClientBase",
    "AsyncHttp",
    "BytesResult",
    "ContentTypeResult",
    "Endpoint",
    "FileInput",
    "JsonLinesResult",
    "JsonResult",
    "NoneResult",
    "Omit",
    "RawResponse",
    "Request",
    "RequestOptions",
    "ResponseValidationError",
    "ResultKind",
    "ServerSentEvent",
    "SseResult",
    "StatusResult",
    "SyncClientBase",
    "SyncHttp",
    "TextResult",
    "retry_delay",
    "secret_header",
    "should_retry",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
