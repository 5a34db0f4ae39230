"""CLI: `python -m generator generate|check`, with [tool.generator] defaults and flag overrides."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

from . import forked
from .config import AsyncApiInput, Config, load_config
from .diagnostics import Diagnostic, GenerationFailed, grouped
from .models import step as models_step
from .progress import Progress

__all__ = ["EXIT_BAD_INPUT", "EXIT_BREAKING", "EXIT_DRIFT", "main"]

EXIT_DRIFT = 1
EXIT_BAD_INPUT = 2
EXIT_BREAKING = 3
EXIT_INTERNAL = 70

_EXIT_CODES = (
    "exit codes:\n"
    "  0   success (check: the output is up to date)\n"
    "  1   check: the output differs from a fresh generation\n"
    "  2   invalid input (spec, config or overlay); nothing was written\n"
    "  3   --fail-on-breaking: the API surface changed in a breaking way (generate: nothing\n"
    "      was written; check: the output also differs)\n"
    "  70  internal error (a bug in the generator)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate a typed Python client package from an OpenAPI 3.0/3.1 spec.\n"
        "Defaults come from [tool.generator] in pyproject.toml; options override them.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    subs = []
    for name, text in (
        (
            "generate",
            "generate the client and replace the output folder atomically; print what changed in "
            "the client's API against the committed output. Nothing is generated or written when "
            "the output's MANIFEST.json vouches that nothing changed",
        ),
        (
            "check",
            "exit 1 (with a diff, and what changed in the API) when the output folder differs "
            "from a fresh generation; nothing is written. When the output's MANIFEST.json vouches "
            "for it (same generator, inputs and files), nothing is generated",
        ),
    ):
        sub = commands.add_parser(
            name,
            help=text,
            description=text,
            epilog=_EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        subs.append(sub)
        sub.add_argument(
            "--config",
            type=Path,
            metavar="PATH",
            default=Path("pyproject.toml"),
            help="pyproject.toml holding [tool.generator] (default: ./pyproject.toml)",
        )
        sub.add_argument(
            "--spec",
            type=Path,
            metavar="PATH",
            help="OpenAPI spec file, YAML or JSON (overrides config 'spec')",
        )
        sub.add_argument(
            "--out",
            type=Path,
            metavar="DIR",
            help="output folder, replaced as a whole (overrides config 'out')",
        )
        sub.add_argument(
            "--package",
            metavar="NAME",
            help="Python package name of the client (overrides config 'package')",
        )
        sub.add_argument(
            "--overlay",
            type=Path,
            metavar="FILE",
            action="append",
            default=None,
            help="OpenAPI Overlay 1.0 file applied before validation; repeatable, in order",
        )
        sub.add_argument(
            "--asyncapi",
            type=Path,
            metavar="FILE",
            action="append",
            default=None,
            help="AsyncAPI 2.x/3.0 document whose WebSocket channels the client offers; "
            "repeatable (overrides config 'asyncapi')",
        )
        sub.add_argument(
            "--strict",
            action="store_true",
            help="every warning about the spec is an error (exit 2, nothing written): no "
            "defect is worked around, no name normalized",
        )
        sub.add_argument(
            "--verbose",
            action="store_true",
            help="list every warning (by default each kind shows its first 3 and a count)",
        )
        sub.add_argument(
            "--fail-on-breaking",
            action="store_true",
            help="exit 3 when the client's API changes in a breaking way (an operation, parameter, "
            "model or field removed, a new required parameter, a type narrowed, an enum value "
            "removed); generate then writes nothing",
        )
        sub.add_argument(
            "--full",
            action="store_true",
            help="regenerate even when the output's MANIFEST.json vouches that nothing changed "
            "(generate: and write it; check: and compare it)",
        )
        sub.add_argument(
            "--black",
            action="store_true",
            help="send every Python file through black rather than the generator's own layout "
            "(as OPENAPI_CLIENT_GENERATOR_BLACK=1 does); implies --full",
        )
        sub.add_argument(
            "--quiet",
            action="store_true",
            help="print only errors, breaking changes refused by --fail-on-breaking, and the "
            "summary line",
        )
    parser.epilog = _options_epilog(subs[0]) + "\n\n" + _EXIT_CODES
    return parser


def _options_epilog(sub: argparse.ArgumentParser) -> str:
    """The options of the commands, listed in the top-level help too (they are the same)."""
    lines = ["options of both commands (python -m generator COMMAND --help):"]
    for action in sub._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        flags = ", ".join(action.option_strings)
        if action.metavar or action.nargs != 0:
            flags += f" {action.metavar or action.dest.upper()}"
        lines += [f"  {flags}", *(f"      {line}" for line in _wrap(action.help or ""))]
    return "\n".join(lines)


def _wrap(text: str, width: int = 72) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _config(args: argparse.Namespace) -> Config:
    config = load_config(args.config if args.config.is_file() else None)
    cwd = Path.cwd()
    return config.with_overrides(
        spec=(cwd / args.spec).resolve() if args.spec else None,
        spec_display=args.spec.as_posix()
        if args.spec and not args.spec.is_absolute()
        else (args.spec.name if args.spec else None),
        out=(cwd / args.out).resolve() if args.out else None,
        package=args.package,
        overlays=tuple((cwd / o).resolve() for o in args.overlay) if args.overlay else None,
        strict=True if args.strict else None,
        asyncapi=tuple(AsyncApiInput((cwd / a).resolve()) for a in args.asyncapi)
        if args.asyncapi
        else None,
    )


def _out_name(config: Config) -> str:
    try:
        return config.out.relative_to(config.root).as_posix() + "/"
    except ValueError:
        return config.out.name + "/"


GC_THRESHOLD = 100_000


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.black:
        from .emit import BLACK_ENV

        os.environ[BLACK_ENV] = "1"
    answered = None if args.full or args.black else _answer_from_manifest(args)
    if answered is not None:
        return answered
    # A generation allocates millions of short-lived objects and few cycles: running the cyclic
    # collector a hundred times less often saves about 4% of a full-spec generation's CPU time
    # (measured on the ElevenLabs spec), for a few MiB more at the peak.
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, 50, 100)
    try:
        # datamodel-code-generator's imports start now, in the worker that will run the models
        # step, beside everything this process does before that step.
        with forked.prepared("models", models_step.IMPORTS):
            return _run(args)
    finally:
        gc.set_threshold(*before)


def _answer_from_manifest(args: argparse.Namespace) -> int | None:
    """0 when the output's MANIFEST.json vouches for it, before any generation step is loaded.

    None otherwise, and on any problem with the configuration: _run reports those.
    """
    # Imported here: --full (a cold generation) starts the models worker without it, 20 ms sooner.
    from .output import manifest

    started = time.perf_counter()
    try:
        config = _config(args)
    except GenerationFailed:
        return None
    if not config.package.isidentifier():
        return None
    verdict = manifest.vouch(config)
    if not verdict.vouched:
        return None
    seconds = time.perf_counter() - started
    print(manifest.vouched_summary(args.command, config, len(verdict.files), seconds))
    return 0


def _counted(warnings: list[Diagnostic]) -> str:
    """The summary line's count of warnings (none: nothing added)."""
    return f"; {len(warnings)} warning(s)" if warnings else ""


