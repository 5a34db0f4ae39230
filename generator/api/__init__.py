"""Stage 2, the API: a validated OpenAPI document → the IR, frozen dataclasses of what to generate.

Takes the document and the configuration. Gives an `Api` (ir.py): groups of operations with
their parameters, bodies, results, errors and credentials, servers and environments; built by
pure functions (build.py), with the names Python needs (naming.py) and one mapping from JSON
Schema to the types signatures and models share (types.py). Owns every decision about what the
client offers; nothing here knows how Python text is laid out.
"""

from .build import build_api
from .context import Built
from .ir import (
    Api,
    Body,
    BodyField,
    Channel,
    ChannelArgument,
    ChannelMessage,
    ChannelReply,
    ChannelServer,
    Credential,
    DictOf,
    ErrorResponse,
    Group,
    ListOf,
    LiteralOf,
    ModelRef,
    Operation,
    Pagination,
    Parameter,
    Prim,
    ResultKind,
    SchemeCredential,
    Security,
    SecurityScheme,
    Server,
    SignedUrl,
    Success,
    TypeRef,
    UnionOf,
    Webhook,
)
from .naming import class_name, snake_case, unique_names
from .types import model_names, render_type, union

__all__ = [
    "Api",
    "Body",
    "BodyField",
    "Built",
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
    "SignedUrl",
    "Success",
    "TypeRef",
    "UnionOf",
    "Webhook",
    "build_api",
    "class_name",
    "model_names",
    "render_type",
    "snake_case",
    "union",
    "unique_names",
]
