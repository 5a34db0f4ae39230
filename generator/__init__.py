"""OpenAPI → Python client generator: load, normalize, validate, build IR, models, render, format, write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, GenerationFailed

if TYPE_CHECKING:
    from .pipeline import CheckResult, GenerateResult, check, generate

__all__ = ["CheckResult", "Diagnostic", "GenerateResult", "GenerationFailed", "check", "generate"]

_FROM_PIPELINE = frozenset({"CheckResult", "GenerateResult", "check", "generate"})


def __getattr__(name: str) -> Any:
    # The pipeline, and with it every step's imports, loads on first use rather than with the
    # package: `python -m generator` first starts the models worker (forked.prepared, cli.py).
    if name in _FROM_PIPELINE:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
