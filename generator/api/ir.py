"""IR: the intermediate representation of an API, as frozen dataclasses (no logic beyond naming)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..sdk_config import WebhookSignature

__all__ = [
    "Api",
    "Body",
    "BodyChoice",
    "BodyField",
    "Channel",
    "ChannelArgument",
    "ChannelMessage",
    "ChannelReply",
    "ChannelServer",
    "Credential",
    "DictOf",
    "ErrorResponse",
    "Group",
    "ListOf",
    "LiteralOf",
    "ModelRef",
    "Operation",
    "Pagination",
    "Parameter",
    "Prim",
    "ResultKind",
    "SchemeCredential",
    "Security",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "SignedUrl",
    "Success",
    "TypeRef",
    "UnionOf",
    "Webhook",
]


# --- Types -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prim:
    """A builtin type: str, int, float, bool, bytes, None, Any; "file", an upload; a standard
    library type a string format gives (types.FORMATS): datetime, date, time, uuid; or what a raw
    binary body takes besides bytes: "IO[bytes]" (a binary file), "os.PathLike[str]" (a path)."""

    name: Literal[
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "None",
        "Any",
        "file",
        "datetime",
        "date",
        "time",
        "uuid",
        "IO[bytes]",
        "os.PathLike[str]",
    ]


@dataclass(frozen=True)
class ListOf:
    item: TypeRef


@dataclass(frozen=True)
class DictOf:
    value: TypeRef


@dataclass(frozen=True)
class UnionOf:
    options: tuple[TypeRef, ...]


@dataclass(frozen=True)
class LiteralOf:
    values: tuple[str | int | bool, ...]


@dataclass(frozen=True)
class ModelRef:
    """A generated model class, by its Python class name."""

    name: str


TypeRef = Prim | ListOf | DictOf | UnionOf | LiteralOf | ModelRef


# --- API ---------------------------------------------------------------------------------------

Location = Literal["path", "query", "header", "cookie"]
ResultKind = Literal[
    "json", "bytes", "stream", "text", "sse", "jsonlines", "none", "media", "status"
]
# A response status: a number, a range ("4XX") or "default".
Status = int | str
BodyKind = Literal["json", "multipart", "form", "bytes"]


@dataclass(frozen=True)
class Parameter:
    """An operation parameter: `name` as the spec spells it, `python_name` as the signature does."""

    name: str
    python_name: str
    location: Location
    required: bool
    type: TypeRef
    description: str
    deprecated: bool
    pointer: str
    # The serialization the spec declares when it is not the location's default (None: the
    # default, a bare value): style, explode (None: the style's default), allowReserved.
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    # A parameter declared with `content`: the media type its value is sent as.
    media_type: str | None = None


@dataclass(frozen=True)
class BodyField:
    """A property of an object request body, flattened into a keyword argument."""

    name: str
    python_name: str
    required: bool
    type: TypeRef
    description: str
    is_file: bool
    deprecated: bool = False
    # Its `encoding`, when it changes what is sent: a urlencoded field's style, explode (None:
    # the style's default) and allowReserved; the contentType of a part or a urlencoded field.
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    content_type: str | None = None


@dataclass(frozen=True)
class Body:
    kind: BodyKind
    media_type: str
    required: bool
    # Object bodies are flattened into keyword arguments; any other body is passed whole.
    fields: tuple[BodyField, ...]
    whole: TypeRef | None
    python_name: str
    description: str
    # Offered in several media types the caller picks from, sent from the same arguments.
    choice: BodyChoice | None = None


@dataclass(frozen=True)
class BodyChoice:
    """The media types an object body may be sent as, picked by the argument `python_name`:
    each a Body of the same fields with its media type's `encoding`, the first the default."""

    python_name: str
    options: tuple[Body, ...]


@dataclass(frozen=True)
class Success:
    """The result of a 2xx response.

    Kind "media" decodes by the response's content type: `alternatives` holds (media type,
    kind, type) for each, the first being the default. Kind "status" decodes by the status:
    `statuses` holds the Success of each 2xx response, the first being the default.
    """

    status: Status
    kind: ResultKind
    type: TypeRef
    media_type: str | None
    description: str
    alternatives: tuple[tuple[str, ResultKind, TypeRef], ...] = ()
    statuses: tuple[Success, ...] = ()


@dataclass(frozen=True)
class ErrorResponse:
    status: Status
    error_class: str
    body_type: TypeRef | None
    description: str


