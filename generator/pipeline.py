"""Pipeline: load → normalize → validate → build IR → models → render → format → write, as one call."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from . import escape
from .api import build_api
from .cache import Cache, code_digest, content_key, package_version
from .config import AuthConfig, Config
from .diagnostics import Diagnostic, GenerationFailed
from .emit import SURFACE_FILE, render_package
from .layout import format_files
from .models import DCG_OPTIONS, dcg_input, descriptions
from .models import step as models_step
from .output import ChangeReport, TreeDiff, between, diff_trees, manifest, read_tree, write_tree
from .schedule import Schedule
from .spec import (
    Facts,
    SpecSource,
    apply_overlays,
    load_asyncapi,
    load_spec,
    prepare,
    settle_document,
)

__all__ = ["CheckResult", "GenerateResult", "check", "generate", "render_files"]

TOOL = "openapi-client-generator"


@dataclass(frozen=True)
class GenerateResult:
    files: dict[str, str]
    notes: tuple[str, ...]
    summary: str
    # The API surface against the committed output's; None when there was none to compare.
    changes: ChangeReport | None = None
    written: bool = True


@dataclass(frozen=True)
class CheckResult:
    diff: TreeDiff
    notes: tuple[str, ...]
    summary: str
    changes: ChangeReport | None = None


# A machine-independent name for a file: the one MANIFEST.json records inputs under, too.
_display = manifest.display_name


Warn = Callable[[Diagnostic], None] | None


def render_files(
    config: Config, log: Callable[[str], None] = lambda _: None, warn: Warn = None
) -> tuple[dict[str, str], tuple[str, ...], str]:
    """Run every step up to formatting; returns (files, notes, what was validated).

    The validator and the models step run beside the other steps (see schedule.py); the outcome
    is the one of running the steps in order.
    """
    with Schedule(log, warn) as schedule:
        return _render_files(config, schedule)


def _render_files(
    config: Config, schedule: Schedule
) -> tuple[dict[str, str], tuple[str, ...], str]:
    log = schedule.log
    store = Cache(config.cache_dir)
    # 1. The spec: read, overlays applied, upstream quirks normalized, validated (beside).
    shown = config.spec_display or _display(config.spec, config.root)
    source = load_spec(
        config.spec,
        display=shown,
        max_bytes=config.max_spec_bytes,
        max_files=config.max_spec_files,
        strict=config.strict,
    )
    overlaid = apply_overlays(
        source.data,
        [(o, _display(o, config.root)) for o in config.overlays],
        max_bytes=config.max_spec_bytes,
    )
    document = overlaid.document
    for warning in overlaid.warnings:
        schedule.warn(warning)
    # Default: defects worked around, each a warning; strict: refused (see spec/policy.py).
    settled = settle_document(source, document, strict=config.strict)
    document = settled.document
    notes = list(settled.notes)
    for line in notes:
        log(line)
    for warning in settled.warnings:
        schedule.warn(warning)
    source.use_cache(store)
    _validate(source, document, store, schedule, strict=config.strict)

    # AsyncAPI documents beside it: the same loader, limits and policy (spec/asyncapi.py).
    asyncapi = [
        load_asyncapi(
            a.path,
            display=_display(a.path, config.root),
            overlays=[(o, _display(o, config.root)) for o in a.overlays],
            max_bytes=config.max_spec_bytes,
            max_files=config.max_spec_files,
            strict=config.strict,
        )
        for a in config.asyncapi
    ]
    for warning in (w for a in asyncapi for w in a.warnings):
        schedule.warn(warning)

    # 2. The API: the IR the rest is generated from.
    built = build_api(document, config, asyncapi)
    located = [d for d in built.located if d.severity == "error"]
    if built.problems or located:
        raise GenerationFailed(_located(source, list(built.problems)) + located)
    for warning in (d for d in built.located if d.severity != "error"):
        schedule.warn(warning)
    api = built.api
    if api.credential is not None:
        # The credential may come from the spec's security schemes rather than [tool.generator].
        cred = api.credential
        config = replace(config, auth=AuthConfig(cred.header, cred.argument, cred.env))
    if api.skipped:
        notes.append(f"skipped {len(api.skipped)} operation(s) marked x-fern-ignore")

    # 3. The models: datamodel-code-generator over the schemas (apart, see schedule.py); its
    # module and what the models step made of it are each kept by content.
    classes = dict(api.schema_classes)
    model_document = dcg_input(document, classes, built.hoisted)
    expected = [*classes.values(), *(n for n, _ in built.hoisted)]
    described = descriptions(document, classes, built.hoisted)
    models_key = step_key = last_key = ""
    if store.enabled:
        dcg_parts = (
            package_version("datamodel-code-generator"),
            repr(sorted(DCG_OPTIONS.items())),
            json.dumps(model_document),
        )
        models_key = content_key("dcg", code_digest("generator.models"), *dcg_parts)
        step_code = (
            code_digest(
                "generator.models", "generator.layout", "generator.api", "generator.escape"
            ),
            platform.python_version(),
            *dcg_parts[:2],
        )
        step_key = content_key(
            "models",
            *step_code,
            dcg_parts[2],
            json.dumps(expected),
            json.dumps(sorted(described.items())),
        )
        # This project's last models step (any spec), to run again only what changed since.
        last_key = content_key("models-last", *step_code, shown, config.package)
    done = store.get("models", step_key)
    cached = None if done is not None else store.get("dcg", models_key)
    previous = None if done is not None or cached is not None else _last_models(store, last_key)

    def warn_about_the_api() -> None:
        # Placing a warning may parse the whole spec again (a second for a large one): beside
        # the models step.
        for pointer, message in built.warnings:
            schedule.warn(replace(source.diagnostic(pointer, message), severity="warning"))

    code, model_set, missing, made = schedule.models(
        partial(models_step.loads, done)
        if done is not None
        else partial(models_step.run, cached, model_document, expected, described, previous),
        cached=done is not None or cached is not None,
        schemas=len(classes),
        meanwhile=warn_about_the_api,
    )
    for pointer, message in model_set.warnings:
        schedule.warn(replace(source.diagnostic(pointer, message), severity="warning"))
    if code is not None and cached is None:
        store.put("dcg", models_key, code)
    if made is not None and done is None and cached is None and made.ran < len(made.schemas):
        log(
            f"models: datamodel-code-generator ran on {made.ran} of {len(made.schemas)} schema(s), "
            "what the spec's changes reach (the rest as generated before)"
        )
    if done is None and made is not None:
        store.put("models", step_key, models_step.dumps(model_set, missing, made))
    if store.enabled:
        store.put("models-last", last_key, step_key)
    if missing:
        raise GenerationFailed.in_file(
            shown, f"the model generator did not produce class(es): {', '.join(missing)}"
        )

    # 4. Emit and lay out: the package's files, in black's layout; MANIFEST.json records them.
    overlays = "".join(
        f" with overlay {escape.comment(o.display)} (sha256 {o.sha256})" for o in overlaid.applied
    )
    header = f"# Generated by {TOOL} from {escape.comment(shown)} (sha256 {source.sha256}){overlays}. Do not edit: regenerate with `{escape.comment(config.regenerate_command)}`."
    rendered = render_package(api, model_set, config, header)
    files = format_files(rendered.files, store, rendered.ready)
    inputs = manifest.inputs_of(
        config, source, overlaid.applied, [(a.source, a.applied) for a in asyncapi]
    )
    files = {**files, manifest.FILE: manifest.render(header, inputs, files)}
    what = (
        f"{shown} (OpenAPI {document.get('openapi')}: {len(api.operations)} operation(s), "
        f"{len(classes)} schema(s))"
    )
    return files, tuple(notes), what


def _last_models(store: Cache, key: str) -> models_step.Previous | None:
    """The snapshot and model set of the last models step under `key`, when kept whole."""
    last = store.get("models-last", key)
    entry = store.get("models", last) if last else None
    if entry is None:
        return None
    _, model_set, missing, made = models_step.loads(entry)
    return None if made is None or missing else (made, model_set)


def _validate(
    source: SpecSource, document: dict[str, Any], store: Cache, schedule: Schedule, *, strict: bool
) -> None:
    """Validate the document (beside the later steps), unless the cache saw it valid before.

    The cache keeps the validator's warnings (not strict), given again on a hit; and, for a
    document it has not seen, which of its pieces were found valid (spec/pieces.py).
    """
    validator = (
        content_key(
            code_digest("generator.spec", "generator.forked", "generator.cache"),
            *(f"{name} {_version(name)}" for name in _VALIDATOR_PACKAGES),
        )
        if store.enabled
        else ""
    )
    key = (
        content_key("validate", validator, f"strict={strict}", json.dumps(document, sort_keys=True))
        if store.enabled
        else ""
    )
    seen = store.get("validate", key)
    if seen is None:
        facts = Facts(store, validator) if store.enabled else None
        validation = prepare(source, document, strict=strict, facts=facts)
        schedule.validate(
            source,
            validation,
            lambda: store.put("validate", key, json.dumps(validation.warnings())),
        )
    else:
        for pointer, message, kind in json.loads(seen):
            schedule.warn(
                replace(source.diagnostic(pointer, message), severity="warning", kind=kind)
            )


# What openapi-spec-validator's verdict depends on besides our code: it, the JSON Schema
# validator and the meta-schemas it runs.
_VALIDATOR_PACKAGES = (
    "openapi-spec-validator",
    "openapi-schema-validator",
    "jsonschema",
    "jsonschema-path",
    "jsonschema-specifications",
    "referencing",
)


def _version(distribution: str) -> str:
    try:
        return package_version(distribution)
    except Exception:  # not installed: a key all the same
        return "not installed"


def _located(source: SpecSource, problems: list[tuple[str | None, str]]) -> list[Diagnostic]:
    return [source.diagnostic(pointer, message) for pointer, message in problems]


def generate(
    config: Config,
    log: Callable[[str], None] = lambda _: None,
    *,
    warn: Warn = None,
    refuse_breaking: bool = False,
    full: bool = False,
) -> GenerateResult:
    """Generate and replace config.out atomically; raises GenerationFailed with diagnostics.

    Unless `full`, nothing is generated or written when config.out's MANIFEST.json vouches that
    it is what a generation would write. With refuse_breaking, nothing is written when the API
    surface changes in a breaking way.
    """
    started = time.perf_counter()
    out_name = _display(config.out, config.root)
    if not full:
        verdict = manifest.vouch(config)
        if verdict.vouched:
            files = {path: data.decode("utf-8", "replace") for path, data in verdict.files.items()}
            seconds = time.perf_counter() - started
            summary = manifest.vouched_summary("generate", config, len(files), seconds)
            return GenerateResult(files, (), summary, None, written=False)
    files, notes, what = render_files(config, log, warn)
    committed = config.out / SURFACE_FILE
    changes = _changes(
        committed.read_text(encoding="utf-8") if committed.is_file() else None, files, log
    )
    if refuse_breaking and changes is not None and changes.breaking:
        summary = (
            f"validated {what}; {len(changes.breaking)} breaking change(s) to the API; "
            "nothing was written"
        )
        return GenerateResult(files, notes, summary, changes, written=False)
    write_tree(config.out, files)
    elapsed = time.perf_counter() - started
    summary = f"validated {what}; wrote {len(files)} files to {out_name}/ in {elapsed:.2f} s"
    return GenerateResult(files, notes, summary, changes)


def _changes(
    committed: str | None, files: dict[str, str], log: Callable[[str], None]
) -> ChangeReport | None:
    try:
        return between(committed, files[SURFACE_FILE])
    except ValueError as exc:
        log(f"note: the committed {SURFACE_FILE} cannot be compared ({exc}); no change report")
        return None


def check(
    config: Config,
    log: Callable[[str], None] = lambda _: None,
    *,
    warn: Warn = None,
    full: bool = False,
) -> CheckResult:
    """Whether config.out is what a generation would write; nothing is written.

    Unless `full`, a MANIFEST.json in config.out that vouches for it answers without generating;
    otherwise a fresh generation in memory is compared with it, file by file.
    """
    started = time.perf_counter()
    out_name = _display(config.out, config.root)
    why = "--full"
    if not full:
        verdict = manifest.vouch(config)
        if verdict.vouched:
            seconds = time.perf_counter() - started
            summary = manifest.vouched_summary("check", config, len(verdict.files), seconds)
            return CheckResult(diff_trees({}, {}, out_name=out_name), (), summary)
        why = f"{manifest.FILE} does not vouch for it: {verdict.reason}"
    files, notes, what = render_files(config, log, warn)
    tree = read_tree(config.out)
    result = diff_trees(
        tree, files, out_name=out_name, equivalent={manifest.FILE: manifest.only_generator_differs}
    )
    if result.tolerated:
        note = (
            f"note: {out_name}/{manifest.FILE} was written by another version of the generator, "
            f"which generates the same files: run {config.regenerate_command} to refresh it"
        )
        log(note)
        notes += (note,)
    changes = None if result.clean else _changes(tree.get(SURFACE_FILE), files, log)
    elapsed = time.perf_counter() - started
    verdict_text = (
        "up to date"
        if result.clean
        else (
            f"DRIFT: {len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed"
        )
    )
    summary = (
        f"validated {what}; {out_name}/ is {verdict_text} ({len(files)} files) in {elapsed:.2f} s,"
        f" regenerated in full ({why})"
    )
    return CheckResult(result, notes, summary, changes)
