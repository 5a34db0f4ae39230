"""`RawResponse`: a parsed result together with the status and headers it came with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    import httpx

__all__ = ["RawResponse"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[T]):
    """What `with_raw_response` operations return.

    >>> raw = client.items.with_raw_response.list_items()
    >>> raw.status_code, raw.headers["x-request-id"], raw.data.items
    """

    status_code: int
    headers: httpx.Headers
    data: T
