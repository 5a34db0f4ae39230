"""Pieces: openapi-spec-validator's verdict on a document from its pieces, each kept by content.

A document is cut into pieces: the top level (everything but the path items and the
components), each path item, and each component. openapi-spec-validator checks a document in
two ways, both of which look at one piece at a time:

- against the OpenAPI schema (JSON Schema): the path items and the components are values of
  maps whose keys are checked one by one (patternProperties, additionalProperties,
  propertyNames), and the document's own `$ref`s are not followed: the top level with `paths`
  and `components` emptied, plus one piece put back, is valid exactly when both are;
- by its keyword validators: each path item is walked (parameters, operations, responses, the
  schemas in them, following `$ref`s), then each component schema; a walk that starts at one
  piece with nothing visited yet does every check the document's walk does there, and more.

So when every piece, validated on its own (the top level with it, and its walk from a fresh
start), gives no error, the document's validation gives none. A piece found valid is noted in
the cache under a key holding its text, the text of every piece its `$ref`s reach (through
each other: the walk and the default values follow them), the document's version and dialect,
and the code and versions of the validator: a regeneration validates only the pieces that
changed or reach one that did. Whenever a piece gives an error, or the document cannot be cut
(non-local `$ref`s, `$id` and anchors, values that are not JSON), the whole document is
validated as before: its problems, their order and their locations never come from pieces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from ..cache import Cache, content_key

__all__ = ["Checker", "Facts", "PieceKey", "all_valid", "skeleton"]

NAMESPACE = "valid-piece"

# (kind, name...): ("top",), ("paths", url), ("components", kind, name).
PieceKey = tuple[str, ...]
# Keys under which a $ref may resolve elsewhere than its pointer says, or not in this document:
# such a document is validated whole.
_UNSPLITTABLE_KEYS = frozenset({"$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveRef"})


class Facts:
    """Where the pieces found valid are noted: a cache, and what every key holds besides the piece
    (the validator's code and versions, as the caller computed them)."""

    def __init__(self, store: Cache, validator: str) -> None:
        self.store = store
        self.validator = validator


class Checker(Protocol):
    """openapi-spec-validator on pieces: True when it finds anything."""

    def schema_errors(self, document: dict[str, Any], pieces: list[PieceKey]) -> bool:
        """Against the OpenAPI schema: the top level with these pieces (skeleton())."""
        ...

    def walk_errors(self, document: dict[str, Any], piece: PieceKey) -> bool:
        """The keyword validators' walk of one piece, from a fresh start."""
        ...


def all_valid(document: dict[str, Any], facts: Facts, checker: Checker) -> bool:
    """True when every piece is noted valid or found valid now; False as soon as one is not.

    False too when the document cannot be cut into pieces. The pieces not noted valid are
    checked against the OpenAPI schema together (a valid document of them all says each is
    valid), then walked one by one.
    """
    keyed = _keys(document, facts.validator)
    if keyed is None:
        return False
    unknown = [(piece, key) for piece, key in keyed if facts.store.get(NAMESPACE, key) is None]
    if not unknown:
        return True
    if checker.schema_errors(document, [piece for piece, _ in unknown]):
        return False
    for piece, key in unknown:
        if checker.walk_errors(document, piece):
            return False
        facts.store.put(NAMESPACE, key, "valid")
    return True


def skeleton(document: dict[str, Any], pieces: list[PieceKey]) -> dict[str, Any]:
    """The document with its path items and components left out, but for `pieces`."""
    top = dict(document)
    if "paths" in top:
        top["paths"] = {}
    if "components" in top:
        top["components"] = {}
    for piece in pieces:
        if piece[0] == "paths":
            top["paths"][piece[1]] = document["paths"][piece[1]]
        elif piece[0] == "components":
            kind = top["components"].setdefault(piece[1], {})
            kind[piece[2]] = document["components"][piece[1]][piece[2]]
    return top


def pieces(document: dict[str, Any]) -> Iterator[tuple[PieceKey, Any]]:
    """Every piece and its value, the top level (without paths and components) first."""
    yield ("top",), {k: v for k, v in document.items() if k not in ("paths", "components")}
    for url, item in document.get("paths", {}).items():
        yield ("paths", url), item
    for kind, members in document.get("components", {}).items():
        for name, value in members.items():
            yield ("components", kind, name), value


def _keys(document: dict[str, Any], validator: str) -> list[tuple[PieceKey, str]] | None:
    """Each piece with its cache key; None when the document cannot be cut into pieces."""
    paths = document.get("paths", {})
    components = document.get("components", {})
    if not isinstance(paths, dict) or not isinstance(components, dict):
        return None
    if not all(isinstance(m, dict) for m in components.values()):
        return None
    context = json.dumps([validator, document.get("openapi"), document.get("jsonSchemaDialect")])
    texts: dict[PieceKey, str] = {}
    refs: dict[PieceKey, set[PieceKey]] = {}
    try:
        for piece, value in pieces(document):
            texts[piece] = json.dumps([list(piece), value], allow_nan=False)
            found = _refs(value, paths, components)
            if found is None:
                return None
            refs[piece] = found - {piece}
    except (TypeError, ValueError, RecursionError):
        return None
    reach = _reach_digests(list(texts), refs, texts)
    return [(piece, content_key(NAMESPACE, context, texts[piece], reach[piece])) for piece in texts]


def _refs(value: Any, paths: dict[str, Any], components: dict[str, Any]) -> set[PieceKey] | None:
    """The pieces the `$ref`s in `value` point into; None for one this module cannot follow."""
    found: set[PieceKey] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if not _UNSPLITTABLE_KEYS.isdisjoint(node):
                return None
            ref = node.get("$ref")
            if ref is not None:
                target = _target(ref, paths, components)
                if target is None:
                    return None
                found.add(target)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _target(ref: Any, paths: dict[str, Any], components: dict[str, Any]) -> PieceKey | None:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in ref[2:].split("/")]
    if "%" in ref:
        return None  # percent-encoded pointers: left to the whole document's validation
    if tokens[0] == "paths" and len(tokens) > 1 and tokens[1] in paths:
        return ("paths", tokens[1])
    if (
        tokens[0] == "components"
        and len(tokens) > 2
        and tokens[1] in components
        and tokens[2] in components[tokens[1]]
    ):
        return ("components", tokens[1], tokens[2])
    if tokens[0] in ("paths", "components"):
        return None  # dangling, or a whole map: not a piece
    return ("top",)


