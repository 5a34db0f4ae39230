"""A scripted HTTP/1.1 server on 127.0.0.1 for tests: queue responses, read back requests.

    server = LoopbackServer().start()
    server.respond(200, json={"ok": True})
    httpx.get(server.url + "/v1/x?a=1")
    server.requests[0].query  # [("a", "1")]
    server.stop()

Each response goes out in one write with TCP_NODELAY (no 40 ms Nagle/delayed-ACK stalls);
a response with `parts` is sent chunked, one write per part, `part_delay` apart; with
`resume` (a threading.Event) the server sends the first part, then waits until the test sets
it before sending the rest (after 5 s unset, it drops the connection instead). When no response is
queued the server answers with the `answer_with` function if one is set, else 418 saying so.
"""

from __future__ import annotations

import json as jsonlib
import socket
import socketserver
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["LoopbackServer", "RecordedRequest", "ScriptedResponse"]


@dataclass(frozen=True)
class ScriptedResponse:
    """One response to send: status, headers, body (or streamed `parts`), optional delay."""

    status: int = 200
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""
    delay: float = 0.0
    parts: Sequence[bytes] | None = None
    part_delay: float = 0.0
    resume: threading.Event | None = None


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    path: str = field(init=False)
    query: list[tuple[str, str]] = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.target)
        object.__setattr__(self, "path", parts.path)
        object.__setattr__(self, "query", parse_qsl(parts.query, keep_blank_values=True))

    def header(self, name: str) -> str | None:
        """The first value of a header (case-insensitive), or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        return jsonlib.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        request = RecordedRequest(
            method=self.command,
            target=self.path,
            headers=list(self.headers.items()),
            body=body,
        )
        self.server.record(request)
        response = self.server.next_response(request)
        if response.delay and self.server.stopping.wait(response.delay):
            self.close_connection = True
            return
        reason = self.responses.get(response.status, ("",))[0]
        head = [f"HTTP/1.1 {response.status} {reason}"]
        head += [f"{name}: {value}" for name, value in response.headers]
        if response.parts is None:
            head.append(f"Content-Length: {len(response.body)}")
            self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.body)
            return
        head.append("Transfer-Encoding: chunked")
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        for index, part in enumerate(response.parts):
            if response.part_delay and self.server.stopping.wait(response.part_delay):
                self.close_connection = True
                return
            if index == 1 and response.resume is not None and not self._await(response.resume):
                self.close_connection = True  # cut the body short: a client waiting for it fails
                return
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        self.wfile.write(b"0\r\n\r\n")

    def _await(self, resume: threading.Event, limit: float = 5.0) -> bool:
        deadline = time.monotonic() + limit
        while not resume.wait(0.01):
            if self.server.stopping.is_set() or time.monotonic() > deadline:
                return False
        return True

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.queue: deque[ScriptedResponse] = deque()
        self.requests: list[RecordedRequest] = []
        self.fallback: Callable[[RecordedRequest], ScriptedResponse] | None = None

    def record(self, request: RecordedRequest) -> None:
        with self.lock:
            self.requests.append(request)

    def next_response(self, request: RecordedRequest) -> ScriptedResponse:
        with self.lock:
            if self.queue:
                return self.queue.popleft()
            fallback = self.fallback
        if fallback is not None:
            return fallback(request)
        return ScriptedResponse(418, [("content-type", "text/plain")], b"no scripted response")


class LoopbackServer:
    """Start, script with `respond`, inspect `requests`, stop."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._server.lock:
            return list(self._server.requests)

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer_with(self, fallback: Callable[[RecordedRequest], ScriptedResponse]) -> None:
        """Answer every request that finds no queued response with `fallback(request)`."""
        with self._server.lock:
            self._server.fallback = fallback

    def respond(
        self,
        status: int = 200,
        *,
        json: Any = None,
        body: bytes | str = b"",
        headers: Sequence[tuple[str, str]] = (),
        delay: float = 0.0,
        parts: Sequence[bytes] | None = None,
        part_delay: float = 0.0,
        resume: threading.Event | None = None,
    ) -> None:
        """Queue the next response. `json` sets the body and an application/json type."""
        headers = list(headers)
        if json is not None:
            body = jsonlib.dumps(json)
            headers.append(("content-type", "application/json"))
        if isinstance(body, str):
            body = body.encode("utf-8")
        scripted = ScriptedResponse(status, headers, body, delay, parts, part_delay, resume)
        with self._server.lock:
            self._server.queue.append(scripted)
