"""Models by closure: after a spec update, datamodel-code-generator runs on what the change reaches.

A `Snapshot` records what one models step saw (a digest of each schema and description, the rest
of the model document) and what datamodel-code-generator made of it beyond the model set (the
names it made up, its imports, whether it warned). Given the next model document, `plan` finds
the schemas that changed, everything that refers to them (their module's text may change with
them) and what those refer to (needed to resolve their references): a smaller document.
`merge` takes the changed modules from the run over that document and every other module from
the previous model set.

The result must be what one run over the whole document gives. Where that cannot be shown from
what is known, `plan` or `merge` gives None and the caller runs the whole document:
- the document apart from its schemas changed (field aliases, version), or either run warned;
- a module of the new run holds a name datamodel-code-generator made up (its number depends on
  every name of a whole run), or a kept one does whose stem the change also makes up;
- a reference cycle of the new run is new, or lists its classes in another order;
- a module name is not its first class's (de-duplicated: it depends on every other module);
- imports are renamed (`as`), which datamodel-code-generator decides for a whole module.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..api import snake_case, unique_names
from .claims import claims
from .document import ORIGINS_KEY, WARNINGS_KEY
from .modules import ModelModule, ModelSet
from .openness import UnionUse

__all__ = ["Plan", "Snapshot", "merge", "plan", "snapshot"]

_SCHEMA_REF = "#/components/schemas/"
_IMPORT = re.compile(r"^(?:from|import) .*$", re.MULTILINE)
_UNKNOWN_NAME = re.compile(r"\bUnknown\w+")
_DESCRIBED_BY = re.compile(r'"""An? (\w+)[. ]')
# Above this share of the schemas, a run over the smaller document saves too little.
MAX_SHARE = 0.6


@dataclass(frozen=True)
class Snapshot:
    """What one models step saw and made, to regenerate the next document by its difference."""

    rest: str
    schemas: Mapping[str, str]
    described: Mapping[str, str]
    # The names datamodel-code-generator made up, each with the schemas that claim it (claims.py).
    made_up: tuple[tuple[str, tuple[str, ...]], ...]
    imports: tuple[str, ...]
    quiet: bool
    # How many schemas datamodel-code-generator ran on to make it (all, or what a change reached).
    ran: int = 0

    def dumps(self) -> str:
        return json.dumps(
            [
                self.rest,
                self.schemas,
                self.described,
                self.made_up,
                self.imports,
                self.quiet,
                self.ran,
            ]
        )

    @classmethod
    def loads(cls, text: str) -> Snapshot | None:
        try:
            rest, schemas, described, made_up, imports, quiet, ran = json.loads(text)
            return cls(
                rest,
                schemas,
                described,
                tuple((name, tuple(by)) for name, by in made_up),
                tuple(imports),
                bool(quiet),
                int(ran),
            )
        except (ValueError, TypeError):
            return None


@dataclass(frozen=True)
class Plan:
    """The smaller document and what of its result replaces the previous model set."""

    document: dict[str, Any]
    # The classes whose modules come from the new run; the rest keep theirs.
    affected: frozenset[str]
    removed: frozenset[str]
    added: frozenset[str]
    every: frozenset[str]


def snapshot(
    model_document: Mapping[str, Any],
    described: Mapping[str, str],
    code: str,
    quiet: bool,
    previous: Snapshot | None = None,
    ran: int | None = None,
    affected: frozenset[str] = frozenset(),
    claimed: Mapping[str, tuple[str, ...]] | None = None,
) -> Snapshot:
    """The snapshot of a models step whose datamodel-code-generator module is `code`; of a merged
    one (`previous` given, `code` the run over the `affected` classes, its made-up names
    `claimed`), the previous made-up names (those a changed or removed schema claims now
    claimed by no one known), the new run's that the affected classes claim, and the imports of
    both runs: more than a whole run would have, which only makes the next merge more cautious."""
    schemas = _schemas(model_document)
    names = list((claims(code, schemas.keys()) if claimed is None else claimed).items())
    imports = _IMPORT.findall(code)
    ran = len(schemas) if ran is None else ran
    if previous is not None:
        stay = schemas.keys() - affected
        names = [
            *((n, by if set(by) <= stay else ()) for n, by in previous.made_up),
            *((n, by) for n, by in names if not by or set(by) & affected),
        ]
        imports = sorted({*imports, *previous.imports})
    return Snapshot(
        _rest_digest(model_document),
        {name: _digest(schema) for name, schema in _schemas(model_document).items()},
        {name: _digest(text) for name, text in described.items()},
        tuple(names),
        tuple(imports),
        quiet,
        ran,
    )


