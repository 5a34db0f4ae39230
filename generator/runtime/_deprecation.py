"""`deprecated_parameter` and `deprecated_operation`: the warnings of deprecated arguments and
operations.

    def list(self, *, page_size: int | None = None, legacy_filter: str | None = None,
             request_options: RequestOptions | None = None) -> ListItemsPage:
        deprecated_parameter("legacy_filter", legacy_filter, "items.list",
                             "use filter instead")
        ...

It warns (DeprecationWarning, pointing at the line that called the generated method)
only when the argument was given: not None and not OMIT. Called one frame deeper (from a
helper of the method), pass `stacklevel=4`.

A deprecated operation's methods are decorated; each call warns, pointing at the caller:

    @deprecated_operation("delete_item is deprecated by the API")
    def delete_item(self, item_id: str, ...) -> None: ...

Type checkers see `typing_extensions.deprecated` under its name (the runtime's `__init__`
imports that for them), so mypy and pyright report the calls; at run time it is this small
decorator, which imports nothing (typing_extensions' own imports asyncio to decorate a
coroutine function).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from ._types import Omit

__all__ = ["deprecated_operation", "deprecated_parameter"]

_CO_COROUTINE = 0x80  # inspect.CO_COROUTINE, without importing inspect


def deprecated_parameter(
    name: str, value: object, where: str, note: str = "", *, stacklevel: int = 3
) -> None:
    """Warn that parameter `name` of `where` is deprecated, when `value` was given."""
    if value is None or isinstance(value, Omit):
        return
    message = f"the parameter {name!r} of {where} is deprecated"
    warnings.warn(
        f"{message}: {note}" if note else message, DeprecationWarning, stacklevel
    )


F = TypeVar("F", bound=Callable[..., Any])


def deprecated_operation(message: str) -> Callable[[F], F]:
    """Decorate a method so that each call warns (DeprecationWarning) with `message`,
    pointing at the caller (a coroutine function's when it is awaited).

    Generated code imports it from the package's `_runtime`, where type checkers see
    `typing_extensions.deprecated` under this name instead (see `__init__`)."""

    def mark(function: F) -> F:
        wrapper: Any
        if function.__code__.co_flags & _CO_COROUTINE:

            @functools.wraps(function)
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(message, DeprecationWarning, stacklevel=2)
                return await function(*args, **kwargs)

        else:

            @functools.wraps(function)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(message, DeprecationWarning, stacklevel=2)
                return function(*args, **kwargs)

        wrapper.__deprecated__ = message
        result: F = wrapper
        return result

    return mark
