"""README features: the sections of the generated README on pagination, webhooks, request hooks
and logging, identification headers, idempotency keys and deprecations (their facts and runnable
examples), computed in Python as readme.py computes the others."""

from __future__ import annotations

from dataclasses import dataclass

from ..api import Api, Operation
from ..config import Config
from .markdown import code
from .readme import (
    _arguments,
    _call,
    _constructor,
    _featured,
    _program,
    _target,
    _Values,
)
from .surface import OperationSurface, Surface
from .webhook_view import sends_webhooks, signature_scheme

__all__ = ["FeaturesView", "features_view"]

# A Standard Webhooks secret of the documented form (whsec_ and base64), for the example.
_STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
_LISTED = 12  # deprecated parameters and fields named, before a count of the others


@dataclass(frozen=True)
class FeaturesView:
    """What templates/_readme_features.md.jinja prints; an example "" leaves its section out."""

    pagination: str
    pagination_async: str
    webhooks: str
    webhook_scheme: str  # Markdown: how deliveries are signed
    hooks: str
    log_env_var: str
    logger: str
    identity: str
    user_agent: str  # the User-Agent's form (text for a code span)
    sdk_headers: tuple[str, ...]  # the configured SDK headers, Markdown
    idempotency: str
    idempotency_headers: str  # Markdown
    deprecations: str
    deprecated: tuple[str, ...]  # Markdown items: what is deprecated


def features_view(api: Api, surface: Surface, config: Config) -> FeaturesView:
    values = _Values({m.name: m for m in surface.models})
    by_name = {o.name: o for o in surface.operations}
    ops = sorted(
        ((op, by_name[".".join((*op.groups, op.method_name))]) for op in api.operations),
        key=lambda pair: pair[1].name,
    )
    featured = _featured(ops)
    paged = next((p for p in ops if p[0].pagination is not None), None)
    keyed = next((p for p in ops if p[0].idempotency_header), None)
    pages = _pagination(paged, config, api, values) if paged else ("", "")
    distribution = config.distribution_name()
    sdk = [
        code(f"{name}: {value.format(version=config.package_version, distribution=distribution)}")
        for name, value in config.sdk_headers
    ]
    old = _deprecated(api, ops)
    return FeaturesView(
        pagination=pages[0],
        pagination_async=pages[1],
        webhooks=_webhooks(api, config),
        webhook_scheme=_scheme(api),
        hooks=_hooks(featured, config, api, values) if featured else "",
        log_env_var=config.log_variable(),
        logger=f"{config.package}._runtime",
        identity=_identity(featured, config, api, values) if featured else "",
        user_agent=f"{distribution}/{config.package_version} python/3.x httpx/0.x",
        sdk_headers=tuple(sdk),
        idempotency=_idempotency(keyed, config, api, values) if keyed else "",
        idempotency_headers=", ".join(
            sorted({code(op.idempotency_header) for op, _ in ops if op.idempotency_header})
        ),
        deprecations=_deprecations(featured, config, api, values) if featured and old else "",
        deprecated=old,
    )


def _pagination(
    pair: tuple[Operation, OperationSurface], config: Config, api: Api, values: _Values
) -> tuple[str, str]:
    op, shown = pair
    values.reset()
    args = _arguments(shown, values)
    target = _target(shown)
    items = op.pagination.items if op.pagination else "items"
    sync = [
        *_call(target, args, "", "page = ", "  # the first page, as one call gives it"),
        f"print(page.{items})",
        "",
        "# Every item of every page; each next page is fetched when the loop reaches it:",
        *_call(target, args, "", "for item in ", ":"),
        "    print(item)",
    ]
    indent = "        "
    async_ = [
        *_call(target, args, indent, "page = await "),
        f"{indent}print(page.{items})",
        *_call(target, args, indent, "async for item in ", ":"),
        f"{indent}    print(item)",
    ]
    return (
        _program(config, api, values, [config.client], sync, False),
        _program(config, api, values, [config.async_client], async_, True),
    )


def _webhooks(api: Api, config: Config) -> str:
    if not sends_webhooks(api):
        return ""
    scheme, keywords = signature_scheme(api)
    client = _constructor(config, api, False)
    if scheme == "HmacScheme":
        header = dict(keywords).get("header", '"Signature"').strip('"')
        signature = f'request_headers.get("{header}")'
        verify = [
            "        event = client.webhooks.construct_event(",
            "            rawBody=raw_body,",
            f"            sig_header={signature},",
            '            secret="YOUR_WEBHOOK_SECRET",',
            "        )",
        ]
        delivery = f'{{"{header}": "t=0,v0=00"}}'
    else:
        verify = [
            "        event = client.webhooks.construct_event(",
            f'            raw_body, secret="{_STANDARD_SECRET}", headers=request_headers',
            "        )",
        ]
        delivery = (
            '{"webhook-id": "msg_1", "webhook-timestamp": "0", "webhook-signature": "v1,AA=="}'
        )
    lines = [
        "from collections.abc import Mapping",
        "",
        f"from {config.package} import {config.client}, WebhookVerificationError",
        "",
        f"client = {client}",
        "",
        "",
        "def receive(raw_body: bytes, request_headers: Mapping[str, str]) -> int:",
        '    """In the view of your web framework that the webhook URL leads to."""',
        "    try:",
        *verify,
        "    except WebhookVerificationError as error:  # not from the API, tampered or replayed",
        '        print("refused:", error.code)',
        "        return 400",
        "    print(event)",
        "    return 200",
        "",
        "",
        f'receive(b\'{{"type": "example"}}\', {delivery})',
    ]
    return "\n".join(lines)


