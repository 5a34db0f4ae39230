"""Real-time sessions against a WebSocket server on 127.0.0.1 that plays the agent of the
conversation document (../shared/specs/elevenlabs-convai-asyncapi.yml), sync and async:
typed events, unknown types, automatic pong replies, tool results, and every bad ending."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from generator.runtime import (
    AsyncRealtimeSession,
    MessageDecoder,
    RealtimeClosedError,
    RealtimeConnectionError,
    RealtimeHandshakeError,
    RealtimeMessageError,
    RealtimeTimeoutError,
    Reply,
    SyncRealtimeSession,
    UnknownMessage,
)

RUNTIME = Path(__file__).resolve().parents[2] / "generator" / "runtime"
SIGNATURE = "sig-0123456789abcdef-secret"
API_KEY = "sk-realtime-0123456789abcdef"


# Server messages, as the generator would make them from the document's schemas.


class MetadataEvent(BaseModel):
    conversation_id: str | None = None
    agent_output_audio_format: str | None = None
    user_input_audio_format: str | None = None


class ConversationInitiationMetadata(BaseModel):
    type: Literal["conversation_initiation_metadata"] | None = "conversation_initiation_metadata"
    conversation_initiation_metadata_event: MetadataEvent | None = None


class TranscriptEvent(BaseModel):
    user_transcript: str | None = None


class UserTranscript(BaseModel):
    type: Literal["user_transcript"] = "user_transcript"
    user_transcription_event: TranscriptEvent | None = None


class AgentResponseEvent(BaseModel):
    agent_response: str


class AgentResponse(BaseModel):
    type: Literal["agent_response"] = "agent_response"
    agent_response_event: AgentResponseEvent | None = None


class AudioEvent(BaseModel):
    audio_base_64: str | None = None
    event_id: int | None = None


class AudioResponse(BaseModel):
    type: Literal["audio"] = "audio"
    audio_event: AudioEvent | None = None


class InterruptionEvent(BaseModel):
    event_id: int | None = None


class Interruption(BaseModel):
    type: Literal["interruption"] = "interruption"
    interruption_event: InterruptionEvent | None = None


class PingEvent(BaseModel):
    event_id: int | None = None
    ping_ms: int | None = None


class Ping(BaseModel):
    type: Literal["ping"] = "ping"
    ping_event: PingEvent | None = None


class ToolCall(BaseModel):
    tool_name: str | None = None
    tool_call_id: str | None = None
    parameters: dict[str, Any] | None = None


class ClientToolCall(BaseModel):
    type: Literal["client_tool_call"] = "client_tool_call"
    client_tool_call: ToolCall | None = None


ServerMessage = (
    ConversationInitiationMetadata
    | UserTranscript
    | AgentResponse
    | AudioResponse
    | Interruption
    | Ping
    | ClientToolCall
)
SERVER_MESSAGES = (
    ConversationInitiationMetadata,
    UserTranscript,
    AgentResponse,
    AudioResponse,
    Interruption,
    Ping,
    ClientToolCall,
)

# Client messages.


class ConversationInitiationClientData(BaseModel):
    type: Literal["conversation_initiation_client_data"] = "conversation_initiation_client_data"
    dynamic_variables: dict[str, str | float | bool] | None = None


class ClientToolResult(BaseModel):
    type: Literal["client_tool_result"] = "client_tool_result"
    tool_call_id: str | None = None
    result: str | None = None
    is_error: bool | None = None


UNLISTED = {"type": "agent_chat_response_part", "text_response_part": {"text": "Hel"}}
AGENT_SCRIPT: list[dict[str, Any]] = [
    {
        "type": "conversation_initiation_metadata",
        "conversation_initiation_metadata_event": {
            "conversation_id": "conv_123",
            "agent_output_audio_format": "pcm_16000",
        },
    },
    {"type": "user_transcript", "user_transcription_event": {"user_transcript": "Hi"}},
    {"type": "agent_response", "agent_response_event": {"agent_response": "Hello!"}},
    {"type": "audio", "audio_event": {"audio_base_64": "UklGRg==", "event_id": 1}},
]


class AgentServer:
    """A websockets server on its own asyncio loop in one thread; `scenario` plays each
    connection; what the client sent is kept in `received`, its requests in `requests`."""

    def __init__(self) -> None:
        self.scenario: Callable[[ServerConnection], Awaitable[None]] = self.play_agent
        self.refuse: HTTPStatus | None = None
        self.received: list[Any] = []
        self.requests: list[Request] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever)
        self.thread.start()
        self.server: Server = self._run(self._start())
        port = self.server.sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/v1/convai/conversation"

    async def _start(self) -> Server:
        return await serve(self._handle, "127.0.0.1", 0, process_request=self._check)

    def _run(self, coroutine: Awaitable[Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)  # type: ignore[arg-type]

    def _check(self, connection: ServerConnection, request: Request) -> Response | None:
        self.requests.append(request)
        if self.refuse is None:
            return None
        response = connection.respond(self.refuse, "no\n")
        if self.refuse == HTTPStatus.FOUND:
            response.headers["Location"] = "ws://elsewhere.test/"
        return response

    async def _handle(self, websocket: ServerConnection) -> None:
        await self.scenario(websocket)

    async def receive(self, websocket: ServerConnection) -> Any:
        message = json.loads(await websocket.recv())
        self.received.append(message)
        return message

    async def play_agent(self, websocket: ServerConnection) -> None:
        server = self
        await server.receive(websocket)  # conversation_initiation_client_data
        for message in AGENT_SCRIPT:
            await websocket.send(json.dumps(message))
        await websocket.send(
            json.dumps({"type": "ping", "ping_event": {"event_id": 3, "ping_ms": 50}})
        )
        await server.receive(websocket)  # the pong
        call = {"tool_name": "weather", "tool_call_id": "call_1", "parameters": {"city": "Oslo"}}
        await websocket.send(json.dumps({"type": "client_tool_call", "client_tool_call": call}))
        await server.receive(websocket)  # the tool result
        await websocket.send(
            json.dumps({"type": "interruption", "interruption_event": {"event_id": 1}})
        )
        await websocket.send(json.dumps(UNLISTED))
        await websocket.close(1000)

    def stop(self) -> None:
        self.server.close()
        self._run(self.server.wait_closed())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


@pytest.fixture
def agent() -> Iterator[AgentServer]:
    server = AgentServer()
    yield server
    server.stop()


def _session(kind: type[Any], agent: AgentServer, **options: Any) -> Any:
    options.setdefault("decoder", MessageDecoder[ServerMessage](SERVER_MESSAGES))
    return kind(
        f"{agent.url}?agent_id=agent_1&conversation_signature={SIGNATURE}",
        headers={"xi-api-key": API_KEY},
        distribution="elevenlabs-client",
        **options,
    )


def _converse(session: Any, events: list[Any]) -> None:
    session.send(ConversationInitiationClientData(dynamic_variables={"user_name": "Ada"}))
    for event in session:
        events.append(event)
        if isinstance(event, ClientToolCall):
            assert event.client_tool_call is not None
            call_id = event.client_tool_call.tool_call_id
            session.send(ClientToolResult(tool_call_id=call_id, result="sunny", is_error=False))


async def _aconverse(session: Any, events: list[Any]) -> None:
    await session.send(ConversationInitiationClientData(dynamic_variables={"user_name": "Ada"}))
    async for event in session:
        events.append(event)
        if isinstance(event, ClientToolCall):
            assert event.client_tool_call is not None
            call_id = event.client_tool_call.tool_call_id
            await session.send(
                {
                    "type": "client_tool_result",
                    "tool_call_id": call_id,
                    "result": "sunny",
                    "is_error": False,
                }
            )


def _check_conversation(agent: AgentServer, events: list[Any]) -> None:
    assert [type(event) for event in events] == [
        ConversationInitiationMetadata,
        UserTranscript,
        AgentResponse,
        AudioResponse,
        Ping,
        ClientToolCall,
        Interruption,
        UnknownMessage,
    ]
    assert events[2].agent_response_event.agent_response == "Hello!"
    assert events[-1] == UnknownMessage("agent_chat_response_part", UNLISTED)
    assert agent.received == [
        {"type": "conversation_initiation_client_data", "dynamic_variables": {"user_name": "Ada"}},
        {"type": "pong", "event_id": 3},
        {
            "type": "client_tool_result",
            "tool_call_id": "call_1",
            "result": "sunny",
            "is_error": False,
        },
    ]
    [request] = agent.requests
    assert (
        request.path
        == f"/v1/convai/conversation?agent_id=agent_1&conversation_signature={SIGNATURE}"
    )
    assert request.headers["xi-api-key"] == API_KEY


def test_a_sync_conversation_yields_typed_events_and_answers_pings(agent: AgentServer) -> None:
    threads = threading.active_count()
    events: list[Any] = []
    pong = Reply("pong", copy={"event_id": "ping_event.event_id"})
    with _session(SyncRealtimeSession, agent, auto_replies={"ping": pong}) as session:
        _converse(session, events)
    _check_conversation(agent, events)
    assert threading.active_count() == threads
    assert "closed" in repr(session)


def test_an_async_conversation_yields_typed_events_and_answers_pings(agent: AgentServer) -> None:
    def pong(event: Ping) -> dict[str, Any]:
        assert event.ping_event is not None
        return {"type": "pong", "event_id": event.ping_event.event_id}

    async def scenario() -> list[Any]:
        events: list[Any] = []
        async with _session(AsyncRealtimeSession, agent, auto_replies={"ping": pong}) as session:
            await _aconverse(session, events)
        assert asyncio.all_tasks() == {asyncio.current_task()}
        return events

    threads = threading.active_count()
    _check_conversation(agent, asyncio.run(scenario()))
    assert threading.active_count() == threads


def _outcome(
    mode: str, agent: AgentServer, **options: Any
) -> tuple[list[Any], BaseException | None]:
    """The events a session yields before it ends, and the error it ends with (None: a
    normal close); a RealtimeMessageError is recorded as an event and iteration goes on.
    Checks that no thread or task is left."""
    threads = threading.active_count()
    events: list[Any] = []

    def sync() -> BaseException | None:
        try:
            with _session(SyncRealtimeSession, agent, **options) as session:
                while True:
                    try:
                        events.extend(session)
                        return None
                    except RealtimeMessageError as error:
                        events.append(error)
        except RealtimeConnectionError as error:
            return error

    async def run_async() -> BaseException | None:
        try:
            async with _session(AsyncRealtimeSession, agent, **options) as session:
                while True:
                    try:
                        async for event in session:
                            events.append(event)
                        return None
                    except RealtimeMessageError as error:
                        events.append(error)
        except RealtimeConnectionError as error:
            return error
        finally:
            assert asyncio.all_tasks() == {asyncio.current_task()}

    error = sync() if mode == "sync" else asyncio.run(run_async())
    assert threading.active_count() == threads
    return events, error


MODES = pytest.mark.parametrize("mode", ["sync", "async"])


@MODES
def test_a_close_1008_at_connect_raises_the_code_and_reason(mode: str, agent: AgentServer) -> None:
    async def expired(websocket: ServerConnection) -> None:
        await websocket.close(1008, "invalid or expired signature")

    agent.scenario = expired
    events, error = _outcome(mode, agent)
    assert events == []
    assert isinstance(error, RealtimeClosedError)
    assert (error.code, error.reason, error.by_server) == (
        1008,
        "invalid or expired signature",
        True,
    )
    assert SIGNATURE not in str(error) and SIGNATURE not in repr(error)
    assert agent.url in str(error)


@MODES
def test_a_server_error_close_mid_conversation_raises_after_the_events_before(
    mode: str, agent: AgentServer
) -> None:
    async def failing(websocket: ServerConnection) -> None:
        await websocket.send(json.dumps(AGENT_SCRIPT[0]))
        await websocket.close(1011, "internal error")

    agent.scenario = failing
    events, error = _outcome(mode, agent)
    assert [type(event) for event in events] == [ConversationInitiationMetadata]
    assert isinstance(error, RealtimeClosedError) and error.code == 1011


@MODES
def test_a_malformed_frame_raises_and_the_session_goes_on(mode: str, agent: AgentServer) -> None:
    async def sloppy(websocket: ServerConnection) -> None:
        await websocket.send("{not json")
        await websocket.send(json.dumps({"type": "agent_response", "agent_response_event": {}}))
        await websocket.send(json.dumps([1, 2]))
        await websocket.send(json.dumps(AGENT_SCRIPT[2]))
        await websocket.close()

    agent.scenario = sloppy
    events, error = _outcome(mode, agent)
    assert error is None
    first, second, third, last = events
    assert isinstance(first, RealtimeMessageError) and "not JSON" in str(first)
    assert first.frame == "{not json"
    assert isinstance(second, RealtimeMessageError)
    assert "'agent_response' message that does not match" in str(second)
    assert "agent_response_event.agent_response" in str(second)
    assert isinstance(third, RealtimeMessageError) and "not a JSON object" in str(third)
    assert isinstance(last, AgentResponse)


@MODES
def test_a_silent_server_raises_a_receive_timeout(mode: str, agent: AgentServer) -> None:
    async def silent(websocket: ServerConnection) -> None:
        await websocket.wait_closed()

    agent.scenario = silent
    events, error = _outcome(mode, agent, receive_timeout=0.2)
    assert events == []
    assert isinstance(error, RealtimeTimeoutError) and isinstance(error, TimeoutError)
    assert (error.phase, error.timeout) == ("receive", 0.2)


@MODES
def test_a_dropped_connection_raises_1006(mode: str, agent: AgentServer) -> None:
    async def dropping(websocket: ServerConnection) -> None:
        await websocket.send(json.dumps(AGENT_SCRIPT[1]))
        await asyncio.sleep(0.05)
        websocket.transport.abort()

    agent.scenario = dropping
    events, error = _outcome(mode, agent)
    assert [type(event) for event in events] == [UserTranscript]
    assert isinstance(error, RealtimeClosedError)
    assert (error.code, error.by_server) == (1006, False)
    assert "dropped without a close frame" in str(error)


@MODES
def test_a_message_over_the_size_limit_closes_with_1009(mode: str, agent: AgentServer) -> None:
    async def loud(websocket: ServerConnection) -> None:
        await websocket.send(
            json.dumps({"type": "audio", "audio_event": {"audio_base_64": "A" * 4096}})
        )
        await websocket.wait_closed()

    agent.scenario = loud
    events, error = _outcome(mode, agent, max_message_size=1024)
    assert events == []
    assert isinstance(error, RealtimeClosedError)
    assert (error.code, error.by_server) == (1009, False)


@MODES
@pytest.mark.parametrize("status", [HTTPStatus.FORBIDDEN, HTTPStatus.FOUND])
def test_a_refused_handshake_raises_its_status_and_redirects_are_not_followed(
    mode: str, status: HTTPStatus, agent: AgentServer
) -> None:
    agent.refuse = status
    _, error = _outcome(mode, agent)
    assert isinstance(error, RealtimeHandshakeError) and error.status_code == status
    assert SIGNATURE not in str(error)
    assert len(agent.requests) == 1


@MODES
def test_a_server_that_never_answers_the_handshake_raises_a_connect_timeout(mode: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"ws://127.0.0.1:{listener.getsockname()[1]}/x?token={SIGNATURE}"
        decoder = MessageDecoder[ServerMessage](SERVER_MESSAGES)
        threads = threading.active_count()
        with pytest.raises(RealtimeTimeoutError) as raised:
            if mode == "sync":
                SyncRealtimeSession(url, decoder=decoder, connect_timeout=0.3).open()
            else:
                asyncio.run(AsyncRealtimeSession(url, decoder=decoder, connect_timeout=0.3).open())
        assert raised.value.phase == "connect"
        assert SIGNATURE not in str(raised.value)
        assert threading.active_count() == threads


def test_credentials_stay_out_of_reprs_and_logs(
    agent: AgentServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def brief(websocket: ServerConnection) -> None:
        await websocket.close(1000)

    agent.scenario = brief
    caplog.set_level(logging.DEBUG, logger="websockets.client")
    with _session(SyncRealtimeSession, agent) as session:
        assert list(session) == []
        assert SIGNATURE not in repr(session) and SIGNATURE not in session.url
    assert "> GET /v1/convai/conversation HTTP/1.1" in caplog.text
    assert "xi-api-key: [redacted]" in caplog.text
    assert SIGNATURE not in caplog.text and API_KEY not in caplog.text


def test_the_url_must_be_a_websocket_url_and_query_arguments_are_appended() -> None:
    decoder = MessageDecoder[ServerMessage](())
    with pytest.raises(ValueError, match=r"ws:// or wss:// URL, not 'https://x\.test/p'"):
        SyncRealtimeSession(f"https://x.test/p?sig={SIGNATURE}", decoder=decoder)
    session = SyncRealtimeSession(
        "wss://user:pw@x.test/p?a=1", decoder=decoder, query={"b": True, "c": None, "d": 2}
    )
    assert session._target == "wss://user:pw@x.test/p?a=1&b=true&d=2"
    assert repr(session) == "SyncRealtimeSession('wss://x.test/p', not open)"


def test_sending_or_iterating_before_opening_says_so() -> None:
    session = SyncRealtimeSession("ws://x.test/", decoder=MessageDecoder[ServerMessage](()))
    with pytest.raises(RuntimeError, match="not open: use it as a context manager"):
        session.send({"type": "x"})
    with pytest.raises(RuntimeError, match="not open"):
        next(session)


def test_a_decoder_needs_a_literal_discriminator_on_each_model() -> None:
    class Untagged(BaseModel):
        name: str

    with pytest.raises(ValueError, match="Untagged has no Literal 'type' field"):
        MessageDecoder((Untagged,))
    with pytest.raises(ValueError, match="two models for type 'ping'"):
        MessageDecoder((Ping, Ping))
    assert MessageDecoder(SERVER_MESSAGES).known >= {"ping", "conversation_initiation_metadata"}


def _copy_runtime(tmp_path: Path) -> Path:
    package = tmp_path / "some_client" / "_runtime"
    package.mkdir(parents=True)
    (tmp_path / "some_client" / "__init__.py").write_text("")
    for source in RUNTIME.glob("*.py"):
        (package / source.name).write_text(source.read_text())
    return tmp_path


def _run(script: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_making_a_session_imports_neither_websockets_nor_asyncio_nor_pydantic(
    tmp_path: Path,
) -> None:
    script = (
        "import sys\n"
        "from some_client._runtime import (AsyncRealtimeSession, MessageDecoder, Reply,"
        " SyncRealtimeSession, UnknownMessage, RealtimeError, RealtimeClosedError)\n"
        "decoder = MessageDecoder(())\n"
        "SyncRealtimeSession('wss://x.test/c?sig=s', decoder=decoder,"
        " auto_replies={'ping': Reply('pong')})\n"
        "AsyncRealtimeSession('wss://x.test/c', decoder=decoder)\n"
        "heavy = ('websockets', 'asyncio', 'pydantic', 'ssl', 'httpx')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    assert _run(script, _copy_runtime(tmp_path)) == ""


def test_without_websockets_connecting_names_the_extra_to_install(tmp_path: Path) -> None:
    script = (
        "import sys; sys.modules['websockets'] = None\n"
        "from some_client._runtime import MessageDecoder, RealtimeDependencyError,"
        " SyncRealtimeSession\n"
        "session = SyncRealtimeSession('wss://x.test/c', decoder=MessageDecoder(()),"
        " distribution='elevenlabs-client')\n"
        "try:\n"
        "    session.open()\n"
        "except RealtimeDependencyError as error:\n"
        "    assert isinstance(error, ImportError)\n"
        "    print(error)\n"
    )
    assert _run(script, _copy_runtime(tmp_path)) == (
        "real-time sessions need the 'websockets' package: "
        "pip install 'elevenlabs-client[realtime]'"
    )


def test_the_url_may_be_given_when_the_session_opens(agent: AgentServer) -> None:
    async def brief(websocket: ServerConnection) -> None:
        await websocket.send(json.dumps(AGENT_SCRIPT[2]))
        await websocket.close(1000)

    agent.scenario = brief
    signed = f"{agent.url}?conversation_signature={SIGNATURE}"
    decoder = MessageDecoder[ServerMessage](SERVER_MESSAGES)
    session = SyncRealtimeSession(lambda: signed, decoder=decoder)
    assert "(a URL given when the session opens)" in repr(session)
    with session:
        assert [type(event) for event in session] == [AgentResponse]
    assert session.url == agent.url

    async def fetch() -> str:
        await asyncio.sleep(0)
        return signed

    async def scenario() -> list[Any]:
        async with AsyncRealtimeSession(fetch, decoder=decoder) as session:
            return [event async for event in session]

    assert [type(event) for event in asyncio.run(scenario())] == [AgentResponse]
    assert [request.path for request in agent.requests] == [
        f"/v1/convai/conversation?conversation_signature={SIGNATURE}"
    ] * 2
