"""Claims: the names datamodel-code-generator made up in its module, each with the schemas that
use it.

datamodel-code-generator names an inline schema (a property's object, enum or constrained value)
after where it is, numbers the name when it is taken (the number depends on every name of the
same stem made before it in the whole run), and uses one definition for identical inline schemas
of several schemas. A made-up name is claimed by the component schemas whose classes reach it
through made-up definitions only; models by closure (closure.py) keeps a module whose names may
come out otherwise only when no schema the update changed claims a name of the same stem. A name
no schema reaches has no known claimant (an empty tuple), which makes the caller cautious.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise

__all__ = ["claims"]

_TOP_LEVEL = re.compile(r"^[A-Za-z_@#]", re.MULTILINE)
_DEFINED = re.compile(r"(?:class (\w+)\b|(\w+) = )")
# String literals (descriptions, Literal values, docstrings) name nothing.
_STRING = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
)
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def claims(code: str, given: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each name `code` defines that is not one of `given` (the schemas' names), with the given
    names whose definitions reach it, in the order `code` defines them."""
    given = set(given)
    refers = _references(code)
    made = [name for name in refers if name not in given]
    made_set = set(made)
    referrers: dict[str, set[str]] = {}
    for name, refs in refers.items():
        for ref in refs & made_set:
            if ref != name:
                referrers.setdefault(ref, set()).add(name)
    return {name: _claimant(name, referrers, given) for name in made}


def _references(code: str) -> Mapping[str, set[str]]:
    """Each top-level definition's name, with the identifiers its text uses outside strings."""
    starts = [m.start() for m in _TOP_LEVEL.finditer(code)] + [len(code)]
    refers: dict[str, set[str]] = {}
    for start, end in pairwise(starts):
        defined = _DEFINED.match(code, start)
        if defined is None:
            continue
        name = defined[1] or defined[2]
        text = _STRING.sub("", code[defined.end() : end])
        refers.setdefault(name, set()).update(_IDENTIFIER.findall(text))
    return refers


def _claimant(name: str, referrers: Mapping[str, set[str]], given: set[str]) -> tuple[str, ...]:
    found: set[str] = set()
    seen = {name}
    stack = [name]
    while stack:
        for referrer in referrers.get(stack.pop(), ()):
            if referrer in given:
                found.add(referrer)
            elif referrer not in seen:
                seen.add(referrer)
                stack.append(referrer)
    return tuple(sorted(found))
