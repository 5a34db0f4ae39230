"""Channels as code: what the IR says of a channel's connect (its signed-URL operation, its
credential query properties, its group, names), and a generated client of the text-to-speech
document (path parameters, credentials on the handshake, mypy --strict)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection

from generator.api import build_api
from generator.api.ir import Channel
from generator.config import AsyncApiInput, AuthConfig, Config, load_config
from generator.diagnostics import GenerationFailed
from generator.pipeline import generate
from generator.spec import AsyncApiDocument, load_asyncapi, load_spec
from tests.support.agent import DocumentAgent
from tests.support.generation import REPO

SPECS = REPO / "examples" / "specs"
CONVAI = SPECS / "elevenlabs-convai-asyncapi.yml"
TTS = SPECS / "elevenlabs-asyncapi.yml"
API_KEY = "sk-tts-0123456789abcdef"
AUTH = AuthConfig(header="xi-api-key", argument="api_key", env="ELEVENLABS_API_KEY")


def _config(tmp_path: Path, **changes: Any) -> Config:
    return replace(
        Config(spec=REPO / "spec" / "openapi.yaml", out=tmp_path / "out", package="p"), **changes
    )


def _built(tmp_path: Path, *docs: AsyncApiDocument, document: Any = None, **changes: Any) -> Any:
    data = document if document is not None else load_spec(REPO / "spec" / "openapi.yaml").data
    return build_api(data, _config(tmp_path, **changes), docs)


def _channels(tmp_path: Path, *docs: AsyncApiDocument, **changes: Any) -> tuple[Channel, ...]:
    built = _built(tmp_path, *docs, **changes)
    assert [d for d in built.located if d.severity == "error"] == []
    return built.api.channels  # type: ignore[no-any-return]


# --- The signed URL --------------------------------------------------------------------------------


def test_the_signed_url_operation_is_found_by_the_shape_of_its_result(tmp_path: Path) -> None:
    (channel,) = _channels(tmp_path, load_asyncapi(CONVAI))
    assert channel.signing is not None
    assert (channel.signing.module_name, channel.signing.field) == ("get_signed_url", "signed_url")
    assert channel.signing.arguments == (("agent_id", "agent_id"),)


def test_a_configured_signed_url_operation_is_used(tmp_path: Path) -> None:
    configured = (("/v1/convai/conversation", "get-signed-url", "signed_url"),)
    (channel,) = _channels(tmp_path, load_asyncapi(CONVAI), channel_signed_urls=configured)
    assert channel.signing is not None
    assert channel.signing.source == "[tool.generator.channels] signed_url"


def test_signed_url_false_opens_the_channel_without_one(tmp_path: Path) -> None:
    configured = (("/v1/convai/conversation", "", ""),)
    (channel,) = _channels(tmp_path, load_asyncapi(CONVAI), channel_signed_urls=configured)
    assert channel.signing is None and channel.signed_url is None


@pytest.mark.parametrize(
    ("operation", "field", "message"),
    [
        ("nowhere", "signed_url", "no operation 'nowhere' in the spec"),
        ("get-signed-url", "url", "the JSON result of 'get-signed-url' has no property 'url'"),
    ],
)
def test_a_configured_signed_url_operation_that_does_not_fit_is_an_error(
    tmp_path: Path, operation: str, field: str, message: str
) -> None:
    configured = (("/v1/convai/conversation", operation, field),)
    built = _built(tmp_path, load_asyncapi(CONVAI), channel_signed_urls=configured)
    [error] = [d for d in built.located if d.severity == "error"]
    assert error.message == f"[tool.generator.channels] signed_url: {message}"


def test_the_signed_url_setting_is_read_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.generator.channels.signed_url]\n"
        '"/a" = "get-a"\n'
        '"/b" = {operation = "get-b", field = "url"}\n'
        '"/c" = false\n'
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert config.channel_signed_urls == (
        ("/a", "get-a", "signed_url"),
        ("/b", "get-b", "url"),
        ("/c", "", ""),
    )
    (tmp_path / "pyproject.toml").write_text('[tool.generator.channels.signed_url]\n"/a" = 3\n')
    with pytest.raises(GenerationFailed, match=r"signed_url must map channel addresses"):
        load_config(tmp_path / "pyproject.toml")


# --- Credentials, groups, names -------------------------------------------------------------------


def test_a_credential_query_property_is_no_argument_when_the_client_has_credentials(
    tmp_path: Path,
) -> None:
    channels = _channels(tmp_path, load_asyncapi(TTS), auth=AUTH)
    for channel in channels:
        assert channel.credential_query == ("authorization",)
        assert "authorization" not in {a.name for a in channel.arguments}


def test_a_credential_query_property_stays_an_argument_of_a_client_without_credentials(
    tmp_path: Path,
) -> None:
    channels = _channels(tmp_path, load_asyncapi(TTS))
    assert all("authorization" in {a.name for a in c.arguments} for c in channels)


def test_a_channel_group_without_operations_joins_the_client_tree(tmp_path: Path) -> None:
    groups = (("/v1/convai/conversation", "realtime.voice"),)
    built = _built(tmp_path, load_asyncapi(CONVAI), channel_groups=groups)
    by_path = {g.path: g for g in built.api.groups}
    assert by_path[("realtime", "voice")].operations == ()
    assert "realtime" in by_path[()].children and by_path[("realtime",)].children == ("voice",)


def test_connect_is_named_apart_from_an_operation_of_its_group(tmp_path: Path) -> None:
    document = load_spec(REPO / "spec" / "openapi.yaml").data
    operation = document["paths"]["/v1/convai/conversation/get-signed-url"]["get"]
    document["paths"]["/v1/convai/conversation/connect"] = {
        "post": {**operation, "operationId": "connect"}
    }
    built = _built(tmp_path, load_asyncapi(CONVAI), document=document)
    [channel] = built.api.channels
    assert channel.method_name == "connect_2"


def test_each_channel_has_a_module_of_its_own(tmp_path: Path) -> None:
    channels = _channels(tmp_path, load_asyncapi(TTS), load_asyncapi(CONVAI))
    assert [c.module_name for c in channels] == [
        "stream_input",
        "multi_stream_input",
        "conversation",
    ]


# --- A generated text-to-speech client ------------------------------------------------------------


@pytest.fixture(scope="module")
def tts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled spec with the text-to-speech document, generated as `tts_client`."""
    out = tmp_path_factory.mktemp("tts") / "out"
    config = replace(
        load_config(REPO / "pyproject.toml"),
        out=out,
        package="tts_client",
        asyncapi=(AsyncApiInput(TTS),),
    )
    generate(config)
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m == "tts_client" or m.startswith("tts_client.")]:
        del sys.modules[name]


