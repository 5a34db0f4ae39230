"""Imports: blocks of import statements sorted and grouped as ruff's isort rules (I001) want them."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cmp_to_key
from typing import TypeVar

__all__ = ["import_block", "sorted_names"]

_Ordered = TypeVar("_Ordered", str, int)


def _natural(left: str, right: str) -> int:
    """natord's comparison, which ruff's isort uses: runs of digits compare as numbers (a run
    with a leading zero digit by digit, from the left), everything else character by character."""
    i = j = 0
    while i < len(left) and j < len(right):
        a, b = left[i], right[j]
        if a.isdigit() and b.isdigit():
            end_i, end_j = i, j
            while end_i < len(left) and left[end_i].isdigit():
                end_i += 1
            while end_j < len(right) and right[end_j].isdigit():
                end_j += 1
            run_a, run_b = left[i:end_i], right[j:end_j]
            if a == "0" or b == "0":
                order = _compare(run_a, run_b)  # fractional: left-aligned
            else:
                order = _compare(len(run_a), len(run_b)) or _compare(run_a, run_b)
            if order:
                return order
            i, j = end_i, end_j
            continue
        if a != b:
            return -1 if a < b else 1
        i, j = i + 1, j + 1
    return _compare(len(left) - i, len(right) - j)


def _compare(a: _Ordered, b: _Ordered) -> int:
    return (a > b) - (a < b)


def _member_type(name: str) -> int:
    """isort's order-by-type: CONSTANTS, then Classes, then everything else."""
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def _member_cmp(left: str, right: str) -> int:
    name_a, _, alias_a = left.partition(" as ")
    name_b, _, alias_b = right.partition(" as ")
    return (
        _compare(_member_type(name_a), _member_type(name_b))
        or _natural(name_a.lower(), name_b.lower())
        or _natural(name_a, name_b)
        or _natural(alias_a, alias_b)
    )


def sorted_names(names: Iterable[str]) -> list[str]:
    """The names of a `from m import ...` (each `name` or `name as alias`) in ruff's order."""
    return sorted(set(names), key=cmp_to_key(_member_cmp))


def _module_cmp(left: str, right: str) -> int:
    return _natural(left.lower(), right.lower()) or _natural(left, right)


def _section(module: str, package: str) -> int:
    if module.startswith("."):
        return 4  # local folder: relative imports come last
    top = module.split(".")[0]
    if top == "__future__":
        return 0
    if top in sys.stdlib_module_names:
        return 1
    return 3 if top == package else 2


def import_block(statements: Iterable[str], package: str) -> list[str]:
    """`import m [as a]` and `from m import a, b` statements as ruff sorts them: sections
    (__future__, standard library, third party, `package`, relative) apart by a blank line (""), in each
    the plain imports first, then the from-imports, by module; a module's from-imports merged."""
    plain: dict[int, set[str]] = {}
    froms: dict[int, dict[str, list[str]]] = {}
    for statement in statements:
        if statement.startswith("from "):
            module, _, names = statement[5:].partition(" import ")
            bucket = froms.setdefault(_section(module, package), {})
            bucket.setdefault(module, []).extend(names.split(", "))
        elif statement:
            module = statement.removeprefix("import ")
            section = _section(module.partition(" as ")[0], package)
            plain.setdefault(section, set()).add(module)
    out: list[str] = []
    for section in sorted({*plain, *froms}):
        if out:
            out.append("")
        modules = sorted(plain.get(section, ()), key=cmp_to_key(_module_cmp))
        out += [f"import {m}" for m in modules]
        by_module = froms.get(section, {})
        for module in sorted(by_module, key=cmp_to_key(_module_cmp)):
            out.append(f"from {module} import {', '.join(sorted_names(by_module[module]))}")
    return out
