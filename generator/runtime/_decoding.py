"""Pure functions turning response bytes into declared types, with validators built once."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._constants import MAX_VALIDATION_ERRORS_SHOWN

__all__ = ["Validator", "decode_error_body", "summarize", "type_name", "validator_for"]

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
