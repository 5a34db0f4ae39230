"""Auto-pagination: pages that are the response model and iterate over every item.

A paginated operation returns its response model as today, as an instance of a page class
the generator writes next to the operation: a subclass of `SyncPage[Item]` (or
`AsyncPage[Item]`) and of the response model, with no body of its own. The page keeps the
model's fields, `isinstance(page, Model)`, `model_dump()`; it also iterates over the items
of this page and of every page after it, each next page fetched when the iteration reaches
it, with the first call's request_options (a page that fails raises as the call would):

    # _operations/list_items.py (generated)
    ENDPOINT: Endpoint[ListItemsResponse] = Endpoint(
        method="GET", path="/v1/items", result=JsonResult(ListItemsResponse),
        pagination=Pagination(kind="cursor", items="items", cursor_param="cursor",
                              next_cursor="next_cursor", has_more="has_more"),
    )

    class ListItemsPage(SyncPage[Item], ListItemsResponse):
        pass

    class AsyncListItemsPage(AsyncPage[Item], ListItemsResponse):
        pass

    # the group's method (generated)
    def list(self, *, cursor: str | None = None, page_size: int | None = None,
             request_options: RequestOptions | None = None) -> ListItemsPage:
        return self._http.paginate(
            _op.ENDPOINT, _op.request(cursor=cursor, page_size=page_size),
            request_options, _op.ListItemsPage,
        )

    # on the async client: not `async def`; the result is awaited or iterated
    def list(self, ...) -> AsyncPager[AsyncListItemsPage]:
        return self._http.paginate(_op.ENDPOINT, _op.request(...), request_options,
                                   _op.AsyncListItemsPage)

    page = client.items.list(page_size=50)      # page.items, page.next_cursor
    for item in client.items.list(page_size=50): ...
    page.has_next_page(); page.get_next_page(); page.iter_pages()
    page = await aclient.items.list(page_size=50)
    async for item in aclient.items.list(page_size=50): ...

A SyncPage's `iter(page)` gives items, not pydantic's (field, value) pairs. `page_items()`
is this page's items alone. See `_pagination` for how each kind finds the next page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, Self, TypeVar

from pydantic import BaseModel

from ._pagination import lookup, next_call

if TYPE_CHECKING:
    from ._endpoint import Endpoint
    from ._request import Request
    from ._types import RequestOptions

__all__ = ["AsyncPage", "AsyncPager", "SyncPage", "first_async_page", "first_sync_page"]

ItemT = TypeVar("ItemT")
SyncPageT = TypeVar("SyncPageT", bound="SyncPage[Any]")
AsyncPageT = TypeVar("AsyncPageT", bound="AsyncPage[Any]")
AsyncPageT_co = TypeVar("AsyncPageT_co", bound="AsyncPage[Any]", covariant=True)
T = TypeVar("T")


class SyncCall(Protocol):
    """`SyncHttp.call`: what fetches each page of a synchronous client."""

    def __call__(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> T: ...


class AsyncCall(Protocol):
    """`AsyncHttp.call`: what fetches each page of an asynchronous client."""

    async def __call__(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> T: ...


class _Fetched:
    """Where a page came from: the call that fetched it and how to fetch another."""

    __slots__ = ("base_url", "endpoint", "fetch", "request")

    def __init__(
        self,
        fetch: Callable[[Endpoint[Any], Request], Any],
        endpoint: Endpoint[Any],
        request: Request,
        base_url: str,
    ) -> None:
        self.fetch = fetch
        self.endpoint = endpoint
        self.request = request
        self.base_url = base_url

    def next_call(self, page: object) -> tuple[Endpoint[Any], Request] | None:
        endpoint = self.endpoint
        pagination = endpoint.pagination
        if pagination is None:
            return None
        found = next_call(pagination, self.request, page, self.base_url)
        if found is None:
            return None
        request, link = found
        if link is not None:
            path, servers = link
            endpoint = replace(endpoint, method="GET", path=path, servers=servers)
        return endpoint, request


def _attach(page: BaseModel, fetched: _Fetched) -> None:
    """Remember where `page` came from, in its `__dict__` beside the fields: pydantic
    leaves it out of equality, dumps and validation, and copies keep it."""
    object.__setattr__(page, "_fetched", fetched)


def _page_items(page: BaseModel, fetched: _Fetched | None) -> list[Any]:
    pagination = None if fetched is None else fetched.endpoint.pagination
    if pagination is None:
        return []
    items = lookup(page, pagination.items)
    return list(items) if items is not None else []


class SyncPage(BaseModel, Generic[ItemT]):
    """A page of a synchronous client: the response model's fields, and every item of
    this and the following pages when iterated."""

    _fetched: ClassVar[_Fetched | None] = None  # per page, set by _attach

    def page_items(self) -> list[ItemT]:
        """The items of this page only."""
        return _page_items(self, self._fetched)

    def has_next_page(self) -> bool:
        """Whether another page follows (by the operation's pagination rule)."""
        fetched = self._fetched
        return fetched is not None and fetched.next_call(self) is not None

    def get_next_page(self) -> Self:
        """The next page (one request); RuntimeError when this is the last."""
        fetched = self._fetched
        call = None if fetched is None else fetched.next_call(self)
        if fetched is None or call is None:
            raise RuntimeError("no next page: check has_next_page() first")
        page: Self = fetched.fetch(*call)
        return page

    def iter_pages(self) -> Iterator[Self]:
        """This page, then each following page, fetched when reached."""
        page = self
        while True:
            yield page
            fetched = page._fetched
            call = None if fetched is None else fetched.next_call(page)
            if fetched is None or call is None:
                return
            page = fetched.fetch(*call)

    def __iter__(self) -> Iterator[ItemT]:  # type: ignore[override]
        for page in self.iter_pages():
            yield from page.page_items()


class AsyncPage(BaseModel, Generic[ItemT]):
    """A page of an asynchronous client: the response model's fields, and every item of
    this and the following pages with `async for`."""

    _fetched: ClassVar[_Fetched | None] = None  # per page, set by _attach

    def page_items(self) -> list[ItemT]:
        """The items of this page only."""
        return _page_items(self, self._fetched)

    def has_next_page(self) -> bool:
        """Whether another page follows (by the operation's pagination rule)."""
        fetched = self._fetched
        return fetched is not None and fetched.next_call(self) is not None

    async def get_next_page(self) -> Self:
        """The next page (one request); RuntimeError when this is the last."""
        fetched = self._fetched
        call = None if fetched is None else fetched.next_call(self)
        if fetched is None or call is None:
            raise RuntimeError("no next page: check has_next_page() first")
        page: Self = await fetched.fetch(*call)
        return page

    async def iter_pages(self) -> AsyncIterator[Self]:
        """This page, then each following page, fetched when reached."""
        page = self
        while True:
            yield page
            fetched = page._fetched
            call = None if fetched is None else fetched.next_call(page)
            if fetched is None or call is None:
                return
            page = await fetched.fetch(*call)

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.page_items():
                yield item


class AsyncPager(Generic[AsyncPageT_co]):
    """What a paginated call of an asynchronous client returns: `await` it for the first
    page, or `async for` over it for every item of every page (nothing is sent before).
    """

    __slots__ = ("_first",)

    def __init__(self, first: Callable[[], Coroutine[Any, Any, AsyncPageT_co]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPageT_co]:
        return self._first().__await__()

    async def iter_pages(self) -> AsyncIterator[AsyncPageT_co]:
        """Every page, the first fetched when iteration starts."""
        page = await self._first()
        async for each in page.iter_pages():
            yield each

    async def __aiter__(self: AsyncPager[AsyncPage[ItemT]]) -> AsyncIterator[ItemT]:
        page = await self._first()
        async for item in page:
            yield item


def _check(endpoint: Endpoint[Any], page_type: type[BaseModel]) -> None:
    if endpoint.pagination is None:
        raise ValueError(
            f"{endpoint.method} {endpoint.path} declares no pagination"
            " (Endpoint(pagination=...))"
        )


def first_sync_page(
    call: SyncCall,
    base_url: str,
    endpoint: Endpoint[Any],
    request: Request,
    options: RequestOptions | None,
    page_type: type[SyncPageT],
) -> SyncPageT:
    """The first page of a paginated call (see SyncHttp.paginate)."""
    from ._endpoint import JsonResult

    _check(endpoint, page_type)
    result = JsonResult(page_type)

    def fetch(page_endpoint: Endpoint[Any], page_request: Request) -> SyncPageT:
        sent: Endpoint[SyncPageT] = replace(page_endpoint, result=result)
        page = call(sent, page_request, options)
        _attach(page, _Fetched(fetch, page_endpoint, page_request, base_url))
        return page

    return fetch(endpoint, request)


def first_async_page(
    call: AsyncCall,
    base_url: str,
    endpoint: Endpoint[Any],
    request: Request,
    options: RequestOptions | None,
    page_type: type[AsyncPageT],
) -> AsyncPager[AsyncPageT]:
    """The pager of a paginated call (see AsyncHttp.paginate)."""
    from ._endpoint import JsonResult

    _check(endpoint, page_type)
    result = JsonResult(page_type)

    async def fetch(page_endpoint: Endpoint[Any], page_request: Request) -> AsyncPageT:
        sent: Endpoint[AsyncPageT] = replace(page_endpoint, result=result)
        page = await call(sent, page_request, options)
        _attach(page, _Fetched(fetch, page_endpoint, page_request, base_url))
        return page

    return AsyncPager(lambda: fetch(endpoint, request))