def test_the_tts_client_passes_mypy_strict(tts: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "tts_client"],
        cwd=tts,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_handshake_fills_the_path_sends_the_query_and_the_client_s_api_key(
    tts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tts_client import ElevenLabs  # type: ignore[import-not-found]

    agent = DocumentAgent()

    async def close(websocket: ServerConnection) -> None:
        await websocket.close(1000)

    agent.scenario = close
    try:
        client = ElevenLabs(api_key=API_KEY, base_url=agent.base_url)
        session = client.connect_stream_input(
            voice_id="v 1/x",
            model_id="eleven_flash",
            enable_logging=False,
            output_format="mp3_44100_128",
        )
        with session:
            assert list(session) == []
    finally:
        agent.stop()
    [handshake] = agent.requests
    assert handshake.path == (
        "/v1/text-to-speech/v%201%2Fx/stream-input"
        "?model_id=eleven_flash&enable_logging=false&output_format=mp3_44100_128"
    )
    assert handshake.headers["xi-api-key"] == API_KEY


def test_every_file_of_the_bundled_project_is_laid_out_by_the_generator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from generator import pipeline

    left: list[str] = []
    format_files = pipeline.format_files

    def spy(files: dict[str, str], cache: Any, ready: Any) -> dict[str, str]:
        left.extend(p for p in files if p.endswith(".py") and p not in ready)
        return format_files(files, cache, ready)

    monkeypatch.setattr(pipeline, "format_files", spy)
    monkeypatch.delenv("OPENAPI_CLIENT_GENERATOR_BLACK", raising=False)
    pipeline.render_files(load_config(REPO / "pyproject.toml"))
    assert left == []
