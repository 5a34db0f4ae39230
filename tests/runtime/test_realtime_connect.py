"""RealtimeChannel: where a generated channel's session goes (signed URL, signing operation, the
client's server) and which of the client's credentials go along, without connecting."""

from __future__ import annotations

from typing import Any

import pytest

from generator.runtime import (
    ApiKeyAuth,
    HttpAuth,
    HttpBasicAuth,
    OAuth2Auth,
    RealtimeChannel,
    SyncHttp,
    handshake_credentials,
)

CHANNEL: RealtimeChannel[Any] = RealtimeChannel(
    "/v1/rooms/{room_id}/live",
    messages=(),
    servers={"https://api.example.test": "wss://ws.example.test"},
    required=("room_id",),
)


def _http(base_url: str = "https://api.example.test", **kwargs: Any) -> SyncHttp:
    return SyncHttp(base_url=base_url, **kwargs)


def test_the_client_s_environment_maps_to_its_ws_server() -> None:
    session = CHANNEL.sync_session(_http(), path={"room_id": "r1"})
    assert session.url == "wss://ws.example.test/v1/rooms/r1/live"


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://127.0.0.1:8080", "ws://127.0.0.1:8080/v1/rooms/r1/live"),
        ("https://proxy.test/api/", "wss://proxy.test/api/v1/rooms/r1/live"),
    ],
)
def test_another_base_url_gives_its_ws_scheme_and_keeps_its_path(
    base_url: str, expected: str
) -> None:
    session = CHANNEL.sync_session(_http(base_url), path={"room_id": "r1"})
    assert session.url == expected


def test_a_path_parameter_is_percent_encoded() -> None:
    session = CHANNEL.sync_session(_http(), path={"room_id": "a/b c"})
    assert session.url == "wss://ws.example.test/v1/rooms/a%2Fb%20c/live"


def test_a_missing_required_argument_is_named() -> None:
    with pytest.raises(TypeError, match=r"connect\(\) needs room_id="):
        CHANNEL.sync_session(_http(), path={"room_id": None})


def test_a_signed_url_keeps_its_own_query_and_gets_the_other_arguments() -> None:
    session = CHANNEL.sync_session(
        _http(),
        signed_url="wss://ws.example.test/v1/rooms/r1/live?room_id=r1&sig=s",
        query={"room_id": "r1", "mode": "fast", "unset": None},
    )
    assert session._target == "wss://ws.example.test/v1/rooms/r1/live?room_id=r1&sig=s&mode=fast"


def test_the_signing_operation_is_asked_only_by_a_client_with_credentials() -> None:
    asked: list[dict[str, Any]] = []

    def sign(**kwargs: Any) -> str:
        asked.append(kwargs)
        return "wss://ws.example.test/signed?sig=s"

    keyed = _http(secret_headers={"X-Api-Key": "k"})
    session = CHANNEL.sync_session(keyed, sign=sign, sign_with={"room": "r1"})
    assert asked == [] and session._source is not None  # asked when the session opens
    session._resolve(session._source())  # type: ignore[operator]
    assert asked == [{"room": "r1"}] and session.url == "wss://ws.example.test/signed"
    anonymous = CHANNEL.sync_session(
        _http(), path={"room_id": "r1"}, sign=sign, sign_with={"room": "r1"}
    )
    assert anonymous.url == "wss://ws.example.test/v1/rooms/r1/live"


def test_each_scheme_s_credentials_go_on_the_handshake() -> None:
    headers, query = handshake_credentials(
        {"X-Api-Key": "k1"},
        (
            ApiKeyAuth("q", parameter="key", location="query", key="k2"),
            ApiKeyAuth("c", parameter="session", location="cookie", key="k3"),
            HttpAuth("bearer", token="t1"),
            ApiKeyAuth("unset", parameter="other", location="header", key=None),
        ),
    )
    assert headers == {"X-Api-Key": "k1", "Authorization": "Bearer t1", "Cookie": "session=k3"}
    assert query == [("key", "k2")]


def test_basic_and_oauth2_tokens_go_as_authorization() -> None:
    basic, _ = handshake_credentials({}, (HttpBasicAuth("b", username="u", password="p"),))
    assert basic == {"Authorization": "Basic dTpw"}
    oauth, _ = handshake_credentials({}, (OAuth2Auth("o", token="t"),))
    assert oauth == {"Authorization": "Bearer t"}
