"""Each development-corpus client against Prism: one accepted request for every group.

For each spec of tests/fixtures/corpus/ the client is generated (tests/support/corpus.py), Prism
mocks the spec file itself (the entry file for Lob; Prism follows its relative $refs), and for
every group of the client one operation is called through the generated client, with arguments
made from the spec's own schemas by tests/support/schema_values.py (required inputs only).
Operations are tried in order of fewest required inputs, file uploads and streamed results last;
one whose inputs the value generator cannot satisfy is passed over for the next of its group.

Every call must reach Prism as one request that Prism accepts (conftest.py: no `sl-violations`
header, no 422, "passed the validation rules" and no "Violation:" in its log) and that it answers
with a 2xx or another response the operation documents. Every group must be covered, except the
ones listed in UNSATISFIABLE with the reason no operation of theirs can be given valid inputs.
No request leaves 127.0.0.1: a request for another host fails the test before it is sent.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import re
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.corpus import SPECS, Generated, generate
from tests.support.schema_values import Node, SchemaValues, SpecDocument, Unsatisfiable

from .conftest import NodeTools, PrismServer, Wire, start_prism

pytestmark = pytest.mark.slow

# name -> why its client cannot be tested against Prism yet (strict: the mark must go the day it
# passes).
NOT_YET: dict[str, str] = {}

# spec -> group -> why no operation of the group can be given inputs the spec accepts. A group
# belongs here only for a reason in the spec (or the value generator), never because the client
# sent something Prism refused: that is a defect the test reports.
UNSATISFIABLE: dict[str, dict[str, str]] = {}

DUMMY_CREDENTIAL = "test-token"
_NOT_CREDENTIALS = {
    "self",
    "environment",
    "base_url",
    "timeout",
    "max_retries",
    "httpx_client",
    "headers",
    "hooks",
}
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _params() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[name]))
        if name in NOT_YET
        else name
        for name in SPECS
    ]


@dataclass
class Corpus:
    name: str
    generated: Generated
    prism: PrismServer
    package: ModuleType
    document: SpecDocument


@pytest.fixture(scope="module", params=_params())
def corpus(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    node_tools: NodeTools,
    prism_entry: Path,
) -> Iterator[Corpus]:
    name: str = request.param
    generated = generate(name, tmp_path_factory.mktemp(name))
    if not generated.ok:
        pytest.fail(generated.failure())
    folder = tmp_path_factory.mktemp(f"prism-{name}")
    with start_prism(node_tools, prism_entry, generated.spec, folder) as server:
        sys.path.insert(0, str(generated.out))
        try:
            package = importlib.import_module(generated.package)
            yield Corpus(name, generated, server, package, SpecDocument(generated.spec))
        finally:
            sys.path.remove(str(generated.out))
            for module in [m for m in sys.modules if m.split(".")[0] == generated.package]:
                del sys.modules[module]


@dataclass
class Loopback:
    """Set `prefix` to the path of an operation's own server for one call (see _server_prefix)."""

    prefix: str = ""


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Loopback:
    """A request for any host but 127.0.0.1 raises instead of leaving the machine.

    Prism routes a request by the spec's path keys alone: it knows nothing of the path of an
    operation's own server (Linode: `servers: [https://api.linode.com/v4]` on operations whose
    path is `/{apiVersion}/...`, so the spec's URL is `/v4/v4/...`). While `prefix` is set, a
    request whose path starts with it reaches Prism without it; the test checks beforehand that
    the client sent it (httpx.Client.send, where `wire` records, sees the URL as built).
    """
    loopback = Loopback()
    handle = httpx.HTTPTransport.handle_request

    def guarded(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            raise AssertionError(f"the client sent a request off the loopback: {request.url}")
        prefix = loopback.prefix
        sent = request.url
        if not (prefix and sent.path.startswith(prefix + "/")):
            return handle(self, request)
        request.url = sent.copy_with(raw_path=sent.raw_path[len(prefix) :])
        try:
            return handle(self, request)
        finally:
            request.url = sent  # as the client sent it, for `wire` and the report

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", guarded)
    return loopback


def _server_prefix(corpus: Corpus, operation: SpecOperation) -> str:
    """The path an operation's own server puts before its path, on the API's own host."""
    if not operation.servers:
        return ""
    root_servers = corpus.document.root.data.get("servers") or [{"url": "/"}]
    default = _expand(root_servers[0])
    own = _expand(operation.servers[0])
    if own.netloc and own.netloc != default.netloc:
        return ""  # another host: the loopback guard stops the request, and the test reports it
    base = default.path.rstrip("/")
    path = own.path.rstrip("/")
    return path[len(base) :] if base and path.startswith(base) else path


def _expand(server: Any) -> Any:
    url = str(server.get("url", "")) if isinstance(server, dict) else str(server)
    for name, variable in (
        (server.get("variables") or {}).items() if isinstance(server, dict) else []
    ):
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return urlsplit(url)


# --- the spec's operations -----------------------------------------------------------------------


@dataclass
class SpecOperation:
    method: str
    path: str  # as the spec's key, fragment included
    node: Node
    parameters: dict[tuple[str, str], Node]  # (in, name) -> the parameter, resolved
    responses: set[str]
    servers: list[Any]  # the operation's or its path item's own servers

    @property
    def operation_id(self) -> str:
        return str(self.node.data.get("operationId") or "")


def _spec_operations(document: SpecDocument) -> list[SpecOperation]:
    out: list[SpecOperation] = []
    for path, raw_item in (document.root.get("paths") or Node({}, document.entry)).items():
        item = document.resolve(raw_item)
        if item is None or not isinstance(item.data, dict):
            continue
        shared = _parameters(document, item.get("parameters"))
        for method in _HTTP_METHODS:
            node = item.get(method)
            if node is None:
                continue
            responses = {
                str(code) for code, _ in (node.get("responses") or Node({}, node.file)).items()
            }
            parameters = {**shared, **_parameters(document, node.get("parameters"))}
            servers = node.data.get("servers") or item.data.get("servers") or []
            out.append(SpecOperation(method.upper(), path, node, parameters, responses, servers))
    return out


def _parameters(document: SpecDocument, listed: Node | None) -> dict[tuple[str, str], Node]:
    found: dict[tuple[str, str], Node] = {}
    for raw in listed.elements() if listed is not None else []:
        parameter = document.resolve(raw)
        if parameter is not None and isinstance(parameter.data, dict):
            found[(str(parameter.data.get("in")), str(parameter.data.get("name")))] = parameter
    return found


def _snake(text: str) -> str:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"\W+", "_", text).strip("_").lower()


