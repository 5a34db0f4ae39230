"""`Pagination`: how a list operation pages, and the request for the page after a page.

A paginated operation's Endpoint carries one frozen `Pagination` (`Endpoint(pagination=)`);
its fields name the response model's fields by Python attribute name, dotted for nested
ones (`"meta.next_cursor"`; a dict on the way is read by key), and the query parameters by
their wire name:

    Pagination(kind="cursor", items="conversations", cursor_param="cursor",
               next_cursor="next_cursor", has_more="has_more")
    Pagination(kind="offset", items="data", offset_param="offset", limit_param="limit")
    Pagination(kind="page", items="results", page_param="page", limit_param="per_page",
               first_page=1)
    Pagination(kind="next_url", items="data", next_url="links.next")

When a page is the last one:

- cursor: `has_more` (when named) is false, or the next cursor is missing, empty or the
  one just sent. The next request sends it as `cursor_param`.
- offset: `has_more` (when named) is false; else the page has no items, or fewer than the
  `limit_param` sent. The next request's offset is the one sent (0 if none) plus the items.
- page: as offset; the next request's page number is the one sent (`first_page` if none)
  plus one.
- next_url: the link is missing or empty. The next request is a GET of the link with its
  own query (the first call's query parameters are not added again), resolved against the
  client's base URL; a link to another origin (scheme, host, port) is refused with
  ValueError rather than sent credentials.

Every page is sent with the first call's headers, cookies, body and request_options. This
module is pure (no I/O): `_pages` holds the page classes that use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, TypeAlias
from urllib.parse import parse_qsl, urljoin, urlsplit

from ._types import OMIT, Omit

if TYPE_CHECKING:
    from ._request import Request

__all__ = ["NextCall", "Pagination", "PaginationKind", "lookup", "next_call"]

PaginationKind = Literal["cursor", "offset", "page", "next_url"]

NextCall: TypeAlias = "tuple[Request, tuple[str, tuple[str, ...]] | None]"
"""The next page's request, and for a next-URL link the (path, servers) to GET instead of
the endpoint's (the endpoint's own method, path and servers otherwise)."""

_KINDS = ("cursor", "offset", "page", "next_url")


@dataclass(frozen=True, slots=True)
class Pagination:
    """How one operation pages: `kind`, where the items are, and the fields it reads.

    `items` is the response field holding the page's items; `has_more` an optional
    boolean field that says whether another page follows (for any kind)."""

    kind: PaginationKind
    items: str
    cursor_param: str = "cursor"
    next_cursor: str = "next_cursor"
    has_more: str | None = None
    offset_param: str = "offset"
    limit_param: str | None = "limit"
    page_param: str = "page"
    first_page: int = 1
    next_url: str = "next"

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown pagination kind {self.kind!r}: one of {_KINDS}")
        if not self.items:
            raise ValueError("Pagination needs the field of the items (items=)")


def lookup(value: object, path: str) -> Any:
    """The field at a dotted `path` of a model (attributes) or dict (keys); None when a
    step is missing."""
    for name in path.split("."):
        if value is None:
            return None
        value = (
            value.get(name) if isinstance(value, dict) else getattr(value, name, None)
        )
    return value


def _param(query: Sequence[tuple[str, object]], name: str) -> object:
    for key, value in query:
        if key == name and value is not None and not isinstance(value, Omit):
            return value
    return None


def _with_param(
    query: Sequence[tuple[str, object]], name: str, value: object
) -> tuple[tuple[str, object], ...]:
    """`query` with the first `name` set to `value` (appended when absent), others
    dropped."""
    out: list[tuple[str, object]] = []
    placed = False
    for key, old in query:
        if key != name:
            out.append((key, old))
        elif not placed:
            out.append((key, value))
            placed = True
    if not placed:
        out.append((name, value))
    return tuple(out)


def _as_int(value: object, default: int) -> int:
    if value is None:
        return default
    raw = getattr(value, "value", value)  # a Styled(...) wrapper
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def _short_page(
    pagination: Pagination, query: Sequence[tuple[str, object]], n: int
) -> bool:
    """Whether a page of `n` items is the last by its size (no `has_more` field)."""
    if pagination.limit_param is None:
        return False
    limit = _as_int(_param(query, pagination.limit_param), 0)
    return limit > 0 and n < limit


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port
    if port is None:
        port = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or ""), port


def _follow_link(request: Request, link: str, base_url: str) -> NextCall:
    base = base_url.rstrip("/")
    target = urljoin(base + "/", link)
    parts = urlsplit(target)
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    path = parts.path.replace("{", "%7B").replace("}", "%7D")
    if target.startswith(base + "/"):
        rest = urlsplit(target[len(base) :]).path
        path = rest.replace("{", "%7B").replace("}", "%7D")
        servers: tuple[str, ...] = ()
    elif _origin(target) == _origin(base):
        scheme, host, _ = _origin(target)
        servers = (f"{scheme}://{parts.netloc}",)
        if not host:
            raise ValueError(f"next page link {link!r} has no host")
    else:
        shown = target.split("?", 1)[0]
        raise ValueError(
            f"the next page link goes to another origin ({shown}): not followed, so"
            " that no credential leaves the API's origin"
        )
    page_request = replace(
        request,
        path_params={},
        query=query,
        json=OMIT,
        form=None,
        files=None,
        content=None,
        content_type=None,
    )
    return page_request, (path, servers)


def next_call(
    pagination: Pagination, request: Request, page: object, base_url: str
) -> NextCall | None:
    """How to fetch the page after `page` (fetched with `request`), or None when `page`
    is the last."""
    if pagination.has_more is not None and not lookup(page, pagination.has_more):
        return None
    kind = pagination.kind
    query = request.query
    if kind == "cursor":
        cursor = lookup(page, pagination.next_cursor)
        if cursor is None or cursor == "":
            return None
        if cursor == _param(query, pagination.cursor_param):
            return None
        changed = _with_param(query, pagination.cursor_param, cursor)
        return replace(request, query=changed), None
    if kind == "next_url":
        link = lookup(page, pagination.next_url)
        if not link:
            return None
        return _follow_link(request, str(link), base_url)
    items = lookup(page, pagination.items)
    count = len(items) if items is not None else 0
    if count == 0 or (
        pagination.has_more is None and _short_page(pagination, query, count)
    ):
        return None
    if kind == "offset":
        offset = _as_int(_param(query, pagination.offset_param), 0) + count
        changed = _with_param(query, pagination.offset_param, offset)
        return replace(request, query=changed), None
    number = _as_int(_param(query, pagination.page_param), pagination.first_page) + 1
    return (
        replace(request, query=_with_param(query, pagination.page_param, number)),
        None,
    )
