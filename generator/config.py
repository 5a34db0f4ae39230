"""Config: the [tool.generator] table of pyproject.toml, merged with command-line overrides."""

from __future__ import annotations

import keyword
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .diagnostics import GenerationFailed
from .sdk_config import SDK_KEYS, WebhookSignature, sdk_settings

__all__ = ["AsyncApiInput", "AuthConfig", "Config", "load_config"]


@dataclass(frozen=True)
class AuthConfig:
    """A header lifted from the operations to the client constructor."""

    header: str
    argument: str
    env: str | None


@dataclass(frozen=True)
class AsyncApiInput:
    """An AsyncAPI document read beside the spec, and the Overlay 1.0 files applied to it."""

    path: Path
    overlays: tuple[Path, ...] = ()


# [tool.generator.channels] replies: (server message type, reply type, ((reply field, dotted
# path in the message received), ...)).
ReplyConfig = tuple[str, str, tuple[tuple[str, str], ...]]
# [tool.generator.channels] signed_url: (channel address or name, operationId or method name,
# the result's field holding the URL); an operation of "": the channel has none.
SignedUrlConfig = tuple[str, str, str]


@dataclass(frozen=True)
class Config:
    """Everything a generation needs besides the spec itself; paths are absolute."""

    spec: Path
    out: Path
    package: str
    client: str = "Client"
    async_client: str = "AsyncClient"
    environment_enum: str = "Environment"
    # Server URL → enum member name, for servers that carry no x-fern-server-name.
    environments: tuple[tuple[str, str], ...] = ()
    auth: AuthConfig | None = None
    # [tool.generator.auth] env_prefix: environment variables are <prefix>_<ARGUMENT>; None:
    # from the package name.
    auth_env_prefix: str | None = None
    # [tool.generator.auth.schemes.<scheme>] <field> = "argument" or {argument, env}:
    # (scheme, field, argument or None, env or None).
    auth_names: tuple[tuple[str, str, str | None, str | None], ...] = ()
    overlays: tuple[Path, ...] = ()
    # The spec path as written in generated headers: relative to the project, never machine-specific.
    spec_display: str = ""
    package_version: str = "0.1.0"
    # How the output is regenerated, as every generated file's header tells its readers.
    regenerate_command: str = "python -m generator generate"
    strict: bool = False
    max_spec_bytes: int = 50 * 1024 * 1024
    # Files a spec may pull in through relative $refs, besides itself.
    max_spec_files: int = 10_000
    root: Path = field(default=Path("."))
    # Content-addressed cache of validation, model and formatting results; None turns it off.
    cache_dir: Path | None = None
    # SDK settings (sdk_config.py): the distribution name (None: the package's, dashed); headers
    # sent on every request ({version}, {distribution} filled in); the logging variable (None:
    # <PACKAGE>_LOG); the idempotency header; [tool.generator.pagination] by operation ("GET
    # /path" or operationId) -> its fields; the webhook signature scheme.
    distribution: str | None = None
    sdk_headers: tuple[tuple[str, str], ...] = ()
    log_env_var: str | None = None
    idempotency_header: str | None = None
    pagination: tuple[tuple[str, tuple[tuple[str, str | int], ...]], ...] = ()
    webhook_signature: WebhookSignature | None = None
    # AsyncAPI documents whose channels the client offers (real-time sessions).
    asyncapi: tuple[AsyncApiInput, ...] = ()
    # [tool.generator.channels] groups: channel address (or name) → dotted group ("": the client).
    channel_groups: tuple[tuple[str, str], ...] = ()
    channel_replies: tuple[ReplyConfig, ...] = ()
    channel_signed_urls: tuple[SignedUrlConfig, ...] = ()

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def distribution_name(self) -> str:
        return self.distribution or self.package.replace("_", "-")

    def log_variable(self) -> str:
        return self.log_env_var or f"{self.package.upper()}_LOG"


_KEYS = {
    "spec",
    "out",
    "package",
    "client",
    "async_client",
    "environment_enum",
    "environments",
    "auth",
    "overlays",
    "package_version",
    "regenerate_command",
    "max_spec_bytes",
    "max_spec_files",
    "strict",
    "asyncapi",
    "channels",
}

_KEYS.update(SDK_KEYS)