# --- the client's operations ---------------------------------------------------------------------


@dataclass
class Target:
    """One client method, the spec operation it sends, and where each argument goes."""

    dotted: str
    group: str
    method_name: str
    module: ModuleType
    spec: SpecOperation
    # Python argument -> (where, the spec's name): path/query/header/cookie, "body" (a property
    # of an object body), "body-whole" (the whole body).
    places: dict[str, tuple[str, str]]
    body_kind: str | None  # json, form, files, content
    required: list[str]
    result: str


class _Probe:
    def __init__(self, name: str) -> None:
        self.name = name


def _unwrap(value: object) -> object:
    return getattr(value, "value", value) if not isinstance(value, _Probe) else value


def _places(module: ModuleType) -> tuple[dict[str, tuple[str, str]], str | None]:
    """Where each argument of the module's request() lands, found by calling it with probes."""
    names = list(inspect.signature(module.request).parameters)
    with warnings.catch_warnings():  # deprecated parameters warn when given
        warnings.simplefilter("ignore", DeprecationWarning)
        built = module.request(**{name: _Probe(name) for name in names})
    places: dict[str, tuple[str, str]] = {}
    for key, value in dict(built.path_params).items():
        value = _unwrap(value)
        if isinstance(value, _Probe):
            places[value.name] = ("path", key)
    for where in ("query", "headers", "cookies"):
        for key, value in getattr(built, where) or ():
            value = _unwrap(value)
            if isinstance(value, _Probe):
                places[value.name] = (
                    {"headers": "header", "cookies": "cookie"}.get(where, where),
                    key,
                )
    body_kind = None
    json_body = _unwrap(built.json)
    if isinstance(json_body, _Probe):
        places[json_body.name], body_kind = ("body-whole", ""), "json"
    elif isinstance(json_body, dict):
        body_kind = "json"
        for key, value in json_body.items():
            value = _unwrap(value)
            if isinstance(value, _Probe):
                places[value.name] = ("body", key)
    for kind in ("form", "files"):
        fields = getattr(built, kind)
        if isinstance(_unwrap(fields), _Probe):
            places[_unwrap(fields).name], body_kind = ("body-whole", ""), kind  # type: ignore[union-attr]
            continue
        for key, value in fields or ():
            body_kind = body_kind if body_kind == "files" else kind
            value = _unwrap(value)
            if isinstance(value, _Probe):
                places[value.name] = ("body", key)
    content = _unwrap(built.content)
    if isinstance(content, _Probe):
        places[content.name], body_kind = ("body-whole", ""), "content"
    return places, body_kind


