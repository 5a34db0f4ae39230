"""Finding: one defect the spec stage repaired, what it did instead, and what --strict makes of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Finding", "Strictness"]

# What --strict does with a finding: "error" refuses the spec with the finding's message;
# "validator" leaves it to openapi-spec-validator, which reports it with its own message as it
# always has; "accept" is no defect in strict reading (the repair only does what OpenAPI says).
Strictness = Literal["error", "validator", "accept"]


@dataclass(frozen=True)
class Finding:
    """`kind` is a short stable code (for grouping); `message` says what was done instead."""

    pointer: str
    kind: str
    message: str
    strict: Strictness = "error"
