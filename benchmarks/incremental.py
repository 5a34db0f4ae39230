"""Figure 8: `generate` after a spec update, warm cache, against a cold generation (issue 16).

The full ElevenLabs spec with its overlay is generated once with a cache; then, repeat by
repeat, the spec is updated in place and regenerated into the same folder with that cache:
one operation gains a query parameter and a new description, or one shared component schema
(ResourceAccessInfo, which 20 others refer to) gains a property. Each update is new (numbered),
so nothing it needs was cached by an earlier repeat; the cold row generates the spec as it was
first, cache off. With --baseline, the same rows for the generator at that commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .harness import Run

if TYPE_CHECKING:
    from .run import Bench, Figure

SHARED_SCHEMA = "ResourceAccessInfo"


def edited(spec: dict[str, Any], kind: str, n: int) -> dict[str, Any]:
    """The spec after update `n`: of one operation ("operation") or one shared schema."""
    spec = json.loads(json.dumps(spec))
    if kind == "operation":
        path = sorted(spec["paths"])[7]
        item = spec["paths"][path]
        operation = item.get("get") or next(v for k, v in item.items() if k != "parameters")
        operation["description"] = f"Changed by update {n}."
        parameter = {"name": f"extra_{n}", "in": "query", "required": False}
        operation.setdefault("parameters", []).append({**parameter, "schema": {"type": "string"}})
    else:
        schema = spec["components"]["schemas"][SHARED_SCHEMA]
        schema["properties"][f"extra_{n}"] = {"type": "string", "description": f"Update {n}."}
    return spec


def figure8(bench: Bench, figure_cls: type[Figure], ratio: Callable[..., str]) -> Figure:
    from .run import OURS_PY, REPO

    figure = figure_cls(
        "8",
        "After a spec update: `generate` with the cache warm, against a cold generation "
        "(full spec with its overlay)",
        (("s", "wall s"),),
    )
    bench.log("figure 8: regeneration after a spec update")
    overlay = REPO / "examples" / "elevenlabs.overlay.yaml"
    original = json.loads(bench.full_spec.read_text(encoding="utf-8"))
    trees: list[tuple[str, Path]] = [("", REPO)]
    if bench.base_tree is not None:
        trees.append((f" @{bench.baseline}", bench.base_tree))

    def generate(root: Path, tag: str, spec: Path, out: Path, cache: str | Path) -> Run:
        command: list[str | Path] = [OURS_PY, "-m", "generator", "generate", "--spec", spec]
        command += ["--overlay", overlay, "--package", "elevenlabs_full", "--out", out]
        command += ["--quiet", "--full"]
        label = f"ours{tag} generate {out.name} ({spec.name}, cache {Path(cache).name})"
        return bench.run(label, command, env=bench.ours_env(cache, root), cwd=root)

    specs: dict[str, Path] = {}
    for tag, root in trees:
        folder = bench.work / f"updates{tag.replace(' @', '-')}"
        folder.mkdir()
        spec = folder / "elevenlabs-openapi.json"
        spec.write_text(json.dumps(original, indent=2), encoding="utf-8")
        specs[tag] = spec
        generate(root, tag, spec, folder / "out", folder / "cache")  # fills the cache
    counter = [0]

    def update(tag: str, root: Path, kind: str) -> Run:
        counter[0] += 1
        spec = specs[tag]
        changed = edited(original, kind, counter[0])
        spec.write_text(json.dumps(changed, indent=2), encoding="utf-8")
        return generate(root, tag, spec, spec.parent / "out", spec.parent / "cache")

    cold_spec = bench.work / "cold" / "elevenlabs-openapi.json"
    cold_spec.parent.mkdir()
    cold_spec.write_text(json.dumps(original, indent=2), encoding="utf-8")
    rows: list[tuple[str, Callable[[], Run]]] = []
    for tag, root in trees:
        rows.append(
            (
                f"ours{tag}, cold (cache off)",
                lambda r=root, t=tag: generate(r, t, cold_spec, cold_spec.parent / "out", "off"),
            )
        )
        rows.append(
            (
                f"ours{tag}, one operation changed, cache warm",
                lambda r=root, t=tag: update(t, r, "operation"),
            )
        )
        rows.append(
            (
                f"ours{tag}, one shared schema changed, cache warm",
                lambda r=root, t=tag: update(t, r, "schema"),
            )
        )
    for index in range(bench.repeat):
        for label, run in rows if index % 2 == 0 else reversed(rows):
            figure.row(label).add("s", run().seconds)
    for tag, _ in trees:
        cold = figure.row(f"ours{tag}, cold (cache off)").median("s")
        figure.row(f"ours{tag}, cold (cache off)").ratio = "1.00\u00d7 (the reference)"
        for label, target in (("one operation changed", 0.2), ("one shared schema changed", 0.4)):
            row = figure.row(f"ours{tag}, {label}, cache warm")
            row.ratio = ratio(row.median("s"), cold, target) + f" of cold{tag}"
    figure.notes.append(
        "Each update is new (numbered), so none of it was cached by an earlier repeat; `--full` "
        "so that MANIFEST.json answers nothing. The shared schema is "
        f"{SHARED_SCHEMA}, referred to by 20 other schemas."
    )
    return figure
