"""The HTTP runtime generated clients call, copied verbatim into each package as `_runtime`.

Each name is imported from its module on first use, so that importing a client and creating
one import neither httpx nor pydantic: those come with the first request.

Credentials. `SyncClientBase` / `AsyncClientBase` (and `SyncHttp` / `AsyncHttp`) take
`secret_headers=` (headers sent on every request, e.g. `secret_header("X-Api-Key", api_key,
env_var="EXAMPLE_API_KEY")`) and `auth=`, one scheme object per security scheme of the
spec, named as in `components.securitySchemes`, its credentials given as `Secret`s made by
`secret(value, "argument_name", env_var="ENV_VAR")` (the variable read at construction):

    ApiKeyAuth(name, parameter="X-Api-Key", location="header" | "query" | "cookie", key=...)
    HttpBasicAuth(name, username=..., password=...)
    HttpAuth(name, token=..., scheme="Bearer")   # other http schemes; openIdConnect too
    OAuth2Auth(name, token=...)                  # a token given directly, or the
    OAuth2Auth(name, token_url=..., client_id=..., client_secret=..., scopes=(...),
               client_auth="basic" | "body")     # clientCredentials flow, tokens fetched

`Endpoint(security=...)` says which schemes an operation accepts: a tuple of alternatives,
each a tuple of scheme names required together; `()` in it makes credentials optional;
None (the default) declares nothing. The first alternative whose credentials are all set is
applied; when none is (and none is empty), MissingCredentialsError is raised before
anything is sent, naming the schemes and the arguments or environment variables that
would satisfy them. OAuth2 clientCredentials tokens are fetched from `token_url` (and only
there, with the same httpx client and timeout), kept until TOKEN_REFRESH_MARGIN seconds
before `expires_in` runs out, and fetched anew once on a 401, the request then repeated
once. No repr, error message or log record shows a credential.

Redirects. The runtime follows redirects itself (httpx's following is off on every send,
also on a caller's httpx client), at most MAX_REDIRECTS in a row (TooManyRedirectsError
beyond). 301, 302 and 303 turn methods other than GET and HEAD into a GET without body;
307 and 308 keep the method and body. While every hop stays on the first request's origin
(scheme, host and port) credentials are kept; from the first hop to another origin on,
none is sent: no Authorization, no credential header, query parameter or Cookie header, no
auth of a caller's httpx client.

Parameters and bodies. A generated `request(...)` returns a `Request`: (name, value) pairs
for query, headers and cookies, `path_params`, and one body. A bare value is serialized as
OpenAPI's default for its place; `Styled(value, style, explode=..., allow_reserved=...)`
gives a declared style, `Encoded(value, media_type)` a parameter declared with `content`,
`Part(value, content_type, headers)` a multipart encoding; `content_type=` names the media
type sent when it is not the body's default (see `_params`, `_encoding`, `_bodies`).

Servers. A client's base URL is a `BaseUrl(url, variables=..., default_server=...)` when
the spec has server variables or operations with servers of their own (`Endpoint.servers`,
URL templates); see `_servers` for where such an operation goes.

Real time. `SyncRealtimeSession` / `AsyncRealtimeSession` hold a typed WebSocket session
(a channel of an AsyncAPI document): server frames decoded by a `MessageDecoder` over the
message models (`UnknownMessage` for a type it does not know), automatic replies
(`Reply`), typed close and timeout errors (`RealtimeError` and below); `websockets`, the
package's optional extra `realtime`, is imported only when a session connects. See
`_realtime`; a generated channel is a `RealtimeChannel` its group's `connect` opens with
the client's base URL and credentials (`_realtime_connect`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Type checkers see deprecated operations as such; at run time, _deprecation's decorator.
    from typing_extensions import deprecated as deprecated_operation

    from ._auth import (
        ApiKeyAuth,
        AuthScheme,
        HttpAuth,
        HttpBasicAuth,
        OAuth2Auth,
        Secret,
        secret,
    )
    from ._client import AsyncClientBase, SyncClientBase, secret_header
    from ._constants import (
        DEFAULT_MAX_RETRIES,
        DEFAULT_TIMEOUT,
        INITIAL_RETRY_DELAY,
        MAX_REDIRECTS,
        MAX_RETRY_AFTER,
        MAX_RETRY_DELAY,
        REALTIME_CONNECT_TIMEOUT,
        TOKEN_REFRESH_MARGIN,
    )
    from ._deprecation import deprecated_parameter
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
    from ._errors import (
        ApiConnectionError,
        ApiError,
        MissingCredentialsError,
        ResponseValidationError,
        TokenRequestError,
        TooManyRedirectsError,
    )
    from ._hooks import Hooks
    from ._http import AsyncHttp, SyncHttp
    from ._pages import AsyncPage, AsyncPager, SyncPage
    from ._pagination import Pagination
    from ._params import Encoded, Part, Style, Styled
    from ._realtime import AsyncRealtimeSession, SyncRealtimeSession
    from ._realtime_connect import RealtimeChannel, handshake_credentials
    from ._realtime_errors import (
        RealtimeClosedError,
        RealtimeConnectionError,
        RealtimeDependencyError,
        RealtimeError,
        RealtimeHandshakeError,
        RealtimeMessageError,
        RealtimeTimeoutError,
    )
    from ._realtime_messages import MessageDecoder, Reply, UnknownMessage
    from ._request import Request
    from ._response import RawResponse
    from ._retry import retry_delay, should_retry
    from ._servers import BaseUrl
    from ._sse import ServerSentEvent
    from ._timeout_error import ApiTimeoutError
    from ._types import OMIT, BodyContent, FileInput, Identity, Omit, RequestOptions
    from ._webhooks import (
        EmptySecretError,
        HmacScheme,
        InvalidSecretError,
        InvalidSignatureError,
        MalformedHeaderError,
        MissingHeaderError,
        StandardWebhooks,
        TimestampToleranceError,
        WebhookScheme,
        WebhookVerificationError,
        construct_event,
        verify_signature,
    )

_MODULES: dict[str, str] = {
    "DEFAULT_MAX_RETRIES": "_constants",
    "DEFAULT_TIMEOUT": "_constants",
    "INITIAL_RETRY_DELAY": "_constants",
    "MAX_REDIRECTS": "_constants",
    "MAX_RETRY_AFTER": "_constants",
    "MAX_RETRY_DELAY": "_constants",
    "OMIT": "_types",
    "REALTIME_CONNECT_TIMEOUT": "_constants",
    "TOKEN_REFRESH_MARGIN": "_constants",
    "ApiConnectionError": "_errors",
    "ApiError": "_errors",
    "ApiKeyAuth": "_auth",
    "ApiTimeoutError": "_timeout_error",
    "AsyncClientBase": "_client",
    "AsyncHttp": "_http",
    "AsyncPage": "_pages",
    "AsyncPager": "_pages",
    "AsyncRealtimeSession": "_realtime",
    "AuthScheme": "_auth",
    "BaseUrl": "_servers",
    "BodyContent": "_types",
    "BytesResult": "_endpoint",
    "ContentTypeResult": "_endpoint",
    "EmptySecretError": "_webhooks",
    "Encoded": "_params",
    "Endpoint": "_endpoint",
    "FileInput": "_types",
    "HmacScheme": "_webhooks",
    "Hooks": "_hooks",
    "HttpAuth": "_auth",
    "HttpBasicAuth": "_auth",
    "Identity": "_types",
    "InvalidSecretError": "_webhooks",
    "InvalidSignatureError": "_webhooks",
    "JsonLinesResult": "_endpoint",
    "JsonResult": "_endpoint",
    "MalformedHeaderError": "_webhooks",
    "MessageDecoder": "_realtime_messages",
    "MissingCredentialsError": "_errors",
    "MissingHeaderError": "_webhooks",
    "NoneResult": "_endpoint",
    "OAuth2Auth": "_auth",
    "Omit": "_types",
    "Pagination": "_pagination",
    "Part": "_params",
    "RawResponse": "_response",
    "RealtimeChannel": "_realtime_connect",
    "RealtimeClosedError": "_realtime_errors",
    "RealtimeConnectionError": "_realtime_errors",
    "RealtimeDependencyError": "_realtime_errors",
    "RealtimeError": "_realtime_errors",
    "RealtimeHandshakeError": "_realtime_errors",
    "RealtimeMessageError": "_realtime_errors",
    "RealtimeTimeoutError": "_realtime_errors",
    "Reply": "_realtime_messages",
    "Request": "_request",
    "RequestOptions": "_types",
    "ResponseValidationError": "_errors",
    "ResultKind": "_endpoint",
    "Secret": "_auth",
    "ServerSentEvent": "_sse",
    "SseResult": "_endpoint",
    "StandardWebhooks": "_webhooks",
    "StatusResult": "_endpoint",
    "Style": "_params",
    "Styled": "_params",
    "SyncClientBase": "_client",
    "SyncHttp": "_http",
    "SyncPage": "_pages",
    "SyncRealtimeSession": "_realtime",
    "TextResult": "_endpoint",
    "TimestampToleranceError": "_webhooks",
    "TokenRequestError": "_errors",
    "TooManyRedirectsError": "_errors",
    "UnknownMessage": "_realtime_messages",
    "WebhookScheme": "_webhooks",
    "WebhookVerificationError": "_webhooks",
    "construct_event": "_webhooks",
    "deprecated_operation": "_deprecation",
    "deprecated_parameter": "_deprecation",
    "handshake_credentials": "_realtime_connect",
    "retry_delay": "_retry",
    "secret": "_auth",
    "secret_header": "_client",
    "should_retry": "_retry",
    "verify_signature": "_webhooks",
}

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "INITIAL_RETRY_DELAY",
    "MAX_REDIRECTS",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "OMIT",
    "REALTIME_CONNECT_TIMEOUT",
    "TOKEN_REFRESH_MARGIN",
    "ApiConnectionError",
    "ApiError",
    "ApiKeyAuth",
    "ApiTimeoutError",
    "AsyncClientBase",
    "AsyncHttp",
    "AsyncPage",
    "AsyncPager",
    "AsyncRealtimeSession",
    "AuthScheme",
    "BaseUrl",
    "BodyContent",
    "BytesResult",
    "ContentTypeResult",
    "EmptySecretError",
    "Encoded",
    "Endpoint",
    "FileInput",
    "HmacScheme",
    "Hooks",
    "HttpAuth",
    "HttpBasicAuth",
    "Identity",
    "InvalidSecretError",
    "InvalidSignatureError",
    "JsonLinesResult",
    "JsonResult",
    "MalformedHeaderError",
    "MessageDecoder",
    "MissingCredentialsError",
    "MissingHeaderError",
    "NoneResult",
    "OAuth2Auth",
    "Omit",
    "Pagination",
    "Part",
    "RawResponse",
    "RealtimeChannel",
    "RealtimeClosedError",
    "RealtimeConnectionError",
    "RealtimeDependencyError",
    "RealtimeError",
    "RealtimeHandshakeError",
    "RealtimeMessageError",
    "RealtimeTimeoutError",
    "Reply",
    "Request",
    "RequestOptions",
    "ResponseValidationError",
    "ResultKind",
    "Secret",
    "ServerSentEvent",
    "SseResult",
    "StandardWebhooks",
    "StatusResult",
    "Style",
    "Styled",
    "SyncClientBase",
    "SyncHttp",
    "SyncPage",
    "SyncRealtimeSession",
    "TextResult",
    "TimestampToleranceError",
    "TokenRequestError",
    "TooManyRedirectsError",
    "UnknownMessage",
    "WebhookScheme",
    "WebhookVerificationError",
    "construct_event",
    "deprecated_operation",
    "deprecated_parameter",
    "handshake_credentials",
    "retry_delay",
    "secret",
    "secret_header",
    "should_retry",
    "verify_signature",
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