def plan(
    previous: Snapshot, model_document: Mapping[str, Any], described: Mapping[str, str]
) -> Plan | None:
    """The smaller document to run for `model_document`, or None when it must run whole."""
    if not previous.quiet or previous.rest != _rest_digest(model_document):
        return None
    schemas = _schemas(model_document)
    removed = frozenset(previous.schemas.keys() - schemas.keys())
    changed = {
        name
        for name, schema in schemas.items()
        if previous.schemas.get(name) != _digest(schema)
        or previous.described.get(name) != _optional_digest(described.get(name))
    }
    refers = {name: _refs(schema) for name, schema in schemas.items()}
    changed |= {name for name, refs in refers.items() if refs & removed}
    if not changed and not removed:
        return None
    referrers: dict[str, set[str]] = {}
    for name, refs in refers.items():
        for target in refs:
            referrers.setdefault(target, set()).add(name)
    affected = _reach(changed, referrers)
    needed = _reach(affected, refers)
    if len(needed) > MAX_SHARE * len(schemas):
        return None
    smaller = {name: schema for name, schema in schemas.items() if name in needed}
    document = {
        **{k: v for k, v in model_document.items() if k not in (ORIGINS_KEY, WARNINGS_KEY)},
        "components": {**model_document["components"], "schemas": smaller},
    }
    added = frozenset(schemas.keys() - previous.schemas.keys())
    return Plan(document, frozenset(affected), removed, added, frozenset(schemas))


def merge(
    chosen: Plan,
    previous: Snapshot,
    before: ModelSet,
    after: ModelSet,
    code: str,
    claimed: Mapping[str, tuple[str, ...]],
    quiet: bool,
) -> ModelSet | None:
    """The model set of the whole document: `after`'s modules (of the smaller run, whose module
    is `code` and whose made-up names are `claimed`) for the affected classes, `before`'s for
    the rest; None when that is not shown to be what one whole run gives."""
    if not quiet or any(" as " in line for line in (*previous.imports, *_IMPORT.findall(code))):
        return None
    gone = chosen.affected | chosen.removed
    taken = [m for m in after.modules if set(m.names) & chosen.affected]
    kept = [m for m in before.modules if not set(m.names) & gone and not _is_unknown(m)]
    if not _made_alike(
        chosen,
        previous,
        before,
        after,
        claimed,
        taken,
        kept,
    ):
        return None
    unions = (
        *(u for u in before.unions if u[0] not in gone),
        *(u for u in after.unions if u[0] in chosen.affected),
    )
    if _shared(before.unions) != _shared(unions):
        return None  # an Unknown class of a kept module would be named otherwise
    unknown = _unknown_modules(before, after, [*taken, *kept], gone)
    if unknown is None:
        return None
    modules = sorted((*taken, *kept, *unknown), key=lambda m: m.name)
    module_of = {name: m.name for m in modules for name in m.names}
    if len({m.name for m in modules}) != len(modules) or not chosen.every <= module_of.keys():
        return None
    return canonical(ModelSet(tuple(modules), module_of, (), unions))


