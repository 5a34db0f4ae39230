"""Manifest: MANIFEST.json, what made the output (generator, inputs) and its digests: no needless regeneration."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..config import Config
from .write import read_tree_bytes

if TYPE_CHECKING:
    from ..spec import AppliedOverlay, SpecSource

__all__ = [
    "FILE",
    "PACKAGES",
    "Inputs",
    "Verdict",
    "config_digest",
    "display_name",
    "fingerprint",
    "inputs_of",
    "only_generator_differs",
    "render",
    "verify",
    "vouch",
    "vouched_summary",
]

FILE = "MANIFEST.json"
# The installed packages whose behaviour shapes the output (pinned in pyproject.toml); isort is
# datamodel-code-generator's import sorter.
PACKAGES = (
    "black",
    "datamodel-code-generator",
    "isort",
    "Jinja2",
    "jsonpath-rfc9535",
    "openapi-spec-validator",
    "pydantic",
    "PyYAML",
)
GENERATOR = Path(__file__).resolve().parents[1]
TEMPLATES = GENERATOR.parent / "templates"
# Config fields that are not settings: where things are (the inputs are recorded by content and
# by displayed name instead), and the cache, which never changes what is generated.
# (The AsyncAPI documents are settings, recorded by their displayed names.)
_NOT_SETTINGS = frozenset(
    {"spec", "spec_display", "overlays", "out", "root", "cache_dir", "asyncapi"}
)
_NOTE = (
    " This file records what generated this folder (the generator, its inputs) and the sha256 of"
    " every other file in it: `check` and `generate` trust it to skip regenerating while all of"
    " it still matches (`--full` regenerates)."
)


@dataclass(frozen=True)
class Inputs:
    """What one generation read, by displayed name and sha256 of the bytes read, and its settings."""

    spec: tuple[str, str]
    referenced: tuple[tuple[str, str], ...]
    overlays: tuple[tuple[str, str], ...]
    config: str
    # AsyncAPI documents, their overlays and the files they pulled in: (project-relative, sha256).
    asyncapi: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict[str, Any]:
        recorded: dict[str, Any] = {
            "config": self.config,
            "overlays": dict(self.overlays),
            "referenced": dict(self.referenced),
            "spec": dict([self.spec]),
        }
        if self.asyncapi:
            recorded["asyncapi"] = dict(self.asyncapi)
        return recorded


@dataclass(frozen=True)
class Verdict:
    """Whether MANIFEST.json vouches for the output folder; if not, the first reason found."""

    reason: str | None
    # The output's files (MANIFEST.json included) as read, when it vouches.
    files: Mapping[str, bytes]

    @property
    def vouched(self) -> bool:
        return self.reason is None


class _Declined(Exception):
    """The manifest does not vouch; the message says why."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint() -> dict[str, Any]:
    """The generator: a digest of its source and templates, the versions that shape the output."""
    digest = hashlib.sha256()
    for name, path in _sources():
        for part in (name.encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return {
        "packages": {name: version(name) for name in PACKAGES},
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "sources": digest.hexdigest(),
    }


def _sources() -> list[tuple[str, Path]]:
    """generator/**/*.py and templates/**, by their project-relative names, in sorted order."""
    found = [
        (f"generator/{path.relative_to(GENERATOR).as_posix()}", path)
        for path in GENERATOR.rglob("*.py")
    ]
    found += [
        (f"templates/{path.relative_to(TEMPLATES).as_posix()}", path)
        for path in TEMPLATES.rglob("*")
        if path.is_file()
    ]
    return sorted((name, path) for name, path in found if "__pycache__" not in name.split("/"))


def config_digest(config: Config, spec: str, overlays: Sequence[str]) -> str:
    """sha256 of every setting that can change the output, the inputs' names and their order."""
    settings: dict[str, Any] = {
        f.name: getattr(config, f.name) for f in fields(config) if f.name not in _NOT_SETTINGS
    }
    settings["spec"] = spec
    settings["overlays"] = list(overlays)
    if config.asyncapi:
        settings["asyncapi"] = [
            [display_name(a.path, config.root), [display_name(o, config.root) for o in a.overlays]]
            for a in config.asyncapi
        ]
    text = json.dumps(settings, sort_keys=True, default=_plain)
    return _digest(text.encode())


def _plain(value: object) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"a Config field of type {type(value).__name__} has no manifest form")


