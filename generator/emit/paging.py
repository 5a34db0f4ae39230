"""Paging: what the templates print of a paginated operation (its Endpoint's `pagination=`, its
page classes, and what its methods return)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..api import Operation, Pagination, TypeRef, class_name, model_names, render_type
from ..escape import string_literal

__all__ = ["PageView", "page_class", "page_view", "pagination_arguments"]

# The runtime Pagination's defaults: a keyword is written only where it differs.
_DEFAULTS = {
    "cursor_param": "cursor",
    "next_cursor": "next_cursor",
    "has_more": None,
    "offset_param": "offset",
    "limit_param": "limit",
    "page_param": "page",
    "first_page": 1,
    "next_url": "next",
}
# The fields each kind reads (the others are left out of its Pagination(...)).
_READ = {
    "cursor": ("cursor_param", "next_cursor", "has_more"),
    "offset": ("offset_param", "limit_param", "has_more"),
    "page": ("page_param", "limit_param", "first_page", "has_more"),
    "next_url": ("next_url", "has_more"),
}


@dataclass(frozen=True)
class PageView:
    """The page classes of a paginated operation's module:

    class <sync>(SyncPage[<item>], <model>):  /  class <async_>(AsyncPage[<item>], <model>):
    """

    sync: str
    async_: str
    item: str  # the annotation of one item
    model: str  # the response model's class
    doc: str  # the sync class's docstring text, not yet escaped
    async_doc: str


def page_class(op: Operation) -> str:
    """The name of the synchronous page class of a paginated operation (`Async` + it for the
    asynchronous one), apart from the models its module imports; "" when it does not page."""
    if op.pagination is None:
        return ""
    types: list[TypeRef | None] = [op.success.type, op.pagination.item]
    types += [e.body_type for e in op.errors] + [p.type for p in op.parameters]
    if op.body is not None:
        types += [f.type for f in op.body.fields] + [op.body.whole]
    taken: set[str] = set()
    for t in types:
        if t is not None:
            model_names(t, taken.add)
    name = class_name(op.module_name) + "Page"
    while name in taken or f"Async{name}" in taken:
        name += "_"
    return name


def pagination_arguments(pagination: Pagination) -> tuple[tuple[str, str], ...]:
    """The keyword arguments of the runtime's `Pagination(...)`: (name, literal), in order."""
    found = [("kind", string_literal(pagination.kind)), ("items", string_literal(pagination.items))]
    values = {f.name: getattr(pagination, f.name) for f in fields(pagination)}
    for name in _READ[pagination.kind]:
        value = values[name]
        if value == _DEFAULTS[name]:
            continue
        shown = "None" if value is None else repr(value) if isinstance(value, int) else None
        found.append((name, shown if shown is not None else string_literal(str(value))))
    return tuple(found)


def page_view(op: Operation, item: str) -> PageView | None:
    """The page classes of `op` (None when it does not page); `item` annotates one item."""
    if op.pagination is None:
        return None
    name = page_class(op)
    model = render_type(op.success.type)
    where = f"{op.method} {op.path}"
    doc = (
        f"A page of `{where}`: the fields of {model}, and, iterated, every item of this page and"
        " of the pages after it (each fetched when the iteration reaches it)."
    )
    async_doc = doc.replace("iterated,", "with `async for`,")
    return PageView(name, f"Async{name}", item, model, doc, async_doc)
