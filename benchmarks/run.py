"""Benchmarks: the generator and its clients side by side with what users would pick instead.

    make bench                                  # all figures, writes benchmarks/RESULTS.md
    .venv/bin/python -m benchmarks.run --only 4,5 --repeat 5 --no-write

Every figure runs ours and its peers in the same run, interleaved repeat by repeat, each in a
fresh process; it reports medians, the spread of the repeats ((max - min) / median) and the
ratio ours / peer. The peers (openapi-python-client, datamodel-code-generator alone, and the
official `elevenlabs` SDK) live in benchmarks/.venv-peers, pinned in requirements-peers.txt.
`--baseline REF` adds rows for the generator at another commit (a git worktree), measured in
the same run: before/after comparisons of a change.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import corpus, incremental
from .harness import Run, markdown_table, median, run_process, spread

REPO = Path(__file__).resolve().parents[1]
OURS_PY = REPO / ".venv" / "bin" / "python"
PEERS = REPO / "benchmarks" / ".venv-peers"
PEERS_PY = PEERS / "bin" / "python"
PROBE = REPO / "benchmarks" / "probe.py"
LOOPBACK = REPO / "benchmarks" / "loopback.py"
BUNDLED = REPO / "spec" / "openapi.yaml"
FULL_SPEC = REPO.parent / "shared" / "specs" / "elevenlabs-openapi.json"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
BASE_URL = "https://api.elevenlabs.io"
FIGURES = ("1", "2", "3", "4", "5", "6", "7", "8")
TIMES = "\u00d7"  # the multiplication sign, in ratios
NONE = "\u2013"  # an en dash, in empty cells


@dataclass
class Row:
    """One line of a table: a label, measured values (one list per column) and a ratio note."""

    label: str
    values: dict[str, list[float]] = field(default_factory=dict)
    ratio: str = ""

    def add(self, column: str, value: float) -> None:
        self.values.setdefault(column, []).append(value)

    def median(self, column: str) -> float:
        return median(self.values.get(column, []))


@dataclass
class Figure:
    number: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (key, header with unit)
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, label: str) -> Row:
        for row in self.rows:
            if row.label == label:
                return row
        self.rows.append(Row(label))
        return self.rows[-1]

    def render(self) -> str:
        header = ["", *(h for _, h in self.columns), "ratio"]
        body = []
        for row in self.rows:
            cells = [row.label]
            for key, _ in self.columns:
                values = row.values.get(key, [])
                cells.append(_cell(values))
            cells.append(row.ratio)
            body.append(cells)
        text = f"### {self.number}. {self.title}\n\n" + markdown_table(header, body)
        if self.notes:
            text += "\n\n" + "\n".join(f"- {n}" for n in self.notes)
        return text


def _cell(values: Sequence[float]) -> str:
    if not values:
        return NONE
    m = median(values)
    number = f"{m:.3g}" if m < 100 else f"{m:.0f}"
    return f"{number} (±{spread(values) * 50:.0f}%)" if len(values) > 1 else number


def _ratio(a: float, b: float, target: float | None = None) -> str:
    value = a / b if b else float("nan")
    text = f"{value:.2f}{TIMES}"
    if target is not None:
        text += f" (target ≤ {target:g}{TIMES}: {'met' if value <= target else 'MISSED'})"
    return text


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.repeat: int = args.repeat
        self.work = Path(tempfile.mkdtemp(prefix="bench-"))
        self.full_spec: Path = args.full_spec
        self.baseline: str | None = args.baseline
        self.base_tree: Path | None = None
        self.cache = self.work / "cache"
        self.figures: list[Figure] = []
        self.peer_env = {**os.environ, "PATH": f"{PEERS / 'bin'}{os.pathsep}{os.environ['PATH']}"}
        self.full_out = self.work / "full-ours"
        self.opc_full = self.work / "full-opc"

    # ----- helpers -------------------------------------------------------------------------

    def log(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def ours_env(self, cache: str | Path, root: Path | None = None) -> dict[str, str]:
        env = {**os.environ, "OPENAPI_CLIENT_GENERATOR_CACHE": str(cache)}
        if root is not None:
            env["PYTHONPATH"] = str(root)
        return env

    def run(self, label: str, command: Sequence[str | Path], **kwargs: object) -> Run:
        result = run_process(command, **kwargs)  # type: ignore[arg-type]
        if result.returncode != 0:
            raise SystemExit(
                f"{label}: exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
            )
        pss = f", tree PSS {result.tree_pss_mib:.0f} MiB" if result.tree_pss_mib else ""
        self.log(f"  {label}: {result.seconds:.2f} s, max RSS {result.max_rss_mib:.0f} MiB{pss}")
        return result

    def generate(
        self,
        spec: Path | None,
        out: Path,
        cache: str | Path,
        root: Path = REPO,
        check: bool = False,
        manifest: bool = False,
    ) -> Run:
        """A generation (or check) of `spec` (None: the bundled one) into `out`, in a new process.

        Unless `manifest`, it regenerates in full whatever out/MANIFEST.json says: a generation
        starts without it (so a generator at any commit regenerates), a check gets --full.
        """
        command: list[str | Path] = [OURS_PY, "-m", "generator", "check" if check else "generate"]
        if spec is not None:
            command += ["--spec", spec, "--package", "elevenlabs_full"]
        command += ["--out", out, "--quiet"]
        if not manifest and check:
            command.append("--full")
        elif not manifest:
            (out / "MANIFEST.json").unlink(missing_ok=True)
        at = f"@{self.baseline}" if root != REPO else ""
        label = f"ours{at} {command[3]}{' --full' if '--full' in command else ''} {out.name}"
        return self.run(label, command, env=self.ours_env(cache, root), cwd=root)

    def opc(self, spec: Path, out: Path) -> Run:
        command: list[str | Path] = [PEERS / "bin" / "openapi-python-client", "generate"]
        command += ["--path", spec, "--output-path", out, "--overwrite"]
        return self.run(f"openapi-python-client {out.name}", command, env=self.peer_env)

    def dcg(self, spec: Path, out: Path) -> Run:
        out.mkdir(parents=True, exist_ok=True)
        command: list[str | Path] = [PEERS / "bin" / "datamodel-codegen", "--input", spec]
        command += ["--input-file-type", "openapi", "--output", out / "models.py"]
        command += ["--output-model-type", "pydantic_v2.BaseModel", "--disable-timestamp"]
        return self.run("datamodel-codegen", command, env=self.peer_env)

    def probe(self, kind: dict[str, str], mode: str, *extra: str) -> dict[str, float]:
        python = PEERS_PY if kind["kind"] in ("sdk", "opc") else OURS_PY
        env = {**os.environ, "PYTHONPATH": kind.get("path", "")}
        env.pop("ELEVENLABS_API_KEY", None)
        result = self.run(
            f"probe {kind['label']} {mode}",
            [python, PROBE, json.dumps(kind), mode, *extra],
            env=env,
            sample_memory=False,
        )
        data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
        data["process_seconds"] = result.seconds
        return data

    def prepare_baseline(self) -> None:
        if self.baseline is None:
            return
        tree = self.work / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), self.baseline],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        self.base_tree = tree

    def cleanup(self) -> None:
        if self.base_tree is not None:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(self.base_tree)],
                cwd=REPO,
                check=False,
                capture_output=True,
            )
        shutil.rmtree(self.work, ignore_errors=True)

    # ----- figures -------------------------------------------------------------------------

    def figure7(self) -> None:
        """The development corpus (benchmarks/corpus.py): one run of each generator per spec."""
        self.log("figure 7: the development corpus")
        figure = corpus.CorpusFigure()
        for name, relative in corpus.SPECS.items():
            spec = corpus.CORPUS / relative
            out = self.work / "corpus" / Path(relative).stem
            out.parent.mkdir(parents=True, exist_ok=True)
            ours = corpus.run_ours(OURS_PY, spec, out, os.environ)
            opc = corpus.run_opc(
                PEERS / "bin" / "openapi-python-client",
                spec,
                out.with_name(out.name + "-opc"),
                self.peer_env,
            )
            self.log(
                f"  {name}: ours {'ok' if ours.generated else 'FAILED'} {ours.run.seconds:.1f} s,"
                f" opc {'ok' if opc.generated else 'failed'} {opc.run.seconds:.1f} s"
            )
            figure.add(name, spec, corpus.spec_operations(spec), ours, opc)
        self.figures.append(figure)  # type: ignore[arg-type]

    def figure1(self) -> None:
        figure = Figure(
            "1",
            "Generation of the bundled spec, cold process",
            (("s", "wall s"), ("rss", "peak RSS MiB")),
        )
        self.log("figure 1: bundled spec")
        warm = self.work / "cache-bundled"
        self.generate(None, self.work / "warmup", warm)
        runners: tuple[tuple[str, Callable[[], Run]], ...] = (
            ("ours, cache off", lambda: self.generate(None, self.work / "b-off", "off")),
            ("ours, cache warm", lambda: self.generate(None, self.work / "b-warm", warm)),
            ("openapi-python-client", lambda: self.opc(BUNDLED, self.work / "b-opc")),
        )
        for index in range(self.repeat):
            for label, run in runners if index % 2 == 0 else reversed(runners):
                result = run()
                figure.row(label).add("s", result.seconds)
                figure.row(label).add("rss", result.max_rss_mib)
        opc = figure.row("openapi-python-client").median("s")
        for label in ("ours, cache off", "ours, cache warm"):
            figure.row(label).ratio = _ratio(figure.row(label).median("s"), opc, 1.0)
        figure.notes.append(
            "Both in a new process, output folder replaced; openapi-python-client runs its "
            "ruff post-hooks. Ours uses [tool.generator] from pyproject.toml."
        )
        self.figures.append(figure)

    def figure2_3(self, want2: bool, want3: bool) -> None:
        spec = self.full_spec
        figure = Figure(
            "2",
            f"Generation of the full ElevenLabs spec ({spec.name}, {spec.stat().st_size / 1e6:.1f} MB)",
            (
                ("s", "wall s"),
                ("rss", "largest process peak RSS MiB"),
                ("pss", "process tree peak PSS MiB"),
            ),
        )
        regen = Figure(
            "3",
            "Nothing changed: regeneration and `check`, against a full generation",
            (("s", "wall s"),),
        )
        self.log("figure 2/3: full spec")
        runners: list[tuple[Figure, str, Callable[[], Run]]] = []
        warm = self.cache
        cold_ours = "ours, cache off (cold)"
        runners.append((figure, cold_ours, lambda: self.generate(spec, self.full_out, "off")))
        runners.append((figure, "openapi-python-client", lambda: self.opc(spec, self.opc_full)))
        if want2:
            runners.append(
                (
                    figure,
                    "datamodel-code-generator alone",
                    lambda: self.dcg(spec, self.work / "dcg"),
                )
            )
        if self.base_tree is not None:
            tree = self.base_tree
            runners.append(
                (
                    figure,
                    f"ours @{self.baseline}, cache off",
                    lambda: self.generate(spec, self.work / "full-base", "off", root=tree),
                )
            )
        # A regeneration into a new folder with every cached result there (figure 2, warm),
        # and into the same folder / a check of it (figure 3).
        first = [True]

        def warm_fresh() -> Run:
            if first[0]:
                self.generate(spec, self.work / "full-warmup", warm)
                first[0] = False
            return self.generate(spec, self.work / "full-warm", warm)

        runners.append((figure, "ours, cache warm", warm_fresh))
        if want3:
            # Which path each row takes: "manifest" rows are answered by out/MANIFEST.json
            # (nothing is generated), "in full" rows regenerate (generate: and write; check:
            # and compare file by file). The full-spec output is figure 2's warm one.
            full_out = self.work / "full-warm"
            rows3: tuple[tuple[str, Callable[[], Run]], ...] = (
                (
                    "ours: generate, nothing changed: manifest (cache off)",
                    lambda: self.generate(spec, full_out, "off", manifest=True),
                ),
                (
                    "ours: generate, nothing changed: in full (cache warm)",
                    lambda: self.generate(spec, full_out, warm),
                ),
                (
                    "ours: check, up to date: manifest (cache off, e.g. CI from a fresh clone)",
                    lambda: self.generate(spec, full_out, "off", check=True, manifest=True),
                ),
                (
                    "ours: check --full, up to date: in full (cache warm)",
                    lambda: self.generate(spec, full_out, warm, check=True),
                ),
                (
                    "ours: check --full, up to date: in full (cache off)",
                    lambda: self.generate(spec, full_out, "off", check=True),
                ),
            )
            runners += [(regen, label, run) for label, run in rows3]
            bundled_out = self.work / "b3"
            self.generate(None, bundled_out, "off")
            rows3b: tuple[tuple[str, Callable[[], Run]], ...] = (
                (
                    "ours: bundled spec, check: manifest (cache off)",
                    lambda: self.generate(None, bundled_out, "off", check=True, manifest=True),
                ),
                (
                    "ours: bundled spec, check --full: in full (cache off)",
                    lambda: self.generate(None, bundled_out, "off", check=True),
                ),
                (
                    "ours: bundled spec, generate (cache off)",
                    lambda: self.generate(None, self.work / "b3-off", "off"),
                ),
            )
            runners += [(regen, label, run) for label, run in rows3b]
        for index in range(self.repeat):
            order = runners if index % 2 == 0 else list(reversed(runners))
            for fig, label, run in order:
                result = run()
                fig.row(label).add("s", result.seconds)
                if fig is figure:
                    fig.row(label).add("rss", result.max_rss_mib)
                    fig.row(label).add("pss", result.tree_pss_mib)
        opc = figure.row("openapi-python-client")
        ours = figure.row(cold_ours)
        ours.ratio = "wall " + _ratio(ours.median("s"), opc.median("s"), 1.0)
        if want2:
            dcg = figure.row("datamodel-code-generator alone")
            ours.ratio += "; memory vs datamodel-code-generator " + _ratio(
                ours.median("pss"), dcg.median("pss"), 1.0
            )
            dcg.ratio = "wall " + _ratio(dcg.median("s"), opc.median("s"))
        warm_row = figure.row("ours, cache warm")
        warm_row.ratio = "wall " + _ratio(warm_row.median("s"), opc.median("s"))
        if self.base_tree is not None:
            base = figure.row(f"ours @{self.baseline}, cache off")
            base.ratio = "wall " + _ratio(base.median("s"), opc.median("s"))
        figure.notes += [
            "Cold means the content cache is off (OPENAPI_CLIENT_GENERATOR_CACHE=off): validation, "
            "datamodel-code-generator and black all run. Warm: a new output folder, every cached "
            "result present.",
            "Memory ratio uses the process tree's peak PSS (our formatter forks workers that share "
            "pages with the parent); the largest single process's RSS is shown too.",
            "datamodel-code-generator alone: its CLI on the same file, pydantic v2 models, its default "
            "formatters (black, isort).",
        ]
        if figure.rows and want2:
            self.figures.append(figure)
        if want3:
            cold_full = ours.median("s")
            cold_bundled = regen.row("ours: bundled spec, generate (cache off)").median("s")
            for row in regen.rows:
                # The target applies to what a user meets when nothing changed: the manifest's
                # answer, or a regeneration from a warm cache; a cold --full run is for reference.
                target = None if "in full (cache off)" in row.label else 0.2
                if row.label.startswith("ours: bundled spec, generate"):
                    row.ratio = f"1.00{TIMES} (the reference)"
                elif row.label.startswith("ours: bundled"):
                    row.ratio = (
                        _ratio(row.median("s"), cold_bundled, target)
                        + " of bundled cold generation"
                    )
                else:
                    row.ratio = (
                        _ratio(row.median("s"), cold_full, target) + " of full cold generation"
                    )
            regen.notes += [
                "Full-spec rows compare with figure 2's cold generation (median "
                f"{cold_full:.1f} s in this run).",
                "manifest: the output's MANIFEST.json vouches for it (same generator, spec, "
                "overlays, settings and file digests), so nothing is generated: what `make check` "
                "and `make generate` cost when nothing changed, with or without a cache, e.g. CI "
                "from a fresh clone. in full: a real regeneration (--full, or when the manifest "
                "does not vouch, e.g. after a generator change); the cache-off one is what CI "
                "pays then unless it keeps `.cache/generator` between runs.",
            ]
            self.figures.append(regen)

    def kinds(self) -> dict[str, dict[str, str]]:
        kinds = {
            "ours": {
                "label": "ours (bundled spec client)",
                "kind": "ours",
                "package": "elevenlabs_client",
                "client": "ElevenLabs",
                "base_url": BASE_URL,
                "path": str(REPO / "generated"),
            },
            "sdk": {"label": "official elevenlabs SDK", "kind": "sdk", "base_url": BASE_URL},
        }
        if self.full_out.is_dir():
            kinds["ours-full"] = {
                "label": "ours (full-spec client)",
                "kind": "ours",
                "package": "elevenlabs_full",
                "client": "ElevenLabs",
                "base_url": BASE_URL,
                "path": str(self.full_out),
            }
        opc_package = self._opc_package()
        if opc_package is not None:
            package, module = opc_package
            kinds["opc-full"] = {
                "label": "openapi-python-client (full-spec client)",
                "kind": "opc",
                "package": package,
                "module": module,
                "base_url": BASE_URL,
                "path": str(self.opc_full),
            }
        return kinds

    def _opc_package(self) -> tuple[str, str] | None:
        for client in sorted(self.opc_full.glob("*/client.py")):
            package = client.parent
            for module in sorted(package.glob("api/*/*.py")):
                if '"/v1/convai/conversation/get-signed-url"' in module.read_text(encoding="utf-8"):
                    dotted = ".".join(module.relative_to(self.opc_full).with_suffix("").parts)
                    return package.name, dotted
        return None

    def ensure_full_clients(self) -> None:
        if not self.full_out.is_dir() and self.full_spec.is_file():
            self.generate(self.full_spec, self.full_out, self.cache)
        if self._opc_package() is None and self.full_spec.is_file():
            self.opc(self.full_spec, self.opc_full)

    def figure4(self) -> None:
        self.log("figure 4: import")
        figure = Figure(
            "4",
            "Import in a fresh process: import, construct, touch conversational_ai.conversations.get_signed_url",
            (("s", "in-process s"), ("proc", "whole process s"), ("modules", "modules loaded")),
        )
        kinds = self.kinds()
        for kind in kinds.values():  # compile bytecode once, as an installed package would have it
            self.probe(kind, "import")
        for _ in range(max(self.repeat * 3, 5)):
            for kind in kinds.values():
                data = self.probe(kind, "import")
                row = figure.row(kind["label"])
                row.add("s", data["seconds"])
                row.add("proc", data["process_seconds"])
                row.add("modules", data["modules"])
        sdk = figure.row(kinds["sdk"]["label"]).median("s")
        for key, kind in kinds.items():
            if key.startswith("ours"):
                figure.row(kind["label"]).ratio = _ratio(
                    figure.row(kind["label"]).median("s"), sdk, 0.25
                )
            elif key == "opc-full":
                figure.row(kind["label"]).ratio = _ratio(figure.row(kind["label"]).median("s"), sdk)
        if "opc-full" in kinds and "ours-full" in kinds:
            ours = figure.row(kinds["ours-full"]["label"]).median("s")
            opc = figure.row(kinds["opc-full"]["label"]).median("s")
            figure.notes.append(
                f"Full-spec clients: ours / openapi-python-client = {ours / opc:.2f}{TIMES}."
            )
        figure.notes.append(
            "Ratios use the in-process time (interpreter start-up excluded); bytecode compiled "
            "beforehand, as in an installed package."
        )
        self.figures.append(figure)

    def figure5(self) -> None:
        self.log("figure 5: per-call overhead")
        figure = Figure(
            "5",
            "Per-call time of get_signed_url against a raw `httpx.Client.get(url).json()` in the same process",
            (
                ("mock", "MockTransport µs"),
                ("mock_raw", "raw httpx µs"),
                ("mock_ratio", "ratio (mock)"),
                ("loop", "loopback µs"),
                ("loop_raw", "raw httpx µs"),
                ("loop_ratio", "ratio (loopback)"),
            ),
        )
        kinds = self.kinds()
        server = subprocess.Popen(
            [sys.executable, LOOPBACK], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            for _ in range(self.repeat):
                for kind in kinds.values():
                    row = figure.row(kind["label"])
                    mock = self.probe(kind, "call-mock")
                    row.add("mock", mock["client_us"])
                    row.add("mock_raw", mock["raw_us"])
                    row.add("mock_ratio", mock["ratio"])
                    loop = self.probe(kind, "call-loopback", url)
                    row.add("loop", loop["client_us"])
                    row.add("loop_raw", loop["raw_us"])
                    row.add("loop_ratio", loop["ratio"])
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=10)
        for key, kind in kinds.items():
            row = figure.row(kind["label"])
            target = 1.05 if key.startswith("ours") else None
            value = row.median("mock_ratio")
            row.ratio = f"{value:.2f}{TIMES} raw" + (
                f" (target ≤ 1.05{TIMES}: {'met' if value <= target else 'MISSED'})"
                if target
                else ""
            )
        figure.notes.append(
            "Each probe interleaves batches of the client call and of the raw call (41 batches of 400 calls on "
            "MockTransport, 21 of 100 on loopback) and reports medians; the table shows the median of "
            "the repeats. The loopback server is a separate process (HTTP/1.1 keep-alive)."
        )
        self.figures.append(figure)

    def figure6(self) -> None:
        self.log("figure 6: memory")
        figure = Figure(
            "6",
            "Peak memory of a process that imports the client and makes one call (MockTransport)",
            (("rss", "peak RSS MiB"), ("modules", "modules loaded")),
        )
        kinds = self.kinds()
        for _ in range(self.repeat):
            for kind in kinds.values():
                data = self.probe(kind, "memory")
                figure.row(kind["label"]).add("rss", data["max_rss_mib"])
                figure.row(kind["label"]).add("modules", data["modules"])
        sdk = figure.row(kinds["sdk"]["label"]).median("rss")
        for key, kind in kinds.items():
            if key != "sdk":
                figure.row(kind["label"]).ratio = _ratio(
                    figure.row(kind["label"]).median("rss"), sdk
                )
        self.figures.append(figure)


# ----- report ------------------------------------------------------------------------------


def _versions(python: Path, names: Sequence[str]) -> dict[str, str]:
    if not python.exists():  # the peers' virtualenv, when only figure 8 was asked for
        return {}
    code = (
        "import json, sys\nfrom importlib.metadata import version, PackageNotFoundError\n"
        "out = {}\nfor n in sys.argv[1:]:\n"
        "    try: out[n] = version(n)\n    except PackageNotFoundError: out[n] = 'missing'\n"
        "print(json.dumps(out))"
    )
    result = subprocess.run(
        [python, "-c", code, *names], capture_output=True, text=True, check=False
    )
    return json.loads(result.stdout) if result.returncode == 0 else {}


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory_text = f"{int(memory) / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory_text = "?"
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_text} memory; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def report(bench: Bench, started: datetime.datetime, load: tuple[float, float]) -> str:
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    ours = _versions(
        OURS_PY,
        ["black", "datamodel-code-generator", "openapi-spec-validator", "httpx", "pydantic"],
    )
    peers = _versions(
        PEERS_PY,
        [
            "openapi-python-client",
            "datamodel-code-generator",
            "elevenlabs",
            "ruff",
            "httpx",
            "pydantic",
        ],
    )
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `make bench` (commit {commit}, {bench.repeat} repeats "
        "per figure unless a note says otherwise).",
        "",
        f"- Machine: {_machine()}. Load average (1 min) {load[0]:.2f} at the start, {load[1]:.2f} at the end: "
        "the machine is shared, so absolute times are noise; read the ratios.",
        "- Ours: " + ", ".join(f"{k} {v}" for k, v in ours.items()) + ".",
        "- Peers: " + ", ".join(f"{k} {v}" for k, v in peers.items()) + ".",
        "- Cells are medians; (±N%) is half the spread of the repeats, (max - min) / 2 / median.",
        "",
    ]
    lines += [figure.render() + "\n" for figure in bench.figures]
    return "\n".join(lines).rstrip() + "\n"


def write_results(section: str) -> None:
    text = (
        RESULTS.read_text(encoding="utf-8")
        if RESULTS.is_file()
        else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    )
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    RESULTS.write_text(f"{head}{BEGIN}\n{section}{END}{tail}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--repeat", type=int, default=3, help="repeats per figure (default 3)")
    parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated figure numbers")
    parser.add_argument("--full-spec", type=Path, default=FULL_SPEC)
    parser.add_argument(
        "--baseline", help="also measure the generator at this git commit (figures 2, 3, 8)"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave RESULTS.md alone"
    )
    args = parser.parse_args(argv)
    wanted = set(args.only.split(","))
    if not PEERS_PY.exists() and wanted - {"8"}:
        print(
            f"{PEERS_PY} is missing: run `make bench` (it creates the peers' virtualenv)",
            file=sys.stderr,
        )
        return 2
    if not args.full_spec.is_file():
        print(
            f"{args.full_spec} is missing: figures 2 and 3 and the full-spec rows are skipped",
            file=sys.stderr,
        )
    started = datetime.datetime.now(datetime.UTC)
    load_start = os.getloadavg()[0]
    bench = Bench(args)
    try:
        bench.prepare_baseline()
        if "1" in wanted:
            bench.figure1()
        if args.full_spec.is_file():
            if "2" in wanted or "3" in wanted:
                bench.figure2_3("2" in wanted, "3" in wanted)
            if wanted & {"4", "5", "6"}:
                bench.ensure_full_clients()
        if "4" in wanted:
            bench.figure4()
        if "5" in wanted:
            bench.figure5()
        if "6" in wanted:
            bench.figure6()
        if "7" in wanted:
            bench.figure7()
        if "8" in wanted and args.full_spec.is_file():
            bench.figures.append(incremental.figure8(bench, Figure, _ratio))
        section = report(bench, started, (load_start, os.getloadavg()[0]))
    finally:
        bench.cleanup()
    print(section)
    if not args.no_write:
        write_results(section)
        print(f"wrote {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
