"""AsyncAPI input up to the IR: the vendored ElevenLabs documents, an AsyncAPI 3.0 document,
the default/strict policy for defects, and hostile documents (spec/asyncapi.py, api/channels.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.api import build_api
from generator.api.ir import Channel, ModelRef, Prim
from generator.config import Config, load_config
from generator.diagnostics import GenerationFailed
from generator.spec import AsyncApiDocument, load_asyncapi, load_spec
from tests.support.generation import REPO

SPECS = REPO / "examples" / "specs"
CONVAI = SPECS / "elevenlabs-convai-asyncapi.yml"
TTS = SPECS / "elevenlabs-asyncapi.yml"


def _config(tmp_path: Path, **changes: object) -> Config:
    return Config(spec=REPO / "spec" / "openapi.yaml", out=tmp_path, package="p").with_overrides(
        **changes
    )


def _channels(tmp_path: Path, *docs: AsyncApiDocument, **changes: object) -> tuple[Channel, ...]:
    source = load_spec(REPO / "spec" / "openapi.yaml")
    built = build_api(source.data, _config(tmp_path, **changes), docs)
    assert [d for d in built.located if d.severity == "error"] == []
    return built.api.channels


def test_the_conversation_channel(tmp_path: Path) -> None:
    config = {"channel_replies": (("ping", "pong", (("event_id", "ping_event.event_id"),)),)}
    (channel,) = _channels(tmp_path, load_asyncapi(CONVAI), **config)
    assert channel.address == "/v1/convai/conversation"
    assert channel.groups == ("conversational_ai", "conversations")
    assert channel.method_name == "connect" and channel.signed_url == "get_signed_url"
    (agent_id,) = channel.arguments
    assert (agent_id.name, agent_id.location, agent_id.required, agent_id.type) == (
        "agent_id",
        "query",
        True,
        Prim("str"),
    )
    sends = {m.name: (m.model, m.tag) for m in channel.sends}
    receives = {m.name: (m.model, m.tag) for m in channel.receives}
    assert len(sends) == 7 and len(receives) == 11
    assert sends["Pong"] == ("Pong", "pong")
    assert sends["UserAudioChunk"] == ("UserAudioChunk", None)
    assert sends["ConversationInitiationClientData"][1] == "conversation_initiation_client_data"
    assert receives["AgentResponse"] == ("AgentResponse", "agent_response")
    assert receives["AudioResponse"] == ("AudioResponse", "audio")
    assert sends["ContextualUpdate"] == receives["ContextualUpdate"]  # one model, both ways
    assert [s.url for s in channel.servers][:2] == [
        "wss://api.elevenlabs.io",
        "wss://api.us.elevenlabs.io",
    ]
    assert all(s.environment == s.member for s in channel.servers)  # the spec's own hosts
    (reply,) = channel.replies
    assert (reply.on, reply.send, reply.copy) == (
        "ping",
        "pong",
        (("event_id", "ping_event.event_id"),),
    )


def test_the_message_models_are_hoisted_with_their_tags_as_defaults(tmp_path: Path) -> None:
    source = load_spec(REPO / "spec" / "openapi.yaml")
    built = build_api(source.data, _config(tmp_path), [load_asyncapi(CONVAI)])
    hoisted = dict(built.hoisted)
    pong = hoisted["Pong"]
    assert pong["properties"]["type"] == {"const": "pong", "type": "string", "default": "pong"}
    assert "required" not in pong  # the tag need not be given
    assert [n for n in hoisted if n == "ContextualUpdate"] == ["ContextualUpdate"]


def test_the_text_to_speech_channels(tmp_path: Path) -> None:
    stream, multi = _channels(tmp_path, load_asyncapi(TTS))
    assert stream.address == "/v1/text-to-speech/{voice_id}/stream-input"
    assert (stream.method_name, multi.method_name) == (
        "connect_stream_input",
        "connect_multi_stream_input",
    )
    voice_id = stream.arguments[0]
    assert (voice_id.name, voice_id.location, voice_id.required) == ("voice_id", "path", True)
    query = {a.name: a for a in stream.arguments if a.location == "query"}
    assert len(query) == 11
    assert query["output_format"].type == ModelRef("TextToSpeechOutputFormatEnum")
    assert (query["inactivity_timeout"].type, query["inactivity_timeout"].default) == (
        Prim("int"),
        20,
    )
    assert [m.name for m in stream.sends] == ["InitializeConnection", "SendText", "CloseConnection"]
    final = next(m for m in stream.receives if m.name == "FinalOutput")
    assert final.tag is None and final.literals == (("isFinal", True),)
    assert stream.servers == ()


ASYNCAPI_3 = """\
asyncapi: 3.0.0
info: {title: Chat, version: "1"}
servers:
  prod: {host: api.elevenlabs.io, protocol: wss}
  mqtt: {host: broker.example.com, protocol: mqtt}
