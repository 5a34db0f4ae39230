"""Auto-pagination through a client generated from a small inline spec (x-fern-pagination on a
cursor list, x-speakeasy-pagination on an offset list), against the loopback server: the pages
and the items, the exact cursors and offsets sent, each next page fetched only when reached,
sync and async, and the types mypy --strict sees."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Paged", "version": "1"},
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "tags": ["items"],
                "x-fern-pagination": {
                    "cursor": "$request.cursor",
                    "next_cursor": "$response.next_cursor",
                    "results": "$response.items",
                    "has-next-page": "$response.has_more",
                },
                "parameters": [
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {"name": "page_size", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {"200": json_response(ref("ItemPage"))},
            }
        },
        "/logs": {
            "get": {
                "operationId": "listLogs",
                "tags": ["logs"],
                "x-speakeasy-pagination": {
                    "type": "offsetLimit",
                    "inputs": [
                        {"name": "offset", "in": "parameters", "type": "offset"},
                        {"name": "limit", "in": "parameters", "type": "limit"},
                    ],
                    "outputs": {"results": "$.data"},
                },
                "parameters": [
                    {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {"200": json_response(ref("LogPage"))},
            }
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}},
            },
            "ItemPage": {
                "type": "object",
                "required": ["items", "has_more"],
                "properties": {
                    "items": {"type": "array", "items": ref("Item")},
                    "next_cursor": {"type": ["string", "null"]},
                    "has_more": {"type": "boolean"},
                },
            },
            "LogPage": {
                "type": "object",
                "required": ["data"],
                "properties": {"data": {"type": "array", "items": {"type": "string"}}},
            },
        }
    },
}

USAGE = """\
import asyncio

from feat_paged import AsyncTiny, Tiny
from feat_paged._operations.list_items import AsyncListItemsPage, ListItemsPage
from feat_paged._runtime import AsyncPager
from feat_paged.models import Item, ItemPage

client = Tiny(base_url="http://localhost")
page: ListItemsPage = client.items.list_items(page_size=50)
model: ItemPage = page
cursor: str | None = page.next_cursor
items: list[Item] = page.items
more: bool = page.has_next_page()
following: ListItemsPage = page.get_next_page()
every: list[Item] = list(page)
pages: list[ListItemsPage] = list(page.iter_pages())
logs: list[str] = list(client.logs.list_logs(limit=10))
raw: ItemPage = client.items.with_raw_response.list_items().data


async def main() -> None:
    aclient = AsyncTiny(base_url="http://localhost")
    pager: AsyncPager[AsyncListItemsPage] = aclient.items.list_items(page_size=50)
    first: AsyncListItemsPage = await pager
    nxt: AsyncListItemsPage = await first.get_next_page()
    async for item in aclient.items.list_items():
        number: int = item.id
    async for each in first.iter_pages():
        also: ItemPage = each


asyncio.run(main())
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("paged"), SPEC, "feat_paged")


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url) as client:
        yield client


def _three_pages(server: LoopbackServer) -> None:
    """Pages of items 1-2, 3-4 and 5, the first two with a next cursor."""
    server.respond(json={"items": [{"id": 1}, {"id": 2}], "next_cursor": "c1", "has_more": True})
    server.respond(json={"items": [{"id": 3}, {"id": 4}], "next_cursor": "c2", "has_more": True})
    server.respond(json={"items": [{"id": 5}], "next_cursor": None, "has_more": False})


def _cursors(server: LoopbackServer) -> list[str | None]:
    return [dict(r.query).get("cursor") for r in server.requests]


def test_the_package_and_code_using_its_pages_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_iterating_a_page_gives_every_item_of_the_three_pages(
    client: Any, loopback: LoopbackServer
) -> None:
    _three_pages(loopback)
    assert [item.id for item in client.items.list_items(page_size=2)] == [1, 2, 3, 4, 5]


def test_each_next_page_is_asked_for_with_the_cursor_the_page_before_gave(
    client: Any, loopback: LoopbackServer
) -> None:
    _three_pages(loopback)
    list(client.items.list_items(page_size=2))
    assert _cursors(loopback) == [None, "c1", "c2"]
    assert [dict(r.query).get("page_size") for r in loopback.requests] == ["2", "2", "2"]


def test_a_next_page_is_fetched_only_when_the_iteration_reaches_it(
    client: Any, loopback: LoopbackServer
) -> None:
    _three_pages(loopback)
    items = iter(client.items.list_items(page_size=2))
    assert len(loopback.requests) == 1
    assert [next(items).id, next(items).id] == [1, 2]
    assert len(loopback.requests) == 1
    assert next(items).id == 3
    assert len(loopback.requests) == 2