def render(header: str, inputs: Inputs, files: Mapping[str, str]) -> str:
    """MANIFEST.json for `files` (the rest of the output), as bytes-stable JSON."""
    body: dict[str, Any] = {
        "comment": header.removeprefix("# ") + _NOTE,
        "generator": fingerprint(),
        "inputs": inputs.as_json(),
        "outputs": {
            path: _digest(text.encode("utf-8")) for path, text in files.items() if path != FILE
        },
    }
    body["seal"] = _seal(body)
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def _seal(body: Mapping[str, Any]) -> str:
    """A digest of the rest: a hand edit or a textual merge of two manifests does not match it."""
    rest = {key: value for key, value in body.items() if key != "seal"}
    return _digest(json.dumps(rest, sort_keys=True, separators=(",", ":")).encode())


def display_name(path: Path, root: Path) -> str:
    """A machine-independent name for a file: relative to the project, else just the file name."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def vouch(config: Config) -> Verdict:
    """verify() for config's spec and overlays, under the names a generation gives them."""
    shown = config.spec_display or display_name(config.spec, config.root)
    overlays = [(o, display_name(o, config.root)) for o in config.overlays]
    return verify(config, (config.spec, shown), overlays)


def vouched_summary(command: str, config: Config, files: int, seconds: float) -> str:
    """The summary line of a check or generate that the manifest answered."""
    out = display_name(config.out, config.root)
    if command == "check":
        return (
            f"{out}/ is up to date ({files} files; {FILE} vouched for it, nothing was "
            f"regenerated, --full regenerates) in {seconds:.2f} s"
        )
    return (
        f"nothing changed: {out}/ is what a generation would write ({files} files; {FILE} "
        f"vouched for it, --full regenerates); nothing was written in {seconds:.2f} s"
    )


def verify(config: Config, spec: tuple[Path, str], overlays: Sequence[tuple[Path, str]]) -> Verdict:
    """Whether config.out's MANIFEST.json matches the generator, the inputs and every file.

    `spec` and `overlays` are (path, displayed name). Nothing is parsed but the manifest: the
    files are hashed. The files the spec's `$ref`s pulled in are the ones the manifest names: the
    spec unchanged and each of them unchanged, the same ones are pulled in.
    """
    try:
        try:
            text = (config.out / FILE).read_bytes()
        except OSError:
            raise _Declined(
                "there is none" if config.out.is_dir() else "no output folder"
            ) from None
        recorded = _recorded(text)
        if recorded["generator"] != fingerprint():
            raise _Declined(_generator_change(recorded["generator"]))
        _compare_inputs(config, spec, overlays, recorded["inputs"])
        on_disk = read_tree_bytes(config.out)
        if on_disk.get(FILE) != text:
            raise _Declined("it changed while it was read")
        _compare_outputs(recorded["outputs"], on_disk)
    except _Declined as declined:
        return Verdict(str(declined), {})
    return Verdict(None, on_disk)


def _recorded(text: bytes) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError:
        raise _Declined("it is not JSON") from None
    shapes = {"generator": dict, "inputs": dict, "outputs": dict, "seal": str}
    if not isinstance(body, dict) or any(
        not isinstance(body.get(key), kind) for key, kind in shapes.items()
    ):
        raise _Declined("it is not a manifest")
    if body["seal"] != _seal(body):
        raise _Declined("its seal does not match: edited by hand, or merged")
    return body


def _generator_change(recorded: Any) -> str:
    current = fingerprint()
    if not isinstance(recorded, dict):
        return "the generator changed"
    if recorded.get("python") != current["python"]:
        return f"Python changed ({recorded.get('python')} -> {current['python']})"
    packages = recorded.get("packages")
    for name, now in current["packages"].items():
        was = packages.get(name) if isinstance(packages, dict) else None
        if was != now:
            return f"{name} changed ({was} -> {now})"
    return "the generator's source or templates changed"


def _compare_inputs(
    config: Config,
    spec: tuple[Path, str],
    overlays: Sequence[tuple[Path, str]],
    recorded: dict[str, Any],
) -> None:
    spec_path, spec_name = spec
    names = [name for _, name in overlays]
    if recorded.get("config") != config_digest(config, spec_name, names):
        raise _Declined("the configuration changed")
    _same_files("spec", {spec_name: spec_path}, recorded.get("spec"))
    named: dict[str, Path] = {}
    for path, name in overlays:
        if named.setdefault(name, path) != path:
            raise _Declined(f"two overlays are shown as {name}")
    _same_files("overlays", named, recorded.get("overlays"))
    referenced = recorded.get("referenced")
    if not isinstance(referenced, dict):
        raise _Declined("it is not a manifest")
    _same_files("referenced files", _referenced_paths(spec_path, spec_name, referenced), referenced)
    asyncapi = recorded.get("asyncapi", {})
    if not isinstance(asyncapi, dict) or bool(asyncapi) != bool(config.asyncapi):
        raise _Declined("other AsyncAPI documents than recorded")
    _same_files("AsyncAPI files", _asyncapi_paths(config, asyncapi), asyncapi)


