"""The generated README's sections on pagination, webhooks, hooks and logging, identification
headers, idempotency keys and deprecations: each is there when the API has the feature, and
every example in them runs against a loopback server and does what its section says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.config import Config
from generator.pipeline import generate
from tests.support.generation import config_for, write_spec
from tests.support.loopback import LoopbackServer
from tests.test_generated_readme import blocks, run_examples

ITEM = {"$ref": "#/components/schemas/Item"}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1"},
    "x-webhook-signature": {"scheme": "hmac", "header": "Shop-Signature", "tolerance": 600},
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "tags": ["items"],
                "x-fern-pagination": {
                    "cursor": "$request.cursor",
                    "next_cursor": "$response.next_cursor",
                    "results": "$response.items",
                },
                "parameters": [
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "sort",
                        "in": "query",
                        "deprecated": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "A page",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ItemPage"}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "createItem",
                "tags": ["items"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Made",
                        "content": {"application/json": {"schema": ITEM}},
                    }
                },
            },
        }
    },
    "webhooks": {
        "itemMade": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": ITEM}}},
                "responses": {"200": {"description": "OK"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "legacy_code": {"type": "string", "deprecated": True},
                },
            },
            "ItemPage": {
                "type": "object",
                "required": ["items"],
                "properties": {
                    "items": {"type": "array", "items": ITEM},
                    "next_cursor": {"type": ["string", "null"]},
                },
            },
        }
    },
}


def _generated(folder: Path, spec: dict[str, Any], package: str, **changes: Any) -> Config:
    config = config_for(write_spec(folder, spec), folder / "out", package=package, **changes)
    generate(config)
    return config


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, str]:
    config = _generated(
        tmp_path_factory.mktemp("readme_shop"),
        SPEC,
        "readme_shop",
        idempotency_header="Idempotency-Key",
        sdk_headers=(("X-Shop-SDK", "{distribution}/{version}"),),
    )
    return config, (config.out / "README.md").read_text(encoding="utf-8")


def _run(
    generated: tuple[Config, str],
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> dict[str, int]:
    config, readme = generated
    monkeypatch.syspath_prepend(str(config.out))
    monkeypatch.chdir(tmp_path)
    return run_examples(readme, config, loopback, monkeypatch)


def test_every_feature_section_is_in_the_readme_with_its_examples(
    shop: tuple[Config, str],
) -> None:
    _, readme = shop
    sections = [section for section, _, _ in blocks(readme)]
    for section, count in [
        ("Pagination", 2),
        ("Webhooks", 1),
        ("Request hooks and logging", 1),
        ("Identification headers", 1),
        ("Idempotency keys", 1),
        ("Deprecations", 1),
    ]:
        assert sections.count(section) == count, section
        assert f"- [{section}](#" in readme


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_example_of_the_feature_sections_runs(
    shop: tuple[Config, str],
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ran = _run(shop, loopback, monkeypatch, tmp_path)
    assert ran["Pagination"] == 2 and ran["Webhooks"] == 1 and ran["Deprecations"] == 1
    printed = capsys.readouterr().out
    assert "refused: timestamp_out_of_tolerance" in printed  # the webhook example's delivery
    assert "attempt 1 GET /items" in printed  # the hook example's hook


def test_the_idempotency_example_sends_its_own_key(
    shop: tuple[Config, str],
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _run(shop, loopback, monkeypatch, tmp_path)
    keys = [r.header("Idempotency-Key") for r in loopback.requests if r.method == "POST"]
    assert "order-17" in keys
    assert all(keys) and len(set(keys)) == len(keys)  # a fresh key for every other call


def test_the_identification_example_replaces_and_removes_headers(
    shop: tuple[Config, str],
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _run(shop, loopback, monkeypatch, tmp_path)
    nightly = [r for r in loopback.requests if r.header("User-Agent") == "my-app/1.0 (nightly)"]
    assert len(nightly) == 1 and nightly[0].header("X-Shop-SDK") is None
    others = [r for r in loopback.requests if r.header("X-Shop-SDK") is not None]
    assert others and all(r.header("X-Shop-SDK") == "readme-shop/0.1.0" for r in others)


def test_the_readme_lists_what_is_deprecated(shop: tuple[Config, str]) -> None:
    _, readme = shop
    deprecations = readme.split("\n## Deprecations\n", 1)[1].split("\n## ", 1)[0]
    assert "- `sort` of `client.items.list_items`" in deprecations
    assert "- `Item.legacy_code`" in deprecations
    reference = readme.split("\n### client.items.list_items\n", 1)[1].split("\n### ", 1)[0]
    assert "| `sort` | query | `str` | no | Deprecated: using it warns" in reference


def test_a_standard_webhooks_example_runs_and_refuses_its_delivery(
    tmp_path_factory: pytest.TempPathFactory,
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = {k: v for k, v in SPEC.items() if k != "x-webhook-signature"}
    config = _generated(tmp_path_factory.mktemp("readme_std"), spec, "readme_std")
    readme = (config.out / "README.md").read_text(encoding="utf-8")
    assert "webhook-signature" in readme
    ran = _run((config, readme), loopback, monkeypatch, tmp_path)
    assert ran["Webhooks"] == 1
    assert "refused: timestamp_out_of_tolerance" in capsys.readouterr().out


def test_an_api_without_the_features_gets_only_the_hooks_and_identification_sections(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Plain", "version": "1"},
        "paths": {
            "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "OK"}}}}
        },
    }
    config = _generated(tmp_path_factory.mktemp("readme_plain"), spec, "readme_plain")
    readme = (config.out / "README.md").read_text(encoding="utf-8")
    for absent in ("Pagination", "Webhooks", "Idempotency keys", "Deprecations"):
        assert f"\n## {absent}\n" not in readme and f"(#{absent.lower()}" not in readme
    assert "\n## Request hooks and logging\n" in readme
    assert "\n## Identification headers\n" in readme
