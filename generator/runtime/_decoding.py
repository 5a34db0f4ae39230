"""Pure functions turning response bytes into declared types, with validators built once."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._constants import MAX_VALIDATION_ERRORS_SHOWN

__all__ = [
    "Validator",
    "decode_error_body",
    "lenient_validator_for",
    "salvage",
    "summarize",
    "type_name",
    "validator_for",
]

Validator = Callable[[str | bytes], Any]
"""Parses JSON text into a declared type, raising pydantic.ValidationError."""

_VALIDATORS: dict[Any, Validator] = {}


def validator_for(tp: Any) -> Validator:
    """The JSON validator for a type: `model_validate_json` for a model, else a TypeAdapter
    built once per type and reused."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.model_validate_json
    try:
        return _VALIDATORS[tp]
    except KeyError:
        validate = _VALIDATORS[tp] = TypeAdapter(tp).validate_json
    except TypeError:  # an unhashable type form: build it, but it cannot be cached here
        validate = TypeAdapter(tp).validate_json
    return validate


def type_name(tp: Any) -> str:
    """A short readable name for a type form: `Item`, `list[Item]`, `Item | None`."""
    if isinstance(tp, type) and not getattr(tp, "__args__", None):
        return tp.__qualname__
    return repr(tp).replace("typing.", "")


def summarize(error: ValidationError, limit: int = MAX_VALIDATION_ERRORS_SHOWN) -> str:
    """`2 validation errors: items.0.name: Field required; ...` without inputs or URLs."""
    details = error.errors(
        include_url=False, include_context=False, include_input=False
    )
    count = len(details)
    shown = [
        f"{'.'.join(str(part) for part in item['loc']) or '(root)'}: {item['msg']}"
        for item in details[:limit]
    ]
    if count > limit:
        shown.append(f"and {count - limit} more")
    noun = "validation error" if count == 1 else "validation errors"
    return f"{count} {noun}: " + "; ".join(shown)


def decode_error_body(content: bytes, text: Callable[[], str], body_type: Any) -> Any:
    """An error response's body: parsed into `body_type` when it fits, else the raw JSON
    value, else the text (None when the body is empty)."""
    if not content.strip():
        return None
    if body_type is not None:
        try:
            return validator_for(body_type)(content)
        except ValidationError:
            pass
    try:
        return json.loads(content)
    except ValueError:
        return text()


_logger = logging.getLogger(__name__.rpartition("._runtime")[0] or __name__)
_WARNED: set[tuple[type[BaseModel], str]] = set()
"""(model, field) pairs already warned of: one warning per model and field per process."""


def lenient_validator_for(tp: Any) -> Validator:
    """The validator of `strict_responses=False`: data that does not match `tp` is kept.

    JSON that validates is decoded as by `validator_for`. Otherwise each model is built
    field by field (`model_construct`): a field whose value does not match its type keeps
    the raw JSON value, a missing required field is left unset, and one warning is logged
    per model and field. A body that is not JSON still raises the strict validator's
    pydantic.ValidationError (a ValueError), so callers map both modes' errors alike.
    """
    strict = validator_for(tp)

    def validate(text: str | bytes) -> Any:
        try:
            return strict(text)
        except ValidationError as error:
            try:
                data = json.loads(text)
            except ValueError:
                raise error from None
        return salvage(tp, data)

    return validate


def salvage(tp: Any, data: Any) -> Any:
    """`data` as `tp` as far as it matches; the raw value where it does not."""
    try:
        return _adapter(tp).validate_python(data)
    except ValidationError:
        pass
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(data, dict):
        return _salvage_model(tp, data)
    if origin is list and isinstance(data, list):
        (item,) = get_args(tp) or (Any,)
        return [salvage(item, value) for value in data]
    if origin is dict and isinstance(data, dict):
        _, value_type = get_args(tp) or (str, Any)
        return {key: salvage(value_type, value) for key, value in data.items()}
    if origin in (Union, UnionType):
        models = [
            a for a in get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if len(models) == 1 and isinstance(data, dict):
            return _salvage_model(models[0], data)
    return data


def _salvage_model(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    values: dict[str, Any] = {}
    taken: set[str] = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in data:
            if info.is_required():
                _warn(model, key, "missing")
            continue
        taken.add(key)
        value = data[key]
        try:
            values[name] = _adapter(_field_type(model, name)).validate_python(value)
        except ValidationError:
            _warn(model, key, "does not match its type")
            values[name] = salvage(_field_type(model, name), value)
    extra = {key: value for key, value in data.items() if key not in taken}
    return model.model_construct(**values, **extra)


def _field_type(model: type[BaseModel], name: str) -> Any:
    info = model.model_fields[name]
    if info.metadata:
        from typing import Annotated

        return Annotated[(info.annotation, *info.metadata)]
    return info.annotation


def _adapter(tp: Any) -> TypeAdapter[Any]:
    try:
        return _ADAPTERS[tp]
    except KeyError:
        adapter = _ADAPTERS[tp] = TypeAdapter(tp)
    except TypeError:
        adapter = TypeAdapter(tp)
    return adapter


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _warn(model: type[BaseModel], field: str, problem: str) -> None:
    if (model, field) in _WARNED:
        return
    _WARNED.add((model, field))
    _logger.warning(
        "response field %s.%s %s: kept as received (strict_responses=False)",
        model.__qualname__,
        field,
        problem,
    )