def test_the_call_still_returns_the_first_page_with_its_fields(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    _three_pages(loopback)
    page = client.items.list_items(page_size=2)
    assert isinstance(page, generated.load("models").ItemPage)
    assert ([i.id for i in page.items], page.next_cursor, page.has_more) == ([1, 2], "c1", True)
    assert len(loopback.requests) == 1


def test_get_next_page_sends_one_request_with_the_next_cursor(
    client: Any, loopback: LoopbackServer
) -> None:
    _three_pages(loopback)
    page = client.items.list_items(page_size=2)
    assert page.has_next_page()
    second = page.get_next_page()
    assert [i.id for i in second.items] == [3, 4]
    assert _cursors(loopback) == [None, "c1"]


def test_iter_pages_stops_after_the_page_that_has_no_more(
    client: Any, loopback: LoopbackServer
) -> None:
    _three_pages(loopback)
    pages = list(client.items.list_items().iter_pages())
    assert [page.next_cursor for page in pages] == ["c1", "c2", None]
    assert not pages[-1].has_next_page()
    assert len(loopback.requests) == 3


def test_request_options_apply_to_every_page(client: Any, loopback: LoopbackServer) -> None:
    _three_pages(loopback)
    options = {"additional_headers": {"X-Trace": "t-1"}}
    list(client.items.list_items(request_options=options))
    assert [r.header("X-Trace") for r in loopback.requests] == ["t-1", "t-1", "t-1"]


def test_a_page_that_fails_raises_as_a_single_call_would(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"items": [{"id": 1}], "next_cursor": "c1", "has_more": True})
    loopback.respond(403, json={"detail": "no"})
    items = iter(client.items.list_items())
    assert next(items).id == 1
    with pytest.raises(generated.load("errors").ApiError) as caught:
        next(items)
    assert caught.value.status_code == 403


def test_an_offset_list_asks_for_the_offset_after_the_items_it_has(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"data": ["a", "b"]})
    loopback.respond(json={"data": ["c", "d"]})
    loopback.respond(json={"data": ["e"]})
    assert list(client.logs.list_logs(limit=2)) == ["a", "b", "c", "d", "e"]
    assert [dict(r.query).get("offset") for r in loopback.requests] == [None, "2", "4"]


def test_with_raw_response_returns_one_page_as_the_response_model(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    _three_pages(loopback)
    raw = client.items.with_raw_response.list_items()
    assert raw.status_code == 200 and type(raw.data) is generated.load("models").ItemPage
    assert len(loopback.requests) == 1


def test_awaiting_the_async_call_gives_the_first_page_in_one_request(
    generated: Generated, loopback: LoopbackServer
) -> None:
    async def run() -> Any:
        async with generated.module.AsyncTiny(base_url=loopback.url) as client:
            return await client.items.list_items(page_size=2)

    _three_pages(loopback)
    page = asyncio.run(run())
    assert ([i.id for i in page.items], page.next_cursor) == ([1, 2], "c1")
    assert _cursors(loopback) == [None]


def test_async_for_over_the_async_call_gives_every_item_with_the_cursors_in_turn(
    generated: Generated, loopback: LoopbackServer
) -> None:
    seen: list[tuple[int, int]] = []  # (item, requests sent when it came)

    async def run() -> None:
        async with generated.module.AsyncTiny(base_url=loopback.url) as client:
            async for item in client.items.list_items(page_size=2):
                seen.append((item.id, len(loopback.requests)))

    _three_pages(loopback)
    asyncio.run(run())
    assert seen == [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)]
    assert _cursors(loopback) == [None, "c1", "c2"]


def test_the_async_call_sends_nothing_until_awaited_or_iterated(
    generated: Generated, loopback: LoopbackServer
) -> None:
    async def run() -> int:
        async with generated.module.AsyncTiny(base_url=loopback.url) as client:
            client.items.list_items()
            return len(loopback.requests)

    assert asyncio.run(run()) == 0


def test_an_operation_that_declares_no_pagination_returns_its_model_as_before(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    plain = {**SPEC, "paths": {"/items": {"get": dict(SPEC["paths"]["/items"]["get"])}}}
    del plain["paths"]["/items"]["get"]["x-fern-pagination"]
    package = generate_package(request, tmp_path, plain, "feat_unpaged")
    assert "pagination=" not in package.file("_operations/list_items.py")
    assert "-> ItemPage:" in package.file("resources/items/client.py")
