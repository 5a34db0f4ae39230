"""Context: what building the IR carries along (findings, hoisted schemas) and small helpers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic
from ..spec import resolve_pointer
from .ir import (
    Api,
    Credential,
    Location,
    ModelRef,
)
from .naming import class_name, unique_names
from .types import NameEnum, TypeResolver

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Built:
    """The IR plus what building it found: problems and the inline schemas it hoisted."""

    api: Api
    problems: tuple[tuple[str, str], ...]
    # Inline schemas that need a model class: (class name, schema), fed to the model step.
    hoisted: tuple[tuple[str, Any], ...]
    # What the client leaves out or does differently than the spec says: (pointer, message).
    warnings: tuple[tuple[str, str], ...] = ()
    # Diagnostics located in other documents (the AsyncAPI ones): errors and warnings.
    located: tuple[Diagnostic, ...] = ()


@dataclass
class Findings:
    """Problems (the client would be wrong: nothing is generated) and warnings, as they are found."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def error(self, pointer: str, message: str) -> None:
        self.problems.append((pointer, message))

    # --strict: a defect of the spec the client could work around is refused instead.
    strict: bool = False

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.append((pointer, message))

    def defect(self, pointer: str, message: str) -> None:
        """A defect of the spec worked around as `message` says: an error with --strict."""
        (self.error if self.strict else self.warn)(pointer, message)


class Hoister:
    """Gives complex inline schemas, and the inline enums of parameters and body fields, a class
    name so that the model step generates them."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.items: list[tuple[str, Any]] = []

    def name_for(self, stem: str, schema: Any) -> ModelRef:
        name = unique_names([class_name(stem)], taken=self.taken, sep="")[0]
        self.taken.add(name)
        self.items.append((name, schema))
        return ModelRef(name)

    def enums(self, stem: str) -> NameEnum:
        """Names each inline enum of one parameter or field after it and its operation (`stem`):
        a model alias (the Literal), so that signatures and docstrings say its values once."""
        return lambda schema: self.name_for(stem, schema)


@dataclass
class Context:
    """What building one operation needs besides the operation itself."""

    document: Mapping[str, Any]
    config: Config
    resolver: TypeResolver
    hoister: Hoister
    found: Findings
    credential: Credential | None


def deref(document: Mapping[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 16:
        node = resolve_pointer(document, node["$ref"][1:])
        seen += 1
    return node


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


def needs_class(schema: Any) -> bool:
    """An inline schema with structure of its own (not a $ref, scalar, or array of those)."""
    if not isinstance(schema, Mapping) or "$ref" in schema:
        return False
    if schema.get("properties") or "allOf" in schema:
        return True
    if "discriminator" in schema and (schema.get("oneOf") or schema.get("anyOf")):
        return True  # a tagged union: a model alias keeps the discriminator
    if schema.get("type") == "array":
        return needs_class(schema.get("items"))
    return any(needs_class(o) for key in ("oneOf", "anyOf") for o in schema.get(key) or [])


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


LOCATIONS: tuple[Location, ...] = ("path", "query", "header", "cookie")
