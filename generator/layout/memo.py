"""Memo: modules laid out before, kept by content, so that a regeneration lays out only new text."""

from __future__ import annotations

import platform

from ..cache import Cache, code_digest, content_key
from .rendered import lay_out_module
from .style import Unsupported

__all__ = ["lay_out_module_cached"]

_NAMESPACE = "layout"
_LAID_OUT, _UNSUPPORTED = "laid out\n", "unsupported\n"


def lay_out_module_cached(text: str, store: Cache) -> str:
    """lay_out_module(text), taken from `store` when this code laid the same text out before.

    The key holds the text, the source of the layout stage and of the escaping it uses, and
    Python's version (its tokenizer reads the text); an Unsupported is kept as its message. A
    first line that is a plain comment (the header every generated file starts with, which
    names the spec's sha256) is left out of the key: black's layout keeps such a line as it is
    and lays out the rest alike whatever it says, so a spec change that changes only the
    header finds every module laid out.
    """
    if not store.enabled:
        return lay_out_module(text)
    first, newline, rest = text.partition("\n")
    if newline and _plain_comment(first):
        laid = _cached(_PLACEHOLDER + "\n" + rest, store)
        if laid.startswith(_PLACEHOLDER + "\n"):
            return first + laid[len(_PLACEHOLDER) :]
    return _cached(text, store)


_PLACEHOLDER = "# header"


def _plain_comment(line: str) -> bool:
    """A comment whose text the layout neither reads nor changes: `# ` and printable characters."""
    return line.startswith("# ") and line == line.rstrip() and line.isprintable()


def _cached(text: str, store: Cache) -> str:
    key = content_key(
        _NAMESPACE,
        code_digest("generator.layout", "generator.escape"),
        platform.python_version(),
        text,
    )
    hit = store.get(_NAMESPACE, key)
    if hit is not None and hit.startswith(_LAID_OUT):
        return hit[len(_LAID_OUT) :]
    if hit is not None and hit.startswith(_UNSUPPORTED):
        raise Unsupported(hit[len(_UNSUPPORTED) :])
    try:
        laid = lay_out_module(text)
    except Unsupported as exc:
        store.put(_NAMESPACE, key, _UNSUPPORTED + str(exc))
        raise
    store.put(_NAMESPACE, key, _LAID_OUT + laid)
    return laid