def _reach_digests(
    order: list[PieceKey], refs: dict[PieceKey, set[PieceKey]], texts: dict[PieceKey, str]
) -> dict[PieceKey, str]:
    """For each piece, a digest of the text of every piece its `$ref`s reach, itself included.

    Pieces that reach each other (a strongly connected group) share one digest, built from the
    members' texts and the digests of the groups they reach.
    """
    groups = _strongly_connected(order, {p: sorted(refs[p]) for p in order})
    group_of = {member: index for index, group in enumerate(groups) for member in group}
    digests: list[str] = []
    # Tarjan's algorithm gives every group after the groups it reaches.
    for group in groups:
        own = group_of[group[0]]
        reached = sorted(
            {digests[group_of[t]] for member in group for t in refs[member] if group_of[t] != own}
        )
        digests.append(content_key("reach", *sorted(texts[member] for member in group), *reached))
    return {piece: digests[group_of[piece]] for piece in order}


def _strongly_connected(
    order: list[PieceKey], deps: dict[PieceKey, list[PieceKey]]
) -> list[list[PieceKey]]:
    """Tarjan's algorithm, iterative: each group is listed after every group it reaches."""
    index: dict[PieceKey, int] = {}
    low: dict[PieceKey, int] = {}
    on_stack: set[PieceKey] = set()
    stack: list[PieceKey] = []
    groups: list[list[PieceKey]] = []
    for root in order:
        if root in index:
            continue
        work: list[tuple[PieceKey, int]] = [(root, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            children = deps[node]
            if child_index < len(children):
                work.append((node, child_index + 1))
                child = children[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups
