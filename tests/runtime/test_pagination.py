"""Auto-pagination on the loopback server: pages are the response model, iterate lazily."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from generator.runtime import (
    ApiError,
    AsyncHttp,
    AsyncPage,
    Endpoint,
    JsonResult,
    Pagination,
    Request,
    SyncHttp,
    SyncPage,
)
from tests.support.loopback import LoopbackServer, RecordedRequest, ScriptedResponse

ROOT = Path(__file__).resolve().parents[2]


class Item(BaseModel):
    id: str


class ListItems(BaseModel):
    items: list[Item]
    next_cursor: str | None = None
    has_more: bool = False


class ItemsPage(SyncPage[Item], ListItems):
    pass


class AsyncItemsPage(AsyncPage[Item], ListItems):
    pass


CURSOR = Pagination(
    kind="cursor",
    items="items",
    cursor_param="cursor",
    next_cursor="next_cursor",
    has_more="has_more",
)
LIST: Endpoint[ListItems] = Endpoint(
    method="GET", path="/v1/items", result=JsonResult(ListItems), pagination=CURSOR
)


def _request(cursor: str | None = None) -> Request:
    return Request(query=(("cursor", cursor), ("page_size", 2)))


def _three_pages(server: LoopbackServer) -> None:
    server.respond(
        json={"items": [{"id": "a"}, {"id": "b"}], "next_cursor": "c2", "has_more": True}
    )
    server.respond(
        json={"items": [{"id": "c"}, {"id": "d"}], "next_cursor": "c3", "has_more": True}
    )
    server.respond(json={"items": [{"id": "e"}], "next_cursor": None, "has_more": False})


def _sync(server: LoopbackServer, **kwargs: Any) -> SyncHttp:
    return SyncHttp(base_url=server.url, sleep=lambda _: None, **kwargs)


def test_the_first_page_is_the_response_model(loopback: LoopbackServer) -> None:
    _three_pages(loopback)
    with_http = _sync(loopback)
    page = with_http.paginate(LIST, _request(), None, ItemsPage)
    assert isinstance(page, ListItems)
    assert [item.id for item in page.items] == ["a", "b"]
    assert page.next_cursor == "c2"
    assert page.model_dump() == {
        "items": [{"id": "a"}, {"id": "b"}],
        "next_cursor": "c2",
        "has_more": True,
    }
    assert page == ItemsPage.model_validate(page.model_dump())
    assert len(loopback.requests) == 1
    with_http.close()


def test_iterating_fetches_each_page_when_reached_with_the_cursors(
    loopback: LoopbackServer,
) -> None:
    _three_pages(loopback)
    http = _sync(loopback)
    items = iter(http.paginate(LIST, _request(), None, ItemsPage))
    assert [next(items).id, next(items).id] == ["a", "b"]
    assert len(loopback.requests) == 1
    assert next(items).id == "c"
    assert len(loopback.requests) == 2
    assert [item.id for item in items] == ["d", "e"]
    assert [r.query for r in loopback.requests] == [
        [("page_size", "2")],
        [("cursor", "c2"), ("page_size", "2")],
        [("cursor", "c3"), ("page_size", "2")],
    ]
    http.close()


def test_pages_one_by_one(loopback: LoopbackServer) -> None:
    _three_pages(loopback)
    http = _sync(loopback)
    page = http.paginate(LIST, _request(), None, ItemsPage)
    assert page.has_next_page()
    second = page.get_next_page()
    assert isinstance(second, ItemsPage)
    assert [item.id for item in second.page_items()] == ["c", "d"]
    third = second.get_next_page()
    assert not third.has_next_page()
    with pytest.raises(RuntimeError, match="no next page"):
        third.get_next_page()
    _three_pages(loopback)
    pages = list(http.paginate(LIST, _request(), None, ItemsPage).iter_pages())
    assert [p.next_cursor for p in pages] == ["c2", "c3", None]
    http.close()


def test_request_options_apply_to_every_page_and_a_failing_page_raises(
    loopback: LoopbackServer,
) -> None:
    loopback.respond(json={"items": [{"id": "a"}], "next_cursor": "c2", "has_more": True})
    loopback.respond(500, json={"detail": "boom"})
    http = _sync(loopback)
    options = {"additional_headers": {"x-trace": "t1"}, "max_retries": 0}
    page = http.paginate(LIST, _request(), options, ItemsPage)  # type: ignore[arg-type]
    with pytest.raises(ApiError) as raised:
        list(page)
    assert raised.value.status_code == 500
    assert [r.header("x-trace") for r in loopback.requests] == ["t1", "t1"]
    http.close()


def test_a_repeated_cursor_ends_the_iteration(loopback: LoopbackServer) -> None:
    loopback.respond(json={"items": [{"id": "a"}], "next_cursor": "same", "has_more": True})
    loopback.respond(json={"items": [{"id": "b"}], "next_cursor": "same", "has_more": True})
    http = _sync(loopback)
    assert [i.id for i in http.paginate(LIST, _request(), None, ItemsPage)] == ["a", "b"]
    assert len(loopback.requests) == 2
    http.close()


class Numbers(BaseModel):
    data: list[int]


class NumbersPage(SyncPage[int], Numbers):
    pass


def _numbers(kind: str, **fields: Any) -> Endpoint[Numbers]:
    pagination = Pagination(kind=kind, items="data", **fields)  # type: ignore[arg-type]
    return Endpoint(method="GET", path="/n", result=JsonResult(Numbers), pagination=pagination)


def test_offset_pagination_stops_at_a_short_page(loopback: LoopbackServer) -> None:
    for data in ([1, 2], [3, 4], [5]):
        loopback.respond(json={"data": data})
    http = _sync(loopback)
    request = Request(query=(("limit", 2),))
    assert list(http.paginate(_numbers("offset"), request, None, NumbersPage)) == [1, 2, 3, 4, 5]
    assert [r.query for r in loopback.requests] == [
        [("limit", "2")],
        [("limit", "2"), ("offset", "2")],
        [("limit", "2"), ("offset", "4")],
    ]
    http.close()


def test_page_number_pagination_stops_at_an_empty_page(loopback: LoopbackServer) -> None:
    for data in ([1], [2], []):
        loopback.respond(json={"data": data})
    http = _sync(loopback)
    endpoint = _numbers("page", limit_param=None)
    assert list(http.paginate(endpoint, Request(), None, NumbersPage)) == [1, 2]
    assert [r.query for r in loopback.requests] == [[], [("page", "2")], [("page", "3")]]
    http.close()


class Linked(BaseModel):
    data: list[int]
    links: dict[str, str | None]


class LinkedPage(SyncPage[int], Linked):
    pass


def test_next_url_pagination_follows_the_link(loopback: LoopbackServer) -> None:
    loopback.respond(json={"data": [1], "links": {"next": "/api/n?after=1&x=a%20b"}})
    loopback.respond(json={"data": [2], "links": {"next": f"{loopback.url}/api/n?after=2"}})
    loopback.respond(json={"data": [3], "links": {"next": None}})
    http = _sync(loopback, headers={"x-h": "1"})
    endpoint = Endpoint(
        method="GET",
        path="/n",
        result=JsonResult(Linked),
        pagination=Pagination(kind="next_url", items="data", next_url="links.next"),
    )
    request = Request(query=(("size", 1),))
    assert list(http.paginate(endpoint, request, None, LinkedPage)) == [1, 2, 3]
    assert [(r.path, r.query) for r in loopback.requests] == [
        ("/n", [("size", "1")]),
        ("/api/n", [("after", "1"), ("x", "a b")]),
        ("/api/n", [("after", "2")]),
    ]
    assert all(r.header("x-h") == "1" for r in loopback.requests)
    http.close()


def test_a_next_link_to_another_origin_is_refused(loopback: LoopbackServer) -> None:
    loopback.respond(json={"data": [1], "links": {"next": "https://elsewhere.test/n?p=2"}})
    http = _sync(loopback)
    endpoint = Endpoint(
        method="GET",
        path="/n",
        result=JsonResult(Linked),
        pagination=Pagination(kind="next_url", items="data", next_url="links.next"),
    )
    page = http.paginate(endpoint, Request(), None, LinkedPage)
    with pytest.raises(ValueError, match="another origin"):
        page.get_next_page()
    assert len(loopback.requests) == 1
    http.close()


def test_an_endpoint_without_pagination_is_refused(loopback: LoopbackServer) -> None:
    http = _sync(loopback)
    plain = Endpoint(method="GET", path="/x", result=JsonResult(ListItems))
    with pytest.raises(ValueError, match="declares no pagination"):
        http.paginate(plain, Request(), None, ItemsPage)
    http.close()


def test_async_await_gives_the_first_page_and_async_for_every_item(
    loopback: LoopbackServer,
) -> None:
    async def main() -> None:
        http = AsyncHttp(base_url=loopback.url)
        _three_pages(loopback)
        pager = http.paginate(LIST, _request(), None, AsyncItemsPage)
        assert loopback.requests == []  # nothing sent before it is awaited or iterated
        page = await pager
        assert isinstance(page, ListItems)
        assert page.next_cursor == "c2"
        second = await page.get_next_page()
        assert [i.id for i in second.page_items()] == ["c", "d"]
        assert [p.next_cursor async for p in second.iter_pages()] == ["c3", None]

        before = len(loopback.requests)
        _three_pages(loopback)
        seen: list[str] = []
        async for item in http.paginate(LIST, _request(), None, AsyncItemsPage):
            seen.append(item.id)
            if item.id == "b":
                assert len(loopback.requests) == before + 1
        assert seen == ["a", "b", "c", "d", "e"]
        cursors = [dict(r.query).get("cursor") for r in loopback.requests[before:]]
        assert cursors == [None, "c2", "c3"]
        await http.aclose()

    asyncio.run(main())


def test_a_failing_page_raises_on_the_async_client(loopback: LoopbackServer) -> None:
    async def main() -> None:
        loopback.respond(json={"items": [{"id": "a"}], "next_cursor": "c2", "has_more": True})
        loopback.respond(404, json={"detail": "gone"})
        http = AsyncHttp(base_url=loopback.url)
        with pytest.raises(ApiError):
            async for _ in http.paginate(LIST, _request(), None, AsyncItemsPage):
                pass
        await http.aclose()

    asyncio.run(main())


TYPED = """
from pydantic import BaseModel
from some_client._runtime import (
    AsyncHttp, AsyncPage, AsyncPager, Endpoint, Request, SyncHttp, SyncPage
)

