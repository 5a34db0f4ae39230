"""Property: every small valid spec either becomes a package that compiles, imports and passes
mypy --strict, or is refused with located diagnostics (exit 2) - never a crash or a traceback.

Hypothesis draws the specs: names from the whole of Unicode, Python keywords and names the
generated code itself uses, nested schemas with $refs between components (recursion included),
operations with parameters, bodies and responses. Generation runs in-process; each generated
package is imported in a fresh interpreter; mypy runs once over all of them at the end.
"""

from __future__ import annotations

import ast
import contextlib
import io
import itertools
import json
import keyword
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.test_hostile import IMPORT_EVERYTHING, assert_only_declarations

# `make test` checks the same 25 specs every run; PROPERTY_SPECS_EXAMPLES=500 explores new ones.
EXPLORE = int(os.environ.get("PROPERTY_SPECS_EXAMPLES", "0"))
EXAMPLES = EXPLORE or 25

# Names the generated code, pydantic or Python give a meaning to, and path-like names.
_TRICKY = [
    *keyword.kwlist,
    *keyword.softkwlist,
    "self",
    "cls",
    "__init__",
    "__class__",
    "model_config",
    "model_fields",
    "BaseModel",
    "Field",
    "request_options",
    "request",
    "warnings",
    "httpx",
    "None",
    "str",
    "int",
    "list",
    "dict",
    "json",
    "copy",
    "schema",
    "validate",
    "ENDPOINT",
    "Any",
    "Literal",
    ".",
    "..",
    "../x",
    "a/b",
    "~1",
    "#",
    "$ref",
    "x-foo",
    "_",
    "__",
    "1st",
    "a b",
    "A-B",
    "a.b",
]
NAMES = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=10),
    st.sampled_from(_TRICKY),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
)
# Path template parameters: `{name}` must survive URL templating, so letters and digits only.
PATH_PARAMETER_NAMES = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8)
_FORMATS = [
    "date-time",
    "date",
    "time",
    "duration",
    "uuid",
    "email",
    "idn-email",
    "uri",
    "hostname",
    "ipv4",
    "ipv6",
    "byte",
    "binary",
    "password",
    "ulid",
    "decimal",
    "json-pointer",
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@st.composite
def leaf_schemas(draw: st.DrawFn, refs: list[str]) -> dict[str, Any]:
    choices = ["string", "integer", "number", "boolean", "enum", "int_enum", "format"]
    if refs:
        choices.append("ref")
    kind = draw(st.sampled_from(choices))
    schema: dict[str, Any]
    if kind == "ref":
        return {"$ref": "#/components/schemas/" + _escape(draw(st.sampled_from(refs)))}
    if kind == "enum":
        values = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
        schema = {"type": "string", "enum": values}
        if draw(st.booleans()):
            schema["default"] = draw(st.sampled_from(values))
    elif kind == "int_enum":
        schema = {
            "type": "integer",
            "enum": draw(
                st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=4, unique=True)
            ),
        }
    elif kind == "format":
        schema = {"type": "string", "format": draw(st.sampled_from(_FORMATS))}
    else:
        schema = {"type": kind}
        if kind == "string" and draw(st.booleans()):
            schema["default"] = draw(TEXT)
        elif kind == "integer" and draw(st.booleans()):
            schema["default"] = draw(st.integers(-(2**63), 2**63))
    if draw(st.booleans()):
        schema["description"] = draw(TEXT)
    return schema


def schemas(refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            st.builds(
                _object, st.dictionaries(NAMES, children, min_size=1, max_size=4), st.data(), TEXT
            ),
            st.builds(lambda items: {"type": "array", "items": items}, children),
            st.builds(
                lambda options: {"anyOf": options}, st.lists(children, min_size=1, max_size=3)
            ),
            st.builds(
                lambda options: {"oneOf": options}, st.lists(children, min_size=2, max_size=3)
            ),
            st.builds(lambda inner: {"allOf": [inner]}, children),
            st.builds(lambda values: {"type": "object", "additionalProperties": values}, children),
        )

    return st.recursive(leaf_schemas(refs), extend, max_leaves=6)


def _object(properties: dict[str, Any], data: st.DataObject, description: str) -> dict[str, Any]:
    required = data.draw(
        st.lists(st.sampled_from(sorted(properties)), unique=True, max_size=len(properties))
    )
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


