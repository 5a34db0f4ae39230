"""A WebSocket server on 127.0.0.1 that plays the agent of the bundled conversation document.

`DocumentAgent` runs a websockets server on its own asyncio loop in one thread. By default each
connection plays the conversation of the document's `x-fern-examples`
(spec/elevenlabs-convai-asyncapi.yml) in order: it sends each server ("subscribe") message and,
at each client ("publish") message, waits for what the client sends and keeps it in `received`;
then an interruption, a message of a type the document does not list, and a normal close.
`scenario` replaces that; `requests` keeps each handshake request.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import yaml
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request

from tests.support.generation import REPO

__all__ = ["DOCUMENT", "INTERRUPTION", "UNLISTED", "DocumentAgent", "examples"]

DOCUMENT = REPO / "spec" / "elevenlabs-convai-asyncapi.yml"
INTERRUPTION = {"type": "interruption", "interruption_event": {"event_id": 7}}
UNLISTED = {"type": "agent_chat_response_part", "text_response_part": {"text": "Hel"}}


def examples() -> list[tuple[str, str, dict[str, Any]]]:
    """The document's example conversation: (publish | subscribe, messageId, value)."""
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    channel = document["channels"]["/v1/convai/conversation"]
    return [
        (m["type"], m["messageId"], m["value"])
        for example in channel["x-fern-examples"]
        for m in example["messages"]
    ]


class DocumentAgent:
    """The agent's side of the conversation (see the module docstring)."""

    def __init__(self) -> None:
        self.scenario: Callable[[ServerConnection], Awaitable[None]] = self.play_document
        self.received: list[Any] = []
        self.requests: list[Request] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: Server = self._run(self._start())
        self.port = self.server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.url = f"ws://127.0.0.1:{self.port}/v1/convai/conversation"

    async def _start(self) -> Server:
        return await serve(self._handle, "127.0.0.1", 0, process_request=self._record)

    def _run(self, coroutine: Awaitable[Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)  # type: ignore[arg-type]

    def _record(self, connection: ServerConnection, request: Request) -> None:
        self.requests.append(request)

    async def _handle(self, websocket: ServerConnection) -> None:
        await self.scenario(websocket)

    async def receive(self, websocket: ServerConnection) -> Any:
        message = json.loads(await websocket.recv())
        self.received.append(message)
        return message

    async def play_document(self, websocket: ServerConnection) -> None:
        for direction, _, value in examples():
            if direction == "subscribe":
                await websocket.send(json.dumps(value))
            else:
                await self.receive(websocket)
        await websocket.send(json.dumps(INTERRUPTION))
        await websocket.send(json.dumps(UNLISTED))
        await websocket.close(1000)

    def stop(self) -> None:
        self.server.close()
        self._run(self.server.wait_closed())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()
