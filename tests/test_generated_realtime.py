"""The committed client's real-time conversation (generated/elevenlabs_client, from the bundled
AsyncAPI document), sync and async, against a WebSocket server on 127.0.0.1 that plays the agent
of the document's examples (tests/support/agent.py), and an HTTP server for get_signed_url."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection

from tests.support.agent import INTERRUPTION, UNLISTED, DocumentAgent, examples
from tests.support.generation import REPO
from tests.support.loopback import LoopbackServer
from tests.test_generated_readme import REALTIME_SECTION, blocks, pointed_at

sys.path.insert(0, str(REPO / "generated"))

from elevenlabs_client import AsyncElevenLabs, ElevenLabs, ElevenLabsEnvironment
from elevenlabs_client.realtime import (
    RealtimeClosedError,
    RealtimeConnectionError,
    RealtimeMessageError,
    RealtimeTimeoutError,
    UnknownMessage,
)
from elevenlabs_client.realtime.conversation import (
    CHANNEL,
    AgentResponse,
    AudioResponse,
    ClientToolCall,
    ClientToolResult,
    ContextualUpdate,
    ConversationInitiationClientData,
    ConversationInitiationMetadata,
    InternalTentativeAgentResponse,
    Interruption,
    Ping,
    UserActivity,
    UserAudioChunk,
    UserTranscript,
    VadScore,
)

API_KEY = "sk-realtime-0123456789abcdef"
SIGNATURE = "sig-0123456789abcdef-secret"
SIGN_PATH = "/v1/convai/conversation/get-signed-url"
EXAMPLES = examples()
SENT = {message_id: value for side, message_id, value in EXAMPLES if side == "publish"}
MODES = pytest.mark.parametrize("mode", ["sync", "async"])


@pytest.fixture
def agent() -> Iterator[DocumentAgent]:
    server = DocumentAgent()
    yield server
    server.stop()


def _signed_url(agent: DocumentAgent) -> str:
    return f"{agent.url}?agent_id=agent_1&conversation_signature={SIGNATURE}"


def _replies(event: Any) -> list[Any]:
    """What the test's client sends on `event`: the document's example messages (a tool result
    for the tool call; models, and one plain dict)."""
    match event:
        case ConversationInitiationMetadata():
            return [UserAudioChunk.model_validate(SENT["UserAudioChunk"])]
        case ClientToolCall(client_tool_call=call):
            assert call is not None
            result = SENT["ClientToolResult"]["result"]
            return [
                ClientToolResult(tool_call_id=call.tool_call_id, result=result, is_error=False),
                ContextualUpdate.model_validate(SENT["ContextualUpdate"]),
                dict(SENT["UserMessage"]),
                UserActivity(),
            ]
    return []


def _threads() -> set[threading.Thread]:
    """The running threads but the loopback HTTP server's, one per connection it serves."""
    return {t for t in threading.enumerate() if "process_request_thread" not in t.name}


@dataclass
class Outcome:
    events: list[Any]
    error: BaseException | None


def converse(mode: str, client_kwargs: dict[str, Any], **connect: Any) -> Outcome:
    """Open the conversation with connect(**connect), send the initiation data, answer events
    as _replies says until the session ends; a RealtimeMessageError is kept as an event and
    iteration goes on. Checks that no thread or task is left behind."""
    threads = _threads()
    events: list[Any] = []
    first = ConversationInitiationClientData.model_validate(
        SENT["ConversationInitiationClientData"]
    )

    def sync() -> BaseException | None:
        client = ElevenLabs(**client_kwargs)
        try:
            with client.conversational_ai.conversations.connect(**connect) as conversation:
                conversation.send(first)
                while True:
                    try:
                        for event in conversation:
                            events.append(event)
                            for message in _replies(event):
                                conversation.send(message)
                        return None
                    except RealtimeMessageError as error:
                        events.append(error)
        except RealtimeConnectionError as error:
            return error
        finally:
            client.close()

    async def run_async() -> BaseException | None:
        client = AsyncElevenLabs(**client_kwargs)
        try:
            async with client.conversational_ai.conversations.connect(**connect) as conversation:
                await conversation.send(first)
                while True:
                    try:
                        async for event in conversation:
                            events.append(event)
                            for message in _replies(event):
                                await conversation.send(message)
                        return None
                    except RealtimeMessageError as error:
                        events.append(error)
        except RealtimeConnectionError as error:
            return error
        finally:
            await client.aclose()
            assert asyncio.all_tasks() == {asyncio.current_task()}

    error = sync() if mode == "sync" else asyncio.run(run_async())
    assert _threads() == threads
    return Outcome(events, error)


