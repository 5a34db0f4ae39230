"""Config: the [tool.generator] table of pyproject.toml, merged with command-line overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .diagnostics import GenerationFailed

__all__ = ["AuthConfig", "Config", "load_config"]


@dataclass(frozen=True)
class AuthConfig:
    """A header lifted from the operations to the client constructor."""

    header: str
    argument: str
    env: str | None


@dataclass(frozen=True)
class Config:
    """Everything a generation needs besides the spec itself; paths are absolute."""

    spec: Path
    out: Path
    package: str
    client: str = "Client"
    async_client: str = "AsyncClient"
    environment_enum: str = "Environment"
    # Server URL → enum member name, for servers that carry no x-fern-server-name.
    environments: tuple[tuple[str, str], ...] = ()
    auth: AuthConfig | None = None
    overlays: tuple[Path, ...] = ()
    # The spec path as written in generated headers: relative to the project, never machine-specific.
    spec_display: str = ""
    package_version: str = "0.1.0"
    strict: bool = False
    max_spec_bytes: int = 50 * 1024 * 1024
    root: Path = field(default=Path("."))
    # Content-addressed cache of validation, model and formatting results; None turns it off.
    cache_dir: Path | None = None

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_KEYS = {
    "spec",
    "out",
    "package",
    "client",
    "async_client",
    "environment_enum",
    "environments",
    "auth",
    "overlays",
    "package_version",
    "max_spec_bytes",
}


def load_config(pyproject: Path | None) -> Config:
    """Read [tool.generator]; with no pyproject, defaults that need --spec/--out/--package."""
    root = pyproject.parent.resolve() if pyproject is not None else Path.cwd().resolve()
    table: dict[str, Any] = {}
    shown = str(pyproject) if pyproject is not None else "pyproject.toml"
    if pyproject is not None and pyproject.is_file():
        try:
            document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise GenerationFailed.in_file(shown, f"invalid TOML: {exc}") from None
        table = document.get("tool", {}).get("generator", {})
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise GenerationFailed.in_file(
            shown, f"unknown [tool.generator] key(s): {', '.join(unknown)}"
        )
    overlays = table.get("overlays", [])
    if not isinstance(overlays, list) or not all(isinstance(o, str) and o for o in overlays):
        raise GenerationFailed.in_file(
            shown, "[tool.generator] overlays must be a list of file paths (strings)"
        )
    auth_table = table.get("auth")
    auth = (
        AuthConfig(
            header=str(auth_table["header"]),
            argument=str(auth_table.get("argument", "api_key")),
            env=auth_table.get("env"),
        )
        if isinstance(auth_table, dict) and "header" in auth_table
        else None
    )
    spec = table.get("spec", "spec/openapi.yaml")
    return Config(
        spec=(root / spec).resolve(),
        spec_display=spec,
        out=(root / table.get("out", "generated")).resolve(),
        package=table.get("package", "client"),
        client=table.get("client", "Client"),
        async_client=table.get("async_client", "AsyncClient"),
        environment_enum=table.get("environment_enum", "Environment"),
        environments=tuple((str(k), str(v)) for k, v in table.get("environments", {}).items()),
        auth=auth,
        overlays=tuple((root / o).resolve() for o in overlays),
        package_version=str(table.get("package_version", "0.1.0")),
        max_spec_bytes=int(table.get("max_spec_bytes", 50 * 1024 * 1024)),
        root=root,
        cache_dir=_cache_dir(root),
    )


def _cache_dir(root: Path) -> Path | None:
    """$OPENAPI_CLIENT_GENERATOR_CACHE (\"off\" disables), else .cache/generator in the project."""
    setting = os.environ.get("OPENAPI_CLIENT_GENERATOR_CACHE")
    if setting == "off":
        return None
    return Path(setting).resolve() if setting else root / ".cache" / "generator"
