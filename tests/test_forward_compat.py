"""Old client, new API (issue 15): a client generated from version 1 of a spec, answered with
payloads of a grown version (new enum values, union members and fields) through sync, async,
raw, streamed and error responses; requests still send what they are given."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from generator.runtime._decoding import lenient_validator_for
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


SCHEMAS: dict[str, Any] = {
    "Category": {"type": "string", "enum": ["premade", "cloned"]},
    "Level": {"type": "integer", "enum": [1, 2]},
    "Webhook": _obj(
        ["type", "url"], type={"type": "string", "const": "webhook"}, url={"type": "string"}
    ),
    "ClientTool": _obj(["type"], type={"type": "string", "const": "client"}),
    "Cat": _obj(["meow"], meow={"type": "string"}),
    "Dog": _obj(["bark"], bark={"type": "integer"}),
    "Tool": _obj(
        ["id", "tool_config"],
        id={"type": "string"},
        category=ref("Category"),
        categories={"type": "array", "items": ref("Category")},
        by_voice={"type": "object", "additionalProperties": ref("Category")},
        level=ref("Level"),
        tool_config={
            "oneOf": [ref("Webhook"), ref("ClientTool")],
            "discriminator": {"propertyName": "type"},
        },
        pet={"anyOf": [ref("Cat"), ref("Dog")]},
    ),
    "Problem": _obj(["code"], code=ref("Category")),
}
STREAM = {"x-fern-streaming": True}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Grows", "version": "1"},
    "paths": {
        "/tools": {
            "get": {
                "operationId": "getTool",
                "tags": ["tools"],
                "parameters": [{"name": "category", "in": "query", "schema": ref("Category")}],
                "responses": {
                    "200": json_response(ref("Tool")),
                    "400": json_response(ref("Problem"), "Bad"),
                },
            },
            "post": {
                "operationId": "saveTool",
                "tags": ["tools"],
                "requestBody": {"content": {"application/json": {"schema": ref("Tool")}}},
                "responses": {"200": json_response(ref("Tool"))},
            },
        },
        "/tools/lines": {
            "post": {
                "operationId": "toolLines",
                "tags": ["tools"],
                "responses": {"200": json_response(ref("Tool"))},
                **STREAM,
            }
        },
        "/tools/events": {
            "post": {
                "operationId": "toolEvents",
                "tags": ["tools"],
                "responses": {
                    "200": {
                        "description": "SSE",
                        "content": {"text/event-stream": {"schema": ref("Tool")}},
                    }
                },
            }
        },
    },
    "components": {"schemas": SCHEMAS},
}
# Version 2 of the API: a category, a level, a tool type, a pet and fields it did not have.
GROWN: dict[str, Any] = {
    "id": "t1",
    "category": "professional",
    "categories": ["premade", "generated"],
    "by_voice": {"a": "cloned", "b": "famous"},
    "level": 3,
    "tool_config": {"type": "mcp", "server": "s1", "nested": {"k": [1]}},
    "pet": {"hiss": True},
    "added_later": {"deep": [1, 2]},
}

USAGE = """
from grows import Tiny
from grows._runtime._open import UnknownStr, UnknownInt
from grows.models import ClientTool, Tool, UnknownPet, UnknownToolConfig, Webhook, Cat, Dog

client = Tiny(base_url="http://127.0.0.1:9")
tool: Tool = client.tools.get_tool(category="premade")


def describe(tool: Tool) -> str:
    match tool.tool_config:
        case Webhook() as webhook:
            return webhook.url
        case ClientTool():
            return "client"
        case UnknownToolConfig() as other:
            return str(other.raw["type"])


def category(tool: Tool) -> int:
    match tool.category:
        case "premade" | "cloned":
            return 1
        case UnknownStr():
            return 2
        case None:
            return 0


def level(tool: Tool) -> int:
    if isinstance(tool.level, UnknownInt):
        return int(tool.level)
    return 0 if tool.level is None else tool.level


def pet(tool: Tool) -> str:
    if isinstance(tool.pet, UnknownPet):
        return repr(tool.pet.raw)
    return "known" if isinstance(tool.pet, Cat | Dog) else "none"
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("grows"), SPEC, "grows")


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url) as client:
        yield client