def _asyncapi_paths(config: Config, names: Iterable[str]) -> dict[str, Path]:
    """Where each AsyncAPI file the manifest names is now: a configured document or overlay,
    else a file a document pulled in (named as bundle.py names them, beside that document)."""
    root = config.root
    documents = [(a.path, display_name(a.path, root)) for a in config.asyncapi]
    known = {name: path for path, name in documents}
    known.update((display_name(o, root), o) for a in config.asyncapi for o in a.overlays)
    paths: dict[str, Path] = {}
    for name in names:
        if name in known:
            paths[name] = known[name]
            continue
        for path, shown in documents:
            try:
                paths.update(_referenced_paths(path, shown, [name]))
                break
            except _Declined:
                continue
        else:
            raise _Declined(f"AsyncAPI file {name} is gone or moved")
    return paths


def _referenced_paths(spec_path: Path, spec_name: str, names: Iterable[str]) -> dict[str, Path]:
    """Where each file the manifest says the spec pulled in is now (as bundle.py names them).

    A name that does not lead to a regular file inside the spec's folder, reached without a
    symbolic link, does not vouch (bundle.py would not read it as it did).
    """
    folder = spec_path.resolve().parent
    shown_folder = PurePosixPath(spec_name).parent
    paths: dict[str, Path] = {}
    for name in names:
        try:
            relative = PurePosixPath(name).relative_to(shown_folder)
        except ValueError:
            raise _Declined(f"it names {name}, outside the spec's folder") from None
        path = folder.joinpath(*relative.parts)
        if ".." in relative.parts or path.resolve() != path or not path.is_file():
            raise _Declined(f"referenced file {name} is gone or moved")
        paths[name] = path
    return paths


def _same_files(kind: str, paths: Mapping[str, Path], recorded: Any) -> None:
    if not isinstance(recorded, dict) or set(recorded) != set(paths):
        raise _Declined(f"other {kind} than recorded")
    for name, path in sorted(paths.items()):
        try:
            data = path.read_bytes()
        except OSError:
            raise _Declined(f"{name} cannot be read") from None
        if _digest(data) != recorded[name]:
            raise _Declined(f"{name} changed")


def _compare_outputs(recorded: Any, on_disk: Mapping[str, bytes]) -> None:
    present = set(on_disk) - {FILE}
    if set(recorded) != present:
        missing, extra = sorted(set(recorded) - present), sorted(present - set(recorded))
        parts = [f"{len(missing)} file(s) missing"] if missing else []
        parts += [f"{len(extra)} file(s) not generated"] if extra else []
        raise _Declined(", ".join(parts) + f", e.g. {(missing or extra)[0]}")
    for path in sorted(present):
        if _digest(on_disk[path]) != recorded[path]:
            raise _Declined(f"{path} was edited")


def only_generator_differs(committed: str, fresh: str) -> bool:
    """Whether two MANIFEST.json texts differ in nothing but the generator (and so the seal)."""
    try:
        old, new = json.loads(committed), json.loads(fresh)
    except ValueError:
        return False
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return False
    ignored = {"generator", "seal"}
    return {k: v for k, v in old.items() if k not in ignored} == {
        k: v for k, v in new.items() if k not in ignored
    } and old.get("generator") != new.get("generator")


def inputs_of(
    config: Config,
    source: SpecSource,
    overlays: Sequence[AppliedOverlay],
    asyncapi: Sequence[tuple[SpecSource, Sequence[AppliedOverlay]]] = (),
) -> Inputs:
    """The Inputs of a generation from what load, bundle and overlay read (`config` as given);
    `asyncapi`: each AsyncAPI document read beside the spec, with the overlays applied to it."""
    beside: set[tuple[str, str]] = set()
    for document, applied in asyncapi:
        beside.add((document.display, document.sha256))
        beside |= {(o.display, o.sha256) for o in document.origins}
        beside |= {(o.display, o.sha256) for o in applied}
    return Inputs(
        (source.display, source.sha256),
        tuple(sorted({(o.display, o.sha256) for o in source.origins})),
        tuple((o.display, o.sha256) for o in overlays),
        config_digest(config, source.display, [o.display for o in overlays]),
        tuple(sorted(beside)),
    )
