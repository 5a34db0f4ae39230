"""The generated client against Prism: every request it sends must conform to spec/openapi.yaml.

See conftest.py for how Prism is installed and started and how a request is judged (Prism's
`sl-violations` header and 422 on the wire, and its own validation verdict in its log).
"""

from __future__ import annotations

import asyncio
import importlib
from types import ModuleType
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from .conftest import PrismServer, Wire

pytestmark = pytest.mark.slow

PATH = "/v1/convai/conversation/get-signed-url"
API_KEY = "contract-test-key"


def _response_model(elevenlabs: ModuleType) -> type:
    models = importlib.import_module(f"{elevenlabs.__name__}.models")
    return models.ConversationSignedUrlResponseModel  # type: ignore[no-any-return]


def _sent_query(wire: Wire) -> dict[str, str]:
    (exchange,) = wire.exchanges
    return dict(exchange.request.url.params.multi_items())


def _prism_body(wire: Wire) -> dict[str, object]:
    (exchange,) = wire.exchanges
    body: dict[str, object] = exchange.response.json()
    return body


def test_prism_reports_a_request_without_the_required_agent_id(
    prism: PrismServer, wire: Wire
) -> None:
    """The detection the other tests rely on catches a real violation: none passes vacuously."""
    mark = prism.mark()
    with httpx.Client(base_url=prism.base_url) as http:
        response = http.get(PATH, params={"include_conversation_id": "true"})

    assert response.status_code == 422
    assert "agent_id" in response.headers["sl-violations"]
    verdict = prism.verdict(mark, wire, expected_requests=1)
    assert any("sl-violations" in problem and "agent_id" in problem for problem in verdict.problems)
    assert any("did not pass the validation rules" in problem for problem in verdict.problems)
    assert any("Violation:" in problem and "agent_id" in problem for problem in verdict.problems)
    with pytest.raises(AssertionError, match="agent_id"):
        verdict.assert_conforms()


def test_prism_accepts_a_request_with_only_agent_id(prism: PrismServer, wire: Wire) -> None:
    """The positive counterpart, without the client: a minimal valid request conforms."""
    mark = prism.mark()
    with httpx.Client(base_url=prism.base_url) as http:
        response = http.get(PATH, params={"agent_id": "agent_1"})

    assert response.status_code == 200
    prism.verdict(mark, wire, expected_requests=1).assert_conforms()


def test_get_signed_url_with_only_the_required_parameter(
    prism: PrismServer, wire: Wire, elevenlabs: ModuleType
) -> None:
    mark = prism.mark()
    with elevenlabs.ElevenLabs(api_key=API_KEY, base_url=prism.base_url) as client:
        result = client.conversational_ai.conversations.get_signed_url(agent_id="agent_1")

    prism.verdict(mark, wire, expected_requests=1).assert_conforms()
    assert isinstance(result, _response_model(elevenlabs))
    assert result.signed_url == _prism_body(wire)["signed_url"]
    assert _sent_query(wire) == {"agent_id": "agent_1"}


def test_get_signed_url_with_all_parameters(
    prism: PrismServer, wire: Wire, elevenlabs: ModuleType
) -> None:
    mark = prism.mark()
    with elevenlabs.ElevenLabs(api_key=API_KEY, base_url=prism.base_url) as client:
        result = client.conversational_ai.conversations.get_signed_url(
            agent_id="agent_1",
            include_conversation_id=True,
            branch_id="branch_1",
            environment="staging",
        )

    prism.verdict(mark, wire, expected_requests=1).assert_conforms()
    assert isinstance(result, _response_model(elevenlabs))
    assert result.signed_url == _prism_body(wire)["signed_url"]
    # Prism validated all four: none was dropped on the way.
    assert _sent_query(wire) == {
        "agent_id": "agent_1",
        "include_conversation_id": "true",
        "branch_id": "branch_1",
        "environment": "staging",
    }


def test_get_signed_url_leaves_out_parameters_given_as_none(
    prism: PrismServer, wire: Wire, elevenlabs: ModuleType
) -> None:
    mark = prism.mark()
    with elevenlabs.ElevenLabs(api_key=API_KEY, base_url=prism.base_url) as client:
        result = client.conversational_ai.conversations.get_signed_url(
            agent_id="agent_1", include_conversation_id=True, branch_id=None, environment=None
        )

    prism.verdict(mark, wire, expected_requests=1).assert_conforms()
    assert isinstance(result, _response_model(elevenlabs))
    assert _sent_query(wire) == {"agent_id": "agent_1", "include_conversation_id": "true"}


def test_get_signed_url_with_raw_response(
    prism: PrismServer, wire: Wire, elevenlabs: ModuleType
) -> None:
    mark = prism.mark()
    with elevenlabs.ElevenLabs(api_key=API_KEY, base_url=prism.base_url) as client:
        raw = client.conversational_ai.conversations.with_raw_response.get_signed_url(
            agent_id="agent_1", include_conversation_id=True
        )

    prism.verdict(mark, wire, expected_requests=1).assert_conforms()
    assert raw.status_code == 200
    assert "sl-violations" not in raw.headers
    assert isinstance(raw.data, _response_model(elevenlabs))
    assert raw.data.signed_url == _prism_body(wire)["signed_url"]


def test_get_signed_url_with_the_async_client(
    prism: PrismServer, wire: Wire, elevenlabs: ModuleType
) -> None:
    async def call() -> object:
        async with elevenlabs.AsyncElevenLabs(api_key=API_KEY, base_url=prism.base_url) as client:
            return await client.conversational_ai.conversations.get_signed_url(
                agent_id="agent_1",
                include_conversation_id=True,
                branch_id="branch_1",
                environment="staging",
            )

    mark = prism.mark()
    result = asyncio.run(call())

    prism.verdict(mark, wire, expected_requests=1).assert_conforms()
    assert isinstance(result, _response_model(elevenlabs))
    assert result.signed_url == _prism_body(wire)["signed_url"]
    assert set(_sent_query(wire)) == {
        "agent_id",
        "include_conversation_id",
        "branch_id",
        "environment",
    }
