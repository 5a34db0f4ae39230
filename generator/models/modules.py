"""Models: pydantic v2 classes from the spec's schemas via datamodel-code-generator, split per reference cycle."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..api import snake_case, unique_names
from ..escape import docstring
from ..layout import (
    LINE_LENGTH,
    ModelSource,
    Unsupported,
    docstring_lines,
    from_import,
    import_block,
    model_statement_lines,
)
from . import said
from .document import ALIASES_KEY, OURS
from .inline import inline_aliases
from .openness import UnionUse, open_models

__all__ = ["DCG_OPTIONS", "ModelModule", "ModelSet", "build_models", "run_dcg"]


@dataclass(frozen=True)
class ModelModule:
    """One module of models: the classes of one reference cycle (usually one class)."""

    name: str
    names: tuple[str, ...]
    source: str
    # Laid out exactly as black would lay it out: the format step leaves it alone.
    ready: bool = False


@dataclass(frozen=True)
class ModelSet:
    modules: tuple[ModelModule, ...]
    # Class or alias name → module name, for every model.
    module_of: Mapping[str, str]
    # (JSON pointer into the spec or None, message): what making them found, to print.
    warnings: tuple[tuple[str | None, str], ...] = ()
    # The unions opened (openness.py), and whether an Unknown class's name has a number: what
    # a later run over part of the document needs to name its Unknown classes alike.
    unions: tuple[UnionUse, ...] = ()
    numbered: bool = False


# Every option we pass, as plain values: part of the cache key, so changing one invalidates old results.
DCG_OPTIONS: Mapping[str, Any] = {
    "output_model_type": "pydantic_v2.BaseModel",
    "target_python_version": "3.11",
    "disable_timestamp": True,
    "formatters": [],
    "allow_remote_refs": False,
    "field_constraints": True,
    "use_type_alias": True,
    "enum_field_as_literal": "all",
    # `Field(default=None, ...)`: type checkers without pydantic's plugin see a default only as
    # the keyword (PEP 681), so an optional field given positionally would be required to them.
    "use_default_kwarg": True,
    # EmailStr needs email-validator and ULID python-ulid, which the client does not depend on.
    "type_mappings": ["email=string", "idn-email=string", "ulid=string"],
}


def run_dcg(model_document: dict[str, Any]) -> str:
    """Call datamodel-code-generator as a library: no formatting, no timestamp, no remote refs.

    Its warnings are not printed: they come first, as comment lines (said.attach; said.detach
    takes them off), so that a cached module keeps them.
    """
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion
    from datamodel_code_generator.parser import LiteralType

    if not model_document["components"]["schemas"]:
        return ""
    aliases = model_document.get(ALIASES_KEY) or {}
    model_document = {k: v for k, v in model_document.items() if k not in OURS}
    options = {
        **DCG_OPTIONS,
        "aliases": aliases,
        "output_model_type": DataModelType(DCG_OPTIONS["output_model_type"]),
        "target_python_version": PythonVersion(DCG_OPTIONS["target_python_version"]),
        "enum_field_as_literal": LiteralType(DCG_OPTIONS["enum_field_as_literal"]),
    }
    code, messages = said.capture(
        lambda: generate(model_document, input_file_type=InputFileType.OpenAPI, **options)
    )
    assert isinstance(code, str)
    return said.attach(code, messages)


def build_models(
    code: str,
    expected: list[str],
    descriptions: Mapping[str, str] | None = None,
    named: Sequence[str] | None = None,
    around: Sequence[UnionUse] | None = None,
) -> tuple[ModelSet, list[str]]:
    """Split one generated module into one module per strongly connected group of models.

    `descriptions` (class name → schema description) become class docstrings, escaped. The
    aliases datamodel-code-generator made up for constrained inline types are inlined first,
    then the models are made open to what a grown API sends (openness.py). For a run over part
    of the document, `named` are all its class names and `around` the unions of the rest.
    """
    descriptions = descriptions or {}
    if not code:
        return ModelSet((), {}), []
    code, unions, numbered = open_models(
        inline_aliases(code, expected), expected if named is None else named, around
    )
    tree = ast.parse(code)
    source_code = ModelSource(code)
    lines = source_code.lines
    imports_of: dict[str, str] = {}
    definitions: dict[str, ast.stmt] = {}
    order: list[str] = []
    rebuilds: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module != "__future__":
            for alias in stmt.names:
                bound = alias.asname or alias.name
                module = "." * stmt.level + (stmt.module or "")
                imports_of[bound] = f"from {module} import {alias.name}" + (
                    f" as {alias.asname}" if alias.asname else ""
                )
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                imports_of[alias.asname or alias.name] = f"import {alias.name}" + (
                    f" as {alias.asname}" if alias.asname else ""
                )
        elif isinstance(stmt, ast.ClassDef):
            definitions[stmt.name] = stmt
            order.append(stmt.name)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
            if isinstance(target, ast.Name):
                definitions[target.id] = stmt
                order.append(target.id)
        elif _is_rebuild(stmt):
            rebuilds.add(stmt.value.func.value.id)  # type: ignore[attr-defined]
    missing = [name for name in expected if name not in definitions]
    uses = {name: _names_used(stmt) for name, stmt in definitions.items()}
    deps = {name: sorted(used & definitions.keys() - {name}) for name, used in uses.items()}
    self_referencing = {name for name, used in uses.items() if name in used}
    components = _strongly_connected(order, deps)
    module_names = unique_names(
        [snake_case(group[0], fallback="model") for group in components], taken={"__init__"}
    )
    module_of = {
        name: module
        for group, module in zip(components, module_names, strict=True)
        for name in group
    }
    modules = []
    for group, module in zip(components, module_names, strict=True):
        members = set(group)
        classes = [n for n in group if isinstance(definitions[n], ast.ClassDef)]
        aliases = _alias_order([n for n in group if n not in classes], deps)
        cyclic = len(group) > 1 or group[0] in self_referencing
        rebuild = [f"{n}.model_rebuild()" for n in classes if cyclic or n in rebuilds]
        used = set().union(*(uses[n] for n in group))
        doc = (
            f"The {group[0]} model."
            if len(group) == 1
            else f"Models that refer to each other: {', '.join(group)}."
        )
        external = sorted({d for n in group for d in deps[n]} - members)
        by_module: dict[str, list[str]] = {}
        for dep in external:
            by_module.setdefault(module_of[dep], []).append(dep)
        imports = _sorted_imports(
            [line for bound, line in imports_of.items() if bound in used]
            + [f"from .{m} import {', '.join(ns)}" for m, ns in by_module.items()]
        )
        described = [descriptions.get(n) if n in classes else None for n in classes + aliases]
        try:
            statements = [
                model_statement_lines(definitions[n], source_code, d)
                for n, d in zip(classes + aliases, described, strict=True)
            ]
            header = [*docstring_lines(doc, 0), "", "from __future__ import annotations", ""]
            for imported in imports:
                header += _import_lines(imported, laid_out=True)
            body = ["\n".join(lines) for lines in statements]
            ready = True
        except Unsupported:
            header = [f'"""{docstring(doc)}"""', "", "from __future__ import annotations", ""]
            for imported in imports:
                header += _import_lines(imported, laid_out=False)
            body = [
                _with_docstring(_segment(lines, definitions[n]), d)
                for n, d in zip(classes + aliases, described, strict=True)
            ]
            ready = False
        separator = "\n\n" if ready and not classes else "\n\n\n"
        source = "\n".join(header) + separator + "\n\n\n".join(body + rebuild) + "\n"
        modules.append(ModelModule(module, tuple(group), source, ready))
    return ModelSet(tuple(modules), module_of, (), unions, numbered), missing


def _sorted_imports(lines: list[str]) -> list[tuple[str, list[str]] | str]:
    """The import statements as ruff's isort orders them, a module's from-imports merged.

    A `from` import is given as (module, names), a blank line between sections as "", any
    other import as its line.
    """
    block: list[tuple[str, list[str]] | str] = []
    for line in import_block(lines, package=""):
        if line.startswith("from "):
            module, _, names = line[5:].partition(" import ")
            block.append((module, names.split(", ")))
        else:
            block.append(line)
    return block


def _import_lines(imported: tuple[str, list[str]] | str, laid_out: bool) -> list[str]:
    """An import statement's lines: black's layout of it, or one line for black to lay out."""
    if isinstance(imported, str):
        if laid_out and len(imported) > LINE_LENGTH:
            raise Unsupported("a long import statement")
        return [imported]
    module, names = imported
    if laid_out:
        return from_import(module, names)
    return [f"from {module} import {', '.join(names)}"]


def _segment(lines: list[str], stmt: ast.stmt) -> str:
    """The statement's source; top-level statements span whole lines."""
    return "\n".join(lines[stmt.lineno - 1 : stmt.end_lineno])