def load_config(pyproject: Path | None) -> Config:
    """Read [tool.generator]; with no pyproject, defaults that need --spec/--out/--package."""
    root = pyproject.parent.resolve() if pyproject is not None else Path.cwd().resolve()
    table: dict[str, Any] = {}
    shown = str(pyproject) if pyproject is not None else "pyproject.toml"
    if pyproject is not None and pyproject.is_file():
        try:
            document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise GenerationFailed.in_file(shown, f"invalid TOML: {exc}") from None
        table = document.get("tool", {}).get("generator", {})
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise GenerationFailed.in_file(
            shown, f"unknown [tool.generator] key(s): {', '.join(unknown)}"
        )
    overlays = table.get("overlays", [])
    if not isinstance(overlays, list) or not all(isinstance(o, str) and o for o in overlays):
        raise GenerationFailed.in_file(
            shown, "[tool.generator] overlays must be a list of file paths (strings)"
        )
    auth_table = table.get("auth")
    auth = (
        AuthConfig(
            header=str(auth_table["header"]),
            argument=str(auth_table.get("argument", "api_key")),
            env=auth_table.get("env"),
        )
        if isinstance(auth_table, dict) and "header" in auth_table
        else None
    )
    env_prefix, names = _auth_names(auth_table, shown)
    groups, replies, signed_urls = _channels(table.get("channels", {}), shown)
    spec = table.get("spec", "spec/openapi.yaml")
    return Config(
        spec=(root / spec).resolve(),
        spec_display=spec,
        out=(root / table.get("out", "generated")).resolve(),
        package=table.get("package", "client"),
        client=table.get("client", "Client"),
        async_client=table.get("async_client", "AsyncClient"),
        environment_enum=table.get("environment_enum", "Environment"),
        environments=tuple((str(k), str(v)) for k, v in table.get("environments", {}).items()),
        auth=auth,
        auth_env_prefix=env_prefix,
        auth_names=names,
        overlays=tuple((root / o).resolve() for o in overlays),
        package_version=str(table.get("package_version", "0.1.0")),
        regenerate_command=str(table.get("regenerate_command", Config.regenerate_command)),
        max_spec_bytes=int(table.get("max_spec_bytes", 50 * 1024 * 1024)),
        max_spec_files=_positive(table, "max_spec_files", 10_000, shown),
        strict=_flag(table, "strict", shown),
        root=root,
        cache_dir=_cache_dir(root),
        **sdk_settings(table, shown),
        asyncapi=_asyncapi(table.get("asyncapi", []), root, shown),
        channel_groups=groups,
        channel_replies=replies,
        channel_signed_urls=signed_urls,
    )


def _asyncapi(value: Any, root: Path, shown: str) -> tuple[AsyncApiInput, ...]:
    """`asyncapi = ["a.yml", {file = "b.yml", overlays = ["b.overlay.yaml"]}]`."""
    problem = GenerationFailed.in_file(
        shown,
        "[tool.generator] asyncapi must be a list of file paths (strings) or tables"
        " {file = path, overlays = [paths]}",
    )
    if not isinstance(value, list):
        raise problem
    inputs = []
    for item in value:
        if isinstance(item, str) and item:
            inputs.append(AsyncApiInput((root / item).resolve()))
            continue
        if not (isinstance(item, dict) and set(item) <= {"file", "overlays"}):
            raise problem
        file, overlays = item.get("file"), item.get("overlays", [])
        if not (isinstance(file, str) and file and isinstance(overlays, list)):
            raise problem
        if not all(isinstance(o, str) and o for o in overlays):
            raise problem
        paths = tuple((root / o).resolve() for o in overlays)
        inputs.append(AsyncApiInput((root / file).resolve(), paths))
    return tuple(inputs)


def _channels(
    table: Any, shown: str
) -> tuple[tuple[tuple[str, str], ...], tuple[ReplyConfig, ...], tuple[SignedUrlConfig, ...]]:
    """[tool.generator.channels]: `groups` (address → "a.b"), `replies` (type → {type, copy})
    and `signed_url` (address → operationId, {operation, field} or false)."""

    def fail(message: str) -> GenerationFailed:
        return GenerationFailed.in_file(shown, f"[tool.generator.channels] {message}")

    if not isinstance(table, dict):
        raise fail("must be a table with groups, replies and/or signed_url")
    unknown = sorted(set(table) - {"groups", "replies", "signed_url"})
    if unknown:
        raise fail(f"unknown key(s): {', '.join(unknown)} (groups, replies, signed_url)")
    groups = table.get("groups", {})
    if not (isinstance(groups, dict) and all(isinstance(v, str) for v in groups.values())):
        raise fail('groups must map channel addresses to dotted groups ("a.b"; "": the client)')
    bad = [g for g in groups.values() if g and not all(map(_identifier, g.split(".")))]
    if bad:
        raise fail(f"groups: {bad[0]!r} is not a dotted path of Python identifiers")
    replies = table.get("replies", {})
    if not isinstance(replies, dict):
        raise fail("replies must be a table: <server type> = {type = <reply type>, copy = {...}}")
    out: list[ReplyConfig] = []
    for on, reply in replies.items():
        copy = reply.get("copy", {}) if isinstance(reply, dict) else None
        if not (
            isinstance(reply, dict)
            and set(reply) <= {"type", "copy"}
            and isinstance(reply.get("type"), str)
            and reply["type"]
            and isinstance(copy, dict)
            and all(isinstance(v, str) and v for v in copy.values())
        ):
            raise fail(
                f"replies.{on} must be {{type = <reply type>, copy = {{<reply field> ="
                ' "<dotted path in the message received>"}}'
            )
        out.append((str(on), reply["type"], tuple((str(k), v) for k, v in copy.items())))
    signed = _signed_urls(table.get("signed_url", {}), fail)
    return tuple((str(k), v) for k, v in groups.items()), tuple(out), signed


