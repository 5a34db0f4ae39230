"""Validate: OpenAPI version, $ref safety and resolution, then openapi-spec-validator (3.0 and 3.1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .diagnostics import join_pointer
from .load import SpecSource

__all__ = ["MAX_REPORTED", "resolve_pointer", "validate"]

MAX_REPORTED = 50


def validate(source: SpecSource, document: dict[str, Any]) -> list[tuple[str | None, str]]:
    """Return (pointer, message) problems; empty when the document is valid OpenAPI 3.0/3.1."""
    version_problem = _check_version(document)
    if version_problem is not None:
        return [version_problem]
    ref_problems = list(_check_refs(document))
    if ref_problems:
        # The validator follows $refs itself: never hand it one that is remote or dangling.
        return ref_problems[:MAX_REPORTED]
    return _run_validator(document)


def _check_version(document: dict[str, Any]) -> tuple[str | None, str] | None:
    if "swagger" in document:
        return (
            "/swagger",
            f"Swagger/OpenAPI {document['swagger']} is not supported; convert it to OpenAPI 3 first,"
            " e.g. `npx swagger2openapi spec.yaml -o openapi.yaml`",
        )
    version = document.get("openapi")
    if not isinstance(version, str):
        return ("", "not an OpenAPI document: the 'openapi' version field is missing")
    if not (version.startswith("3.0.") or version.startswith("3.1.")):
        return ("/openapi", f"OpenAPI version {version!r} is not supported (3.0.x and 3.1.x are)")
    return None


def _check_refs(document: dict[str, Any]) -> Iterator[tuple[str | None, str]]:
    for pointer, ref in _iter_refs(document, ""):
        where = pointer + "/$ref"
        if not isinstance(ref, str):
            yield where, "$ref must be a string"
        elif not ref.startswith("#"):
            kind = "remote" if "://" in ref or ref.startswith("//") else "external file"
            yield where, (
                f"{kind} $ref {ref!r} refused: only references inside the document (#/...) are followed"
            )
        elif resolve_pointer(document, ref[1:]) is _MISSING:
            yield where, f"$ref {ref!r} does not resolve to anything in the document"


def _iter_refs(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        current, at = stack.pop()
        if isinstance(current, dict):
            if "$ref" in current:
                yield at, current["$ref"]
            for key in reversed(list(current)):
                if key != "$ref":
                    stack.append((current[key], at + join_pointer(key)))
        elif isinstance(current, list):
            for index in reversed(range(len(current))):
                stack.append((current[index], f"{at}/{index}"))


class _Missing:
    pass


_MISSING: Any = _Missing()


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Follow a JSON pointer ('' or '/a/b'); return the module's _MISSING sentinel when absent."""
    from urllib.parse import unquote

    node = document
    if pointer in ("", "/"):
        return node
    if not pointer.startswith("/"):
        return _MISSING
    for raw in pointer[1:].split("/"):
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


def _run_validator(document: dict[str, Any]) -> list[tuple[str | None, str]]:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    validator_class: Any = (
        OpenAPIV30SpecValidator if str(document["openapi"]).startswith("3.0.") else OpenAPIV31SpecValidator
    )
    problems: list[tuple[str | None, str]] = []
    try:
        for error in validator_class(document).iter_errors():
            path = list(getattr(error, "absolute_path", []) or [])
            problems.append((join_pointer(*path), str(getattr(error, "message", error))))
            if len(problems) >= MAX_REPORTED:
                break
    except Exception as exc:  # noqa: BLE001 - the validator's internal failures become diagnostics
        problems.append((None, f"the OpenAPI validator could not check this document: {exc}"))
    return problems
