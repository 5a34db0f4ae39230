"""`deprecated_parameter`: the warning a generated method gives for a deprecated argument.

    def list(self, *, page_size: int | None = None, legacy_filter: str | None = None,
             request_options: RequestOptions | None = None) -> ListItemsPage:
        deprecated_parameter("legacy_filter", legacy_filter, "items.list",
                             "use filter instead")
        ...

It warns (DeprecationWarning, pointing at the line that called the generated method)
only when the argument was given: not None and not OMIT. Called one frame deeper (from a
helper of the method), pass `stacklevel=4`.
"""

from __future__ import annotations

import warnings

from ._types import Omit

__all__ = ["deprecated_parameter"]


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