def _scheme(api: Api) -> str:
    if not sends_webhooks(api):
        return ""
    scheme, keywords = signature_scheme(api)
    if scheme == "StandardWebhooks":
        return (
            "[Standard Webhooks](https://www.standardwebhooks.com): the `webhook-id`,"
            " `webhook-timestamp` and `webhook-signature` headers, a `whsec_` secret"
        )
    options = dict(keywords)
    header = options.get("header", "").strip('"')
    tolerance = options.get("tolerance", "300.0")
    seconds = "no time limit" if tolerance == "None" else f"{float(tolerance):g} seconds"
    return f"an HMAC signature in the `{header}` header, its timestamp within {seconds} of now"


def _hooks(
    pair: tuple[Operation, OperationSurface], config: Config, api: Api, values: _Values
) -> str:
    _, shown = pair
    values.reset()
    args = _arguments(shown, values)
    client = _constructor(config, api, False, "hooks=hooks")
    lines = [
        "import httpx",
        "",
        f"from {config.package} import {config.client}, Hooks",
        "",
        "",
        "def show(request: httpx.Request, attempt: int) -> None:  # before each attempt",
        '    print("attempt", attempt + 1, request.method, request.url.path)',
        "",
        "",
        "def alert(error: Exception, request: httpx.Request, attempt: int) -> None:",
        '    print("failed:", error)  # each failed attempt, retried or not',
        "",
        "",
        "hooks = Hooks(before_request=[show], on_error=[alert])",
        f"client = {client}",
        *_call(_target(shown), args, ""),
    ]
    return "\n".join(lines)


def _identity(
    pair: tuple[Operation, OperationSurface], config: Config, api: Api, values: _Values
) -> str:
    _, shown = pair
    values.reset()
    args = _arguments(shown, values)
    removed = config.sdk_headers[0][0] if config.sdk_headers else "X-Example"
    once = 'request_options={"additional_headers": {"User-Agent": "my-app/1.0 (nightly)"}}'
    lines = [
        f"from {config.package} import {config.client}",
        "",
        f"# Every request: your User-Agent, and no {removed} header.",
        f'headers = {{"User-Agent": "my-app/1.0", "{removed}": None}}',
        f"client = {_constructor(config, api, False, 'headers=headers')}",
        "",
        "# This call only:",
        *_call(_target(shown), [*args, once], ""),
    ]
    return "\n".join(lines)


def _idempotency(
    pair: tuple[Operation, OperationSurface], config: Config, api: Api, values: _Values
) -> str:
    _, shown = pair
    values.reset()
    args = _arguments(shown, values)
    body = [
        "# The same key on every retry of this call; another call gets another key:",
        *_call(_target(shown), args, ""),
        "",
        "# A key of yours, e.g. to repeat a call safely after a crash:",
        *_call(_target(shown), [*args, 'request_options={"idempotency_key": "order-17"}'], ""),
    ]
    return _program(config, api, values, [config.client], body, False)


def _deprecations(
    pair: tuple[Operation, OperationSurface], config: Config, api: Api, values: _Values
) -> str:
    _, shown = pair
    values.reset()
    args = _arguments(shown, values)
    body = [
        "with warnings.catch_warnings():",
        '    warnings.simplefilter("error", DeprecationWarning)  # as a test suite may',
        *_call(_target(shown), args, "    ", "response = "),
        "    print(response)",
    ]
    program = _program(config, api, values, [config.client], body, False)
    return "import warnings\n\n" + program


def _deprecated(api: Api, ops: list[tuple[Operation, OperationSurface]]) -> tuple[str, ...]:
    found = [
        f"{code(name)} of {code('client.' + shown.name)}"
        for op, shown in ops
        for name, deprecated in [
            *((p.python_name, p.deprecated) for p in op.parameters),
            *((f.python_name, f.deprecated) for f in (op.body.fields if op.body else ())),
        ]
        if deprecated
    ]
    found += [f"{code(f'{cls}.{name}')}" for cls, name in api.deprecated_fields]
    found += [f"{code('client.' + shown.name)}" for op, shown in ops if op.deprecated]
    if len(found) > _LISTED:
        found = [*found[:_LISTED], f"and {len(found) - _LISTED} more"]
    return tuple(found)