def _with_docstring(source: str, description: str | None) -> str:
    if not description or not source.startswith("class "):
        return source
    head, _, rest = source.partition("\n")
    return f'{head}\n    """{docstring(description.strip())}"""\n\n{rest}'


def _is_rebuild(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and stmt.value.func.attr == "model_rebuild"
        and isinstance(stmt.value.func.value, ast.Name)
    )


def _names_used(stmt: ast.stmt) -> set[str]:
    """Names a statement refers to, including forward references written as strings.

    A string given directly as a keyword argument's value (a description, a title) is text.
    """
    used = set()
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, str) and node.value.isidentifier():
                used.add(node.value)
        elif isinstance(node, ast.keyword):
            if not isinstance(node.value, ast.Constant):
                stack.append(node.value)
        elif isinstance(node, ast.Call):
            stack.append(node.func)
            stack.extend(node.args)
            stack.extend(node.keywords)
        elif isinstance(node, ast.Subscript):
            stack.append(node.value)
            stack.append(node.slice)
        elif isinstance(node, ast.BinOp):
            stack.append(node.left)
            stack.append(node.right)
        elif isinstance(node, ast.Tuple | ast.List):
            stack.extend(node.elts)
        else:
            stack.extend(ast.iter_child_nodes(node))
    return used


def _alias_order(aliases: list[str], deps: Mapping[str, list[str]]) -> list[str]:
    """Type aliases are evaluated eagerly: each comes after the aliases it uses."""
    placed: list[str] = []
    pending = list(aliases)
    while pending:
        for name in pending:
            if all(d not in pending or d == name for d in deps[name]):
                placed.append(name)
                pending.remove(name)
                break
        else:
            placed.extend(pending)
            break
    return placed


def _strongly_connected(order: list[str], deps: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; groups listed in first-definition order, members likewise."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    position = {name: i for i, name in enumerate(order)}
    for root in order:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            children = deps[node]
            if child_index < len(children):
                work.append((node, child_index + 1))
                child = children[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group, key=position.__getitem__))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    groups.sort(key=lambda g: position[g[0]])
    return groups