def _signed_urls(table: Any, fail: Any) -> tuple[SignedUrlConfig, ...]:
    """`signed_url`: channel address (or name) → the operation whose result holds a signed URL
    for it (operationId or method name; a table: {operation, field = "signed_url"}), or false."""
    shape = (
        'signed_url must map channel addresses to an operationId, {operation = "<operationId>",'
        ' field = "<result field>"} or false'
    )
    if not isinstance(table, dict):
        raise fail(shape)
    out: list[SignedUrlConfig] = []
    for key, value in table.items():
        if value is False:
            out.append((str(key), "", ""))
            continue
        entry = {"operation": value} if isinstance(value, str) else value
        if not (
            isinstance(entry, dict)
            and set(entry) <= {"operation", "field"}
            and isinstance(entry.get("operation"), str)
            and entry["operation"]
            and isinstance(entry.get("field", "signed_url"), str)
            and entry.get("field", "signed_url").isidentifier()
        ):
            raise fail(f"{shape} (at {key!r})")
        out.append((str(key), entry["operation"], entry.get("field", "signed_url")))
    return tuple(out)


def _positive(table: dict[str, Any], key: str, default: int, shown: str) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise GenerationFailed.in_file(
            shown, f"[tool.generator] {key} must be a positive integer, got {value!r}"
        )
    return value


def _flag(table: dict[str, Any], key: str, shown: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise GenerationFailed.in_file(
            shown, f"[tool.generator] {key} must be true or false, got {value!r}"
        )
    return value


_AUTH_KEYS = {"header", "argument", "env", "env_prefix", "schemes"}
_AUTH_FIELDS = {"key", "username", "password", "token", "client_id", "client_secret"}


def _auth_names(
    table: Any, shown: str
) -> tuple[str | None, tuple[tuple[str, str, str | None, str | None], ...]]:
    """[tool.generator.auth]'s env_prefix and its per-scheme credential names."""
    if not isinstance(table, dict):
        return None, ()

    def fail(message: str) -> GenerationFailed:
        return GenerationFailed.in_file(shown, f"[tool.generator.auth] {message}")

    unknown = sorted(set(table) - _AUTH_KEYS)
    if unknown:
        raise fail(f"unknown key(s): {', '.join(unknown)}")
    prefix = table.get("env_prefix")
    if prefix is not None and not isinstance(prefix, str):
        raise fail("env_prefix must be a string")
    schemes = table.get("schemes", {})
    if not isinstance(schemes, dict):
        raise fail("schemes must be a table of security scheme names")
    names: list[tuple[str, str, str | None, str | None]] = []
    for scheme, fields in schemes.items():
        if not isinstance(fields, dict):
            raise fail(f"schemes.{scheme} must be a table of credential fields")
        for field_name, value in fields.items():
            if field_name not in _AUTH_FIELDS:
                raise fail(
                    f"schemes.{scheme}: unknown credential {field_name!r} (one of"
                    f" {', '.join(sorted(_AUTH_FIELDS))})"
                )
            if isinstance(value, str):
                value = {"argument": value}
            if not (
                isinstance(value, dict)
                and set(value) <= {"argument", "env"}
                and all(isinstance(v, str) and v for v in value.values())
                and _identifier(value.get("argument", "x"))
            ):
                raise fail(
                    f"schemes.{scheme}.{field_name} must be an argument name (a Python"
                    " identifier) or a table with argument and/or env (strings)"
                )
            names.append((str(scheme), field_name, value.get("argument"), value.get("env")))
    return prefix, tuple(names)


def _identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _cache_dir(root: Path) -> Path | None:
    """$OPENAPI_CLIENT_GENERATOR_CACHE (\"off\" disables), else .cache/generator in the project."""
    setting = os.environ.get("OPENAPI_CLIENT_GENERATOR_CACHE")
    if setting == "off":
        return None
    return Path(setting).resolve() if setting else root / ".cache" / "generator"
