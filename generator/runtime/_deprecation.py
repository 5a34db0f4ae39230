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

Type checkers see `typing_extensions.deprecated` (mypy, pyright report the uses); at run time
it is a small decorator of ours, which imports nothing (typing_extensions' own imports asyncio
to decorate a coroutine function).
"""

from __future__ import annotations

import functools
import warnings
from typing import TYPE_CHECKING, Any

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


if TYPE_CHECKING:
    from typing_extensions import deprecated as deprecated_operation
else:

    def deprecated_operation(message: str) -> Any:
        """Decorate a method so that each call warns (DeprecationWarning) with `message`."""

        def mark(function: Any) -> Any:
            if function.__code__.co_flags & _CO_COROUTINE:

                @functools.wraps(function)
                async def awaited(*args: Any, **kwargs: Any) -> Any:
                    warnings.warn(message, DeprecationWarning, stacklevel=2)
                    return await function(*args, **kwargs)

                awaited.__deprecated__ = message
                return awaited

            @functools.wraps(function)
            def called(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(message, DeprecationWarning, stacklevel=2)
                return function(*args, **kwargs)

            called.__deprecated__ = message
            return called

        return mark