def _run(args: argparse.Namespace) -> int:
    from .pipeline import check, generate  # imported after the worker's fork, not before it

    warnings: list[Diagnostic] = []
    try:
        config = _config(args)
        if not config.package.isidentifier():
            print(
                f"error: package name {config.package!r} is not a valid Python identifier",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        label = f"{'generating' if args.command == 'generate' else 'checking'} {config.package}"
        with Progress(sys.stderr, label) as progress:
            log = (lambda _: None) if args.quiet else progress.print
            try:
                if args.command == "generate":
                    result = generate(
                        config,
                        log,
                        warn=warnings.append,
                        refuse_breaking=args.fail_on_breaking,
                        full=args.full,
                    )
                    changes, drift = result.changes, True
                else:
                    outcome = check(config, log, warn=warnings.append, full=args.full)
                    changes, drift = outcome.changes, not outcome.diff.clean
            finally:
                if not args.quiet:
                    for line in grouped(warnings, verbose=args.verbose):
                        progress.print(line)
        breaking = bool(args.fail_on_breaking and changes is not None and changes.breaking)
        if changes is not None and (breaking or not args.quiet):
            report = changes.render(_out_name(config), only_breaking=args.quiet)
            if report:
                print(report, file=sys.stderr)
        if args.command == "generate":
            print(result.summary + _counted(warnings))
            return EXIT_BREAKING if breaking else 0
        if drift:
            print(outcome.diff.report())
        print(outcome.summary + _counted(warnings))
        return EXIT_BREAKING if breaking else EXIT_DRIFT if drift else 0
    except GenerationFailed as failure:
        for diagnostic in failure.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
        print(
            f"generation failed: {len(failure.diagnostics)} problem(s); nothing was written",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:
        print(
            f"internal error (a bug in the generator, please report it): {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