def _targets(corpus: Corpus) -> list[Target]:
    surface = json.loads((corpus.generated.out / "surface.json").read_text(encoding="utf-8"))
    spec_operations = _spec_operations(corpus.document)
    client = _client(corpus, "http://127.0.0.1:9")
    targets: list[Target] = []
    for dotted, described in surface["operations"].items():
        group, _, method_name = dotted.rpartition(".")
        bound = _resolve_attr(client, dotted)
        source = inspect.getsource(bound)
        found = re.search(r"_operations import \(?\s*(\w+) as _op", source)
        assert found, f"{dotted}: no operation module in its method's source"
        module = importlib.import_module(f"{corpus.generated.package}._operations.{found.group(1)}")
        candidates = [
            o
            for o in spec_operations
            if o.method == described["method"] and o.path.split("#")[0] == described["path"]
        ]
        if len(candidates) > 1:
            candidates = [o for o in candidates if _snake(o.operation_id) == found.group(1)] or [
                o for o in candidates if _snake(o.operation_id) == method_name
            ]
        assert len(candidates) == 1, f"{dotted}: {len(candidates)} spec operations match"
        places, body_kind = _places(module)
        required = [p["name"] for p in described["parameters"] if p["required"]]
        targets.append(
            Target(
                dotted,
                group,
                method_name,
                module,
                candidates[0],
                places,
                body_kind,
                required,
                described["result"],
            )
        )
    return targets


def _resolve_attr(root: object, dotted: str) -> Any:
    value: Any = root
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def _client(corpus: Corpus, base_url: str) -> Any:
    client_class = corpus.package.Client
    credentials = {
        name: DUMMY_CREDENTIAL
        for name, parameter in inspect.signature(client_class.__init__).parameters.items()
        if name not in _NOT_CREDENTIALS and parameter.default is None
    }
    return client_class(base_url=base_url, max_retries=0, **credentials)


# --- arguments -----------------------------------------------------------------------------------


_MEDIA_ORDER = (
    "application/json",
    "+json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
)


