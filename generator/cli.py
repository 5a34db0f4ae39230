"""CLI: `python -m generator generate|check`, with [tool.generator] defaults and flag overrides."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import Config, load_config
from .diagnostics import GenerationFailed
from .pipeline import check, generate

__all__ = ["EXIT_BAD_INPUT", "EXIT_DRIFT", "main"]

EXIT_DRIFT = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate a typed Python client package from an OpenAPI 3.0/3.1 spec.",
        epilog="Exit codes: 0 success; 1 check found drift; 2 invalid input (spec, config or overlay); "
        "70 internal error.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (
        ("generate", "generate the client and replace the output folder atomically"),
        ("check", "exit 1 (with a diff) when the output folder differs from a fresh generation"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument(
            "--config",
            type=Path,
            default=Path("pyproject.toml"),
            help="pyproject.toml holding [tool.generator] (default: ./pyproject.toml)",
        )
        sub.add_argument(
            "--spec", type=Path, help="OpenAPI spec file, YAML or JSON (overrides config 'spec')"
        )
        sub.add_argument(
            "--out", type=Path, help="output folder, replaced as a whole (overrides config 'out')"
        )
        sub.add_argument(
            "--package", help="Python package name of the client (overrides config 'package')"
        )
        sub.add_argument(
            "--overlay",
            type=Path,
            action="append",
            default=None,
            help="OpenAPI Overlay 1.0 file applied before validation; repeatable, in order",
        )
        sub.add_argument(
            "--strict",
            action="store_true",
            help="no normalization: fail on anything strict validation rejects",
        )
        sub.add_argument(
            "--quiet", action="store_true", help="print only errors and the summary line"
        )
    return parser


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
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    log = (lambda _: None) if args.quiet else (lambda line: print(line, file=sys.stderr))
    try:
        config = _config(args)
        if not config.package.isidentifier():
            print(
                f"error: package name {config.package!r} is not a valid Python identifier",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        if args.command == "generate":
            result = generate(config, log)
            print(result.summary)
            return 0
        outcome = check(config, log)
        if not outcome.diff.clean:
            print(outcome.diff.report())
        print(outcome.summary)
        return 0 if outcome.diff.clean else EXIT_DRIFT
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
