"""Policy: by default a defect the generator can work around is a located warning; --strict refuses it.

`settle_document` runs after the overlays and before validation. Default mode: component names
normalized, known defects repaired (repair.py), every `$ref` that cannot be followed (dangling,
circular, refused) made an untyped value; one warning each. Strict mode: the document is left as
it is, and every defect that openapi-spec-validator would not report itself is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Diagnostic, GenerationFailed
from .bundle import resolve_pointer
from .checks import check_refs
from .finding import Finding
from .load import SpecSource
from .normalize import normalize
from .repair import repair

__all__ = ["Settled", "settle_document", "warning"]


@dataclass(frozen=True)
class Settled:
    """The document the later steps read, the warnings about it, and notes (renames)."""

    document: dict[str, Any]
    warnings: tuple[Diagnostic, ...]
    notes: tuple[str, ...]


def warning(source: SpecSource, pointer: str | None, message: str, kind: str) -> Diagnostic:
    return replace(source.diagnostic(pointer, message), severity="warning", kind=kind)


def settle_document(source: SpecSource, document: dict[str, Any], *, strict: bool) -> Settled:
    """Apply the policy; raises GenerationFailed for what cannot give a client (or, strict, any defect)."""
    if strict:
        refused = [f for f in repair(document).findings if f.strict == "error"]
        if refused:
            raise GenerationFailed(source.diagnostic(f.pointer, f.message) for f in refused)
        return Settled(document, (), ())
    normalized = normalize(document)
    if normalized.conflicts:
        raise GenerationFailed(source.diagnostic(p, m) for p, m in normalized.conflicts)
    repaired = repair(normalized.document)
    findings = list(repaired.findings)
    document = repaired.document
    refs = _untyped_refs(document)
    if refs:
        document, ref_findings = refs
        findings += ref_findings
    warnings = tuple(warning(source, f.pointer, f.message, f.kind) for f in findings)
    return Settled(document, source.warnings + warnings, tuple(normalized.summary_lines()))


def _untyped_refs(document: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]] | None:
    """Each `$ref` that cannot be followed removed (its object becomes an untyped value)."""
    problems = list(check_refs(document))
    if not problems:
        return None
    copy: dict[str, Any] = _copy(document)
    findings = []
    for where, message in problems:
        if where is None:
            continue
        holder = resolve_pointer(copy, where.removesuffix("/$ref"))
        if isinstance(holder, dict):
            holder.pop("$ref", None)
        findings.append(Finding(where, "ref-untyped", f"{message}; read as an untyped value"))
    return copy, findings


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_copy(item) for item in node]
    return node