@dataclass(frozen=True)
class Operation:
    pointer: str
    method: str
    path: str
    operation_id: str
    groups: tuple[str, ...]
    method_name: str
    module_name: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: Body | None
    success: Success
    errors: tuple[ErrorResponse, ...]
    # The effective security requirement: alternatives (OR) of scheme names (AND); `()` in it
    # makes credentials optional, `()` as a whole requires none; None: the spec says nothing.
    security: Security | None = None
    # The operation's own servers (its `servers`, else its path item's): URL templates whose
    # {variables} are the client's; the first is used. (): the client's base URL.
    servers: tuple[str, ...] = ()
    # How the operation pages (x-fern-pagination, x-speakeasy-pagination or config); None: not.
    pagination: Pagination | None = None
    # The header carrying an idempotency key (config or extension), on POST and PATCH only.
    idempotency_header: str | None = None
    # Accept and Content-Type header parameters declaring one value: sent as constants,
    # (name, value) (see parameters.CONSTANT_HEADERS).
    constant_headers: tuple[tuple[str, str], ...] = ()


PaginationKind = Literal["cursor", "offset", "page", "next_url"]


@dataclass(frozen=True)
class Pagination:
    """How a list operation pages: the runtime's `Pagination` (runtime/_pagination.py) field for
    field, plus `item`, the type of one element of the `items` array. Response fields are dotted
    paths of Python attribute names (checked to be the spec's names), query parameters wire
    names; `limit_param` None: none is declared. `source` says where it was declared."""

    kind: PaginationKind
    items: str
    item: TypeRef
    source: str
    cursor_param: str = "cursor"
    next_cursor: str = "next_cursor"
    has_more: str | None = None
    offset_param: str = "offset"
    limit_param: str | None = None
    page_param: str = "page"
    first_page: int = 1
    next_url: str = "next"


@dataclass(frozen=True)
class Webhook:
    """A request the API sends to the user: an entry of the document's `webhooks` (`callback`
    None) or of an operation's `callbacks` (`callback` its URL expression). `payload` is the
    type of its JSON request body (a model, hoisted when inline), None without one."""

    name: str
    python_name: str
    pointer: str
    method: str
    summary: str
    description: str
    deprecated: bool
    payload: TypeRef | None
    media_type: str | None
    callback: str | None = None


@dataclass(frozen=True)
class Server:
    """An environment: `url` is the server's URL template, its {variables} the client's."""

    url: str
    member: str
    description: str


@dataclass(frozen=True)
class ServerVariable:
    """A server variable, a client constructor argument `python_name` defaulting to `default`,
    one of `enum` when the spec lists values."""

    name: str
    python_name: str
    default: str
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Credential:
    """A secret the client sends on every request: `header` set to `prefix` + the value of the
    constructor argument `argument` (or of the environment variable `env`, read at construction)."""

    header: str
    argument: str
    env: str | None
    prefix: str = ""


Security = tuple[tuple[str, ...], ...]
SchemeKind = Literal["apiKey", "basic", "http", "oauth2"]


@dataclass(frozen=True)
class SchemeCredential:
    """One secret of a scheme: the runtime scheme's keyword `field` (key, username, password,
    token, client_id, client_secret), given as the constructor argument `argument`, else read
    from the environment variable `env` when the client is created."""

    field: str
    argument: str
    env: str | None


