"""Models by closure (issue 16): after a spec update, datamodel-code-generator runs on the schemas
the change reaches, and the generation writes what a cold one writes.

Each test updates a spec of fourteen schemas (a shared `Address` used by `Person` and `Company`,
ten independent widgets) and generates it with the cache of the earlier generations, then cold
(cache off) into another folder: the bytes and the warnings are the same. The models step logs
how many schemas it ran on when it ran on fewer than all; where equality with a whole run cannot
be shown (closure.py) it runs on all of them and says nothing.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.output.write import read_tree_bytes
from generator.pipeline import generate
from tests.support.generation import config_for, minimal_spec, write_spec

_RAN = re.compile(r"models: datamodel-code-generator ran on (\d+) of (\d+) schema\(s\)")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _spec() -> dict[str, Any]:
    spec = minimal_spec()
    schemas = spec["components"]["schemas"]
    schemas["Address"] = {"type": "object", "properties": {"street": {"type": "string"}}}
    schemas["Person"] = {
        "type": "object",
        "properties": {"home": _ref("Address"), "name": {"type": "string"}},
    }
    schemas["Company"] = {"type": "object", "properties": {"office": _ref("Address")}}
    for i in range(10):
        schemas[f"Widget{i}"] = {
            "type": "object",
            "description": f"Widget number {i}.",
            "properties": {"size": {"type": "integer"}, "label": {"type": "string"}},
        }
    return spec


class _Project:
    """A spec updated in place and generated, as `make generate` does, with one cache."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cold_runs = 0

    def generate(self, spec: dict[str, Any]) -> tuple[int, int] | None:
        """Generates `spec` warm and cold and checks that they agree; how many schemas the
        warm models step ran on, of how many, when that was not all of them."""
        path = write_spec(self.folder, spec)
        logs: list[str] = []
        warm_warnings: list[str] = []
        warm = config_for(path, self.folder / "warm", cache_dir=self.folder / "cache")
        generate(warm, log=logs.append, warn=lambda d: warm_warnings.append(d.render()), full=True)
        self.cold_runs += 1
        cold_out = self.folder / f"cold{self.cold_runs}"
        cold_warnings: list[str] = []
        cold = config_for(path, cold_out)
        generate(cold, warn=lambda d: cold_warnings.append(d.render()), full=True)
        assert read_tree_bytes(self.folder / "warm") == read_tree_bytes(cold_out)
        assert warm_warnings == cold_warnings
        ran = [_RAN.search(line) for line in logs]
        found = [(int(m[1]), int(m[2])) for m in ran if m]
        return found[0] if found else None


def _first(tmp_path: Path) -> tuple[_Project, dict[str, Any]]:
    project = _Project(tmp_path)
    spec = _spec()
    assert project.generate(spec) is None  # nothing before it: the whole document
    return project, spec


def test_a_changed_shared_schema_runs_it_and_what_refers_to_it(tmp_path: Path) -> None:
    project, spec = _first(tmp_path)
    spec["components"]["schemas"]["Address"]["properties"]["city"] = {"type": "string"}
    assert project.generate(spec) == (3, 14)


def test_a_changed_description_runs_only_its_schema(tmp_path: Path) -> None:
    project, spec = _first(tmp_path)
    spec["components"]["schemas"]["Widget4"]["description"] = "A widget, renumbered."
    assert project.generate(spec) == (1, 14)


def test_an_added_schema_runs_only_itself(tmp_path: Path) -> None:
    project, spec = _first(tmp_path)
    spec["components"]["schemas"]["Gadget"] = {
        "type": "object",
        "properties": {"widget": _ref("Widget2")},
    }
    assert project.generate(spec) == (2, 15)


def test_a_removed_schema_runs_nothing_and_drops_its_module(tmp_path: Path) -> None:
    project, spec = _first(tmp_path)
    del spec["components"]["schemas"]["Widget7"]
    # Nothing referred to it: no schema to run on, its module is dropped.
    assert project.generate(spec) == (0, 13)


def test_a_renamed_schema_gives_what_a_cold_generation_gives(tmp_path: Path) -> None:
    project, spec = _first(tmp_path)
    schemas = spec["components"]["schemas"]
    schemas["Place"] = schemas.pop("Address")
    for owner, field in (("Person", "home"), ("Company", "office")):
        schemas[owner]["properties"][field] = _ref("Place")
    ran = project.generate(spec)
    assert ran is not None and ran[0] == 3


