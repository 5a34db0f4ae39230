"""Figure 7: the development corpus, ours and openapi-python-client side by side.

For each real-world spec of tests/fixtures/corpus/ both generators run once, each in a new
process with nothing cached: did it give a client, how many of the spec's operations the client
offers, wall time, peak RSS and how many warnings it printed. The last line compares the wall
time on the largest spec (by bytes), where ours must not be slower.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.support.corpus import CORPUS, REPO
from tests.support.corpus import SPECS as CORPUS_SPECS

from .harness import Run, markdown_table, run_process


def _label(name: str, relative: str) -> str:
    """The spec's name in the table; a multi-file spec's with its number of files."""
    folder = Path(relative).parent
    if folder == Path("."):
        return name
    files = sum(1 for f in (CORPUS / folder).rglob("*") if f.is_file())
    return f"{name} ({files} files)"


# The corpus as the tests know it (tests/support/corpus.py), labelled for the table.
SPECS = {_label(name, relative): relative for name, relative in CORPUS_SPECS.items()}
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_OURS_OPERATIONS = re.compile(r"(\d+) operation\(s\)")
_OURS_WARNINGS = re.compile(r"; (\d+) warning\(s\)")


@dataclass(frozen=True)
class Outcome:
    generated: bool
    operations: int | None
    run: Run
    warnings: int


def spec_operations(path: Path) -> int:
    """The operations the spec declares, counted on the document as the generator reads it."""
    from generator.spec import load_spec

    source = load_spec(path, display=path.name, max_bytes=200 * 2**20, max_files=10_000)
    count = 0
    for item in (source.data.get("paths") or {}).values():
        if isinstance(item, Mapping):
            count += sum(1 for m in _HTTP_METHODS if isinstance(item.get(m), Mapping))
    return count


def _size(path: Path) -> int:
    folder = path.parent if path.parent != CORPUS else None
    if folder is None:
        return path.stat().st_size
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class CorpusFigure:
    number = "7"

    def __init__(self) -> None:
        self.rows: list[tuple[str, int, Outcome, Outcome]] = []
        self.largest: tuple[int, str] = (0, "")

    def add(self, name: str, spec: Path, total: int, ours: Outcome, opc: Outcome) -> None:
        self.rows.append((name, total, ours, opc))
        self.largest = max(self.largest, (_size(spec), name))

    def render(self) -> str:
        header = [
            "spec (operations)",
            "ours: client",
            "ours: operations",
            "ours: wall s",
            "ours: peak RSS MiB",
            "ours: warnings",
            "opc: client",
            "opc: operations",
            "opc: wall s",
            "opc: peak RSS MiB",
            "opc: warnings",
        ]
        body = []
        for name, total, ours, opc in self.rows:
            body.append([f"{name} ({total})", *_cells(ours), *_cells(opc)])
        made = sum(1 for _, _, ours, _ in self.rows if ours.generated)
        made_opc = sum(1 for _, _, _, opc in self.rows if opc.generated)
        text = "### 7. The development corpus: real-world specs\n\n" + markdown_table(header, body)
        notes = [
            f"Clients generated: ours {made} of {len(self.rows)}, openapi-python-client (opc)"
            f" {made_opc} of {len(self.rows)}. One run each, new process, nothing cached (ours:"
            " cache off); opc runs its ruff post-hooks. Operations: what the client offers"
            " (ours: the summary line; opc: its endpoint modules).",
            "Warnings: ours counts them in its summary line; for opc, the lines starting with"
            " `Warning` or `WARNING` in its output.",
        ]
        for name, _, ours, opc in self.rows:
            if name != self.largest[1]:
                continue
            if ours.generated and opc.generated:
                ratio = ours.run.seconds / opc.run.seconds
                verdict = "met" if ratio <= 1.0 else "MISSED"
                notes.append(
                    f"Largest spec ({name}): ours / opc wall time {ratio:.2f}\u00d7"
                    f" (target \u2264 1\u00d7: {verdict})."
                )
            else:
                notes.append(
                    f"Largest spec ({name}): ours {'made' if ours.generated else 'made no'} a"
                    f" client in {ours.run.seconds:.1f} s, opc"
                    f" {'made' if opc.generated else 'made no'} client in {opc.run.seconds:.1f} s."
                )
        return text + "\n\n" + "\n".join(f"- {n}" for n in notes)


def _cells(outcome: Outcome) -> list[str]:
    if not outcome.generated:
        seconds, rss = f"{outcome.run.seconds:.1f}", f"{outcome.run.max_rss_mib:.0f}"
        return ["no", "\u2013", seconds, rss, "\u2013"]
    return [
        "yes",
        str(outcome.operations) if outcome.operations is not None else "?",
        f"{outcome.run.seconds:.1f}",
        f"{outcome.run.max_rss_mib:.0f}",
        str(outcome.warnings),
    ]


def run_ours(python: Path, spec: Path, out: Path, env: Mapping[str, str]) -> Outcome:
    command = [python, "-m", "generator", "generate", "--spec", spec, "--out", out]
    command += ["--package", "corpus_client", "--config", out.parent / "none.toml"]
    run = run_process(command, env={**env, "OPENAPI_CLIENT_GENERATOR_CACHE": "off"}, cwd=REPO)
    text = run.stdout + run.stderr
    operations = _OURS_OPERATIONS.search(text)
    warnings = _OURS_WARNINGS.search(text)
    return Outcome(
        run.returncode == 0,
        int(operations.group(1)) if operations and run.returncode == 0 else None,
        run,
        int(warnings.group(1)) if warnings else 0,
    )


def run_opc(executable: Path, spec: Path, out: Path, env: Mapping[str, str]) -> Outcome:
    command = [executable, "generate", "--path", spec, "--output-path", out, "--overwrite"]
    run = run_process(command, env=env)
    text = run.stdout + run.stderr
    api = next(out.glob("*/api"), None) if out.is_dir() else None
    modules = [p for p in api.rglob("*.py") if p.name != "__init__.py"] if api else []
    generated = run.returncode == 0 and bool(modules)
    warnings = sum(1 for line in text.splitlines() if line.lower().startswith("warning"))
    outcome = Outcome(generated, len(modules) if generated else None, run, warnings)
    shutil.rmtree(out, ignore_errors=True)
    return outcome