@dataclass(frozen=True)
class SecurityScheme:
    """An entry of components.securitySchemes the client can send, by its key `name`.

    apiKey: `parameter` in `location`; basic: username and password; http: `Authorization:
    <http_scheme> <token>` (also openIdConnect, as Bearer); oauth2: a bearer token, or with
    `token_url` the clientCredentials flow asking for `scopes`."""

    name: str
    kind: SchemeKind
    credentials: tuple[SchemeCredential, ...]
    description: str = ""
    parameter: str = ""
    location: Literal["header", "query", "cookie", ""] = ""
    http_scheme: str = ""
    token_url: str | None = None
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """A node of the client tree: the client itself (path ()) or a group of operations."""

    path: tuple[str, ...]
    class_stem: str
    operations: tuple[Operation, ...]
    children: tuple[str, ...]


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    servers: tuple[Server, ...]
    operations: tuple[Operation, ...]
    groups: tuple[Group, ...]
    # Component schema name (after normalization) → Python class name.
    schema_classes: tuple[tuple[str, str], ...]
    # Error classes for documented statuses: (class name, status).
    error_classes: tuple[tuple[str, int], ...]
    skipped: tuple[str, ...]
    # The legacy [tool.generator.auth] header, sent on every request (secret_headers=).
    credential: Credential | None = None
    # The spec's security schemes the client sends (auth=), in document order.
    schemes: tuple[SecurityScheme, ...] = ()
    # The variables of every server (top-level, path and operation), first definition first.
    variables: tuple[ServerVariable, ...] = ()
    # WebSocket channels of the AsyncAPI documents read beside the spec (channels.py).
    channels: tuple[Channel, ...] = ()
    # Webhooks and callbacks (not generated yet), and how deliveries are signed (None: unknown).
    webhooks: tuple[Webhook, ...] = ()
    webhook_signature: WebhookSignature | None = None
    # Deprecated properties of component schemas: (class name, property name), document order.
    deprecated_fields: tuple[tuple[str, str], ...] = ()


# --- Channels (AsyncAPI) -------------------------------------------------------------------------

Direction = Literal["send", "receive"]


@dataclass(frozen=True)
class ChannelArgument:
    """A keyword argument of a channel's `connect`: a parameter of its address (`path`) or a
    property of its `ws` binding's query (`query`), `name` as the document spells it."""

    name: str
    python_name: str
    location: Literal["path", "query"]
    required: bool
    type: TypeRef
    description: str
    pointer: str
    # The document's default (JSON data, for docs only: nothing is sent for an omitted argument).
    default: str | int | float | bool | None = None


@dataclass(frozen=True)
class ChannelMessage:
    """A message of a channel: `model` is the class of its payload (a generated model, one per
    message even when both directions use it); `tag` its discriminating `type` value (None:
    the payload has no literal `type`); `literals` every property fixed to one value."""

    name: str
    model: str
    tag: str | int | bool | None
    literals: tuple[tuple[str, str | int | bool], ...]
    summary: str
    description: str
    pointer: str


@dataclass(frozen=True)
class ChannelServer:
    """A ws:// or wss:// server of a channel: `environment` is the member of the client's
    environment enum on the same host (wss ↔ https, ws ↔ http), else None and `member` a name
    of its own (from the document's server name)."""

    url: str
    member: str
    environment: str | None
    description: str


@dataclass(frozen=True)
class ChannelReply:
    """A reply the session sends by itself on receiving a server message of type `on`: a
    message of type `send`, each (field, dotted path) copying a value of the message received
    (the runtime's `Reply(send, copy={...})`). `source` says where it was declared."""

    on: str
    send: str
    copy: tuple[tuple[str, str], ...]
    source: str


@dataclass(frozen=True)
class SignedUrl:
    """The HTTP operation whose result's `field` is a signed URL opening a channel: its
    `method_name` and `module_name`, and `arguments`, (its parameter's python_name, the
    channel argument's python_name) for each of its parameters the channel's `connect` passes
    on. `source` says where it was declared (the configuration, or found by its shape)."""

    method_name: str
    module_name: str
    field: str
    arguments: tuple[tuple[str, str], ...]
    source: str


@dataclass(frozen=True)
class Channel:
    """A WebSocket channel of an AsyncAPI document: `connect` on the group `groups` as
    `method_name`, opening `address` (its {parameters} filled in) on a server; `sends` are
    the messages the client sends, `receives` those it receives (server events)."""

    name: str
    address: str
    groups: tuple[str, ...]
    method_name: str
    summary: str
    description: str
    arguments: tuple[ChannelArgument, ...]
    sends: tuple[ChannelMessage, ...]
    receives: tuple[ChannelMessage, ...]
    servers: tuple[ChannelServer, ...]
    replies: tuple[ChannelReply, ...]
    # The operation of the same group whose result's `signed_url` opens this channel (its
    # method_name), when there is one; None: connect to a server with the arguments.
    signed_url: str | None
    # The AsyncAPI document (as shown in messages) and the channel's JSON pointer in it.
    document: str
    pointer: str
    # The module of the package's `realtime` folder the channel's messages are gathered in.
    module_name: str = ""
    # How connect(...) gets a signed URL when the client has credentials (None: it does not).
    signing: SignedUrl | None = None
    # Query properties left out of connect(...): credentials, which the client's carry.
    credential_query: tuple[str, ...] = ()