@st.composite
def operations(draw: st.DrawFn, refs: list[str]) -> tuple[str, dict[str, Any]]:
    segment = draw(st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True))
    parameters: list[dict[str, Any]] = []
    path = "/" + segment
    if draw(st.booleans()):
        name = draw(PATH_PARAMETER_NAMES)
        path += "/{" + name + "}"
        parameters.append(
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        )
    for name in draw(st.lists(NAMES, max_size=3, unique=True)):
        location = draw(st.sampled_from(["query", "header", "cookie"]))
        parameters.append(
            {
                "name": name,
                "in": location,
                "required": draw(st.booleans()),
                "description": draw(TEXT),
                "schema": draw(leaf_schemas(refs)),
            }
        )
    operation: dict[str, Any] = {
        "operationId": draw(NAMES),
        "summary": draw(TEXT),
        "description": draw(TEXT),
        "parameters": parameters,
        "responses": {},
    }
    if draw(st.booleans()):
        operation["tags"] = [draw(NAMES)]
    if draw(st.booleans()):
        operation["deprecated"] = True
    if draw(st.booleans()):
        media = draw(
            st.sampled_from(["application/json", "multipart/form-data", "application/octet-stream"])
        )
        operation["requestBody"] = {
            "required": draw(st.booleans()),
            "content": {media: {"schema": draw(schemas(refs))}},
        }
    status = draw(st.sampled_from(["200", "201", "204"]))
    response: dict[str, Any] = {"description": draw(TEXT)}
    if status != "204":
        media = draw(
            st.sampled_from(
                ["application/json", "text/plain", "application/octet-stream", "text/event-stream"]
            )
        )
        response["content"] = {media: {"schema": draw(schemas(refs))}}
    operation["responses"][status] = response
    if draw(st.booleans()):
        operation["responses"]["404"] = {
            "description": draw(TEXT),
            "content": {"application/json": {"schema": draw(leaf_schemas(refs))}},
        }
    method = draw(st.sampled_from(["get", "post", "put", "patch", "delete"]))
    return path, {method: operation}


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(NAMES, max_size=4, unique=True))
    components = {name: draw(schemas(names)) for name in names}
    paths: dict[str, Any] = {}
    for path, item in draw(st.lists(operations(names), min_size=1, max_size=3)):
        paths.setdefault(path, {}).update(item)
    spec: dict[str, Any] = {
        "openapi": draw(st.sampled_from(["3.1.0", "3.0.3"])),
        "info": {
            "title": draw(TEXT),
            "version": draw(st.sampled_from(["1.0", "0.0.1-beta", "2024-01-01"])),
            "description": draw(TEXT),
        },
        "paths": paths,
        "components": {"schemas": components},
    }
    if draw(st.booleans()):
        spec["servers"] = [
            {
                "url": "https://" + draw(st.from_regex(r"[a-z]{1,8}\.example", fullmatch=True)),
                "description": draw(TEXT),
            }
        ]
    return spec


_FAILED = re.compile(r"^generation failed: (\d+) problem\(s\); nothing was written$")


def _generate(spec: dict[str, Any], folder: Path, package: str) -> tuple[int, str, Path]:
    folder.mkdir()
    path = folder / "openapi.json"
    path.write_text(json.dumps(spec, ensure_ascii=True, indent=1), encoding="utf-8")
    out = folder / "out"
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(
            [
                "generate",
                "--spec",
                str(path),
                "--out",
                str(out),
                "--package",
                package,
                "--config",
                str(folder / "none" / "pyproject.toml"),
                "--quiet",
            ]
        )
    return code, stderr.getvalue(), out


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return env


def test_small_valid_specs_generate_code_that_compiles_imports_and_type_checks_or_fail_with_diagnostics(
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    monkeypatch.setenv("OPENAPI_CLIENT_GENERATOR_CACHE", "off")
    # Hypothesis also draws from the constants of every local module imported so far (all test
    # modules, and packages other tests generate and import): without them, the 25 specs are the
    # same whatever else the run has collected or imported.
    from hypothesis.internal.conjecture import providers

    monkeypatch.setattr(providers, "_get_local_constants", providers.Constants)
    providers.CONSTANTS_CACHE.cache.clear()
    counter = itertools.count()
    generated: list[tuple[str, Path]] = []
    refused: list[str] = []

    # No shrinking: each example costs a generation and an interpreter start, so a failure is
    # reported as first found.
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not EXPLORE,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )
    @given(spec=specs())
    def generate_one(spec: dict[str, Any]) -> None:
        index = next(counter)
        package = f"prop_{index}"
        code, stderr, out = _generate(spec, tmp_path / f"example_{index}", package)
        assert "Traceback" not in stderr
        assert code in (0, 2), stderr
        if code == 2:
            lines = stderr.splitlines()
            failed = _FAILED.match(lines[-1])
            assert failed is not None, stderr
            assert len([line for line in lines if ": error: " in line]) == int(failed.group(1)), (
                stderr
            )
            assert not out.exists()
            refused.append(lines[0])
            return
        for source in sorted(out.rglob("*.py")):
            assert_only_declarations(
                ast.parse(source.read_text(encoding="utf-8"), str(source)), str(source)
            )
        result = subprocess.run(
            [sys.executable, "-c", IMPORT_EVERYTHING, str(out), package],
            cwd=out,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        generated.append((package, out))

    generate_one()
    # The strategies aim at valid specs: most of them must get through to the type check.
    print(f"{len(generated)} generated, {len(refused)} refused: {refused}")
    assert len(generated) >= EXAMPLES // 2, refused
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            *itertools.chain.from_iterable(("-p", package) for package, _ in generated),
        ],
        cwd=tmp_path,
        env={**_environment(), "MYPYPATH": os.pathsep.join(str(out) for _, out in generated)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
