"""`Seams`: the replaceable clock, sleep and randomness of one SyncHttp or AsyncHttp.

The Http object owns them (tests replace `http._sleep` after construction); its engine gets
the same `Seams` object and reads it at each use, so the engine needs nothing from `_http`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Seams"]

SleepT = TypeVar("SleepT")


class Seams(Generic[SleepT]):
    """`sleep(seconds)` waits before a retry (a coroutine function for AsyncHttp);
    `random()` gives the jitter factor's floats in [0, 1); `clock()` gives the monotonic
    seconds that OAuth2 token lifetimes are measured in."""

    __slots__ = ("clock", "random", "sleep")

    def __init__(
        self, sleep: SleepT, random: Callable[[], float], clock: Callable[[], float]
    ) -> None:
        self.sleep = sleep
        self.random = random
        self.clock = clock
