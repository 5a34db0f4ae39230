"""Said: datamodel-code-generator's own warnings, caught and placed in the spec like ours."""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from ..diagnostics import escape_pointer
from .document import SCHEMA_KEYS, SCHEMA_LIST_KEYS, SCHEMA_MAP_KEYS, origin_of

__all__ = ["attach", "capture", "detach", "place"]

T = TypeVar("T")

# A line of what it said, put before its module so that the cache keeps both together.
_PREFIX = "#! datamodel-code-generator said: "
_QUOTED = r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_UNKNOWN_FORMAT = re.compile(rf"format of {_QUOTED} not understood for {_QUOTED}")
# A place in the model document, as its messages name one ("<document>#/components/...").
_PLACE = re.compile(r"#(/components/schemas/[^\s'\",;:()]+)")


def capture(call: Callable[[], T]) -> tuple[T, list[str]]:
    """call()'s result and the messages of the UserWarnings it raised, in order, each once.

    Every warning is recorded, whatever the filters and however often it was raised before in
    this process (a warning shown once per place would be missing from a second generation);
    one that is not a UserWarning (a deprecation inside the library) is passed on as raised.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    said: list[str] = []
    for record in caught:
        if issubclass(record.category, UserWarning):
            message = str(record.message)
            if message not in said:
                said.append(message)
        else:
            warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)
    return result, said


def attach(code: str, said: list[str]) -> str:
    """The module with what was said before it, as comment lines."""
    return "".join(f"{_PREFIX}{json.dumps(message)}\n" for message in said) + code


def detach(code: str) -> tuple[str, list[str]]:
    """attach reversed: (the module, what was said)."""
    said: list[str] = []
    while code.startswith(_PREFIX):
        line, _, code = code.partition("\n")
        said.append(json.loads(line[len(_PREFIX) :]))
    return code, said


def place(said: list[str], model_document: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    """(JSON pointer into the spec, message) for each message; the pointer None when unknown.

    An unknown format is placed at every schema with that type and format; a message naming a
    place in the model document, there; the others name no place.
    """
    placed: list[tuple[str | None, str]] = []
    for message in said:
        unknown = _UNKNOWN_FORMAT.search(message)
        if unknown:
            format_, type_ = (ast.literal_eval(group) for group in unknown.groups())
            where = sorted(
                {origin for origin in _with_format(model_document, format_, type_) if origin}
            )
            text = (
                f"format {format_!r} is not one the model generator knows for type {type_!r}: "
                f"typed as a plain {type_}"
            )
            placed += [(pointer, text) for pointer in where] or [(None, text)]
            continue
        named = _PLACE.search(message)
        pointer = origin_of(model_document, named.group(1)) if named else None
        placed.append((pointer, f"the model generator warns: {message}"))
    return placed


def _with_format(model_document: Mapping[str, Any], format_: str, type_: str) -> Iterator[str]:
    """Where each schema of that type and format is in the spec, when known."""
    schemas = (model_document.get("components") or {}).get("schemas") or {}
    for cls, schema in schemas.items():
        for at, node in _schemas_in(schema, f"/components/schemas/{escape_pointer(cls)}"):
            types = node.get("type")
            if node.get("format") == format_ and (
                types == type_ or (isinstance(types, list) and type_ in types)
            ):
                origin = origin_of(model_document, at)
                if origin is not None:
                    yield origin


def _schemas_in(schema: Any, at: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every schema object in a schema tree, with its pointer."""
    stack: list[tuple[str, Any]] = [(at, schema)]
    while stack:
        at, node = stack.pop()
        if isinstance(node, list):
            stack += [(f"{at}/{i}", item) for i, item in enumerate(node)]
            continue
        if not isinstance(node, Mapping):
            continue
        yield at, node
        for key, value in node.items():
            if key in SCHEMA_KEYS or key in SCHEMA_LIST_KEYS:
                stack.append((f"{at}/{key}", value))
            elif key in SCHEMA_MAP_KEYS and isinstance(value, Mapping):
                stack += [(f"{at}/{key}/{escape_pointer(k)}", v) for k, v in value.items()]
