"""Idempotency keys: one per logical call of a non-idempotent method, kept across retries.

An operation whose Endpoint names a header (`Endpoint(idempotency_header=
"Idempotency-Key")`, from config or an `x-idempotency-key`-style extension) sends, when its
method is not idempotent (POST, PATCH), a key in it: the call's
`request_options["idempotency_key"]`, else the header given explicitly (an argument of the
operation or an additional header), else a fresh UUID4. The request is built once per
call, so each retry repeats the same key, and with a key the call is retried as an
idempotent method would be (on 5xx, 408, 409 and connection failures after sending).

    # generated
    ENDPOINT = Endpoint(method="POST", path="/v1/payments", result=JsonResult(Payment),
                        idempotency_header="Idempotency-Key")
    client.payments.create(amount=5, request_options={"idempotency_key": "order-17"})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._constants import IDEMPOTENT_METHODS

if TYPE_CHECKING:
    import httpx

    from ._types import RequestOptions

__all__ = ["add_idempotency_key", "has_idempotency_key"]


def add_idempotency_key(
    request: httpx.Request, header: str, options: RequestOptions | None
) -> None:
    """Put the call's key in `header` of a request of a non-idempotent method."""
    if request.method in IDEMPOTENT_METHODS:
        return
    given = options.get("idempotency_key") if options else None
    if given:
        request.headers[header] = given
    elif header not in request.headers:
        import uuid

        request.headers[header] = str(uuid.uuid4())


def has_idempotency_key(request: httpx.Request, header: str | None) -> bool | None:
    """True when `request` carries a key in the endpoint's idempotency header; None (the
    method decides) otherwise."""
    if header is None or request.method in IDEMPOTENT_METHODS:
        return None
    return True if request.headers.get(header) else None
