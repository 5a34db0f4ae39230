"""claims: which component schemas claim each name datamodel-code-generator made up, read from its
module (what models by closure decides on when it keeps a module with a made-up name)."""

from __future__ import annotations

from generator.models.claims import claims

_CODE = '''from __future__ import annotations

from pydantic import BaseModel, Field

Prompt = TypeAliasType("Prompt", Annotated[str, Field(..., max_length=10, title='Prompt')])


class Guardrails(BaseModel):
    level: Level | None = None


Level = TypeAliasType("Level", Literal["low", "high"])


class Agent(BaseModel):
    """Mentions Orphan in its docstring only."""

    prompt: Prompt | None = Field(default=None, description="Uses Orphan in a string")
    guardrails: Guardrails | None = None


class Music(BaseModel):
    prompt: Prompt


Orphan = TypeAliasType("Orphan", int)


Agent.model_rebuild()
'''


def test_a_name_one_schema_uses_is_claimed_by_it() -> None:
    assert claims(_CODE, ["Agent", "Music"])["Guardrails"] == ("Agent",)


def test_a_name_reached_through_made_up_definitions_is_claimed_by_the_schema_that_reaches_it() -> (
    None
):
    assert claims(_CODE, ["Agent", "Music"])["Level"] == ("Agent",)


def test_a_definition_shared_by_identical_inline_schemas_is_claimed_by_every_user() -> None:
    assert claims(_CODE, ["Agent", "Music"])["Prompt"] == ("Agent", "Music")


def test_a_name_only_strings_mention_has_no_claimant() -> None:
    assert claims(_CODE, ["Agent", "Music"])["Orphan"] == ()


def test_the_schemas_own_names_are_not_made_up_and_the_order_is_the_modules() -> None:
    assert list(claims(_CODE, ["Agent", "Music"])) == ["Prompt", "Guardrails", "Level", "Orphan"]
