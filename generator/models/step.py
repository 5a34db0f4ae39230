"""Models step: datamodel-code-generator's module split into model modules, as a worker runs it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import modules as models
from . import said
from .document import document_warnings

__all__ = ["IMPORTS", "run"]

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
