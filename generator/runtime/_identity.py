"""Identification headers: the SDK's User-Agent and extra headers, sent on every request.

A generated client passes its distribution name and version, and any extra SDK headers
from its config, as an `Identity`:

    super().__init__(
        base_url=...,
        identity=Identity("example-client", __version__,
                          headers={"X-Fern-Language": "Python",
                                   "X-Fern-SDK-Name": "example-client",
                                   "X-Fern-SDK-Version": __version__}),
        headers=headers,   # the caller's: override any of them, or None to remove it
    )

The User-Agent is `<distribution>/<version> python/<x.y> httpx/<x.y>`, made on the
first request (when httpx is imported). Precedence, lowest first: httpx's defaults, the
identity headers, the client's `headers=`, its credentials, a call's
`request_options["additional_headers"]`. A value of None in the client's `headers=` or in
a call's additional headers removes that header (`{"User-Agent": None}`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

__all__ = ["Identity", "with_identity"]


class Identity:
    """Who is calling: a distribution and its version, and extra SDK headers."""

    __slots__ = ("distribution", "headers", "version")

    def __init__(
        self,
        distribution: str,
        version: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.distribution = distribution
        self.version = version
        self.headers = dict(headers or {})

    def __repr__(self) -> str:
        return f"Identity({self.distribution!r}, {self.version!r})"

    def user_agent(self, httpx_version: str) -> str:
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
        httpx_short = ".".join(httpx_version.split(".")[:2])
        return f"{self.distribution}/{self.version} python/{python} httpx/{httpx_short}"

    def all_headers(self, httpx_version: str) -> dict[str, str]:
        """The User-Agent and the extra headers (an extra User-Agent wins)."""
        return {"User-Agent": self.user_agent(httpx_version), **self.headers}


def with_identity(
    headers: Mapping[str, str | None], identity: Identity | None, httpx_version: str
) -> Mapping[str, str | None]:
    """The identification headers under the client's own (whose None removes one)."""
    if identity is None:
        return headers
    return {**identity.all_headers(httpx_version), **headers}