class Item(BaseModel):
    id: str

class ListItems(BaseModel):
    items: list[Item]
    next_cursor: str | None = None

class ItemsPage(SyncPage[Item], ListItems):
    pass

class AsyncItemsPage(AsyncPage[Item], ListItems):
    pass

def list_items(http: SyncHttp, endpoint: Endpoint[ListItems]) -> ItemsPage:
    return http.paginate(endpoint, Request(), None, ItemsPage)

def alist_items(http: AsyncHttp, endpoint: Endpoint[ListItems]) -> AsyncPager[AsyncItemsPage]:
    return http.paginate(endpoint, Request(), None, AsyncItemsPage)

def use(http: SyncHttp, endpoint: Endpoint[ListItems]) -> None:
    page = list_items(http, endpoint)
    items: list[Item] = page.items
    cursor: str | None = page.next_cursor
    for item in page:
        name: str = item.id
    following: ItemsPage = page.get_next_page()
    model: ListItems = page
    wrong: int = page.items

async def ause(http: AsyncHttp, endpoint: Endpoint[ListItems]) -> None:
    page = await alist_items(http, endpoint)
    items: list[Item] = page.items
    async for item in alist_items(http, endpoint):
        name: str = item.id
    async for each in page:
        other: str = each.id
    following: AsyncItemsPage = await page.get_next_page()
    wrong: int = page.next_cursor