def _body_schema(corpus: Corpus, target: Target) -> tuple[Node | None, bool]:
    """The request body schema of the media type the client sends, and whether it is required."""
    body = corpus.document.resolve(target.spec.node.get("requestBody"))
    if body is None or not isinstance(body.data, dict):
        return None, False
    content = corpus.document.resolve(body.get("content"))
    media = dict(content.items()) if content is not None else {}
    wanted = {
        "json": ("application/json", "+json"),
        "form": ("application/x-www-form-urlencoded", "multipart/form-data"),
        "files": ("multipart/form-data",),
    }
    order = list(wanted.get(target.body_kind or "", ())) + list(_MEDIA_ORDER)
    for preferred in order:
        for media_type, entry in media.items():
            if media_type == preferred or (
                preferred.startswith("+") and media_type.endswith(preferred)
            ):
                resolved = corpus.document.resolve(entry)
                return (resolved.get("schema") if resolved is not None else None), bool(
                    body.data.get("required")
                )
    for _, entry in media.items():
        resolved = corpus.document.resolve(entry)
        return (resolved.get("schema") if resolved is not None else None), bool(
            body.data.get("required")
        )
    return None, bool(body.data.get("required"))


def _parameter_schema(parameter: Node) -> Node | None:
    schema = parameter.get("schema")
    if schema is not None:
        return schema
    content = parameter.get("content")
    for _, entry in content.items() if content is not None else []:
        return entry.get("schema")
    return None


def _arguments(corpus: Corpus, target: Target, values: SchemaValues) -> dict[str, Any]:
    """The keyword arguments of one call: every required input, from the spec's schemas."""
    arguments: dict[str, Any] = {}
    body_schema, body_required = _body_schema(corpus, target)
    body_value: Any = None
    merged_body: dict[str, Any] = {}
    if body_schema is not None:
        merged_body, _ = values.merged(body_schema)
    for python_name, (where, spec_name) in target.places.items():
        if where in ("path", "query", "header", "cookie"):
            parameter = target.spec.parameters.get((where, spec_name))
            if parameter is None:
                if python_name in target.required:
                    raise Unsatisfiable(
                        f"{python_name}: no {where} parameter {spec_name!r} in the spec"
                    )
                continue
            if where != "path" and not parameter.data.get("required"):
                continue
            schema = _parameter_schema(parameter)
            value = values.value(schema) if schema is not None else "value"
            arguments[python_name] = _typed(value, schema, values)
        elif where == "body-whole":
            if body_schema is None:
                raise Unsatisfiable("a body argument but no request body schema in the spec")
            if not body_required and python_name not in target.required:
                continue
            body_value = values.value(body_schema)
            arguments[python_name] = (
                _file(body_value, merged_body) if target.body_kind == "content" else body_value
            )
        elif where == "body":
            properties = merged_body.get("properties") or {}
            if spec_name not in (merged_body.get("required") or []):
                continue
            prop = properties.get(spec_name)
            if prop is None:
                arguments[python_name] = "value"
                continue
            prop_schema, _ = values.merged(prop)
            if prop_schema.get("readOnly") is True:
                continue
            arguments[python_name] = _file(values.value(prop), prop_schema)
    missing = [name for name in target.required if name not in arguments]
    if missing:
        raise Unsatisfiable(f"required argument(s) {missing} not found in the spec's inputs")
    return arguments


def _file(value: Any, schema: dict[str, Any]) -> Any:
    if (
        schema.get("format") == "binary"
        or schema.get("contentMediaType")
        or schema.get("contentEncoding")
    ):
        return ("test.txt", b"test", "text/plain")
    if schema.get("type") == "array":
        return value
    return value


def _typed(value: Any, schema: Node | None, values: SchemaValues) -> Any:
    """A parameter value as the method's type names it (datetime for date-time strings)."""
    if schema is None or not isinstance(value, str):
        return value
    merged, _ = values.merged(schema)
    try:
        if merged.get("format") == "date-time":
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if merged.get("format") == "date":
            return datetime.date.fromisoformat(value)
    except ValueError:
        return value
    return value


def _uploads(target: Target, corpus: Corpus, values: SchemaValues) -> bool:
    if target.body_kind in ("files", "content"):
        return True
    return "multipart" in str(
        (target.spec.node.get("requestBody") or Node({}, corpus.document.entry)).data
    )


def _streams(target: Target) -> bool:
    return "Iterator" in target.result or target.result in ("bytes",)


