"""Models step: datamodel-code-generator's module split into model modules, as a worker runs it."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from . import modules as models
from . import said
from .document import document_warnings

__all__ = ["IMPORTS", "dumps", "loads", "run"]

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
    code: str | None, model_document: dict[str, Any], expected: list[str], described: dict[str, str]
) -> tuple[str, models.ModelSet, list[str]]:
    """datamodel-code-generator's module (unless given), split into our model modules.

    The model set carries the warnings: the keys dcg_input dropped, what datamodel-code-generator
    said (kept with its module, so also when the module comes from the cache).
    """
    if code is None:
        code = models.run_dcg(model_document)
    module, messages = said.detach(code)
    model_set, missing = models.build_models(module, expected, described)
    found = document_warnings(model_document) + said.place(messages, model_document)
    return code, replace(model_set, warnings=tuple(found)), missing


def dumps(model_set: models.ModelSet, missing: list[str]) -> str:
    """What run() gave (without datamodel-code-generator's module) as JSON, for the cache."""
    return json.dumps(
        {
            "modules": [[m.name, list(m.names), m.source, m.ready] for m in model_set.modules],
            "module_of": list(model_set.module_of.items()),
            "warnings": [list(w) for w in model_set.warnings],
            "missing": missing,
        }
    )


def loads(text: str) -> tuple[None, models.ModelSet, list[str]]:
    """run()'s result from what dumps() wrote; no module of datamodel-code-generator's."""
    data = json.loads(text)
    modules = tuple(
        models.ModelModule(name, tuple(names), source, ready)
        for name, names, source, ready in data["modules"]
    )
    warnings = tuple((pointer, message) for pointer, message in data["warnings"])
    module_of = {name: module for name, module in data["module_of"]}
    return None, models.ModelSet(modules, module_of, warnings), list(data["missing"])