"""


def test_mypy_types_page_fields_items_and_pages(tmp_path: Path) -> None:
    package = tmp_path / "some_client" / "_runtime"
    package.mkdir(parents=True)
    (tmp_path / "some_client" / "__init__.py").write_text("")
    for module in (ROOT / "generator" / "runtime").glob("*.py"):
        (package / module.name).write_text(module.read_text())
    (tmp_path / "typed_pages.py").write_text(TYPED)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "typed_pages.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert all(line.startswith("typed_pages.py:") for line in errors), done.stdout
    assert len(errors) == 2, done.stdout
    assert 'variable has type "int"' in errors[0] and "list[Item]" in errors[0]
    assert 'variable has type "int"' in errors[1] and "str | None" in errors[1]


def test_a_page_answered_by_a_fallback_keeps_going(loopback: LoopbackServer) -> None:
    def answer(request: RecordedRequest) -> ScriptedResponse:
        n = int(dict(request.query).get("page", "1"))
        body = b'{"data": [%d]}' % n if n <= 3 else b'{"data": []}'
        return ScriptedResponse(200, (("content-type", "application/json"),), body)

    loopback.answer_with(answer)
    http = _sync(loopback)
    endpoint = _numbers("page", limit_param=None)
    assert list(http.paginate(endpoint, Request(), None, NumbersPage)) == [1, 2, 3]
    http.close()