@pytest.fixture(params=["sync", "async"])
def conversation(
    request: pytest.FixtureRequest,
    agent: DocumentAgent,
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Outcome:
    """The document's conversation, opened by connect(agent_id=...) on a client with an API key."""
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    loopback.respond(200, json={"signed_url": _signed_url(agent)})
    return converse(
        request.param, {"api_key": API_KEY, "base_url": loopback.url}, agent_id="agent_1"
    )


# --- The conversation of the document's examples --------------------------------------------------


def test_connect_with_an_api_key_asks_get_signed_url_first(
    conversation: Outcome, loopback: LoopbackServer
) -> None:
    [request] = loopback.requests
    assert (request.method, request.path, request.query) == (
        "GET",
        SIGN_PATH,
        [("agent_id", "agent_1")],
    )
    assert dict(request.headers)["xi-api-key"] == API_KEY


def test_connect_opens_the_signed_url_it_was_given_without_the_api_key(
    conversation: Outcome, agent: DocumentAgent
) -> None:
    [handshake] = agent.requests
    assert (
        handshake.path
        == f"/v1/convai/conversation?agent_id=agent_1&conversation_signature={SIGNATURE}"
    )
    assert "xi-api-key" not in handshake.headers


def test_the_server_s_messages_arrive_as_typed_events_in_order(conversation: Outcome) -> None:
    assert conversation.error is None
    assert [type(event) for event in conversation.events] == [
        ConversationInitiationMetadata,
        VadScore,
        UserTranscript,
        InternalTentativeAgentResponse,
        AgentResponse,
        AudioResponse,
        Ping,
        ClientToolCall,
        Interruption,
        UnknownMessage,
    ]


def test_the_events_carry_the_document_s_example_data(conversation: Outcome) -> None:
    received = [v for side, _, v in EXAMPLES if side == "subscribe"] + [INTERRUPTION]
    dumped = [
        event.model_dump(mode="json", exclude_unset=True, by_alias=True)
        for event in conversation.events[:-1]
    ]
    assert dumped == received


def test_a_ping_is_answered_with_a_pong_carrying_its_event_id_and_still_yielded(
    conversation: Outcome, agent: DocumentAgent
) -> None:
    [ping] = [event for event in conversation.events if isinstance(event, Ping)]
    assert ping.ping_event is not None and ping.ping_event.event_id == 12345
    pongs = [m for m in agent.received if m.get("type") == "pong"]
    assert pongs == [{"type": "pong", "event_id": 12345}]


def test_the_client_s_messages_reach_the_agent_as_the_document_shows_them(
    conversation: Outcome, agent: DocumentAgent
) -> None:
    assert agent.received == [v for side, _, v in EXAMPLES if side == "publish"]


def test_a_message_type_the_document_does_not_list_keeps_its_raw_data(
    conversation: Outcome,
) -> None:
    assert conversation.events[-1] == UnknownMessage(UNLISTED["type"], UNLISTED)


def test_a_normal_close_ends_the_iteration_without_an_error(conversation: Outcome) -> None:
    assert conversation.error is None
    assert isinstance(conversation.events[-1], UnknownMessage)


# --- Where connect goes ---------------------------------------------------------------------------


@MODES
def test_signed_url_connects_as_given_without_asking_for_one(
    mode: str, agent: DocumentAgent, loopback: LoopbackServer
) -> None:
    outcome = converse(
        mode, {"api_key": API_KEY, "base_url": loopback.url}, signed_url=_signed_url(agent)
    )
    assert outcome.error is None and loopback.requests == []
    [handshake] = agent.requests
    assert handshake.path.endswith(f"conversation_signature={SIGNATURE}")


@MODES
def test_without_credentials_connect_opens_the_channel_on_the_base_url_s_server(
    mode: str, agent: DocumentAgent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    outcome = converse(mode, {"base_url": agent.base_url}, agent_id="agent_public")
    assert outcome.error is None
    [handshake] = agent.requests
    assert handshake.path == "/v1/convai/conversation?agent_id=agent_public"


@pytest.mark.parametrize("member", list(ElevenLabsEnvironment))
def test_each_environment_maps_to_the_document_s_wss_server(
    member: ElevenLabsEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    session = ElevenLabs(environment=member).conversational_ai.conversations.connect(
        agent_id="agent_1"
    )
    host = member.value.removeprefix("https://")
    assert session.url == f"wss://{host}/v1/convai/conversation"
    assert CHANNEL.servers[member.value] == f"wss://{host}"


def test_connect_without_agent_id_or_signed_url_says_what_it_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    with pytest.raises(TypeError, match=r"connect\(\) needs agent_id="):
        ElevenLabs().conversational_ai.conversations.connect()
    with pytest.raises(TypeError, match=r"connect\(\) needs agent_id= \(or signed_url=\)"):
        ElevenLabs(api_key=API_KEY).conversational_ai.conversations.connect()


# --- Bad endings ----------------------------------------------------------------------------------


@MODES
def test_a_close_1008_at_connect_raises_its_code_and_reason(
    mode: str, agent: DocumentAgent
) -> None:
    async def expired(websocket: ServerConnection) -> None:
        await websocket.close(1008, "invalid or expired signature")

    agent.scenario = expired
    outcome = converse(mode, {}, signed_url=_signed_url(agent))
    error = outcome.error
    assert outcome.events == [] and isinstance(error, RealtimeClosedError)
    assert (error.code, error.reason, error.by_server) == (
        1008,
        "invalid or expired signature",
        True,
    )


@MODES
def test_a_malformed_frame_raises_and_the_conversation_goes_on(
    mode: str, agent: DocumentAgent
) -> None:
    metadata = EXAMPLES[1][2]

    async def sloppy(websocket: ServerConnection) -> None:
        await agent.receive(websocket)
        await websocket.send("{not json")
        await websocket.send(json.dumps({"type": "ping", "ping_event": {"event_id": "x"}}))
        await websocket.send(json.dumps(metadata))
        await agent.receive(websocket)  # the audio chunk the metadata asks for
        await websocket.close()

    agent.scenario = sloppy
    outcome = converse(mode, {}, signed_url=_signed_url(agent))
    assert outcome.error is None
    first, second, third = outcome.events
    assert isinstance(first, RealtimeMessageError) and "not JSON" in str(first)
    assert isinstance(second, RealtimeMessageError) and "'ping'" in str(second)
    assert isinstance(third, ConversationInitiationMetadata)


@MODES
def test_a_silent_server_raises_a_receive_timeout(mode: str, agent: DocumentAgent) -> None:
    async def silent(websocket: ServerConnection) -> None:
        await agent.receive(websocket)
        await asyncio.sleep(5)

    agent.scenario = silent
    outcome = converse(mode, {}, signed_url=_signed_url(agent), receive_timeout=0.2)
    error = outcome.error
    assert isinstance(error, RealtimeTimeoutError)
    assert (error.phase, error.timeout) == ("receive", 0.2)


@MODES
def test_a_connection_dropped_mid_conversation_raises_1006(mode: str, agent: DocumentAgent) -> None:
    async def dropped(websocket: ServerConnection) -> None:
        await agent.receive(websocket)
        await websocket.send(json.dumps(EXAMPLES[3][2]))  # the VAD score
        websocket.transport.abort()

    agent.scenario = dropped
    outcome = converse(mode, {}, signed_url=_signed_url(agent))
    error = outcome.error
    assert [type(event) for event in outcome.events] == [VadScore]
    assert isinstance(error, RealtimeClosedError) and error.code == 1006


@MODES
def test_no_log_line_or_error_shows_the_signature_or_the_api_key(
    mode: str,
    agent: DocumentAgent,
    loopback: LoopbackServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def expired(websocket: ServerConnection) -> None:
        await websocket.close(1008, "invalid or expired signature")

    agent.scenario = expired
    loopback.respond(200, json={"signed_url": _signed_url(agent)})
    with caplog.at_level(logging.DEBUG):
        outcome = converse(mode, {"api_key": API_KEY, "base_url": loopback.url}, agent_id="a")
    client_side = [r for r in caplog.records if not r.name.startswith("websockets.server")]
    logged = "\n".join(r.getMessage() for r in client_side)
    shown = logged + str(outcome.error) + repr(outcome.error)
    assert "GET /v1/convai/conversation" in logged  # websockets logged the handshake
    assert "response body" in logged  # and the runtime the signed URL's response
    assert SIGNATURE not in shown and API_KEY not in shown


# --- Dependencies -----------------------------------------------------------------------------------


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO / "generated",
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_creating_the_client_and_a_session_loads_neither_websockets_nor_asyncio() -> None:
    run = _run(
        "import sys\n"
        "from elevenlabs_client import ElevenLabs\n"
        "client = ElevenLabs(api_key='k')\n"
        "client.conversational_ai.conversations.connect(signed_url='wss://x.test/c?s=1')\n"
        "print(sorted(m for m in ('websockets', 'asyncio') if m in sys.modules))\n"
    )
    assert (run.returncode, run.stdout) == (0, "[]\n"), run.stderr


def test_without_websockets_opening_a_session_names_the_realtime_extra() -> None:
    run = _run(
        "import sys\n"
        "sys.modules['websockets'] = None\n"
        "from elevenlabs_client import ElevenLabs\n"
        "from elevenlabs_client.realtime import RealtimeDependencyError\n"
        "session = ElevenLabs(api_key='k').conversational_ai.conversations.connect(\n"
        "    signed_url='wss://x.test/c?s=1')\n"
        "try:\n"
        "    session.open()\n"
        "except RealtimeDependencyError as error:\n"
        "    print(error)\n"
    )
    assert run.stdout == (
        "real-time sessions need the 'websockets' package:"
        " pip install 'elevenlabs-client[realtime]'\n"
    ), run.stderr


# --- The README's example -----------------------------------------------------------------------------


def test_the_readme_s_real_time_examples_run_against_the_agent(
    agent: DocumentAgent,
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Both examples (sync, async) of the generated README's section, as written but for the
    base URL: each asks get_signed_url, converses with the agent and ends at its close."""
    subscribed = [v for side, _, v in EXAMPLES if side == "subscribe"]

    async def short(websocket: ServerConnection) -> None:
        await agent.receive(websocket)  # what the example sends first
        for value in subscribed[:7]:  # metadata ... the ping
            await websocket.send(json.dumps(value))
        await agent.receive(websocket)  # the session's pong
        await websocket.send(json.dumps(UNLISTED))
        await websocket.close(1000)

    agent.scenario = short
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    readme = (REPO / "generated" / "README.md").read_text(encoding="utf-8")
    examples_run = [code for section, _, code in blocks(readme) if section == REALTIME_SECTION]
    assert len(examples_run) == 2
    for code in examples_run:
        loopback.respond(200, json={"signed_url": _signed_url(agent)})
        program = pointed_at(code, loopback.url, ("ElevenLabs", "AsyncElevenLabs"))
        exec(compile(program, "README.md (real time)", "exec"), {"__name__": "example"})
    printed = capsys.readouterr().out
    assert printed.count("a message the document does not list: agent_chat_response_part") == 2
    assert printed.count("type='agent_response'") == 2
    assert [m["type"] for m in agent.received] == [
        "conversation_initiation_client_data",
        "pong",
    ] * 2
    assert [r.path for r in loopback.requests] == [SIGN_PATH] * 2


# --- Types ---------------------------------------------------------------------------------------------

USAGE = """
from elevenlabs_client import ElevenLabs
from elevenlabs_client.realtime import UnknownMessage
from elevenlabs_client.realtime.conversation import AgentResponse, ClientToolCall, ClientToolResult

client = ElevenLabs(api_key="k")
with client.conversational_ai.conversations.connect(agent_id="a") as conversation:
    for event in conversation:
        match event:
            case AgentResponse(agent_response_event=response) if response is not None:
                text: str = response.agent_response
            case ClientToolCall(client_tool_call=call) if call is not None:
                reply = ClientToolResult(tool_call_id=call.tool_call_id, result="ok", is_error=False)
                conversation.send(reply)
            case UnknownMessage(type=kind, data=data):
                conversation.send({"type": "noted", "kind": kind})
"""


def _mypy(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    (folder / "usage.py").write_text(code, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "usage.py"],
        cwd=folder,
        env={**os.environ, "MYPYPATH": str(REPO / "generated")},
        capture_output=True,
        text=True,
        check=False,
    )


def test_code_matching_the_conversation_s_events_passes_mypy_strict(tmp_path: Path) -> None:
    run = _mypy(USAGE, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_catches_an_attribute_an_event_does_not_have(tmp_path: Path) -> None:
    run = _mypy(USAGE.replace("response.agent_response", "response.agent_reply"), tmp_path)
    assert '"AgentResponseEvent" has no attribute "agent_reply"' in run.stdout


def test_connect_s_docstring_documents_every_argument_for_numpydoc() -> None:
    import inspect

    from numpydoc.docscrape import NumpyDocString

    for client in (ElevenLabs, AsyncElevenLabs):
        method = client(api_key="k").conversational_ai.conversations.connect
        doc = NumpyDocString(inspect.getdoc(method) or "")
        names = [p.name for p in doc["Parameters"]]
        assert names == [p for p in inspect.signature(method).parameters]
        [returns] = doc["Returns"]
        assert returns.type.endswith("RealtimeSession[ServerMessage]")
