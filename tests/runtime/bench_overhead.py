"""Per-call overhead of the runtime against raw httpx on MockTransport (a script, not a test).

    .venv/bin/python -m tests.runtime.bench_overhead

Interleaves batches of a raw `httpx.Client.get(url).json()` and the same call through
`SyncHttp.call` (model result, three query params of which two are None, an API key header)
and prints the best per-call time of each and their ratio.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
from pydantic import BaseModel

from generator.runtime import Endpoint, JsonResult, Request, SyncHttp


class SignedUrl(BaseModel):
    signed_url: str
    conversation_id: str | None = None


BODY = json.dumps(
    {"signed_url": "wss://example.test/x?token=abc", "conversation_id": "c1"}
).encode()
BASE = "https://api.example.test"
PATH = "/v1/convai/conversation/get-signed-url"
ENDPOINT: Endpoint[SignedUrl] = Endpoint(method="GET", path=PATH, result=JsonResult(SignedUrl))


def _handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


def best_per_call(
    functions: dict[str, Callable[[], object]], rounds: int = 40, batch: int = 500
) -> dict[str, float]:
    """Best microseconds per call of each function over interleaved batches."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(rounds):
        for name, function in functions.items():
            started = time.perf_counter()
            for _ in range(batch):
                function()
            best[name] = min(best[name], (time.perf_counter() - started) / batch * 1e6)
    return best


def main() -> None:
    client = httpx.Client(transport=httpx.MockTransport(_handler))
    http = SyncHttp(base_url=BASE, secret_headers={"xi-api-key": "k"}, httpx_client=client)
    url = f"{BASE}{PATH}?agent_id=abc"
    query = (("agent_id", "abc"), ("include_conversation_id", None), ("branch_id", None))
    best = best_per_call(
        {
            "raw httpx": lambda: client.get(url).json(),
            "runtime": lambda: http.call(ENDPOINT, Request(query=query)),
        }
    )
    for name, micros in best.items():
        print(f"{name:10} {micros:7.1f} us/call")
    print(f"ratio      {best['runtime'] / best['raw httpx']:7.3f}")


if __name__ == "__main__":
    main()
