"""Deterministic values that satisfy an OpenAPI schema, for calling a client against a mock.

`SpecDocument` reads a spec (one file, or an entry file with relative `$ref`s to other files
of its folder, as Prism resolves them) and follows `$ref`s; `SchemaValues.value(schema)`
gives one JSON value the schema accepts, the same on every run:

- `const`, then the first `enum` value, then `example`, `examples`, `default` when they meet
  the schema's simple constraints (type, length, range, pattern);
- else by type and format: date-time, date, uuid, email, uri, ipv4/ipv6, byte, int32/int64,
  within minimum/maximum (exclusive too, and multipleOf) and minLength/maxLength; a
  `pattern` by building a string from the regular expression;
- arrays with max(minItems, 1) items (distinct when uniqueItems), objects with their required
  properties (recursively; readOnly ones left out) and minProperties; `allOf` merged, the
  first satisfiable option of `oneOf`/`anyOf` (with its discriminator value), `nullable` and
  `type: [..., "null"]` given their non-null value.

What it cannot satisfy raises `Unsatisfiable` with the reason (a pattern it cannot build, a
recursion without end, `not`): the caller picks another operation.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import re._parser as sre_parse  # type: ignore[import-not-found]
from pathlib import Path
from re import _constants as sre_constants
from typing import Any
from urllib.parse import unquote

import yaml

__all__ = ["Node", "SchemaValues", "SpecDocument", "Unsatisfiable"]

MAX_DEPTH = 24
_FORMATS: dict[str, str] = {
    "date-time": "2020-01-02T03:04:05Z",
    "date": "2020-01-02",
    "time": "03:04:05Z",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "iri": "https://example.com/a",
    "uri-reference": "https://example.com/a",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ip": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": base64.b64encode(b"test").decode(),
    "password": "secret-1",
    "duration": "P1D",
}


class Unsatisfiable(Exception):
    """The generator cannot make a value the schema accepts."""


class Node:
    """A part of the spec with the file its relative `$ref`s are resolved against."""

    __slots__ = ("data", "file", "pointer")

    def __init__(self, data: Any, file: Path, pointer: str = "") -> None:
        self.data = data
        self.file = file
        self.pointer = pointer

    def get(self, key: str) -> Node | None:
        if isinstance(self.data, dict) and key in self.data:
            return Node(self.data[key], self.file, f"{self.pointer}/{key}")
        return None

    def items(self) -> list[tuple[str, Node]]:
        if not isinstance(self.data, dict):
            return []
        return [(str(k), Node(v, self.file, f"{self.pointer}/{k}")) for k, v in self.data.items()]

    def elements(self) -> list[Node]:
        if not isinstance(self.data, list):
            return []
        return [Node(v, self.file, f"{self.pointer}/{i}") for i, v in enumerate(self.data)]


class SpecDocument:
    """A spec file and the files its `$ref`s reach, loaded once each."""

    def __init__(self, entry: Path) -> None:
        self.entry = entry.resolve()
        self._files: dict[Path, Any] = {}
        self.root = Node(self._load(self.entry), self.entry)

    def _load(self, path: Path) -> Any:
        if path not in self._files:
            text = path.read_text(encoding="utf-8")
            self._files[path] = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        return self._files[path]

    def resolve(self, node: Node | None) -> Node | None:
        """`node` with its `$ref`s followed (a chain of them too)."""
        seen = 0
        while node is not None and isinstance(node.data, dict) and "$ref" in node.data:
            seen += 1
            if seen > 50:
                raise Unsatisfiable(f"$ref cycle at {node.pointer}")
            ref = str(node.data["$ref"])
            target, _, fragment = ref.partition("#")
            file = (node.file.parent / target).resolve() if target else node.file
            data = self._load(file)
            for part in [p for p in fragment.split("/") if p]:
                key = unquote(part).replace("~1", "/").replace("~0", "~")
                data = data[int(key)] if isinstance(data, list) else data[key]
            node = Node(data, file, f"{file.name}#{fragment}")
        return node


class SchemaValues:
    """Values for the schemas of one spec."""

    def __init__(self, document: SpecDocument) -> None:
        self.document = document

    # --- schemas -------------------------------------------------------------------------

    def merged(self, node: Node, depth: int = 0) -> tuple[dict[str, Any], Node]:
        """The schema with `$ref`s followed and `allOf` merged, as a dict of Nodes' data.

        Property schemas stay Nodes (under "properties"), so their own refs resolve against
        their own files.
        """
        if depth > MAX_DEPTH:
            raise Unsatisfiable(f"allOf/$ref nesting without end at {node.pointer}")
        resolved = self.document.resolve(node)
        assert resolved is not None
        data = resolved.data
        if data is True or data == {} or data is None:
            return {}, resolved
        if not isinstance(data, dict):
            raise Unsatisfiable(f"schema at {resolved.pointer} is not an object")
        out: dict[str, Any] = {}
        properties: dict[str, Node] = {}
        required: list[str] = []
        for part in (resolved.get("allOf") or Node([], resolved.file)).elements():
            sub, _ = self.merged(part, depth + 1)
            properties.update(sub.pop("properties", {}))
            required += sub.pop("required", [])
            for key, value in sub.items():
                out.setdefault(key, value)
        for key, value in data.items():
            if key in ("allOf", "$ref"):
                continue
            if key == "properties":
                properties.update(dict((resolved.get("properties") or Node({}, node.file)).items()))
            elif key == "required":
                required += [r for r in value if isinstance(r, str)]
            elif key in ("oneOf", "anyOf", "items", "additionalProperties", "not"):
                out[key] = resolved.get(key)
            else:
                out[key] = value
        if properties:
            out["properties"] = properties
        if required:
            out["required"] = list(dict.fromkeys(required))
        return out, resolved

    def value(self, node: Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise Unsatisfiable(f"schema recursion without end at {node.pointer}")
        schema, resolved = self.merged(node)
        return self._from_schema(schema, resolved, depth)

    def _from_schema(self, schema: dict[str, Any], resolved: Node, depth: int) -> Any:
        if "not" in schema and schema["not"] is not None:
            raise Unsatisfiable(f"'not' at {resolved.pointer}")
        if "const" in schema:
            return schema["const"]
        enum = [e for e in schema.get("enum") or [] if e is not None]
        if enum:
            return enum[0]
        for option_key in ("oneOf", "anyOf"):
            if schema.get(option_key) is not None:
                return self._option(schema, option_key, resolved, depth)
        kind = _type_of(schema)
        for candidate in _examples(schema):
            if kind not in ("object", None) and self._meets(schema, kind, candidate):
                return copy.deepcopy(candidate)
        if kind == "object" or (kind is None and ("properties" in schema or "required" in schema)):
            return self._object(schema, resolved, depth)
        if kind == "array":
            return self._array(schema, resolved, depth)
        if kind == "string":
            return self._string(schema, resolved)
        if kind == "integer":
            return int(self._number(schema, integer=True, where=resolved.pointer))
        if kind == "number":
            return self._number(schema, integer=False, where=resolved.pointer)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "value"  # any type

    def _option(self, schema: dict[str, Any], key: str, resolved: Node, depth: int) -> Any:
        options = schema[key].elements()
        discriminator = schema.get("discriminator") or {}
        problems: list[str] = []
        for option in options:
            target = self.document.resolve(option)
            if (
                target is not None
                and isinstance(target.data, dict)
                and target.data.get("type") == "null"
            ):
                continue
            # The option merged with what the schema says beside oneOf/anyOf (properties,
            # required): the value must satisfy both.
            try:
                sub, sub_resolved = self.merged(option)
                outer_properties = schema.get("properties") or {}
                outer_required = schema.get("required") or []
                if (outer_properties or outer_required) and _type_of(sub) in ("object", None):
                    sub = {
                        **sub,
                        "properties": {**outer_properties, **(sub.get("properties") or {})},
                        "required": list(
                            dict.fromkeys([*outer_required, *(sub.get("required") or [])])
                        ),
                    }
                value = self._from_schema(sub, sub_resolved, depth + 1)
                if isinstance(value, dict):
                    name = discriminator.get("propertyName")
                    if name:
                        value[name] = _discriminator_value(discriminator, option, value.get(name))
                return value
            except Unsatisfiable as exc:
                problems.append(str(exc))
        raise Unsatisfiable(f"no option of {key} at {resolved.pointer}: {'; '.join(problems)}")

    def _object(self, schema: dict[str, Any], resolved: Node, depth: int) -> dict[str, Any]:
        properties: dict[str, Node] = schema.get("properties") or {}
        out: dict[str, Any] = {}
        for name in schema.get("required") or []:
            prop = properties.get(name)
            if prop is None:
                extra = schema.get("additionalProperties")
                out[name] = (
                    self.value(extra, depth + 1)
                    if isinstance(extra, Node) and extra.data not in (True, False)
                    else "value"
                )
                continue
            prop_schema, _ = self.merged(prop)
            if prop_schema.get("readOnly") is True:
                continue
            out[name] = self.value(prop, depth + 1)
        minimum = int(schema.get("minProperties") or 0)
        for name, prop in properties.items():
            if len(out) >= minimum:
                break
            if name not in out and self.merged(prop)[0].get("readOnly") is not True:
                out[name] = self.value(prop, depth + 1)
        extra = schema.get("additionalProperties")
        index = 0
        while len(out) < minimum:
            if isinstance(extra, Node) and extra.data is False:
                raise Unsatisfiable(f"minProperties {minimum} at {resolved.pointer}")
            item = (
                self.value(extra, depth + 1)
                if isinstance(extra, Node) and extra.data is not True
                else "value"
            )
            out[f"key{index}"] = item
            index += 1
        return out

    def _array(self, schema: dict[str, Any], resolved: Node, depth: int) -> list[Any]:
        count = max(int(schema.get("minItems") or 0), 1)
        if schema.get("maxItems") is not None:
            count = min(count, int(schema["maxItems"]))
        items = schema.get("items")
        if count == 0:
            return []
        if not isinstance(items, Node):
            return (
                ["value"] * count
                if not schema.get("uniqueItems")
                else [f"value{i}" for i in range(count)]
            )
        first = self.value(items, depth + 1)
        values = [first]
        if count > 1:
            item_schema, _ = self.merged(items)
            enum = [e for e in item_schema.get("enum") or [] if e is not None]
            for index in range(1, count):
                if enum and len(enum) > index:
                    values.append(enum[index])
                elif isinstance(first, str) and schema.get("uniqueItems"):
                    values.append(_vary(first, index))
                elif (
                    isinstance(first, int)
                    and schema.get("uniqueItems")
                    and not isinstance(first, bool)
                ):
                    values.append(first + index)
                else:
                    values.append(copy.deepcopy(first))
        return values

    def _string(self, schema: dict[str, Any], resolved: Node) -> str:
        pattern = schema.get("pattern")
        fmt = schema.get("format")
        minimum = int(schema.get("minLength") or 0)
        maximum = schema.get("maxLength")
        candidates = []
        if isinstance(fmt, str) and fmt in _FORMATS:
            candidates.append(_FORMATS[fmt])
        if pattern:
            built = _from_pattern(str(pattern), minimum)
            if built is not None:
                candidates.append(built)
        candidates += ["string", "a" * max(minimum, 1)]
        for candidate in candidates:
            text = candidate
            if len(text) < minimum and not pattern and fmt not in _FORMATS:
                text = text + "a" * (minimum - len(text))
            if maximum is not None and len(text) > int(maximum) and not pattern:
                text = text[: int(maximum)]
            if self._meets(schema, "string", text):
                return text
        raise Unsatisfiable(
            f"no string for {resolved.pointer} (pattern {pattern!r}, format {fmt!r},"
            f" length {minimum}..{maximum})"
        )

    def _number(self, schema: dict[str, Any], *, integer: bool, where: str) -> float:
        low, high = _bounds(schema, integer=integer)
        value: float = 1
        if low is not None and value < low:
            value = low
        if high is not None and value > high:
            value = high
        step = schema.get("multipleOf")
        if step:
            value = (value // step + (1 if value % step else 0)) * step
        if integer:
            value = int(value) if float(value).is_integer() else int(value) + 1
        if (low is not None and value < low) or (high is not None and value > high):
            raise Unsatisfiable(f"no number within {low}..{high} (multipleOf {step}) at {where}")
        return value

    def _meets(self, schema: dict[str, Any], kind: str | None, value: Any) -> bool:
        """Whether `value` meets the schema's type and simple constraints."""
        checks = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "array": lambda v: isinstance(v, list),
        }
        if kind is None or kind not in checks or not checks[kind](value):
            return False
        if kind == "string":
            if len(value) < int(schema.get("minLength") or 0):
                return False
            if schema.get("maxLength") is not None and len(value) > int(schema["maxLength"]):
                return False
            pattern = schema.get("pattern")
            if pattern:
                try:
                    if re.search(str(pattern), value) is None:
                        return False
                except re.error:
                    return False
            fmt = schema.get("format")
            if fmt in ("date-time", "date", "uuid", "email", "uri") and not _format_ok(fmt, value):
                return False
        if kind in ("integer", "number"):
            low, high = _bounds(schema, integer=kind == "integer")
            if (low is not None and value < low) or (high is not None and value > high):
                return False
            step = schema.get("multipleOf")
            if step and (value / step) != int(value / step):
                return False
        if kind == "array":
            items = schema.get("items")
            if len(value) < int(schema.get("minItems") or 0):
                return False
            if isinstance(items, Node):
                item_schema, _ = self.merged(items)
                item_kind = _type_of(item_schema)
                if item_kind in ("object", None) or any(
                    not self._meets(item_schema, item_kind, item) for item in value
                ):
                    return False
        return True


