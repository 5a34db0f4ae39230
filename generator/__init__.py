"""OpenAPI → Python client generator: load, normalize, validate, build IR, models, render, format, write."""

from .diagnostics import Diagnostic, GenerationFailed
from .pipeline import CheckResult, GenerateResult, check, generate

__all__ = ["CheckResult", "Diagnostic", "GenerateResult", "GenerationFailed", "check", "generate"]
