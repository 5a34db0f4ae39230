"""Request hooks: functions a client runs at each attempt of each call, inside the retry loop.

    def sign(request: httpx.Request, attempt: int) -> None:
        request.headers["x-signature"] = make_signature(request)   # read or change it

    def record(response: httpx.Response, attempt: int) -> None:
        metrics.observe(response.status_code, response.elapsed)

    def alert(error: Exception, request: httpx.Request, attempt: int) -> None:
        sentry.capture(error)

    client = Example(hooks=Hooks(before_request=[sign], after_response=[record],
                                 on_error=[alert]))

`before_request(request, attempt)` runs before each attempt is sent (retries and the
repeat after an OAuth2 token renewal included; `attempt` counts from 0); it may change the
request in place or return another `httpx.Request` to send instead. `after_response(
response, attempt)` runs for every response (the last of any redirects), 2xx or not,
before the runtime decides to retry. `on_error(error, request, attempt)` runs for each
failed attempt with the error the call would raise at that point: ApiConnectionError /
ApiTimeoutError for a connection failure, the ApiError (or its per-status subclass) for a
non-2xx response, whether or not it is retried. On the asynchronous client a hook may be
a coroutine function; it is awaited. An exception a hook raises ends the call with it.

Without hooks (the default) the send loop only tests `hooks is not None`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = ["AfterResponse", "BeforeRequest", "Hooks", "OnError"]

BeforeRequest = Callable[["httpx.Request", int], Any]
AfterResponse = Callable[["httpx.Response", int], Any]
OnError = Callable[[Exception, "httpx.Request", int], Any]


class Hooks:
    """The hooks of one client, each a sequence run in order."""

    __slots__ = ("after_response", "before_request", "on_error")

    def __init__(
        self,
        *,
        before_request: Iterable[BeforeRequest] = (),
        after_response: Iterable[AfterResponse] = (),
        on_error: Iterable[OnError] = (),
    ) -> None:
        self.before_request = tuple(before_request)
        self.after_response = tuple(after_response)
        self.on_error = tuple(on_error)

    def __repr__(self) -> str:
        counts = (
            f"before_request={len(self.before_request)}, "
            f"after_response={len(self.after_response)}, on_error={len(self.on_error)}"
        )
        return f"Hooks({counts})"

    def __bool__(self) -> bool:
        return bool(self.before_request or self.after_response or self.on_error)

    def before(self, request: httpx.Request, attempt: int) -> httpx.Request:
        for hook in self.before_request:
            replaced = hook(request, attempt)
            if replaced is not None and hasattr(replaced, "headers"):
                request = replaced
        return request

    def after(self, response: httpx.Response, attempt: int) -> None:
        for hook in self.after_response:
            hook(response, attempt)

    def error(self, error: Exception, request: httpx.Request, attempt: int) -> None:
        for hook in self.on_error:
            hook(error, request, attempt)

    async def abefore(self, request: httpx.Request, attempt: int) -> httpx.Request:
        for hook in self.before_request:
            replaced = hook(request, attempt)
            if hasattr(replaced, "__await__"):
                replaced = await replaced
            if replaced is not None and hasattr(replaced, "headers"):
                request = replaced
        return request

    async def aafter(self, response: httpx.Response, attempt: int) -> None:
        for hook in self.after_response:
            done = hook(response, attempt)
            if hasattr(done, "__await__"):
                await done

    async def aerror(
        self, error: Exception, request: httpx.Request, attempt: int
    ) -> None:
        for hook in self.on_error:
            done = hook(error, request, attempt)
            if hasattr(done, "__await__"):
                await done