def _bounds(schema: dict[str, Any], *, integer: bool) -> tuple[Any, Any]:
    """The inclusive bounds of a number schema (3.0 boolean and 3.1 numeric exclusives)."""
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    nudge = 1 if integer else 0.5
    if ex_low is True and low is not None:
        low = low + nudge
    elif isinstance(ex_low, (int, float)) and not isinstance(ex_low, bool):
        low = ex_low + nudge
    if ex_high is True and high is not None:
        high = high - nudge
    elif isinstance(ex_high, (int, float)) and not isinstance(ex_high, bool):
        high = ex_high - nudge
    return low, high


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return str(kinds[0]) if kinds else "null"
    if kind is None and "items" in schema:
        return "array"
    return str(kind) if kind is not None else None


def _examples(schema: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    if "example" in schema and schema["example"] is not None:
        out.append(schema["example"])
    examples = schema.get("examples")
    if isinstance(examples, list):
        out += [e for e in examples if e is not None]
    if "default" in schema and schema["default"] is not None:
        out.append(schema["default"])
    return out


def _format_ok(fmt: str, value: str) -> bool:
    shapes = {
        "date-time": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$",
        "date": r"^\d{4}-\d\d-\d\d$",
        "uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        "uri": r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S*$",
    }
    return re.match(shapes[fmt], value) is not None


def _vary(text: str, index: int) -> str:
    return f"{text}{index}"


def _discriminator_value(discriminator: dict[str, Any], option: Node, current: Any) -> Any:
    ref = option.data.get("$ref") if isinstance(option.data, dict) else None
    mapping = discriminator.get("mapping") or {}
    if ref:
        for key, target in mapping.items():
            if target == ref or str(target).rsplit("/", 1)[-1] == str(ref).rsplit("/", 1)[-1]:
                return key
        if current is not None:
            return current
        return str(ref).rsplit("/", 1)[-1].removesuffix(".yml").removesuffix(".yaml")
    return current


# --- strings from regular expressions --------------------------------------------------------


def _from_pattern(pattern: str, min_length: int) -> str | None:
    """A string matching `pattern` (built from its parse tree), or None."""
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return None
    try:
        text = _build(list(tree), extra=max(min_length, 0))
    except _CannotBuild:
        return None
    try:
        return text if re.search(pattern, text) else None
    except re.error:
        return None


class _CannotBuild(Exception):
    pass


_CATEGORY = {
    "CATEGORY_DIGIT": "1",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}


def _build(items: list[Any], extra: int) -> str:
    out: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "AT":
            continue
        elif name == "IN":
            out.append(_in(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = low
            if count == 0 and high != 0:
                count = 1  # one occurrence shows more than none
            if extra > len("".join(out)) + count and (
                high == sre_constants.MAXREPEAT or high > count
            ):
                count = max(count, min(extra, 64))
                if high != sre_constants.MAXREPEAT:
                    count = min(count, high)
            out.append(_build(list(sub), 0) * count)
        elif name == "SUBPATTERN":
            out.append(_build(list(arg[-1]), 0))
        elif name == "BRANCH":
            out.append(_build(list(arg[1][0]), 0))
        elif name in ("ATOMIC_GROUP",):
            out.append(_build(list(arg), 0))
        elif name in ("ASSERT", "ASSERT_NOT", "GROUPREF", "GROUPREF_EXISTS"):
            raise _CannotBuild(name)
        else:
            raise _CannotBuild(name)
    return "".join(out)


def _in(arg: list[Any]) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in arg)
    if negate:
        excluded: set[str] = set()
        for op, value in arg:
            if str(op) == "LITERAL":
                excluded.add(chr(value))
        for candidate in "aZ1-_":
            if candidate not in excluded:
                return candidate
        raise _CannotBuild("negated set")
    for op, value in arg:
        name = str(op)
        if name == "LITERAL":
            return chr(value)
        if name == "RANGE":
            return chr(value[0])
        if name == "CATEGORY":
            return _CATEGORY.get(str(value), "a")
    raise _CannotBuild("empty set")
