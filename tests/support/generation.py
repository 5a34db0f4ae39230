"""Helpers for tests that run the generator on small inline specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from generator.cli import main
from generator.config import AuthConfig, Config

REPO = Path(__file__).resolve().parents[2]


def minimal_spec(**extra: Any) -> dict[str, Any]:
    """A valid OpenAPI 3.1 document with one GET operation; `extra` replaces top-level keys."""
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Tiny", "version": "1.0"},
        "paths": {
            "/things/{thing_id}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["things"],
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "size": {"type": "integer"}},
                    "required": ["id"],
                }
            }
        },
    }
    spec.update(extra)
    return spec


def write_spec(folder: Path, spec: dict[str, Any] | str, name: str = "openapi.yaml") -> Path:
    path = folder / name
    if isinstance(spec, str):
        path.write_text(spec, encoding="utf-8")
    elif name.endswith(".json"):
        path.write_text(json.dumps(spec), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def config_for(spec: Path, out: Path, package: str = "tiny_client", **changes: Any) -> Config:
    base = Config(
        spec=spec.resolve(),
        spec_display=spec.name,
        out=out.resolve(),
        package=package,
        client="Tiny",
        async_client="AsyncTiny",
        environment_enum="TinyEnvironment",
        auth=AuthConfig(header="x-api-key", argument="api_key", env="TINY_API_KEY"),
        root=spec.parent.resolve(),
    )
    return base.with_overrides(**changes)


def run_cli(*args: str | Path) -> int:
    return main([str(a) for a in args])