def _check(tool: Any) -> None:
    assert (tool.category, type(tool.category).__name__) == ("professional", "UnknownStr")
    assert [type(c).__name__ for c in tool.categories] == ["str", "UnknownStr"]
    assert tool.by_voice == {"a": "cloned", "b": "famous"}
    assert (tool.level, type(tool.level).__name__) == (3, "UnknownInt")
    assert type(tool.tool_config).__name__ == "UnknownToolConfig"
    assert tool.tool_config.raw == GROWN["tool_config"]
    assert (type(tool.pet).__name__, tool.pet.raw) == ("UnknownPet", {"hiss": True})
    assert tool.added_later == {"deep": [1, 2]}
    assert tool.model_dump(mode="json", exclude_unset=True) == GROWN


def test_code_matching_on_the_unknown_branches_passes_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_sync_async_and_raw_responses_keep_what_the_api_added(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    for _ in range(3):
        loopback.respond(json=GROWN)
    _check(client.tools.get_tool())
    raw = client.tools.with_raw_response.get_tool()
    assert raw.status_code == 200
    _check(raw.data)

    async def run() -> Any:
        async with generated.module.AsyncTiny(base_url=loopback.url) as async_client:
            return await async_client.tools.get_tool()

    _check(asyncio.run(run()))


def test_streamed_items_keep_what_the_api_added(client: Any, loopback: LoopbackServer) -> None:
    line = json.dumps(GROWN).encode()
    loopback.respond(parts=[line + b"\n", line + b"\n"])
    for tool in client.tools.tool_lines():
        _check(tool)
    loopback.respond(
        parts=[b"data: " + line + b"\n\n"], headers=[("content-type", "text/event-stream")]
    )
    (event,) = list(client.tools.tool_events())
    _check(event)


def test_an_error_body_with_a_new_enum_value_is_typed(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(400, json={"code": "quota", "hint": "later"})
    with pytest.raises(generated.load("errors").ApiError) as failure:
        client.tools.get_tool(request_options={"max_retries": 0})
    body = failure.value.body
    assert (type(body).__name__, body.code, body.hint) == ("Problem", "quota", "later")


def test_a_model_received_is_sent_back_unchanged_and_new_values_can_be_sent(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json=GROWN)
    loopback.respond(json=GROWN)
    loopback.respond(json=GROWN)
    tool = client.tools.get_tool()
    models = generated.load("models")
    client.tools.save_tool(id=tool.id, tool_config=tool.tool_config, pet=tool.pet)
    sent = json.loads(loopback.requests[1].body)
    assert sent == {"id": "t1", "tool_config": GROWN["tool_config"], "pet": {"hiss": True}}
    # An enum value added since generation is sent as given (rule 5), also as a parameter.
    fresh = models.Tool(
        id="t2", tool_config=models.Webhook(type="webhook", url="u"), category="new"
    )
    client.tools.get_tool(category="generated")
    assert loopback.requests[2].query == [("category", "generated")]
    assert fresh.model_dump(mode="json", exclude_unset=True)["category"] == "new"


def test_what_is_still_an_error(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    errors = generated.load("errors")
    missing = {k: v for k, v in GROWN.items() if k != "id"}
    for body in (json.dumps(missing), json.dumps({**GROWN, "level": "3"}), "not json"):
        loopback.respond(body=body.encode(), headers=[("content-type", "application/json")])
        with pytest.raises(errors.ResponseValidationError) as failure:
            client.tools.get_tool()
        assert failure.value.status_code == 200 and failure.value.body


def test_lenient_decoding_keeps_bad_fields_raw_and_warns_once(
    generated: Generated, caplog: pytest.LogCaptureFixture
) -> None:
    tool_type = generated.load("models").Tool
    bad = json.dumps({**GROWN, "id": 5, "level": "x"}).encode()
    decode = lenient_validator_for(tool_type)
    with pytest.warns(UserWarning):  # pydantic: the raw values are not of their types
        first, second = decode(bad), decode(bad)
        assert first.model_dump(mode="json", exclude_unset=True)["level"] == "x"
    assert (first.id, first.level, first.added_later) == (5, "x", {"deep": [1, 2]})
    assert type(first.tool_config).__name__ == "UnknownToolConfig"
    assert second.id == 5
    warned = [r.getMessage() for r in caplog.records if "strict_responses" in r.getMessage()]
    assert len(warned) == 2 and "Tool.id" in warned[0] and "Tool.level" in warned[1]
    with pytest.raises(ValueError):
        decode(b"not json")


# strict_responses=False: a response that breaks the spec's rules is kept, not raised.
BROKEN = {**{k: v for k, v in GROWN.items() if k != "id"}, "level": "3"}


@pytest.fixture
def lenient(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    generated.load("_runtime._decoding")._WARNED.clear()  # one warning per process
    with generated.module.Tiny(base_url=loopback.url, strict_responses=False) as client:
        yield client


def _check_kept(tool: Any, caplog: pytest.LogCaptureFixture) -> None:
    assert "id" not in tool.model_fields_set and not hasattr(tool, "id")
    assert tool.level == "3" and type(tool.category).__name__ == "UnknownStr"
    assert type(tool.tool_config).__name__ == "UnknownToolConfig"
    assert tool.added_later == {"deep": [1, 2]}
    warned = sorted(r.getMessage() for r in caplog.records if "strict_responses" in r.message)
    assert len(warned) == 2, warned
    assert "Tool.id missing" in warned[0] and "Tool.level does not match" in warned[1]


def test_lenient_client_keeps_a_broken_response_and_warns_once_per_field(
    lenient: Any, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(3):
        loopback.respond(json=BROKEN)
    first, second = lenient.tools.get_tool(), lenient.tools.get_tool()
    raw = lenient.tools.with_raw_response.get_tool()
    assert raw.status_code == 200
    for tool in (first, second, raw.data):
        _check_kept(tool, caplog)


def test_lenient_async_client_keeps_a_broken_response(
    generated: Generated, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    generated.load("_runtime._decoding")._WARNED.clear()
    loopback.respond(json=BROKEN)
    loopback.respond(json=BROKEN)
    line = json.dumps(BROKEN).encode() + b"\n"
    loopback.respond(parts=[line, line])

    async def run() -> list[Any]:
        async with generated.module.AsyncTiny(
            base_url=loopback.url, strict_responses=False
        ) as client:
            raw = await client.tools.with_raw_response.get_tool()
            tool = await client.tools.get_tool()
            return [raw.data, tool, *[item async for item in client.tools.tool_lines()]]

    tools = asyncio.run(run())
    assert len(tools) == 4
    for tool in tools:
        _check_kept(tool, caplog)


def test_lenient_streams_keep_broken_items(
    lenient: Any, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    line = json.dumps(BROKEN).encode()
    loopback.respond(parts=[line + b"\n", line + b"\n"])
    loopback.respond(
        parts=[b"data: " + line + b"\n\n"], headers=[("content-type", "text/event-stream")]
    )
    tools = [*lenient.tools.tool_lines(), *lenient.tools.tool_events()]
    assert len(tools) == 3
    for tool in tools:
        _check_kept(tool, caplog)


def test_a_body_that_is_not_json_still_raises_with_a_lenient_client(
    generated: Generated, lenient: Any, loopback: LoopbackServer
) -> None:
    errors = generated.load("errors")
    loopback.respond(body=b"not json", headers=[("content-type", "application/json")])
    loopback.respond(parts=[b"not json\n"])
    with pytest.raises(errors.ResponseValidationError) as failure:
        lenient.tools.get_tool()
    assert (failure.value.status_code, failure.value.body) == (200, "not json")
    assert "json" in str(failure.value).lower()
    with pytest.raises(errors.ResponseValidationError):
        list(lenient.tools.tool_lines())


def test_by_default_a_broken_response_raises_everywhere(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    errors = generated.load("errors")
    body = json.dumps(BROKEN).encode()
    loopback.respond(body=body, headers=[("content-type", "application/json")])
    loopback.respond(body=body, headers=[("content-type", "application/json")])
    loopback.respond(parts=[body + b"\n"])
    loopback.respond(
        parts=[b"data: " + body + b"\n\n"], headers=[("content-type", "text/event-stream")]
    )
    loopback.respond(body=body, headers=[("content-type", "application/json")])
    calls = [
        client.tools.get_tool,
        client.tools.with_raw_response.get_tool,
        lambda: list(client.tools.tool_lines()),
        lambda: list(client.tools.tool_events()),
    ]
    failures = []
    for call in calls:
        with pytest.raises(errors.ResponseValidationError) as failure:
            call()
        failures.append(failure.value)

    async def run() -> None:
        async with generated.module.AsyncTiny(base_url=loopback.url) as async_client:
            await async_client.tools.get_tool()

    with pytest.raises(errors.ResponseValidationError) as failure:
        asyncio.run(run())
    failures.append(failure.value)
    for error in failures:
        assert error.status_code == 200 and error.headers is not None
        assert '"category": "professional"' in error.body
        assert "id" in str(error) and "level" in str(error)
