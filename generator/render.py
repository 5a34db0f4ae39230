"""Render: Jinja2 templates (thin, StrictUndefined) → the generated package's files, unformatted."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from . import surface
from .cache import Cache
from .config import Config
from .escape import docstring, string_literal
from .ir import Api
from .models import ModelSet
from .operation_view import operation_module_view
from .pylayout import Atom, Layout, docstring_literal
from .readme import readme_view
from .views import GroupView, group_view, import_lines, typing_imports

__all__ = ["TEMPLATES", "Rendered", "render_package"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
RUNTIME = "generator.runtime"


@dataclass(frozen=True)
class Rendered:
    """The package's files (relative path → text) and which of them are already in black's style."""

    files: dict[str, str]
    # Laid out by the generator as black would: the format step leaves them alone.
    ready: frozenset[str]


@dataclass(frozen=True)
class ClientView:
    sync: str
    async_: str
    doc: str
    params: tuple[str, ...]
    base_url: str
    secret_headers: str


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr
    # A str as a literal quoted as black leaves it.
    env.filters["pystr"] = string_literal
    # TOML basic strings accept JSON string escapes.
    env.filters["tomlstr"] = lambda value: json.dumps(str(value), ensure_ascii=True)
    return env


def _client_view(api: Api, config: Config) -> ClientView:
    params: list[str] = []
    if config.auth is not None:
        params.append(f"{config.auth.argument}: str | None = None")
        env = f", env_var={config.auth.env!r}" if config.auth.env else ""
        secret = f"secret_header({config.auth.header!r}, {config.auth.argument}{env})"
    else:
        secret = "{}"
    if api.servers:
        enum = config.environment_enum
        params += [
            f"environment: {enum} = {enum}.{api.servers[0].member}",
            "base_url: str | None = None",
        ]
        base_url = "base_url if base_url is not None else environment.value"
    else:
        params.append("base_url: str")
        base_url = "base_url"
    lines = [f"Client for {api.title or 'the API'} {api.version}".rstrip() + "."]
    if config.auth is not None:
        lines += [
            "",
            f"{config.auth.argument}: sent as the {config.auth.header} header on every request"
            + (
                f"; defaults to ${config.auth.env}, read when the client is created."
                if config.auth.env
                else "."
            ),
        ]
    if api.servers:
        lines += [
            "environment: which server to use; base_url overrides it (a path prefix is kept)."
        ]
    lines += [
        "timeout: seconds per request (default 60); max_retries: retries of failed requests (default 2)."
    ]
    return ClientView(
        config.client,
        config.async_client,
        docstring("\n".join(lines)),
        tuple(params),
        base_url,
        secret,
    )


def _group_imports(view: GroupView, package: str, runtime_extra: tuple[str, ...] = ()) -> list[str]:
    """Import lines for a group module (or the client module, which adds runtime_extra)."""
    code = " ".join(
        [*(a.text for m in view.methods for a in m.params), *(m.result for m in view.methods)]
    )
    runtime = {"AsyncHttp", "RequestOptions", "SyncHttp", *runtime_extra}
    if any(m.call == "call" for m in view.methods):
        runtime.add("RawResponse")
    runtime |= {
        name
        for name in ("OMIT", "Omit", "FileInput", "ServerSentEvent")
        if re.search(rf"\b{name}\b", code)
    }
    lines = []
    if "builtins." in code:
        lines.append("import builtins")
    if any(m.deprecated for m in view.methods):
        lines.append("import warnings as _warnings")
    if view.uses_iterators:
        lines.append("from collections.abc import AsyncIterator, Iterator")
    if view.children or view.methods:
        lines.append("from functools import cached_property")
    typing_names = typing_imports(code)
    if view.type_imports:
        typing_names = ["TYPE_CHECKING", *typing_names]
    if typing_names:
        lines.append(f"from typing import {', '.join(typing_names)}")
    lines.append("")
    if runtime_extra:
        lines.append("import httpx")
    lines.append(f"from {package}._runtime import {', '.join(sorted(runtime))}")
    return lines


def render_package(api: Api, models: ModelSet, config: Config, header: str) -> Rendered:
    """Every file of the package; the Python files not marked ready still need black."""
    env = _environment()
    package = config.package
    root = Path(package)
    files: dict[str, str] = {}
    ready: set[str] = set()

    def emit(path: Path, template: str, **context: object) -> None:
        files[path.as_posix()] = env.get_template(template).render(
            header=header, package=package, **context
        )

    def docstring_only(path: Path, doc: str) -> None:
        files[path.as_posix()] = f"{header}\n{docstring_literal(doc, 0)}\n"
        ready.add(path.as_posix())

    for op in api.operations:
        op_view = operation_module_view(op, package, models.module_of)
        path = root / "_operations" / f"{op.module_name}.py"
        emit(path, "operation.py.jinja", view=op_view)
        if op_view.exact:
            ready.add(path.as_posix())
    docstring_only(root / "_operations" / "__init__.py", "One module per operation.")
    docstring_only(root / "resources" / "__init__.py", "Clients of the operation groups.")
    for group in api.groups:
        view = group_view(api, group, package, models.module_of)
        if not group.path:
            extra: tuple[str, ...] = (
                "AsyncClientBase",
                "SyncClientBase",
                "DEFAULT_MAX_RETRIES",
                "DEFAULT_TIMEOUT",
            )
            if config.auth is not None:
                extra += ("secret_header",)
            imports = _group_imports(view, package, extra)
            if api.servers:
                imports.append(f"from {package}.environment import {config.environment_enum}")
            emit(
                root / "_client.py",
                "client.py.jinja",
                view=view,
                client=_client_view(api, config),
                imports=imports,
            )
            continue
        folder = root / "resources" / Path(*group.path)
        docstring_only(folder / "__init__.py", f"The {'.'.join(group.path)} group.")
        lay = Layout()
        emit(
            folder / "client.py",
            "group.py.jinja",
            view=view,
            imports=import_lines(lay, _group_imports(view, package)),
        )
        if view.exact and lay.exact:
            ready.add((folder / "client.py").as_posix())
    if api.servers:
        lay = Layout()
        emit(
            root / "environment.py",
            "environment.py.jinja",
            class_line="\n".join(lay.line(f"class {config.environment_enum}(enum.Enum):", 0)),
            members=[
                line
                for server in api.servers
                for line in lay.assignment(server.member, Atom(string_literal(server.url)), 1)
            ],
        )
        if lay.exact:
            ready.add((root / "environment.py").as_posix())
    emit(root / "errors.py", "errors.py.jinja", errors=api.error_classes)
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
    emit(root / "__init__.py", "package_init.py.jinja", **_package_context(api, config))
    files[(root / "py.typed").as_posix()] = header + "\n"
    for name, text in _runtime_files().items():
        files[(root / "_runtime" / name).as_posix()] = f"{header}\n{text}"
    emit(
        Path("pyproject.toml"),
        "pyproject.toml.jinja",
        distribution=package.replace("_", "-"),
        version=config.package_version,
        description=f"Python client for {api.title or 'the API'}",
    )
    shape = surface.compute(api, models, Cache(config.cache_dir))
    files[surface.FILE] = surface.dumps(shape, header.removeprefix("# "))
    emit(Path("README.md"), "readme.md.jinja", view=readme_view(api, shape, config, header))
    return Rendered(files, frozenset(ready))


def _models_context(models: ModelSet, package: str, lay: Layout) -> dict[str, object]:
    pairs = sorted(models.module_of.items())
    by_module: dict[str, list[str]] = {}
    for name, module in pairs:
        by_module.setdefault(module, []).append(name)
    imports = [
        line
        for m, ns in sorted(by_module.items())
        for line in lay.from_import(f"{package}.models.{m}", ns, 1)
    ]
    return {"modules": pairs, "imports": imports}


def _package_context(api: Api, config: Config) -> dict[str, object]:
    package = config.package
    errors = [
        "ApiConnectionError",
        "ApiError",
        "ApiTimeoutError",
        "ResponseValidationError",
        *(cls for cls, _ in api.error_classes),
    ]
    imports = [
        f"from {package}._client import {config.async_client}, {config.client}",
        f"from {package}._runtime import RawResponse, RequestOptions",
        f"from {package}.errors import {', '.join(sorted(errors))}",
    ]
    exports = [config.client, config.async_client, *errors, "RawResponse", "RequestOptions"]
    if api.servers:
        imports.insert(1, f"from {package}.environment import {config.environment_enum}")
        exports.append(config.environment_enum)
    doc = docstring(f"Python client for {api.title or 'the API'} {api.version}".rstrip() + ".")
    return {"imports": imports, "exports": sorted(exports), "doc": doc}


def _runtime_files() -> Mapping[str, str]:
    folder = resources.files(RUNTIME)
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".py")
    }
