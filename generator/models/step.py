"""Models step: datamodel-code-generator's module split into model modules, as a worker runs it."""

from __future__ import annotations

from typing import Any

from . import modules as models

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
    """datamodel-code-generator's module (unless given), split into our model modules."""
    if code is None:
        code = models.run_dcg(model_document)
    model_set, missing = models.build_models(code, expected, described)
    return code, model_set, missing
