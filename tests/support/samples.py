"""Minimal valid JSON values for JSON Schemas, and scripted answers that fit an operation."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from generator.api.ir import Operation
from tests.support.loopback import RecordedRequest, ScriptedResponse

__all__ = ["Responder", "sample"]

_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "uri": "https://example.com",
    "url": "https://example.com",
    "email": "someone@example.com",
}


def sample(schema: Any, document: Mapping[str, Any], depth: int = 0) -> Any:
    """A small value the schema accepts: required properties only, one item per array."""
    if not isinstance(schema, Mapping) or depth > 12:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return sample(_resolve(document, ref), document, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        options = [o for o in schema.get(key) or [] if o.get("type") != "null"]
        if options:
            return sample(options[0], document, depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = sample(part, document, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {
            name: sample(properties.get(name), document, depth + 1)
            for name in schema.get("required") or []
        }
    if kind == "array":
        return [sample(schema.get("items"), document, depth + 1)]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.5))
    if kind == "boolean":
        return True
    if kind == "string":
        return _FORMATS.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))
    return None


def _resolve(document: Mapping[str, Any], ref: str) -> Any:
    target: Any = document
    for token in ref.removeprefix("#/").split("/"):
        target = target[token.replace("~1", "/").replace("~0", "~")]
    return target


class Responder:
    """Answers each request with a success response that fits the operation it is for."""

    def __init__(self, operations: Sequence[Operation], document: Mapping[str, Any]) -> None:
        self._document = document
        # Literal paths before templated ones, so /pets/export wins over /pets/{pet_id}.
        self._routes = sorted(
            (
                (
                    op.method,
                    re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(op.path)) + "$"),
                    op,
                )
                for op in operations
            ),
            key=lambda route: (route[2].path.count("{"), route[2].path),
        )
        self.answered: list[Operation] = []

    def operation_for(self, request: RecordedRequest) -> Operation | None:
        for method, pattern, op in self._routes:
            if method == request.method and pattern.match(request.path):
                return op
        return None

    def __call__(self, request: RecordedRequest) -> ScriptedResponse:
        op = self.operation_for(request)
        if op is None:
            return ScriptedResponse(404, [("content-type", "text/plain")], b"no such operation")
        self.answered.append(op)
        success = op.success
        status = success.status if isinstance(success.status, int) else 200
        kind = success.kind
        media = success.media_type or "application/octet-stream"
        if kind == "none":
            return ScriptedResponse(204 if status == 204 else status)
        if kind in ("json", "sse", "jsonlines", "media"):
            value = sample(self._schema(op, media), self._document)
            if kind == "sse":
                text = json.dumps(value) if not isinstance(value, str) else value
                return ScriptedResponse(
                    status,
                    [("content-type", "text/event-stream")],
                    f"data: {text}\n\n".encode(),
                )
            text = json.dumps(value) + ("\n" if kind == "jsonlines" else "")
            return ScriptedResponse(status, [("content-type", media)], text.encode())
        if kind == "text":
            return ScriptedResponse(status, [("content-type", media)], b"some text")
        return ScriptedResponse(status, [("content-type", media)], b"\x00\x01bytes")

    def _schema(self, op: Operation, media: str) -> Any:
        operation = self._document["paths"][op.path][op.method.lower()]
        response = operation["responses"][str(op.success.status)]
        while "$ref" in response:
            response = _resolve(self._document, response["$ref"])
        return ((response.get("content") or {}).get(media) or {}).get("schema")
