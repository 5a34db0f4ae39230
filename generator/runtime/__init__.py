"""The HTTP runtime generated clients call, copied verbatim into each package as `_runtime`."""

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
from ._errors import ApiConnectionError, ApiError, ApiTimeoutError, ResponseValidationError
from ._http import AsyncHttp, SyncHttp
from ._request import Request
from ._response import RawResponse
from ._retry import retry_delay, should_retry
from ._sse import ServerSentEvent
from ._types import OMIT, FileInput, Omit, RequestOptions

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