# --- the test ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    group: str
    dotted: str | None = None
    accepted: bool = False
    problems: list[str] = field(default_factory=list)
    passed_over: list[str] = field(default_factory=list)
    note: str = ""


def test_prism_accepts_a_request_for_every_group(
    corpus: Corpus, wire: Wire, loopback_only: None
) -> None:
    values = SchemaValues(corpus.document)
    targets = _targets(corpus)
    groups: dict[str, list[Target]] = {}
    for target in targets:
        groups.setdefault(target.group, []).append(target)
    outcomes: list[Outcome] = []
    client = _client(corpus, corpus.prism.base_url)
    for group, members in sorted(groups.items()):
        outcome = Outcome(group)
        outcomes.append(outcome)
        ordered = sorted(
            members,
            key=lambda t: (
                _uploads(t, corpus, values),
                _streams(t),
                len(t.required),
                t.dotted,
            ),
        )
        for target in ordered:
            try:
                arguments = _arguments(corpus, target, values)
            except (Unsatisfiable, RecursionError) as exc:
                outcome.passed_over.append(f"{target.dotted}: {exc}")
                continue
            outcome.dotted = target.dotted
            _call(corpus, client, target, arguments, wire, outcome, loopback_only)
            break
    lines = []
    for outcome in outcomes:
        if outcome.dotted is None:
            reason = UNSATISFIABLE.get(corpus.name, {}).get(outcome.group)
            if reason is None:
                lines.append(
                    f"- group {outcome.group}: no operation with inputs the value generator can satisfy:"
                    + "".join(f"\n    {p}" for p in outcome.passed_over)
                )
        elif outcome.problems:
            lines.append(f"- {outcome.dotted}: " + "\n  ".join(outcome.problems))
    covered = sum(1 for o in outcomes if o.dotted is not None)
    accepted = sum(1 for o in outcomes if o.accepted)
    summary = (
        f"{corpus.name}: {len(outcomes)} groups, {covered} covered, {accepted} requests accepted,"
        f" {covered - accepted} rejected"
    )
    print(summary)
    for outcome in outcomes:
        verdict = "accepted" if outcome.accepted else "REJECTED" if outcome.dotted else "none"
        print(f"  {outcome.group}: {outcome.dotted} {verdict} {outcome.note}".rstrip())
    stale = set(UNSATISFIABLE.get(corpus.name, {})) - {
        o.group for o in outcomes if o.dotted is None
    }
    if stale:
        lines.append(f"- UNSATISFIABLE lists groups now covered or gone: {sorted(stale)}")
    assert not lines, summary + "\n" + "\n".join(lines)


def _unanswerable_accept(corpus: Corpus, operation: SpecOperation, request: httpx.Request) -> str:
    """Why Prism cannot answer a request in the media type it accepts, when the spec is the
    cause: the client sent the one Accept value the spec declares as a header parameter, and
    none of the operation's responses has content of that media type (PagerDuty declares
    `Accept: application/vnd.pagerduty+json;version=2`, its responses `application/json`).
    "" otherwise."""
    sent = request.headers.get("accept")
    declared = [
        node
        for (where, name), node in operation.parameters.items()
        if where == "header" and name.lower() == "accept"
    ]
    schema = corpus.document.resolve(declared[0].get("schema")) if declared else None
    if schema is None or not isinstance(schema.data, dict):
        return ""
    values = [
        schema.data.get("default"),
        schema.data.get("const"),
        *(schema.data.get("enum") or []),
    ]
    if sent is None or sent not in values:
        return ""
    offered: set[str] = set()
    for _, response in (operation.node.get("responses") or Node({}, operation.node.file)).items():
        content = (corpus.document.resolve(response) or Node({}, response.file)).get("content")
        if content is not None:
            offered.update(media for media, _ in content.items())
    if sent in offered:
        return ""
    return f"the spec declares Accept: {sent}, which the client sends, but its responses offer only {sorted(offered)}"


