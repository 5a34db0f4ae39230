"""Forward-compatible models: what a response may hold that the spec did not list.

An API grows between the spec a client was generated from and the answers it gets. The
generated models take what grew, instead of failing:

- `OpenModel`, the base of every generated model, keeps fields the spec does not list
  (`extra="allow"`): readable as attributes and in `model_dump()`, and sent back unchanged
  when the model is passed into a request.
- An enum field is typed `Literal["a", "b"] | UnknownStr` (`UnknownInt` for integer enums):
  the known values are the `Literal`, and a value the spec does not list is kept as an
  `UnknownStr`, a `str` holding it as received.
- A union of models is typed `Annotated[A | B | UnknownPet, OpenUnion(...)]`: with a
  discriminator, a tag the union does not know decodes to `UnknownPet` (an `UnknownVariant`
  keeping the data as received, `raw`); without one, the member that fits (pydantic's smart
  union, as before), else `UnknownPet` with the raw value.

    match tool.tool_config:
        case WebhookToolConfig() as webhook: ...
        case UnknownToolConfig() as other: print(other.raw["type"])
    match item.category:
        case "premade" | "cloned": ...
        case UnknownStr() as category: print("a category added since:", category)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Union, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PrivateAttr,
    ValidationError,
    model_serializer,
    model_validator,
)
from pydantic_core import core_schema

__all__ = ["OpenModel", "OpenUnion", "UnknownInt", "UnknownStr", "UnknownVariant"]


class OpenModel(BaseModel):
    """The base of the generated models: fields the spec does not list are kept."""

    model_config = ConfigDict(extra="allow")


class UnknownStr(str):
    """A string enum's value that the spec does not list, as the API sent it.

    It equals and hashes as the plain string (`UnknownStr("new") == "new"`); when sent back
    in a request it is that string.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"UnknownStr({str.__repr__(self)})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls, core_schema.str_schema(strict=True)
        )


class UnknownInt(int):
    """An integer enum's value that the spec does not list, as the API sent it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"UnknownInt({int.__repr__(self)})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls, core_schema.int_schema(strict=True)
        )


class UnknownVariant(BaseModel):
    """A union member the client does not know: `raw` is the value as received.

    A JSON object's keys are also kept as fields (`model_dump()` gives them back); any other
    value is dumped as it came. Each open union names its own subclass (`UnknownPet`).
    """

    model_config = ConfigDict(extra="allow")
    _raw: Any = PrivateAttr(default=None)

    @property
    def raw(self) -> Any:
        """The value as received: a dict for a JSON object, else the JSON value."""
        return self._raw if self._raw is not None else self.model_dump(by_alias=True)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        if isinstance(data, UnknownVariant):
            return data
        made = handler(data if isinstance(data, dict) else {})
        made._raw = data
        return made

    @model_serializer(mode="wrap")
    def _as_received(self, handler: Callable[[Any], Any]) -> Any:
        if self._raw is not None and not isinstance(self._raw, dict):
            return self._raw
        return handler(self)


class OpenUnion:
    """`Annotated` metadata making a union of models open: the last member, an
    `UnknownVariant` subclass, takes what no other member is for.

    `OpenUnion("type")`: by the discriminator property `type`, a tag no member has; data with
    a known tag that does not fit its member is still an error, as is data without a tag.
    `OpenUnion()`: data that fits no other member.
    """

    __slots__ = ("discriminator",)
    unknown_error: ClassVar[str] = "union_tag_invalid"

    def __init__(self, discriminator: str | None = None) -> None:
        self.discriminator = discriminator

    def __repr__(self) -> str:
        return (
            f"OpenUnion({self.discriminator!r})"
            if self.discriminator
            else "OpenUnion()"
        )

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        *known, unknown = get_args(source)
        if not (isinstance(unknown, type) and issubclass(unknown, UnknownVariant)):
            raise TypeError(f"{self!r}: the last member must be an UnknownVariant")
        members: Any = known[0] if len(known) == 1 else Union.__getitem__(tuple(known))
        if self.discriminator is not None:
            members = _annotated(members, self.discriminator)
        inner = handler.generate_schema(members)
        fallback = unknown.model_validate
        discriminated = self.discriminator is not None

        def validate(value: Any, validate_known: Callable[[Any], Any]) -> Any:
            try:
                return validate_known(value)
            except ValidationError as error:
                if discriminated and not _tag_unknown(error):
                    raise
                return fallback(value)

        def serialize(value: Any, serialize_known: Callable[[Any], Any]) -> Any:
            if isinstance(value, UnknownVariant):
                return value.raw
            return serialize_known(value)

        return core_schema.no_info_wrap_validator_function(
            validate,
            inner,
            serialization=core_schema.wrap_serializer_function_ser_schema(
                serialize, schema=inner
            ),
        )


def _annotated(members: Any, discriminator: str) -> Any:
    from typing import Annotated

    return Annotated[members, Field(discriminator=discriminator)]


def _tag_unknown(error: ValidationError) -> bool:
    """The discriminated union found a tag it has no member for (and nothing else)."""
    return any(
        item["type"] == OpenUnion.unknown_error and not item["loc"]
        for item in error.errors(
            include_url=False, include_context=False, include_input=False
        )
    )