def _made_alike(
    chosen: Plan,
    previous: Snapshot,
    before: ModelSet,
    after: ModelSet,
    new_names: Mapping[str, tuple[str, ...]],
    taken: list[ModelModule],
    kept: list[ModelModule],
) -> bool:
    """Whether the new run's modules and the kept ones have the names and order of a whole run."""
    if any(not set(m.names) <= chosen.affected or set(m.names) & new_names.keys() for m in taken):
        return False
    # A made-up name is numbered among all names of its stem, and made once for identical
    # inline schemas: a kept one is what a whole run makes when no changed, added or removed
    # schema claims a name of its stem, before or after, and every claimant is known.
    gone = chosen.affected | chosen.removed
    stems = {_stem(n) for n in (*chosen.added, *chosen.removed)}
    stems |= {_stem(n) for n, by in previous.made_up if not by or set(by) & gone}
    stems |= {_stem(n) for n, by in new_names.items() if not by or set(by) & chosen.affected}
    made_up = {n for n, _ in previous.made_up}
    if any(n in made_up and _stem(n) in stems for m in kept for n in m.names):
        return False
    groups_before = {frozenset(m.names): m.names for m in before.modules if len(m.names) > 1}
    for module in after.modules:
        if len(module.names) > 1 and groups_before.get(frozenset(module.names)) != module.names:
            return False
    for module in (*taken, *kept):
        alone = unique_names([snake_case(module.names[0], fallback="model")], taken={"__init__"})
        if module.name != alone[0]:
            return False
    return all(
        before.module_of.get(name) == module_name
        for module in after.modules
        if module not in taken and not _is_unknown(module)
        for name, module_name in ((n, module.name) for n in module.names)
    )


def _unknown_modules(
    before: ModelSet, after: ModelSet, modules: list[ModelModule], gone: frozenset[str]
) -> list[ModelModule] | None:
    """The Unknown classes (openness.py) the modules use: the new run's, made with the unions
    of the whole document, else the kept one when no class it describes itself by has gone."""
    made = {m.names[0]: m for m in after.modules if _is_unknown(m)}
    had = {m.names[0]: m for m in before.modules if _is_unknown(m)}
    used = set(_UNKNOWN_NAME.findall("\n".join(m.source for m in modules)))
    found = []
    for name in sorted(used & (made.keys() | had.keys())):
        module = made.get(name) or had[name]
        described = _DESCRIBED_BY.search(module.source)
        if module is not made.get(name) and (described is None or described[1] in gone):
            return None
        found.append(module)
    return found


def _is_unknown(module: ModelModule) -> bool:
    return len(module.names) == 1 and f"class {module.names[0]}(UnknownVariant):" in module.source


def _shared(unions: Iterable[UnionUse]) -> set[str]:
    """The field names whose unions differ (their Unknown classes are named with the class)."""
    members: dict[str, set[tuple[str, ...]]] = {}
    for _, field, union in unions:
        if field is not None:
            members.setdefault(field, set()).add(union)
    return {field for field, found in members.items() if len(found) > 1}


def canonical(model_set: ModelSet) -> ModelSet:
    """The model set in one order whatever run made it: modules and classes by name."""
    return replace(
        model_set,
        modules=tuple(sorted(model_set.modules, key=lambda m: m.name)),
        module_of=dict(sorted(model_set.module_of.items())),
    )


def _reach(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    seen = set(start)
    stack = list(seen)
    while stack:
        for following in edges.get(stack.pop(), ()):
            if following not in seen:
                seen.add(following)
                stack.append(following)
    return seen


def _refs(node: Any) -> set[str]:
    """The schemas a schema refers to (by `#/components/schemas/<name>`)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
                found.add(ref[len(_SCHEMA_REF) :])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _schemas(model_document: Mapping[str, Any]) -> Mapping[str, Any]:
    schemas: Mapping[str, Any] = model_document["components"]["schemas"]
    return schemas


def _rest_digest(model_document: Mapping[str, Any]) -> str:
    rest = {
        k: v
        for k, v in model_document.items()
        if k not in ("components", ORIGINS_KEY, WARNINGS_KEY)
    }
    others = {k: v for k, v in model_document["components"].items() if k != "schemas"}
    return _digest([rest, others])


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value).encode("utf-8", "surrogatepass")).hexdigest()


def _optional_digest(value: str | None) -> str | None:
    return None if value is None else _digest(value)


def _stem(name: str) -> str:
    return name.rstrip("0123456789")
