"""Shared by the test_features_* modules (no tests here): generate a small inline spec once per
module, import the package it gives, and type-check it with some code that uses it."""

from __future__ import annotations

import importlib
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.config import Config
from generator.pipeline import generate
from tests.support.generation import config_for, write_spec


@dataclass(frozen=True)
class Generated:
    """A generated package: where it is, its notes (warnings) and the imported module."""

    out: Path
    package: str
    notes: tuple[str, ...]
    module: ModuleType

    def file(self, relative: str) -> str:
        return (self.out / self.package / relative).read_text(encoding="utf-8")

    def load(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{name}")

    def mypy(self, usage: str = "") -> str:
        """mypy --strict on the package and on `usage` (code importing it); "" when clean."""
        targets = [self.package]
        if usage:
            (self.out / f"usage_{self.package}.py").write_text(usage, encoding="utf-8")
            targets.append(f"usage_{self.package}.py")
        run = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *targets],
            cwd=self.out,
            capture_output=True,
            text=True,
            check=False,
        )
        return "" if run.returncode == 0 else run.stdout + run.stderr


def generate_package(
    request: pytest.FixtureRequest,
    folder: Path,
    spec: dict[str, Any],
    package: str,
    **changes: Any,
) -> Generated:
    """Generate `spec` as `package` under `folder` and import it, until `request` is finished
    (the out folder stays on sys.path and the package in sys.modules until then).

    `changes` replace fields of the test Config (whose auth lifts x-api-key; auth=None drops it).
    """
    path = write_spec(folder, spec)
    out = folder / "out"
    logged: list[str] = []
    config: Config = replace(config_for(path, out, package=package, root=folder), **changes)
    result = generate(config, logged.append)
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    _forget(package)
    module = importlib.import_module(package)

    def forget() -> None:
        _forget(package)
        if str(out) in sys.path:
            sys.path.remove(str(out))

    request.addfinalizer(forget)
    return Generated(out, package, (*logged, *result.notes), module)


def _forget(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def json_response(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}
