"""Identification headers: the SDK's User-Agent and extra headers, sent on every request.

A generated client passes its distribution name and version, and any extra SDK headers
from its config, as an `Identity` (defined in `_types`, which a client imports anyway):

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

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._types import Identity

__all__ = ["with_identity"]


def with_identity(
    headers: Mapping[str, str | None], identity: Identity | None, httpx_version: str
) -> Mapping[str, str | None]:
    """The identification headers under the client's own (whose None removes one)."""
    if identity is None:
        return headers
    return {**identity.all_headers(httpx_version), **headers}
