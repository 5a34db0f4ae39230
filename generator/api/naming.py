"""Naming: turn spec names into safe, stable Python identifiers (snake_case, PascalCase, unique)."""

from __future__ import annotations

import http
import keyword
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "RESERVED_CLASS_NAMES",
    "class_name",
    "client_class_names",
    "constant_name",
    "snake_case",
    "unique_names",
]

# Names the generated model modules import or pydantic relies on: a schema may not take them.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any",
        "AwareDatetime",
        "BaseModel",
        "ConfigDict",
        "Enum",
        "Field",
        "IntEnum",
        "Literal",
        "NaiveDatetime",
        "Optional",
        "RootModel",
        "StrEnum",
        "Union",
        "TYPE_CHECKING",
        "Annotated",
        "UUID",
        "Decimal",
        "date",
        "datetime",
        "time",
        "timedelta",
    }
)

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")


def _ascii_words(text: str) -> list[str]:
    """Split any text into ASCII alphanumeric words; accents are folded, other scripts dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    spaced = _WORD_BOUNDARY.sub(" ", folded)
    return [w for w in _NON_WORD.split(spaced) if w]


def snake_case(text: str, *, fallback: str = "value") -> str:
    """`getSignedURL`, `get-signed-url`, `Get Signed Url` → `get_signed_url`; never a keyword."""
    words = _ascii_words(text)
    name = "_".join(w.lower() for w in words) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or name in {"self", "cls"}:
        name += "_"
    return name


# Names that generated modules import beside the models (the runtime, the error classes, typing):
# a model of the same name would clash with them there.
_IMPORTED_BESIDE_MODELS = frozenset(
    {
        "ApiConnectionError",
        "ApiError",
        "ApiKeyAuth",
        "ApiTimeoutError",
        "AsyncClientBase",
        "AsyncHttp",
        "AsyncIterator",
        "AuthScheme",
        "BaseUrl",
        "BodyContent",
        "BytesResult",
        "ContentTypeResult",
        "Encoded",
        "Endpoint",
        "FileField",
        "FileInput",
        "HttpAuth",
        "HttpBasicAuth",
        "Iterator",
        "JsonLinesResult",
        "JsonResult",
        "MissingCredentialsError",
        "NoneResult",
        "OAuth2Auth",
        "OMIT",
        "Omit",
        "Part",
        "RawResponse",
        "Request",
        "RequestOptions",
        "ResponseValidationError",
        "ResultKind",
        "Secret",
        "ServerSentEvent",
        "SseResult",
        "StatusResult",
        "Style",
        "Styled",
        "SyncClientBase",
        "SyncHttp",
        "TextResult",
        "TokenRequestError",
        "TooManyRedirectsError",
        "TypeAliasType",
    }
    | {
        name if name.endswith("Error") else name + "Error"
        for name in (
            "".join(w[:1].upper() + w[1:] for w in _ascii_words(s.phrase)) for s in http.HTTPStatus
        )
    }
)
# The error class of a status HTTP does not name (api/responses.py): `Status599Error`.
_STATUS_ERROR = re.compile(r"Status[0-9]+Error")


def client_class_names(group_stems: Iterable[str], clients: Iterable[str]) -> frozenset[str]:
    """The classes the client modules define, which import the models beside them: the client
    classes and the environment enum (`clients`, from the configuration), and for each group
    stem (`Users`; "" for the client itself) its client, raw and streaming classes, sync and
    async (`UsersClient`, `AsyncRawUsersClient`, ...)."""
    names = set(clients)
    for stem in {"", *group_stems}:
        for prefix in ("", "Async"):
            for kind in ("Raw", "Streaming") if stem == "" else ("", "Raw", "Streaming"):
                names.add(f"{prefix}{kind}{stem}Client")
    return frozenset(names)


def class_name(text: str, *, fallback: str = "Model") -> str:
    """`type_:HTTPValidationError` → `HTTPValidationError`; `Body_create_post` → `BodyCreatePost`."""
    words = _ascii_words(text)
    name = "".join(w[:1].upper() + w[1:] for w in words) or fallback
    if name[0].isdigit():
        name = fallback + name
    if (
        keyword.iskeyword(name)
        or name in RESERVED_CLASS_NAMES
        or name in _IMPORTED_BESIDE_MODELS
        or _STATUS_ERROR.fullmatch(name)
    ):
        name += "Model"
    return name


def constant_name(text: str, *, fallback: str = "VALUE") -> str:
    """`Production US` → `PRODUCTION_US`."""
    return snake_case(text, fallback=fallback.lower()).rstrip("_").upper() or fallback


def unique_names(names: Iterable[str], *, taken: Iterable[str] = (), sep: str = "_") -> list[str]:
    """Stable de-duplication: the first keeps its name, later ones get _2, _3, ... in order."""
    used = set(taken)
    out = []
    for name in names:
        candidate, index = name, 2
        while candidate in used:
            candidate = f"{name}{sep}{index}"
            index += 1
        used.add(candidate)
        out.append(candidate)
    return out
