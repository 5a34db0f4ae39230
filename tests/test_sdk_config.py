"""Issue 17 up to the IR: pagination, webhooks, identification, logging, idempotency and
deprecations from small inline specs and [tool.generator] tables (api/pagination.py,
api/webhooks.py, api/idempotency.py, api/deprecations.py, sdk_config.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.api import build_api
from generator.api.ir import ListOf, ModelRef, Pagination, Prim
from generator.config import load_config
from generator.diagnostics import GenerationFailed
from generator.sdk_config import WebhookSignature
from generator.spec import apply_overlays, load_spec, settle_document
from tests.support.generation import REPO, config_for, minimal_spec

CONFIG = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"))


def _list_spec(extension: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    """GET /items with cursor, limit, offset and page query parameters, answering a page."""
    op: dict[str, Any] = {
        "operationId": "listItems",
        "parameters": [
            {
                "name": n,
                "in": "query",
                "schema": {"type": t, **({"default": 0} if n == "page" else {})},
            }
            for n, t in (
                ("cursor", "string"),
                ("limit", "integer"),
                ("offset", "integer"),
                ("page", "integer"),
            )
        ],
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}},
            }
        },
        **(extension or {}),
    }
    page = {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            "meta": {"type": "object", "properties": {"next": {"type": "string"}}},
            "next_cursor": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "has_more": {"type": "boolean"},
            "class": {"type": "string"},
        },
    }
    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    return minimal_spec(
        paths={"/items": {"get": op}},
        components={"schemas": {"Page": page, "Item": item}},
        **more,
    )


def _built(spec: dict[str, Any], config: Any = CONFIG) -> Any:
    return build_api(spec, config)


def _pagination(spec: dict[str, Any], config: Any = CONFIG) -> Pagination | None:
    return _built(spec, config).api.operations[0].pagination


def _warnings(spec: dict[str, Any], config: Any = CONFIG) -> list[tuple[str, str]]:
    return list(_built(spec, config).warnings)


# --- Pagination ----------------------------------------------------------------------------------

FERN_CURSOR = {
    "cursor": "$request.cursor",
    "next_cursor": "$response.next_cursor",
    "results": "$response.data",
    "has-next-page": "$response.has_more",
}


def test_fern_cursor_pagination_gives_the_runtime_fields_and_the_item_type() -> None:
    assert _pagination(_list_spec({"x-fern-pagination": FERN_CURSOR})) == Pagination(
        kind="cursor",
        items="data",
        item=ModelRef("Item"),
        source="x-fern-pagination",
        cursor_param="cursor",
        next_cursor="next_cursor",
        has_more="has_more",
    )


def test_fern_offset_with_step_pages_by_offset_and_without_by_page_number() -> None:
    stepped = {"offset": "$request.offset", "step": "$request.limit", "results": "$response.data"}
    offset = _pagination(_list_spec({"x-fern-pagination": stepped}))
    assert offset is not None
    assert (offset.kind, offset.offset_param, offset.limit_param) == ("offset", "offset", "limit")
    numbered = {"offset": "$request.page", "results": "$response.data"}
    page = _pagination(_list_spec({"x-fern-pagination": numbered}))
    assert page is not None
    # The page parameter's default (0) is the first page.
    assert (page.kind, page.page_param, page.first_page) == ("page", "page", 0)


def test_fern_true_takes_the_document_level_declaration_and_next_uri_pages_by_link() -> None:
    spec = _list_spec(
        {"x-fern-pagination": True},
        **{"x-fern-pagination": {"next_uri": "$response.meta.next", "results": "$response.data"}},
    )
    pagination = _pagination(spec)
    assert pagination is not None
    assert (pagination.kind, pagination.next_url, pagination.items) == (
        "next_url",
        "meta.next",
        "data",
    )


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (
            {
                "type": "cursor",
                "inputs": [
                    {"name": "cursor", "in": "parameters", "type": "cursor"},
                    {"name": "limit", "in": "parameters", "type": "limit"},
                ],
                "outputs": {"results": "$.data", "nextCursor": "$.next_cursor"},
            },
            {"kind": "cursor", "cursor_param": "cursor", "limit_param": "limit"},
        ),
        (
            {
                "type": "offsetLimit",
                "inputs": [{"name": "offset", "in": "parameters", "type": "offset"}],
                "outputs": {"results": "$.data"},
            },
            {"kind": "offset", "offset_param": "offset"},
        ),
        (
            {
                "type": "offsetLimit",
                "inputs": [{"name": "page", "in": "parameters", "type": "page"}],
                "outputs": {"results": "$.data"},
            },
            {"kind": "page", "page_param": "page"},
        ),
        (
            {"type": "url", "outputs": {"results": "$.data", "nextUrl": "$.meta.next"}},
            {"kind": "next_url", "next_url": "meta.next"},
        ),
    ],
)
def test_speakeasy_pagination_of_each_type(
    declared: dict[str, Any], expected: dict[str, Any]
) -> None:
    pagination = _pagination(_list_spec({"x-speakeasy-pagination": declared}))
    assert pagination is not None and pagination.source == "x-speakeasy-pagination"
    assert pagination.items == "data" and pagination.item == ModelRef("Item")
    assert {k: getattr(pagination, k) for k in expected} == expected


def test_tool_generator_pagination_by_method_and_path_or_operation_id_wins() -> None:
    settings = (("kind", "cursor"), ("items", "data"), ("has_more", "has_more"))
    for selector in ("GET /items", "listItems"):
        config = replace(CONFIG, pagination=((selector, settings),))
        spec = _list_spec({"x-speakeasy-pagination": {"type": "url"}})  # broken, but not read
        pagination = _pagination(spec, config)
        assert pagination is not None
        assert pagination.source == f"[tool.generator.pagination] {selector!r}"
        assert (pagination.cursor_param, pagination.next_cursor) == ("cursor", "next_cursor")
        assert _warnings(spec, config) == []


def test_a_spec_that_declares_nothing_gets_no_pagination() -> None:
    assert _pagination(_list_spec()) is None
    assert _warnings(_list_spec()) == []


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({**FERN_CURSOR, "cursor": "$request.after"}, "no query parameter 'after' (cursor_param)"),
        ({**FERN_CURSOR, "results": "$response.items"}, "has no field 'items' (items)"),
        ({**FERN_CURSOR, "results": "$response.has_more"}, "'has_more' of Page is not an array"),
        ({**FERN_CURSOR, "next_cursor": "$response.class"}, "'class' has another name in Python"),
        ({**FERN_CURSOR, "cursor": "$request.body.cursor"}, "in the request body"),
        ({"results": "$response.data"}, "declares none of cursor, offset or next_uri"),
        ({**FERN_CURSOR, "results": "$.data"}, "results must be $response.<name>"),
    ],
)
def test_a_declaration_that_does_not_fit_is_a_located_warning_and_no_pagination(
    declared: dict[str, Any], message: str
) -> None:
    spec = _list_spec({"x-fern-pagination": declared})
    assert _pagination(spec) is None
    [(pointer, text)] = _warnings(spec)
    assert pointer == "/paths/~1items/get/x-fern-pagination"
    assert text.startswith("x-fern-pagination: ") and message in text
    assert text.endswith("; the operation is not paginated")


def test_speakeasy_inputs_in_the_request_body_are_refused_with_a_warning() -> None:
    declared = {
        "type": "cursor",
        "inputs": [{"name": "cursor", "in": "requestBody", "type": "cursor"}],
        "outputs": {"results": "$.data", "nextCursor": "$.next_cursor"},
    }
    spec = _list_spec({"x-speakeasy-pagination": declared})
    assert _pagination(spec) is None
    assert "only parameters can page" in _warnings(spec)[0][1]


def test_a_config_entry_naming_no_operation_is_a_warning() -> None:
    config = replace(
        CONFIG, pagination=(("GET /nothing", (("kind", "cursor"), ("items", "data"))),)
    )
    assert (
        _warnings(_list_spec(), config)[0][0],
        _warnings(_list_spec(), config)[0][1].split(" (")[0],
    ) == ("/paths", "[tool.generator.pagination] 'GET /nothing' names no operation")


def test_a_result_that_is_not_a_model_cannot_page() -> None:
    spec = _list_spec({"x-fern-pagination": FERN_CURSOR})
    ok = spec["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]
    ok["schema"] = {"type": "array", "items": {"type": "string"}}
    assert _pagination(spec) is None
    assert "not a JSON model" in _warnings(spec)[0][1]


# --- Webhooks ------------------------------------------------------------------------------------


def _webhook_spec() -> dict[str, Any]:
    inline = {
        "type": "object",
        "properties": {"type": {"type": "string"}, "id": {"type": "string"}},
    }
    body = {"content": {"application/json": {"schema": inline}}}
    shared = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}
    callback = {"{$request.body#/url}": {"post": {"requestBody": shared, "responses": {}}}}
    spec = _list_spec()
    spec["paths"]["/items"]["get"]["callbacks"] = {"itemReady": callback}
    spec["webhooks"] = {
        "post_call_transcription": {"post": {"summary": "A call ended", "requestBody": body}},
        "ping": {"post": {"deprecated": True}},
    }
    return spec


def test_webhooks_and_callbacks_are_in_the_ir_with_their_payload_types() -> None:
    built = _built(_webhook_spec())
    hooks = built.api.webhooks
    assert [(h.name, h.python_name, h.method, h.callback) for h in hooks] == [
        ("post_call_transcription", "post_call_transcription", "POST", None),
        ("ping", "ping", "POST", None),
        ("itemReady", "item_ready", "POST", "{$request.body#/url}"),
    ]
    assert hooks[0].payload == ModelRef("PostCallTranscriptionEvent")
    assert hooks[0].summary == "A call ended" and hooks[0].media_type == "application/json"
    assert dict(built.hoisted)["PostCallTranscriptionEvent"]["properties"]["id"]
    assert (hooks[1].payload, hooks[1].deprecated) == (None, True)
    assert hooks[2].payload == ModelRef("Item")
    assert hooks[2].pointer == "/paths/~1items/get/callbacks/itemReady/{$request.body#~1url}/post"
    # Generated (the payload models, and construct_event on the client): no warning.
    messages = [m for _, m in built.warnings]
    assert not any("webhooks" in m or "callbacks" in m for m in messages)


def test_the_webhook_signature_comes_from_config_else_the_document() -> None:
    declared = {"scheme": "hmac", "header": "Example-Signature", "tolerance": 1800}
    spec = {**_webhook_spec(), "x-webhook-signature": declared}
    assert _built(spec).api.webhook_signature == WebhookSignature(
        "hmac", (("header", "Example-Signature"), ("tolerance", 1800.0))
    )
    config = replace(CONFIG, webhook_signature=WebhookSignature("standard"))
    assert _built(spec, config).api.webhook_signature == WebhookSignature("standard")
    assert _built(_webhook_spec()).api.webhook_signature is None


def test_a_malformed_document_signature_is_a_located_warning() -> None:
    spec = {**_list_spec(), "x-webhook-signature": {"scheme": "hmac", "algorithm": "md9"}}
    built = _built(spec)
    assert built.api.webhook_signature is None
    assert built.warnings == (
        (
            "/x-webhook-signature",
            "x-webhook-signature: an hmac scheme needs header, the name of the signature header;"
            " ignored",
        ),
    )


# --- Idempotency ---------------------------------------------------------------------------------


def _create_spec(**extra: Any) -> dict[str, Any]:
    header = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
    }
    post = {
        "operationId": "createItem",
        "parameters": [header],
        "responses": {"200": {"description": "OK"}},
    }
    return minimal_spec(
        paths={
            "/items": {
                "post": {**post, **extra},
                "get": {"operationId": "listItems", "responses": {"200": {"description": "OK"}}},
            }
        }
    )


def test_the_configured_idempotency_header_applies_to_post_and_frees_its_parameter() -> None:
    config = replace(CONFIG, idempotency_header="Idempotency-Key")
    ops = {o.method: o for o in _built(_create_spec(), config).api.operations}
    assert ops["POST"].idempotency_header == "Idempotency-Key"
    assert ops["GET"].idempotency_header is None
    [key] = ops["POST"].parameters
    assert key.name == "Idempotency-Key" and key.required is False
    without = {o.method: o for o in _built(_create_spec()).api.operations}
    assert without["POST"].idempotency_header is None
    assert without["POST"].parameters[0].required is True


def _post(spec: dict[str, Any]) -> Any:
    return next(o for o in _built(spec).api.operations if o.method == "POST")


def test_idempotency_extensions_name_the_header() -> None:
    marked = _create_spec()
    marked["paths"]["/items"]["post"]["parameters"][0]["x-idempotency-key"] = True
    assert _post(marked).idempotency_header == "Idempotency-Key"
    assert _post(marked).parameters[0].required is False
    fern = _create_spec(**{"x-fern-idempotent": True})
    fern["x-fern-idempotency-headers"] = [{"header": "Idempotency-Key", "name": "idempotency_key"}]
    assert _post(fern).idempotency_header == "Idempotency-Key"
    lone = _create_spec(**{"x-fern-idempotent": True})
    assert _post(lone).idempotency_header is None
    assert "x-fern-idempotent without a header" in _built(lone).warnings[0][1]


# --- Deprecations --------------------------------------------------------------------------------


def test_deprecated_parameters_body_fields_and_model_fields_are_marked() -> None:
    spec = _list_spec()
    spec["paths"]["/items"]["get"]["parameters"][1]["deprecated"] = True
    spec["components"]["schemas"]["Item"]["properties"]["old"] = {
        "type": "string",
        "deprecated": True,
    }
    built = _built(spec)
    assert [p.name for p in built.api.operations[0].parameters if p.deprecated] == ["limit"]
    assert built.api.deprecated_fields == (("Item", "old"),)


# --- Configuration -------------------------------------------------------------------------------


def _load(tmp_path: Path, toml: str) -> Any:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.generator]\npackage = "example_client"\n' + toml)
    return load_config(pyproject)


def test_the_sdk_settings_of_tool_generator(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        'distribution = "example"\nlog_env_var = "EXAMPLE_LOG"\n'
        'idempotency_header = "Idempotency-Key"\n'
        '[tool.generator.sdk_headers]\n"X-Fern-Language" = "Python"\n"X-Fern-SDK-Version" = "{version}"\n'
        '[tool.generator.pagination."GET /v1/items"]\nkind = "cursor"\nitems = "items"\n'
        '[tool.generator.webhooks]\nscheme = "hmac"\nheader = "Example-Signature"\ntolerance = false\n',
    )
    assert (config.distribution_name(), config.log_variable()) == ("example", "EXAMPLE_LOG")
    assert config.idempotency_header == "Idempotency-Key"
    assert config.sdk_headers == (
        ("X-Fern-Language", "Python"),
        ("X-Fern-SDK-Version", "{version}"),
    )
    assert config.pagination == (("GET /v1/items", (("items", "items"), ("kind", "cursor"))),)
    assert config.webhook_signature == WebhookSignature(
        "hmac", (("header", "Example-Signature"), ("tolerance", None))
    )
    defaults = _load(tmp_path, "")
    assert (defaults.distribution_name(), defaults.log_variable()) == (
        "example-client",
        "EXAMPLE_CLIENT_LOG",
    )
    assert (defaults.sdk_headers, defaults.pagination, defaults.webhook_signature) == ((), (), None)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("log_env_var = 3\n", "log_env_var must be a non-empty string, got 3"),
        ('log_env_var = "A-B"\n', "log_env_var must be an environment variable name"),
        ('idempotency_header = "Bad Header"\n', "idempotency_header must be an HTTP header name"),
        ("sdk_headers = 1\n", "sdk_headers must be a table"),
        ('[tool.generator.sdk_headers]\n"X-V" = "{versoin}"\n', "may only use {version}"),
        (
            '[tool.generator.pagination."GET /a"]\nkind = "cursor"\nitems = "x"\nnext = "n"\n',
            "unknown key(s): next",
        ),
        (
            '[tool.generator.pagination."GET /a"]\nkind = "keyset"\nitems = "x"\n',
            "kind must be one of",
        ),
        (
            '[tool.generator.pagination."GET /a"]\nkind = "page"\nitems = "x"\nfirst_page = "1"\n',
            "first_page must be an integer",
        ),
        ('[tool.generator.pagination."GET /a"]\nkind = "cursor"\n', "items must name"),
        ('[tool.generator.webhooks]\nscheme = "jwt"\n', 'scheme must be "standard" or "hmac"'),
        (
            '[tool.generator.webhooks]\nscheme = "standard"\nheader = "X"\n',
            "unknown key(s) for scheme 'standard': header",
        ),
        (
            '[tool.generator.webhooks]\nscheme = "hmac"\nheader = "X"\nencoding = "hexa"\n',
            "encoding must be one of hex, base64",
        ),
        (
            '[tool.generator.webhooks]\nscheme = "hmac"\nheader = "X"\nsigned_payload = "{t}"\n',
            "must contain {body}",
        ),
        (
            '[tool.generator.webhooks]\nscheme = "hmac"\nheader = "X"\ntolerance = "30m"\n',
            "tolerance must be seconds",
        ),
        (
            '[tool.generator.webhooks]\nscheme = "hmac"\nheader = "X"\nalgorithm = "sha0"\n',
            "unknown hash algorithm",
        ),
    ],
)
def test_wrong_sdk_settings_are_errors_located_in_pyproject(
    tmp_path: Path, toml: str, message: str
) -> None:
    with pytest.raises(GenerationFailed) as failed:
        _load(tmp_path, toml)
    [diagnostic] = failed.value.diagnostics
    assert diagnostic.file == str(tmp_path / "pyproject.toml")
    assert diagnostic.message.startswith("[tool.generator] ") and message in diagnostic.message


def test_the_project_sends_the_official_sdk_headers_and_reads_elevenlabs_log() -> None:
    config = load_config(REPO / "pyproject.toml")
    assert dict(config.sdk_headers) == {
        "X-Fern-Language": "Python",
        "X-Fern-SDK-Name": "elevenlabs",
        "X-Fern-SDK-Version": "{version}",
    }
    assert config.log_variable() == "ELEVENLABS_LOG"


# --- Real specs ----------------------------------------------------------------------------------


def _document(spec: Path, *overlays: Path) -> Any:
    source = load_spec(
        spec, display=spec.name, max_bytes=50 * 2**20, max_files=10_000, strict=False
    )
    overlaid = apply_overlays(source.data, [(o, o.name) for o in overlays], max_bytes=50 * 2**20)
    assert overlaid.warnings == ()
    return settle_document(source, overlaid.document, strict=False).document


@pytest.mark.slow
def test_the_overlay_paginates_the_35_cursor_operations_of_the_full_spec() -> None:
    spec = REPO / "examples" / "specs" / "elevenlabs-openapi.json"
    document = _document(spec, REPO / "examples" / "elevenlabs.overlay.yaml")
    built = build_api(document, config_for(spec, Path("/nonexistent"), package="elevenlabs"))
    paged = {f"{o.method} {o.path}": o.pagination for o in built.api.operations if o.pagination}
    assert len(paged) == 35
    assert not [w for w in built.warnings if "pagination" in w[1]]
    conversations = paged["GET /v1/convai/conversations"]
    assert conversations is not None
    assert (conversations.kind, conversations.items, conversations.has_more) == (
        "cursor",
        "conversations",
        "has_more",
    )
    assert conversations.item == ModelRef("ConversationSummaryResponseModel")
    assert all(
        p.cursor_param == "cursor" and p.next_cursor == "next_cursor" for p in paged.values()
    )
    assert sum(p.has_more is not None for p in paged.values()) == 28
    assert built.api.webhook_signature == WebhookSignature(
        "hmac",
        (
            ("algorithm", "sha256"),
            ("encoding", "hex"),
            ("header", "ElevenLabs-Signature"),
            ("signature_key", "v0"),
            ("signed_payload", "{t}.{body}"),
            ("timestamp_key", "t"),
            ("tolerance", 1800.0),
        ),
    )
    # Deprecations: 14 parameters, 15 body fields (flattened from the Body_* schemas), 90
    # deprecated properties of component schemas, 76 of them outside the request bodies.
    ops = built.api.operations
    assert sum(p.deprecated for o in ops for p in o.parameters) == 14
    assert sum(f.deprecated for o in ops if o.body for f in o.body.fields) == 15
    assert len(built.api.deprecated_fields) == 90
    assert sum(not c.startswith("Body") for c, _ in built.api.deprecated_fields) == 76


@pytest.mark.slow
def test_mistral_declares_speakeasy_cursor_pagination_on_two_operations() -> None:
    spec = REPO / "tests" / "fixtures" / "corpus" / "mistral-openapi.yaml"
    built = build_api(_document(spec), config_for(spec, Path("/nonexistent"), package="mistral"))
    paged = {o.operation_id: o.pagination for o in built.api.operations if o.pagination}
    assert {
        k: (p.kind, p.cursor_param, p.limit_param, p.items, p.next_cursor)
        for k, p in paged.items()
        if p
    } == {
        next(iter(paged)): ("cursor", "page_token", "page_size", "data", "next_page_token"),
        list(paged)[1]: ("cursor", "next_page_token", "page_size", "executions", "next_page_token"),
    }
    assert not [w for w in built.warnings if "pagination" in w[1]]
    assert all(isinstance(p.item, ModelRef | ListOf | Prim) for p in paged.values() if p)