def _violations(header: str | None) -> tuple[list[str], list[str]]:
    """Prism's sl-violations header split into those about the request and the response."""
    if not header:
        return [], []
    on_request: list[str] = []
    on_response: list[str] = []
    for violation in json.loads(header):
        where = violation.get("location") or ["?"]
        text = f"{'.'.join(map(str, where))}: {violation.get('message')}"
        (on_response if where[0] == "response" else on_request).append(text)
    return on_request, on_response


def _call(
    corpus: Corpus,
    client: Any,
    target: Target,
    arguments: dict[str, Any],
    wire: Wire,
    outcome: Outcome,
    loopback: Loopback,
) -> None:
    prism = corpus.prism
    loopback.prefix = _server_prefix(corpus, target.spec)
    mark = prism.mark()
    sent_before = len(wire.exchanges)
    method = _resolve_attr(client, target.dotted)
    error = (
        corpus.package.ApiError
        if hasattr(corpus.package, "ApiError")
        else importlib.import_module(f"{corpus.generated.package}.errors").ApiError
    )
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    try:
        with warnings.catch_warnings():  # deprecated operations warn when called
            warnings.simplefilter("ignore", DeprecationWarning)
            result = method(**arguments)
        if inspect.isgenerator(result) or (
            hasattr(result, "__iter__") and hasattr(result, "__next__")
        ):
            for _ in result:
                pass
    except error as exc:
        detail = f": {str(exc)[:600]}" if "Validation" in type(exc).__name__ else ""
        outcome.note = (
            f"raised {type(exc).__name__} (status {getattr(exc, 'status_code', '?')}){detail}"
        )
    except Exception as exc:
        if len(wire.exchanges) == sent_before:
            outcome.problems.append(
                f"called with ({shown}): nothing was sent: {type(exc).__name__}: {exc}"
            )
            return
        outcome.note = f"the response was not decoded: {type(exc).__name__}: {str(exc)[:300]}"
    finally:
        loopback.prefix = ""
    sent = [e for e in wire.exchanges[sent_before:] if e.request.url.port == prism.port]
    logged = prism.logged_requests(mark)
    problems = outcome.problems
    prefix = _server_prefix(corpus, target.spec)
    for exchange in sent:
        if prefix and not exchange.request.url.path.startswith(prefix + "/"):
            problems.append(f"not sent to the operation's own server (path under {prefix!r})")
    if len(sent) != 1 or len(logged) != 1:
        problems.append(
            f"{len(sent)} request(s) sent and {len(logged)} logged by Prism, expected 1"
        )
    for exchange in sent:
        status = exchange.response.status_code
        on_request, on_response = _violations(exchange.response.headers.get("sl-violations"))
        if on_request:
            problems.append(f"Prism's sl-violations about the request: {on_request}")
        if on_response:
            # Prism (--errors) checks the response it makes from the spec's own examples too and
            # answers 500 when one does not match its schema: a defect of the spec, not of the
            # request, reported beside the verdict.
            outcome.note = (
                f"Prism's response from the spec's example violates the spec: {on_response}"
            )
            continue
        documented = (
            str(status) in target.spec.responses
            or f"{str(status)[0]}XX" in target.spec.responses
            or "default" in target.spec.responses
        )
        unanswerable = _unanswerable_accept(corpus, target.spec, exchange.request)
        if status == 406 and unanswerable:
            # The request is judged by Prism's log below; the 406 is the spec's own doing.
            outcome.note = f"Prism answered 406: {unanswerable}"
        elif status == 422 or not (200 <= status < 300 or documented):
            problems.append(f"Prism answered {status}")
    for request in logged:
        if not request.passed:
            problems.append("Prism's log: the request did not pass the validation rules")
        problems.extend(f"Prism's log: Violation: {v}" for v in request.violations)
    if problems:
        problems.insert(0, f"called with ({shown})")
        problems.extend(e.describe() for e in sent)
    else:
        outcome.accepted = True