channels:
  chat:
    address: /v1/chat/{room}
    parameters:
      room: {description: The room, enum: [a, b]}
    bindings:
      ws:
        query:
          type: object
          required: [token]
          properties:
            token: {description: A token, schema: {type: string}}
    messages:
      hello: {$ref: '#/components/messages/Hello'}
      answer: {$ref: '#/components/messages/Answer'}
      note: {$ref: '#/components/messages/Note'}
operations:
  say:
    action: send
    channel: {$ref: '#/channels/chat'}
    messages: [{$ref: '#/channels/chat/messages/hello'}, {$ref: '#/channels/chat/messages/note'}]
  hear:
    action: receive
    channel: {$ref: '#/channels/chat'}
    x-fern-sdk-group-name: chat
    messages: [{$ref: '#/channels/chat/messages/answer'}, {$ref: '#/channels/chat/messages/note'}]
components:
  messages:
    Hello:
      payload: {type: object, properties: {type: {const: hello}, name: {type: string}}}
    Answer:
      payload: {$ref: '#/components/schemas/AnswerPayload'}
    Note:
      payload:
        schemaFormat: application/vnd.aai.asyncapi+json;version=3.0.0
        schema: {type: object, properties: {type: {type: string, enum: [note]}}}
  schemas:
    AnswerPayload:
      type: object
      required: [type]
      properties:
        type: {x-fern-type: literal<"answer">}
        text: {type: string, nullable: true}
"""


def _write(tmp_path: Path, text: str, name: str = "asyncapi.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_asyncapi_3_document_gives_the_same_shapes(tmp_path: Path) -> None:
    document = load_asyncapi(_write(tmp_path, ASYNCAPI_3))
    source = load_spec(REPO / "spec" / "openapi.yaml")
    built = build_api(source.data, _config(tmp_path), [document])
    (channel,) = built.api.channels
    assert (channel.name, channel.address, channel.groups) == ("chat", "/v1/chat/{room}", ("chat",))
    room, token = channel.arguments
    assert (room.location, room.required, token.required, token.type) == (
        "path",
        True,
        True,
        Prim("str"),
    )
    assert [(m.name, m.tag) for m in channel.sends] == [("Hello", "hello"), ("Note", "note")]
    assert [(m.name, m.model, m.tag) for m in channel.receives] == [
        ("Answer", "Answer", "answer"),
        ("Note", "Note", "note"),
    ]
    (server,) = channel.servers
    assert (server.url, server.environment) == ("wss://api.elevenlabs.io", "API_ELEVENLABS_IO")
    warnings = [d for d in built.located if d.severity == "warning"]
    assert any("not a WebSocket server" in d.message and d.line == 5 for d in warnings)
    answer = dict(built.hoisted)["Answer"]
    assert answer["properties"]["text"]["anyOf"][1] == {"type": "null"}


DEFECTIVE = """\
asyncapi: 2.6.0
info: {title: T, version: "1"}
channels:
  /v1/things/{id}:
    subscribe:
      message:
        oneOf:
          - $ref: '#/components/messages/A'
          - $ref: '#/components/messages/B'
          - payload: {$ref: '#/components/schemas/Missing'}
components:
  messages:
    A: {payload: {type: object, properties: {type: {const: same}}}}
    B: {payload: {type: object, properties: {type: {const: same}}}}
