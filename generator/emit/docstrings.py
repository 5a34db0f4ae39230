"""Docstrings: the text of an operation method's docstring in numpydoc layout, by member mode."""

from __future__ import annotations

from collections.abc import Mapping

from ..api import LiteralOf, Operation, Prim, TypeRef, render_type, union

__all__ = ["entry", "marked", "method_docs"]

_REQUEST_OPTIONS = "Per-request timeout, retries, headers and query parameters."
_RAW = "The status code, headers and parsed body (`data`) of the response."
_CHUNKS = "The response body in chunks as they arrive."
_PAGES = {
    "sync": "The first page; iterating it gives every item of every page, each next page"
    " fetched when reached (also has_next_page(), get_next_page(), iter_pages()).",
    "async": "Awaited, the first page; with `async for`, every item of every page, each next"
    " page fetched when reached.",
}


def entry(head: str, text: str) -> list[str]:
    """A numpydoc list entry: `head`, then every line of `text` indented under it (blank lines
    stay blank), so that a description of several lines stays inside its entry."""
    lines = text.splitlines() or ["(undocumented)"]
    return [head, *(f"    {line}" if line.strip() else "" for line in lines)]


def marked(description: str, deprecated: bool) -> str:
    """A parameter's description, saying first that it is deprecated when it is (its use
    warns with a DeprecationWarning)."""
    if not deprecated:
        return description
    return "Deprecated: using it warns (DeprecationWarning)." + (
        f"\n{description}" if description else ""
    )


def _annotation(t: TypeRef, required: bool) -> str:
    return render_type(t if required else union([t, Prim("None")]))


def _parameters(op: Operation) -> list[str]:
    entries: list[tuple[str, str, str]] = [
        (p.python_name, _annotation(p.type, p.required), marked(p.description, p.deprecated))
        for p in op.parameters
    ]
    if op.body is not None:
        entries += [
            (f.python_name, render_type(f.type), marked(f.description, f.deprecated))
            for f in op.body.fields
        ]
        if op.body.whole is not None:
            entries.append(
                (
                    op.body.python_name,
                    render_type(op.body.whole),
                    op.body.description or "The request body.",
                )
            )
        choice = op.body.choice
        if choice is not None:
            default = choice.options[0].media_type
            entries.append(
                (
                    choice.python_name,
                    render_type(LiteralOf(tuple(o.media_type for o in choice.options))),
                    f"The media type the body is sent as, from the same arguments (default"
                    f" {default}).",
                )
            )
    entries.append(("request_options", "RequestOptions | None", _REQUEST_OPTIONS))
    lines = ["Parameters", "----------"]
    for name, annotation, text in entries:
        lines += [*entry(f"{name} : {annotation}", text), ""]
    return lines


def _raises(op: Operation) -> list[str]:
    if not op.errors:
        return []
    lines = ["", "Raises", "------"]
    for error in op.errors:
        lines += entry(error.error_class, f"HTTP {error.status}: {error.description or 'error'}")
    return lines


def _returns(annotation: str, text: str) -> list[str]:
    head = [annotation]
    return ["Returns", "-------", *(entry(annotation, text) if text else head)]


def method_docs(op: Operation, results: Mapping[str, str]) -> dict[str, str]:
    """The docstring text (not yet escaped) for each member mode the method is offered in,
    `results` giving the return annotation of each: what that variant returns is documented."""
    title = op.summary or f"{op.method} {op.path}"
    intro = [title]
    if op.description and op.description != op.summary:
        intro += ["", op.description]
    intro += ["", f"`{op.method} {op.path}`", ""]
    parameters = _parameters(op)
    raises = _raises(op)
    docs: dict[str, str] = {}
    for mode, annotation in results.items():
        if mode.endswith("streaming"):
            lines = [
                f"{title}: the response body in chunks as they arrive, never held whole.",
                "",
                f"`{op.method} {op.path}`. Takes the arguments of `{op.method_name}` (see there);"
                " the request is sent when iteration starts and the connection is released when"
                " it ends (or the iterator is closed).",
                "",
                *_returns(annotation, _CHUNKS),
            ]
        elif mode.endswith("raw"):
            described = _RAW + (f"\n{op.success.description}" if op.success.description else "")
            lines = [*intro, *parameters, *_returns(annotation, described), *raises]
        else:
            returned = op.success.description
            if op.pagination is not None:
                returned = (returned + "\n" if returned else "") + _PAGES[mode]
            lines = [*intro, *parameters, *_returns(annotation, returned), *raises]
        docs[mode] = "\n".join(lines).rstrip() + "\n"
    return docs
