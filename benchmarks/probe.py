"""Probe: one client, in a fresh process, doing one benchmarked thing; prints one JSON line.

    python benchmarks/probe.py KIND MODE [URL]

KIND is a JSON object: {"kind": "ours" | "sdk" | "opc", "package": ..., "client": ...,
"base_url": ..., "module": ...}. MODE is one of:

- import: time from the first line of this script to a constructed client whose
  conversational_ai.conversations.get_signed_url has been touched (looked up, not called);
- call-mock: per-call time of get_signed_url on an httpx.MockTransport, interleaved with a raw
  `httpx.Client.get(url).json()` of the same URL on the same kind of transport;
- call-loopback URL: the same against a real HTTP/1.1 server at URL (keep-alive);
- memory: peak RSS of a process that imports the client and makes one call (MockTransport).

Stand-alone on purpose: it runs in the project's virtualenv and in the peers' one alike.
"""

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402

PATH = "/v1/convai/conversation/get-signed-url"
BODY = b'{"signed_url": "wss://api.example.test/v1/convai/conversation?token=abc", "conversation_id": "conv_1"}'
AGENT = "agent_123"


def make_client(kind, base_url, transport):
    """The client of `kind` and a function that makes the call; transport None means the network."""
    import httpx

    name = kind["kind"]
    args = {"transport": transport} if transport is not None else {}
    if name == "ours":
        package = __import__(kind["package"], fromlist=[kind["client"]])
        client = getattr(package, kind["client"])(
            api_key="sk-bench", base_url=base_url, httpx_client=httpx.Client(**args)
        )
        conversations = client.conversational_ai.conversations
        return lambda: conversations.get_signed_url(agent_id=AGENT).signed_url
    if name == "sdk":
        from elevenlabs import ElevenLabs

        client = ElevenLabs(
            api_key="sk-bench", base_url=base_url, httpx_client=httpx.Client(**args)
        )
        conversations = client.conversational_ai.conversations
        return lambda: conversations.get_signed_url(agent_id=AGENT).signed_url
    if name == "opc":
        package = __import__(kind["package"], fromlist=["AuthenticatedClient"])
        operation = __import__(kind["module"], fromlist=["sync"])
        client = package.AuthenticatedClient(
            base_url=base_url,
            token="sk-bench",
            prefix="",
            auth_header_name="xi-api-key",
            httpx_args=args,
        )
        return lambda: operation.sync(client=client, agent_id=AGENT).signed_url
    raise SystemExit(f"unknown kind {name!r}")


def touch(kind):
    """Import, construct, look the operation up: what a user's first line of code costs."""
    name = kind["kind"]
    if name == "ours":
        package = __import__(kind["package"], fromlist=[kind["client"]])
        client = getattr(package, kind["client"])(api_key="sk-bench", base_url=kind["base_url"])
        return client.conversational_ai.conversations.get_signed_url
    if name == "sdk":
        from elevenlabs import ElevenLabs

        client = ElevenLabs(api_key="sk-bench")
        return client.conversational_ai.conversations.get_signed_url
    if name == "opc":
        package = __import__(kind["package"], fromlist=["AuthenticatedClient"])
        package.AuthenticatedClient(base_url=kind["base_url"], token="sk-bench")
        return __import__(kind["module"], fromlist=["sync"]).sync
    raise SystemExit(f"unknown kind {name!r}")


def handler(request):
    import httpx

    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


def per_call(functions, rounds, batch):
    """Median microseconds per call of each function over interleaved batches (order alternates)."""
    times = {name: [] for name in functions}
    names = list(functions)
    for function in functions.values():  # warm up: lazy imports, connection, caches
        for _ in range(20):
            function()
    for index in range(rounds):
        for name in names if index % 2 == 0 else reversed(names):
            function = functions[name]
            started = time.perf_counter()
            for _ in range(batch):
                function()
            times[name].append((time.perf_counter() - started) / batch * 1e6)
    return times


def main():
    kind = json.loads(sys.argv[1])
    mode = sys.argv[2]
    if mode == "import":
        touch(kind)
        seconds = time.perf_counter() - STARTED
        print(json.dumps({"seconds": seconds, "modules": len(sys.modules)}))
        return
    import httpx

    if mode == "memory":
        call = make_client(kind, kind["base_url"], httpx.MockTransport(handler))
        assert call().startswith("wss://")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"max_rss_mib": peak, "modules": len(sys.modules)}))
        return
    if mode == "call-mock":
        base, transport, rounds, batch = kind["base_url"], httpx.MockTransport(handler), 41, 400
    elif mode == "call-loopback":
        base, transport, rounds, batch = sys.argv[3], None, 21, 100
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    call = make_client(kind, base, transport)
    raw_client = httpx.Client(transport=transport) if transport is not None else httpx.Client()
    url = f"{base}{PATH}?agent_id={AGENT}"
    assert call().startswith("wss://") and raw_client.get(url).json()["signed_url"]
    times = per_call(
        {"raw": lambda: raw_client.get(url).json(), "client": call}, rounds=rounds, batch=batch
    )
    raw, client = statistics.median(times["raw"]), statistics.median(times["client"])
    print(
        json.dumps(
            {
                "raw_us": raw,
                "client_us": client,
                "ratio": client / raw,
                "raw_all": times["raw"],
                "client_all": times["client"],
            }
        )
    )


if __name__ == "__main__":
    main()
