"""Security: the credentials the client sends, from the spec's security schemes and requirements."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from ..config import Config
from ..diagnostics import join_pointer
from .context import HTTP_METHODS, Findings, deref
from .ir import (
    Credential,
)


def credential(document: Mapping[str, Any], config: Config, found: Findings) -> Credential | None:
    """The one credential the client sends: [tool.generator] auth, else the first supported
    security scheme the spec requires. Requirements the client cannot meet are problems."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    requirements = list(_requirements(document))
    offered: dict[str, Credential | str] = {
        name: _scheme_credential(deref(document, scheme), name, found)
        for name, scheme in schemes.items()
    }
    credential: Credential | None = None
    if config.auth is not None:
        credential = Credential(config.auth.header, config.auth.argument, config.auth.env)
    for _, alternatives in requirements:
        for requirement in alternatives:
            for name in requirement:
                option = offered.get(name)
                if credential is None and isinstance(option, Credential):
                    credential = option
    if credential is not None:
        same = [
            c
            for c in offered.values()
            if isinstance(c, Credential) and c.header.lower() == credential.header.lower()
        ]
        if same and same[0].prefix and not credential.prefix:
            credential = replace(credential, prefix=same[0].prefix)
    used: set[str] = set()
    for pointer, alternatives in requirements:
        unmet: list[str] = []
        met = False
        for index, requirement in enumerate(alternatives):
            reasons = []
            for name in requirement:
                used.add(name)
                option = offered.get(name)
                if option is None:
                    found.error(
                        f"{pointer}/{index}",
                        f"security scheme {name!r} is not defined in components.securitySchemes",
                    )
                    reasons.append(f"{name!r} is not defined")
                elif isinstance(option, str):
                    reasons.append(option)
                elif credential is None or option.header.lower() != credential.header.lower():
                    reasons.append(
                        f"{name!r} sends {option.header}, but the client sends"
                        f" {credential.header if credential else 'nothing'}"
                    )
            if reasons:
                unmet += reasons
            else:
                met = True
        if not met and alternatives:
            found.error(
                pointer,
                "the client cannot meet any security requirement here: "
                + "; ".join(dict.fromkeys(unmet))
                + ". Remove the scheme with an overlay (and send the credential with"
                " request_options), or set [tool.generator] auth",
            )
        elif unmet:
            found.warn(
                pointer,
                "alternative security requirement(s) not supported, the client uses"
                f" {credential.header if credential else 'none'}: "
                + "; ".join(dict.fromkeys(unmet)),
            )
    for name in schemes:
        if name not in used:
            found.warn(
                join_pointer("components", "securitySchemes", name),
                f"security scheme {name!r} is not required by any operation (no `security` names"
                " it); ignored",
            )
    return credential


def _requirements(document: Mapping[str, Any]) -> Iterator[tuple[str, list[Mapping[str, Any]]]]:
    """(pointer, alternatives) for the document's `security` and each operation's own."""
    top = document.get("security")
    if isinstance(top, list):
        yield "/security", [r for r in top if isinstance(r, Mapping)]
    for path, raw_item in (document.get("paths") or {}).items():
        item = deref(document, raw_item)
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, Mapping) and isinstance(op.get("security"), list):
                if op.get("x-fern-ignore") is True:
                    continue
                alternatives = [r for r in op["security"] if isinstance(r, Mapping)]
                yield join_pointer("paths", path, method, "security"), alternatives


def _scheme_credential(scheme: Any, name: str, found: Findings) -> Credential | str:
    """The credential a scheme asks for, or why the client cannot send it."""
    if not isinstance(scheme, Mapping):
        return f"{name!r} is not a security scheme object"
    kind = scheme.get("type")
    where = scheme.get("in")
    if kind == "apiKey" and where == "header" and isinstance(scheme.get("name"), str):
        return Credential(scheme["name"], "api_key", None)
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return Credential("Authorization", "token", None, "Bearer ")
    if kind in ("oauth2", "openIdConnect"):
        found.warn(
            join_pointer("components", "securitySchemes", name),
            f"{kind} scheme {name!r}: the client takes an access token (token=...) and sends it"
            " as a Bearer token; it does not run the flow that obtains one",
        )
        return Credential("Authorization", "token", None, "Bearer ")
    if kind == "apiKey":
        return f"{name!r} (an API key in {where}) is not supported, only in a header"
    if kind == "http":
        return (
            f"{name!r} (HTTP {scheme.get('scheme')!s} authentication) is not supported, only bearer"
        )
    return f"{name!r} ({kind}) is not supported"