def test_a_new_reference_cycle_runs_the_whole_document(tmp_path: Path) -> None:
    project, spec = _first(tmp_path)
    schemas = spec["components"]["schemas"]
    schemas["Person"]["properties"]["employer"] = _ref("Company")
    schemas["Company"]["properties"]["staff"] = {"type": "array", "items": _ref("Person")}
    assert project.generate(spec) is None


def test_an_inline_enum_runs_only_the_schema_that_holds_it(
    tmp_path: Path,
) -> None:
    project, spec = _first(tmp_path)
    spec["components"]["schemas"]["Widget1"]["properties"]["kind"] = {
        "type": "string",
        "enum": ["round", "square"],
    }
    assert project.generate(spec) == (1, 14)
    # The same made-up name in another module: each module's own, nothing renumbered.
    spec["components"]["schemas"]["Widget2"]["properties"]["kind"] = {
        "type": "string",
        "enum": ["big", "small"],
    }
    assert project.generate(spec) == (1, 14)


def test_a_union_of_schemas_runs_its_owner_and_its_members(tmp_path: Path) -> None:
    project, spec = _first(tmp_path)
    widgets = {"oneOf": [_ref("Widget1"), _ref("Widget2")]}
    spec["components"]["schemas"]["Person"]["properties"]["tool"] = widgets
    # Person, what it refers to (Address and the two widgets): the union's class is named by
    # the unions of the whole document, kept from the last generation.
    assert project.generate(spec) == (4, 14)
    widgets["oneOf"].append(_ref("Widget3"))
    assert project.generate(spec) == (5, 14)


def test_inline_schemas_two_schemas_share_give_what_a_cold_generation_gives(
    tmp_path: Path,
) -> None:
    # Identical inline schemas get one made-up definition; then one of the two changes.
    project, spec = _first(tmp_path)
    schemas = spec["components"]["schemas"]
    for name in ("Widget1", "Widget2"):
        schemas[name]["properties"]["code"] = {"type": "string", "maxLength": 5, "title": "Code"}
        schemas[name]["properties"]["dims"] = {
            "type": "object",
            "title": "Dims",
            "properties": {"w": {"type": "integer"}},
        }
    project.generate(spec)
    schemas["Widget1"]["properties"]["code"]["maxLength"] = 6
    schemas["Widget1"]["properties"]["dims"]["properties"]["h"] = {"type": "integer"}
    project.generate(spec)
    schemas["Widget3"]["properties"]["dims"] = copy.deepcopy(
        schemas["Widget1"]["properties"]["dims"]
    )
    project.generate(spec)


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["property", "description", "remove", "add", "reference"]),
        st.integers(min_value=0, max_value=9),
    ),
    min_size=2,
    max_size=4,
)


def _edit(spec: dict[str, Any], kind: str, number: int) -> None:
    schemas = spec["components"]["schemas"]
    widgets = sorted(name for name in schemas if name.startswith("Widget"))
    name = widgets[number % len(widgets)] if widgets else "Address"
    if kind == "property":
        schemas[name].setdefault("properties", {})[f"extra{number}"] = {"type": "number"}
    elif kind == "description":
        schemas[name]["description"] = f"Changed {number}."
    elif kind == "remove" and len(widgets) > 1:
        del schemas[name]
    elif kind == "add":
        schemas[f"Widget{number + 10}"] = {
            "type": "object",
            "properties": {"on": {"type": "boolean"}},
        }
    elif kind == "reference" and name != "Address":
        schemas[name].setdefault("properties", {})["place"] = _ref("Address")


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_EDITS)
def test_random_small_edits_give_what_cold_generations_give(
    tmp_path_factory: Any, edits: list[tuple[str, int]]
) -> None:
    project = _Project(tmp_path_factory.mktemp("edits"))
    spec = _spec()
    project.generate(spec)
    seen = [copy.deepcopy(spec)]
    new = by_closure = 0
    for kind, number in edits:
        _edit(spec, kind, number)
        if spec in seen:  # generated before: the models step's result is in the cache
            assert project.generate(spec) is None
            continue
        seen.append(copy.deepcopy(spec))
        new += 1
        by_closure += project.generate(spec) is not None
    # None of these edits makes a cycle or a made-up name: each new spec ran on part of it.
    assert new and by_closure == new
