"""Render: Jinja2 templates (thin, StrictUndefined) → the generated package's files, unformatted."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..api import Api
from ..cache import Cache
from ..config import Config
from ..escape import docstring as escape_docstring
from ..escape import string_literal
from ..layout import (
    Layout,
    Unsupported,
    docstring_literal,
    import_block,
    lay_out_module_cached,
)
from ..models import ModelSet
from . import surface
from .channel_view import channel_module_view, connect_views
from .client_view import client_view
from .operation_view import operation_module_view
from .readme import readme_view
from .readme_features import features_view
from .readme_realtime import realtime_docs
from .views import group_imports, group_view, import_lines
from .webhook_view import GROUP, sends_webhooks, webhook_view, with_webhooks_group

if TYPE_CHECKING:
    import jinja2

__all__ = ["BLACK_ENV", "TEMPLATES", "Rendered", "render_package"]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
RUNTIME = "generator.runtime"
# Set to 1 (or `--black`), every Python file goes through black: none is declared laid out.
BLACK_ENV = "OPENAPI_CLIENT_GENERATOR_BLACK"
# What the generated `realtime` package offers besides its channel modules, in ruff's order.
REALTIME_NAMES = (
    "AsyncRealtimeSession",
    "RealtimeClosedError",
    "RealtimeConnectionError",
    "RealtimeDependencyError",
    "RealtimeError",
    "RealtimeHandshakeError",
    "RealtimeMessageError",
    "RealtimeTimeoutError",
    "SyncRealtimeSession",
    "UnknownMessage",
)


@dataclass(frozen=True)
class Rendered:
    """The package's files (relative path → text) and which of them are already in black's style."""

    files: dict[str, str]
    # Laid out by the generator as black would: the format step leaves them alone.
    ready: frozenset[str]


def _tuple_display(items: Sequence[str]) -> str:
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _environment() -> jinja2.Environment:
    import jinja2  # not with the package: `check` answered by MANIFEST.json never needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    # A str as a literal quoted as black leaves it.
    env.filters["pystr"] = string_literal
    # Text as the body of a """docstring""" (escaped; render lays it out as black would).
    env.filters["docstring"] = escape_docstring
    # Items (Python source) as a tuple display: `(a, b)`, `(a,)`, `()`.
    env.filters["pytuple"] = _tuple_display
    # TOML basic strings accept JSON string escapes.
    env.filters["tomlstr"] = lambda value: json.dumps(str(value), ensure_ascii=True)
    return env


def render_package(api: Api, models: ModelSet, config: Config, header: str) -> Rendered:
    """Every file of the package; the Python files not marked ready still need black."""
    env = _environment()
    store = Cache(config.cache_dir)
    package = config.package
    root = Path(package)
    files: dict[str, str] = {}
    ready: set[str] = set()
    through_black = os.environ.get(BLACK_ENV) == "1"

    def emit(path: Path, template: str, **context: object) -> None:
        files[path.as_posix()] = env.get_template(template).render(
            header=header, package=package, **context
        )

    def laid_out(path: Path, template: str, **context: object) -> None:
        """A template writing a statement a line: its module laid out as black would, or left
        to black (format_files) when lay_out_module does not know a shape (or BLACK_ENV)."""
        emit(path, template, **context)
        if through_black:
            return
        name = path.as_posix()
        try:
            files[name] = lay_out_module_cached(files[name], store)
        except Unsupported:
            return
        ready.add(name)

    def docstring_only(path: Path, doc: str) -> None:
        files[path.as_posix()] = f"{header}\n{docstring_literal(doc, 0)}\n"
        ready.add(path.as_posix())

    for op in api.operations:
        path = root / "_operations" / f"{op.module_name}.py"
        laid_out(
            path, "operation.py.jinja", op=operation_module_view(op, package, models.module_of)
        )
    docstring_only(root / "_operations" / "__init__.py", "One module per operation.")
    docstring_only(root / "resources" / "__init__.py", "Clients of the operation groups.")
    webhook = webhook_view(api, package, models.module_of)
    groups = with_webhooks_group(api).groups if webhook is not None else api.groups
    for group in groups:
        hook = webhook if group.path == (GROUP,) else None
        view = group_view(api, group, package, models.module_of, hook)
        channels, type_imports = connect_views(api, group.path, package, models.module_of)
        if channels:
            view = replace(
                view,
                type_imports=tuple(import_block([*view.type_imports, *type_imports], package)),
                realtime=tuple(kind for c in channels for _, kind, _ in c.arguments),
            )
        if not group.path:
            client = client_view(api, config, view)
            laid_out(
                root / "_client.py", "client.py.jinja", view=view, client=client, channels=channels
            )
            continue
        folder = root / "resources" / Path(*group.path)
        docstring_only(folder / "__init__.py", f"The {'.'.join(group.path)} group.")
        laid_out(
            folder / "client.py",
            "group.py.jinja",
            view=view,
            imports=group_imports(view, package),
            channels=channels,
        )
    if api.channels:
        laid_out(root / "realtime" / "__init__.py", "realtime_init.py.jinja", names=REALTIME_NAMES)
    for channel in api.channels:
        laid_out(
            root / "realtime" / f"{channel.module_name}.py",
            "channel.py.jinja",
            view=channel_module_view(
                api, channel, package, models.module_of, config.distribution_name()
            ),
        )
    if api.servers:
        laid_out(
            root / "environment.py",
            "environment.py.jinja",
            enum=config.environment_enum,
            servers=[(server.member, server.url) for server in api.servers],
        )
    lay = Layout()
    emit(root / "errors.py", "errors.py.jinja", **_errors_context(api, package, lay))
    if lay.exact:
        ready.add((root / "errors.py").as_posix())
    lay = Layout()
    emit(
        root / "models" / "__init__.py",
        "models_init.py.jinja",
        **_models_context(models, package, lay),
    )
    if lay.exact:
        ready.add((root / "models" / "__init__.py").as_posix())
    for module in models.modules:
        model_file = (root / "models" / f"{module.name}.py").as_posix()
        files[model_file] = f"{header}\n{module.source}"
        if module.ready:
            ready.add(model_file)
    lay = Layout()
    emit(root / "__init__.py", "package_init.py.jinja", **_package_context(api, config, lay))
    if lay.exact:
        ready.add((root / "__init__.py").as_posix())
    files[(root / "py.typed").as_posix()] = header + "\n"
    for name, text in _runtime_files().items():
        runtime_file = (root / "_runtime" / name).as_posix()
        files[runtime_file] = f"{header}\n{text}"
        # Kept in black's style in the source tree (make lint checks it).
        ready.add(runtime_file)
    emit(
        Path("pyproject.toml"),
        "pyproject.toml.jinja",
        distribution=config.distribution_name(),
        version=config.package_version,
        description=f"Python client for {api.title or 'the API'}",
    )
    shape = surface.compute(api, models, store)
    files[surface.FILE] = surface.dumps(shape, header.removeprefix("# "))
    emit(
        Path("README.md"),
        "readme.md.jinja",
        view=readme_view(api, shape, config, header),
        realtime=realtime_docs(api, config, shape),
        features=features_view(api, shape, config),
    )
    return Rendered(files, frozenset() if through_black else frozenset(ready))


def _models_context(models: ModelSet, package: str, lay: Layout) -> dict[str, object]:
    pairs = sorted(models.module_of.items())
    by_module: dict[str, list[str]] = {}
    for name, module in pairs:
        by_module.setdefault(module, []).append(name)
    statements = [
        f"from {package}.models.{m} import {', '.join(ns)}" for m, ns in by_module.items()
    ]
    imports = import_lines(lay, import_block(statements, package), 1)
    return {"modules": pairs, "imports": imports}


def _errors_context(api: Api, package: str, lay: Layout) -> dict[str, object]:
    runtime = f"{package}._runtime"
    return {
        "runtime_import": "\n".join(
            lay.from_import(runtime, ["ApiConnectionError", "ApiError", "ResponseValidationError"])
        ),
        "timeout_import": "\n".join(lay.from_import(runtime, ["ApiTimeoutError"], 1)),
        "lazy_import": "\n".join(lay.from_import(runtime, ["ApiTimeoutError as value"], 2)),
        "errors": api.error_classes,
    }


def _package_context(api: Api, config: Config, lay: Layout) -> dict[str, object]:
    package = config.package
    errors = [
        "ApiConnectionError",
        "ApiError",
        "ResponseValidationError",
        *(cls for cls, _ in api.error_classes),
    ]
    imports = [
        (f"{package}._client", [config.async_client, config.client]),
        (f"{package}._runtime", ["RawResponse", "RequestOptions"]),
        # ApiTimeoutError is also an httpx.TimeoutException: looked up on first use (the
        # template's __getattr__), so that importing the client does not import httpx.
        (f"{package}.errors", sorted(errors)),
    ]
    # Looked up on first use: names whose modules creating a client does not need.
    lazy = [(f"{package}._runtime", "Hooks"), (f"{package}.errors", "ApiTimeoutError")]
    if sends_webhooks(api):
        lazy.insert(1, (f"{package}._runtime", "WebhookVerificationError"))
    exports = [config.client, config.async_client, *errors, *(name for _, name in lazy)]
    exports += ["RawResponse", "RequestOptions"]
    if api.servers:
        imports.insert(1, (f"{package}.environment", [config.environment_enum]))
        exports.append(config.environment_enum)
    doc = f"Python client for {api.title or 'the API'} {api.version}".rstrip() + "."
    return {
        "imports": import_lines(
            lay,
            import_block(
                [f"from {module} import {', '.join(ns)}" for module, ns in imports], package
            ),
        ),
        # (name, its import for type checkers, its import when first looked up)
        "lazy": [
            (
                name,
                "\n".join(lay.from_import(module, [name], 1)),
                "\n".join(lay.from_import(module, [name], 2)),
            )
            for module, name in lazy
        ],
        "exports": sorted(exports),
        "doc": lay.docstring(doc, 0),
    }


def _runtime_files() -> Mapping[str, str]:
    folder = resources.files(RUNTIME)
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".py")
    }
