"""Our own checks: what must hold before any later step (openapi-spec-validator included) reads
the document: an OpenAPI 3.x version, `$ref`s that are safe and resolve without a loop, no schema
that contains itself, operations that can be told apart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..diagnostics import join_pointer
from .bundle import MISSING, ref_holders, ref_refusal, resolve_pointer

Problem = tuple[str | None, str]
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MISSING = MISSING

__all__ = ["check_compositions", "check_operations", "check_refs", "check_version"]


def check_version(document: dict[str, Any]) -> Problem | None:
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


def check_refs(document: dict[str, Any]) -> Iterator[Problem]:
    """Each $ref (outside x- extensions) that is not a string, not local, dangling or circular."""
    reported_loops: set[frozenset[str]] = set()
    targets: dict[str, Any] = {}

    def target(ref: str) -> Any:
        if ref not in targets:
            targets[ref] = resolve_pointer(document, ref[1:])
        return targets[ref]

    for pointer, holder in ref_holders(document):
        ref = holder["$ref"]
        where = pointer + "/$ref"
        if not isinstance(ref, str):
            yield where, "$ref must be a string"
        elif not ref.startswith("#"):
            # Files are bundled when the spec is loaded: one left here came from an overlay.
            yield (
                where,
                ref_refusal(ref)
                or (
                    f"file $ref {ref!r} refused here: files are only read for the spec itself;"
                    " overlays may add references inside the document (#/...) only"
                ),
            )
        elif not (ref == "#" or ref.startswith("#/")):
            yield where, f"$ref {ref!r}: only JSON-pointer fragments (#/...) are supported"
        elif target(ref) is MISSING:
            yield where, f"$ref {ref!r} does not resolve to anything in the document"
        else:
            # The holder is where its pointer leads, except where resolve_pointer reads it
            # otherwise: it percent-decodes, and "/" is the whole document to it.
            plain = "%" not in pointer and pointer != "/"
            start = holder if plain else resolve_pointer(document, pointer)
            loop = _ref_loop("#" + pointer, start, target)
            if loop is not None and frozenset(loop) not in reported_loops:
                reported_loops.add(frozenset(loop))
                yield where, f"circular $ref: {' -> '.join(loop)} never reaches a value"


def _ref_loop(start: str, node: Any, target: Callable[[str], Any]) -> list[str] | None:
    """The chain of $refs from `node` (at `start`) when it comes back to it without a value."""
    first = node
    chain = [start]
    while (
        isinstance(node, dict)
        and isinstance(node.get("$ref"), str)
        and node["$ref"].startswith("#")
    ):
        following = node["$ref"]
        node = target(following)
        if node is first:
            return [*chain, following]
        if following in chain or len(chain) > 64:
            return None  # a loop further on: reported where it starts
        chain.append(following)
    return None


def check_compositions(document: dict[str, Any]) -> Iterator[Problem]:
    """A component schema that is one of its own anyOf/oneOf/allOf options has no finite type."""
    schemas = (
        (document.get("components") or {}).get("schemas")
        if isinstance(document.get("components"), dict)
        else None
    )
    if not isinstance(schemas, dict):
        return
    reported: set[frozenset[int]] = set()
    for name, schema in schemas.items():
        loop = _composition_loop(document, schema)
        if loop is not None and frozenset(loop) not in reported:
            reported.add(frozenset(loop))
            yield (
                join_pointer("components", "schemas", name),
                "schema contains itself as an anyOf/oneOf/allOf option (with no object or array in"
                " between), so it has no finite type",
            )


def _composition_loop(document: dict[str, Any], start: Any) -> list[int] | None:
    """ids of the schemas on a path from start back to start through $ref and composition only."""
    stack: list[tuple[Any, list[int]]] = [(start, [])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if not isinstance(node, dict):
            continue
        if path and node is start:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        here = [*path, id(node)]
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            stack.append((resolve_pointer(document, ref[1:]), here))
        for key in ("anyOf", "oneOf", "allOf"):
            options = node.get(key)
            if isinstance(options, list):
                stack.extend((option, here) for option in options)
    return None


def check_operations(document: dict[str, Any]) -> Iterator[Problem]:
    """Operations without responses (3.1 allows them), duplicate operationIds and parameters."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return
    operation_ids: dict[str, str] = {}
    for path, raw_item in paths.items():
        item = _deref(document, raw_item)
        if not isinstance(item, dict):
            continue
        base = join_pointer("paths", path)
        yield from _duplicate_parameters(document, item.get("parameters"), base + "/parameters")
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            at = f"{base}/{method}"
            responses = operation.get("responses")
            if responses is None and str(document.get("openapi")).startswith(
                "3.1."
            ):  # 3.0 requires it
                yield (
                    at,
                    "operation has no responses; document at least one (e.g. '200' or 'default')",
                )
            elif isinstance(responses, dict) and not any(
                not str(k).startswith("x-") for k in responses
            ):
                yield (
                    at + "/responses",
                    "operation has no responses; document at least one (e.g. '200' or 'default')",
                )
            operation_id = operation.get("operationId")
            if isinstance(operation_id, str):
                first = operation_ids.setdefault(operation_id, f"{method.upper()} {path}")
                if first != f"{method.upper()} {path}":
                    yield (
                        at + "/operationId",
                        f"operationId {operation_id!r} is also used by {first}",
                    )
            yield from _duplicate_parameters(
                document, operation.get("parameters"), at + "/parameters"
            )


def _duplicate_parameters(document: dict[str, Any], parameters: Any, at: str) -> Iterator[Problem]:
    if not isinstance(parameters, list):
        return
    seen: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(parameters):
        parameter = _deref(document, raw)
        if not isinstance(parameter, dict):
            continue
        key = (str(parameter.get("name")), str(parameter.get("in")))
        if key in seen:
            yield (
                f"{at}/{index}",
                f"parameter {key[0]!r} in {key[1]} is defined twice in this list"
                f" (first at {at}/{seen[key]})",
            )
        else:
            seen[key] = index


def _deref(document: dict[str, Any], node: Any) -> Any:
    for _ in range(16):
        if not (
            isinstance(node, dict)
            and isinstance(node.get("$ref"), str)
            and node["$ref"].startswith("#")
        ):
            break
        node = resolve_pointer(document, node["$ref"][1:])
    return node
