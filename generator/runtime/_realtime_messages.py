"""What travels on a real-time session: typed server events, unknown ones, required replies.

`MessageDecoder(models)` turns a server frame's JSON object into the model its `type`
names (each model's discriminator field is a `Literal`); a `type` it does not know becomes
an `UnknownMessage` that keeps the raw object. `Reply` declares an automatic reply as
data (`Reply("pong", copy={"event_id": "ping_event.event_id"})`); `encode` makes one JSON
text frame of a model (by alias, unset fields left out, its discriminator always in) or a
plain mapping. This module imports nothing heavy: pydantic comes with the models.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Generic,
    Literal,
    TypeAlias,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from ._realtime_errors import RealtimeMessageError

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "AutoReply",
    "EventT",
    "Message",
    "MessageDecoder",
    "Reply",
    "UnknownMessage",
    "encode",
    "parse_frame",
]

EventT = TypeVar("EventT")

Message: TypeAlias = Union["BaseModel", Mapping[str, Any]]
"""What `send` takes: a pydantic model of a client message, or a plain JSON object."""

_EXCERPT = 200


class UnknownMessage:
    """A server message whose `type` the decoder does not know (None when the object has no
    string `type`): `data` is the whole JSON object, as received.

    >>> UnknownMessage("new_event", {"type": "new_event", "x": 1})
    UnknownMessage(type='new_event', data={'type': 'new_event', 'x': 1})
    """

    __slots__ = ("data", "type")
    __match_args__ = ("type", "data")
    type: str | None
    data: dict[str, Any]

    def __init__(self, type: str | None, data: dict[str, Any]) -> None:
        self.type = type
        self.data = data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UnknownMessage):
            return NotImplemented
        return (self.type, self.data) == (other.type, other.data)

    __hash__ = None  # type: ignore[assignment]  # mutable data: not hashable

    def __repr__(self) -> str:
        data = repr(self.data)
        if len(data) > _EXCERPT:
            data = f"{data[:_EXCERPT]}... ({len(data) - _EXCERPT} more characters)"
        return f"UnknownMessage(type={self.type!r}, data={data})"


def _tags(annotation: Any) -> list[Any]:
    """The values of the Literal types in `annotation` (also inside a union)."""
    args = get_args(annotation)
    if get_origin(annotation) is Literal:
        return list(args)
    return [tag for arg in args for tag in _tags(arg)]


class MessageDecoder(Generic[EventT]):
    """Server frames to typed events: `models` are pydantic models, each with a
    `discriminator` field ("type") annotated with a `Literal` of its tag (or, failing
    that, a string default). A JSON object whose tag names one of them is validated by
    that model; any other object becomes an UnknownMessage.

        decoder = MessageDecoder[ServerMessage]((AgentResponse, Ping, ...))
    """

    __slots__ = ("_models", "discriminator")

    def __init__(
        self, models: Iterable[type[Any]], *, discriminator: str = "type"
    ) -> None:
        self.discriminator = discriminator
        self._models: dict[str, type[BaseModel]] = {}
        for model in models:
            for tag in self._model_tags(model):
                if tag in self._models:
                    raise ValueError(f"two models for {discriminator} {tag!r}")
                self._models[tag] = model

    def _model_tags(self, model: type[BaseModel]) -> list[str]:
        for name, field in model.model_fields.items():
            if self.discriminator in (name, field.alias):
                tags = _tags(field.annotation) or [field.default]
                found = [tag for tag in tags if isinstance(tag, str)]
                if found:
                    return found
        raise ValueError(
            f"{model.__name__} has no Literal {self.discriminator!r} field"
        )

    @property
    def known(self) -> frozenset[str]:
        """The tags that decode to a model."""
        return frozenset(self._models)

    def tag(self, data: Mapping[str, Any]) -> str | None:
        """The object's tag, when it is a string."""
        tag = data.get(self.discriminator)
        return tag if isinstance(tag, str) else None

    def decode(self, data: dict[str, Any]) -> EventT | UnknownMessage:
        """The model the object's tag names, validated (pydantic's ValidationError when it
        does not fit), or an UnknownMessage."""
        tag = self.tag(data)
        model = None if tag is None else self._models.get(tag)
        if model is None:
            return UnknownMessage(tag, data)
        event: EventT = model.model_validate(data)  # type: ignore[assignment]
        return event


class Reply:
    """An automatic reply declared as data: a JSON object of `type`, with `values` as given
    and each field of `copy` taken from a dotted path of the received object (left out when
    the path is missing).

    >>> Reply("pong", copy={"event_id": "ping_event.event_id"}).build(
    ...     {"type": "ping", "ping_event": {"event_id": 7}})
    {'type': 'pong', 'event_id': 7}
    """

    __slots__ = ("copy", "discriminator", "type", "values")

    def __init__(
        self,
        type: str,
        *,
        copy: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
        discriminator: str = "type",
    ) -> None:
        self.type = type
        self.copy = dict(copy or {})
        self.values = dict(values or {})
        self.discriminator = discriminator

    def build(self, received: Mapping[str, Any]) -> dict[str, Any]:
        """The reply to `received` (the raw JSON object)."""
        reply: dict[str, Any] = {self.discriminator: self.type, **self.values}
        for field, path in self.copy.items():
            value: Any = received
            for step in path.split("."):
                if not isinstance(value, Mapping) or step not in value:
                    break
                value = value[step]
            else:
                reply[field] = value
        return reply

    def __repr__(self) -> str:
        return f"Reply({self.type!r}, copy={self.copy!r}, values={self.values!r})"


AutoReply: TypeAlias = Reply | Callable[[Any], "Message | None"]
"""An automatic reply: a `Reply`, built from the raw object received, or a function of the
decoded event returning the message to send (None: send nothing)."""


def encode(message: Message, discriminator: str = "type") -> str:
    """One JSON text frame: a model dumped by alias with its unset fields left out (but its
    discriminator always in), or a mapping as it is."""
    if isinstance(message, Mapping):
        return json.dumps(dict(message), ensure_ascii=False)
    data = message.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if discriminator not in data:
        for name, field in type(message).model_fields.items():
            if discriminator in (name, field.alias):
                value = getattr(message, name)
                if value is not None:
                    data[discriminator] = value
    return json.dumps(data, ensure_ascii=False)


def parse_frame(frame: str | bytes, *, url: str = "") -> dict[str, Any]:
    """A frame's JSON object, or RealtimeMessageError."""
    text = frame if isinstance(frame, str) else frame.decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:
        raise RealtimeMessageError(
            "a frame that is not JSON", frame=text, url=url
        ) from None
    if not isinstance(data, dict):
        raise RealtimeMessageError(
            "a frame that is not a JSON object", frame=text, url=url
        )
    return data