"""


def test_defects_are_located_warnings_by_default_and_errors_with_strict(tmp_path: Path) -> None:
    path = _write(tmp_path, DEFECTIVE)
    document = load_asyncapi(path, display="d.yaml")
    (ref,) = document.warnings
    assert (ref.file, ref.line, ref.severity) == ("d.yaml", 10, "warning")
    assert ref.pointer == "/channels/~1v1~1things~1{id}/subscribe/message/oneOf/2/payload/$ref"
    source = load_spec(REPO / "spec" / "openapi.yaml")
    built = build_api(source.data, _config(tmp_path), [document])
    messages = sorted(d.message for d in built.located)
    assert any("address parameter 'id' is not declared" in m for m in messages)
    assert any("message type 'same' is also the type of" in m for m in messages)
    assert {d.severity for d in built.located} == {"warning"}
    with pytest.raises(GenerationFailed) as refused:
        load_asyncapi(path, display="d.yaml", strict=True)
    assert refused.value.diagnostics[0].line == 10
    built = build_api(source.data, _config(tmp_path, strict=True), [document])
    assert {d.severity for d in built.located} == {"error"}


@pytest.mark.parametrize(
    "ref",
    [
        "https://example.com/schemas.yaml#/A",
        "//example.com/a.yaml",
        "/etc/passwd",
        "../outside.yaml#/A",
    ],
)
def test_a_ref_to_a_url_or_outside_the_folder_is_never_followed(
    tmp_path: Path, ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "create_connection", no_network)
    (tmp_path / "outside.yaml").write_text("A: {type: object}\n")
    folder = tmp_path / "spec"
    folder.mkdir()
    text = DEFECTIVE.replace("#/components/schemas/Missing", ref)
    path = _write(folder, text)
    document = load_asyncapi(path, display="a.yaml")
    (warning,) = document.warnings
    assert "refused" in warning.message and warning.line == 10
    with pytest.raises(GenerationFailed, match="refused"):
        load_asyncapi(path, strict=True)


def test_a_relative_file_inside_the_folder_is_bundled(tmp_path: Path) -> None:
    (tmp_path / "payloads.yaml").write_text(
        "Thing: {type: object, properties: {type: {const: thing}}}\n"
    )
    text = DEFECTIVE.replace("#/components/schemas/Missing", "payloads.yaml#/Thing")
    document = load_asyncapi(_write(tmp_path, text))
    assert document.warnings == ()
    payload = document.document["channels"]["/v1/things/{id}"]["subscribe"]["message"]["oneOf"][2]
    assert payload["payload"]["properties"]["type"] == {"const": "thing"}  # copied in place


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n", "this is an OpenAPI"),
        ("info: {title: T}\n", "'asyncapi' version field is missing"),
        ("asyncapi: 1.2.0\n", "AsyncAPI version '1.2.0' is not supported"),
        ("asyncapi: 2.6.0\na: &a [*a]\n", "recursive alias"),
        ("asyncapi: 2.6.0\nx: !!python/object/apply:os.system ['true']\n", "python/object"),
        ("- asyncapi\n", "must be a mapping"),
        ("asyncapi: 2.6.0\nasyncapi: 3.0.0\n", "duplicate key"),
    ],
)
def test_a_document_that_is_not_asyncapi_is_a_clear_error(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(GenerationFailed) as failed:
        load_asyncapi(_write(tmp_path, text), display="x.yaml")
    (diagnostic,) = failed.value.diagnostics
    assert message in diagnostic.message and diagnostic.file == "x.yaml"


def test_the_size_limit_applies(tmp_path: Path) -> None:
    path = _write(tmp_path, ASYNCAPI_3)
    with pytest.raises(GenerationFailed, match="limit"):
        load_asyncapi(path, max_bytes=100)


def test_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        """\
[tool.generator]
asyncapi = ["a.yml", {file = "b.yml", overlays = ["b.overlay.yaml"]}]

[tool.generator.channels.groups]
"/v1/convai/conversation" = "conversational_ai.conversations"

[tool.generator.channels.replies]
ping = {type = "pong", copy = {event_id = "ping_event.event_id"}}
"""
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert [(a.path.name, [o.name for o in a.overlays]) for a in config.asyncapi] == [
        ("a.yml", []),
        ("b.yml", ["b.overlay.yaml"]),
    ]
    assert config.channel_groups == (
        ("/v1/convai/conversation", "conversational_ai.conversations"),
    )
    assert config.channel_replies == (("ping", "pong", (("event_id", "ping_event.event_id"),)),)
    (tmp_path / "pyproject.toml").write_text('[tool.generator.channels.replies]\nping = "pong"\n')
    with pytest.raises(GenerationFailed, match=r"replies\.ping must be"):
        load_config(tmp_path / "pyproject.toml")


def test_a_configured_group_wins(tmp_path: Path) -> None:
    groups = (("/v1/convai/conversation", "realtime"),)
    (channel,) = _channels(tmp_path, load_asyncapi(CONVAI), channel_groups=groups)
    assert channel.groups == ("realtime",) and channel.signed_url is None
