"""Models step: datamodel-code-generator's module split into model modules, as a worker runs it."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from . import closure, said
from . import modules as models
from .claims import claims
from .document import document_warnings
from .openness import NamedByOrder

__all__ = ["IMPORTS", "Previous", "dumps", "loads", "run"]

# The previous generation's models step: what it saw and the model set it made.
Previous = tuple[closure.Snapshot, models.ModelSet]

# What run() imports, given to a worker forked before the spec is read (forked.Worker): about a
# third of a second of datamodel-code-generator and pydantic that overlaps the steps before.
IMPORTS = (
    "generator.models.modules",
    "datamodel_code_generator",
    "datamodel_code_generator.config",
    "datamodel_code_generator.enums",
    "datamodel_code_generator.format",
    "datamodel_code_generator.model.pydantic_v2",
    "datamodel_code_generator.model._compiled_templates.registry",
    "datamodel_code_generator.parser",
    "datamodel_code_generator.parser.openapi",
)


def run(
    code: str | None,
    model_document: dict[str, Any],
    expected: list[str],
    described: dict[str, str],
    previous: Previous | None = None,
) -> tuple[str | None, models.ModelSet, list[str], closure.Snapshot]:
    """datamodel-code-generator's module (unless given), split into our model modules.

    The model set carries the warnings: the keys dcg_input dropped, what datamodel-code-generator
    said (kept with its module, so also when the module comes from the cache). Given the
    previous generation's step, only what the spec's changes reach is run again when the result
    is shown to be the same (closure.py); the module is then None: there is none of the whole.
    """
    if code is None and previous is not None:
        by_closure = _by_closure(model_document, expected, described, *previous)
        if by_closure is not None:
            return by_closure
    if code is None:
        code = models.run_dcg(model_document)
    module, messages = said.detach(code)
    model_set, missing = models.build_models(module, expected, described)
    found = document_warnings(model_document) + said.place(messages, model_document)
    made = closure.snapshot(model_document, described, module, quiet=not messages)
    return code, replace(closure.canonical(model_set), warnings=tuple(found)), missing, made


def _by_closure(
    model_document: dict[str, Any],
    expected: list[str],
    described: dict[str, str],
    before: closure.Snapshot,
    models_before: models.ModelSet,
) -> tuple[None, models.ModelSet, list[str], closure.Snapshot] | None:
    chosen = closure.plan(before, model_document, described)
    if chosen is None or models_before.numbered:
        return None
    smaller = chosen.document["components"]["schemas"]
    module, messages = said.detach(models.run_dcg(chosen.document))
    gone = chosen.affected | chosen.removed
    around = [u for u in models_before.unions if u[0] not in gone]
    try:
        after, missing = models.build_models(
            module, [e for e in expected if e in smaller], described, expected, around
        )
    except NamedByOrder:
        return None
    if missing:
        return None
    claimed = claims(module, smaller)
    merged = closure.merge(
        chosen, before, models_before, after, module, claimed, quiet=not messages
    )
    if merged is None:
        return None
    made = closure.snapshot(
        model_document,
        described,
        module,
        quiet=True,
        previous=before,
        ran=len(smaller),
        affected=chosen.affected,
        claimed=claimed,
    )
    return None, replace(merged, warnings=tuple(document_warnings(model_document))), [], made


def dumps(model_set: models.ModelSet, missing: list[str], made: closure.Snapshot) -> str:
    """What run() gave (without datamodel-code-generator's module) as JSON, for the cache."""
    return json.dumps(
        {
            "modules": [[m.name, list(m.names), m.source, m.ready] for m in model_set.modules],
            "module_of": list(model_set.module_of.items()),
            "warnings": [list(w) for w in model_set.warnings],
            "missing": missing,
            "unions": [[owner, field, list(members)] for owner, field, members in model_set.unions],
            "numbered": model_set.numbered,
            "snapshot": made.dumps(),
        }
    )


def loads(text: str) -> tuple[None, models.ModelSet, list[str], closure.Snapshot | None]:
    """run()'s result from what dumps() wrote; no module of datamodel-code-generator's."""
    data = json.loads(text)
    modules = tuple(
        models.ModelModule(name, tuple(names), source, ready)
        for name, names, source, ready in data["modules"]
    )
    warnings = tuple((pointer, message) for pointer, message in data["warnings"])
    module_of = {name: module for name, module in data["module_of"]}
    unions = tuple((owner, field, tuple(members)) for owner, field, members in data["unions"])
    model_set = models.ModelSet(modules, module_of, warnings, unions, data["numbered"])
    made = closure.Snapshot.loads(data["snapshot"])
    return None, model_set, list(data["missing"]), made
