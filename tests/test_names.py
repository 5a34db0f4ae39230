"""Names, end to end on a small inline spec (generate, import, mypy --strict, call): a schema named
like a generated class (a group's client classes, the client's, the environment, an error class,
a runtime name) gets another class name; datamodel-code-generator's made-up aliases for
constrained inline types (`SimilarityBoost3`) are not generated, their constraints stay on the
field; properties marked x-fern-ignore are left out of the models and of request bodies."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import pytest

from generator.api.build import _class_names
from generator.api.naming import client_class_names
from generator.models.inline import inline_aliases
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref

_CLASH = {"type": "object", "properties": {"id": {"type": "integer"}}}
_BOOST = {
    "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "null"}],
    "title": "Similarity Boost",
}

SCHEMAS: dict[str, Any] = {
    # Named like classes the client modules define or import beside the models.
    "UsersClient": _CLASH,
    "AsyncUsersClient": _CLASH,
    "RawUsersClient": _CLASH,
    "AsyncRawUsersClient": _CLASH,
    "AdminClient": _CLASH,
    "RawClient": _CLASH,
    "Tiny": _CLASH,
    "AsyncTiny": _CLASH,
    "TinyEnvironment": _CLASH,
    "ApiError": _CLASH,
    "NotFoundError": _CLASH,
    "Status599Error": _CLASH,
    "OMIT": _CLASH,
    # The same constrained property in several schemas: one alias each, numbered, before.
    "Voice": {
        "type": "object",
        "required": ["name", "internal"],
        "properties": {
            "name": {"type": "string"},
            "similarity_boost": _BOOST,
            "tags": {
                "anyOf": [
                    {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    {"type": "null"},
                ]
            },
            "internal": {"type": "string", "x-fern-ignore": True},
            "debug": {"type": "boolean", "x-fern-ignore": True},
        },
    },
    "Settings": {
        "type": "object",
        "properties": {"similarity_boost": _BOOST, "stability": _BOOST},
    },
    # A name that ends in digits because the spec says so stays.
    "Model2024": {"type": "string", "minLength": 2},
}


def _op(operation_id: str, schema: dict[str, Any], *groups: str, **extra: Any) -> dict[str, Any]:
    location = {"x-fern-sdk-group-name": list(groups)} if groups else {}
    return {
        "operationId": operation_id,
        **location,
        "responses": {"200": json_response(schema)},
        **extra,
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny", "version": "1.0"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/users": {
            "get": _op(
                "get_user",
                ref("UsersClient"),
                "users",
                responses={
                    "200": json_response(ref("UsersClient")),
                    "404": json_response(ref("NotFoundError")),
                    "599": json_response(ref("Status599Error")),
                    "default": json_response(ref("ApiError")),
                },
            ),
            "post": _op(
                "create_voice",
                ref("Voice"),
                "users",
                requestBody={
                    "required": True,
                    "content": {"application/json": {"schema": ref("Voice")}},
                },
            ),
        },
        "/users/others": {
            "get": _op(
                "get_others",
                {
                    "type": "array",
                    "items": {
                        "anyOf": [
                            ref("AsyncUsersClient"),
                            ref("RawUsersClient"),
                            ref("AsyncRawUsersClient"),
                            ref("AdminClient"),
                            ref("OMIT"),
                        ]
                    },
                },
                "users",
            ),
        },
        "/users/admin": {"get": _op("get_admin", ref("AdminClient"), "users", "admin")},
        "/root": {
            "get": _op(
                "get_root",
                {
                    "type": "array",
                    "items": {
                        "anyOf": [
                            ref("RawClient"),
                            ref("Tiny"),
                            ref("AsyncTiny"),
                            ref("TinyEnvironment"),
                            ref("Settings"),
                            ref("Model2024"),
                        ]
                    },
                },
            )
        },
    },
    "components": {"schemas": SCHEMAS},
}

USAGE = """
from feat_names import Tiny
from feat_names.models import (
    AdminClientModel, Model2024, Settings, UsersClientModel, Voice,
)

client = Tiny(base_url="http://127.0.0.1:9")
user: UsersClientModel = client.users.get_user()
admin: AdminClientModel = client.users.admin.get_admin()
voice: Voice = client.users.create_voice(name="x", similarity_boost=0.5, tags=["a"])
boost: float | None = voice.similarity_boost
settings = Settings(similarity_boost=None, stability=1.0)
year: Model2024 = "2024"
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("names"), SPEC, "feat_names")


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url) as client:
        yield client


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_a_schema_named_like_a_generated_class_gets_model_added(generated: Generated) -> None:
    models = generated.load("models")
    renamed = [n for n in SCHEMAS if n not in ("Voice", "Settings", "Model2024")]
    assert sorted(n for n in models.__all__ if n.endswith("Model")) == sorted(
        f"{n}Model" for n in renamed
    )
    assert not set(renamed) & set(models.__all__)
    users = generated.load("resources.users.client")
    assert users.UsersClient.__name__ == "UsersClient"
    source = generated.file("resources/users/client.py")
    assert "import UsersClientModel" in source and "import AdminClient," in source
    assert "import TinyModel" in generated.file("_client.py")


def test_the_renamed_models_are_what_the_calls_return(
    client: Any, generated: Generated, loopback: LoopbackServer
) -> None:
    models = generated.load("models")
    loopback.respond(json={"id": 1})
    loopback.respond(json={"id": 2})
    loopback.respond(status=404, json={"id": 3})
    assert client.users.get_user() == models.UsersClientModel(id=1)
    assert client.users.admin.get_admin() == models.AdminClientModel(id=2)
    with pytest.raises(generated.load("errors").NotFoundError):
        client.users.get_user()


def test_class_names_are_stable_and_an_exact_name_keeps_its_name() -> None:
    reserved = client_class_names(["Users"], ("Tiny", "AsyncTiny", "TinyEnvironment"))
    assert {"UsersClient", "AsyncStreamingUsersClient", "RawClient", "Tiny"} <= reserved
    assert "Client" not in reserved
    names = ["UsersClientModel", "UsersClient", "Users"]
    given = _class_names(names, reserved)
    assert given == {
        "UsersClientModel": "UsersClientModel",
        "UsersClient": "UsersClientModel2",
        "Users": "Users",
    }
    assert _class_names(list(reversed(names)), reserved) == given


def test_no_numbered_alias_for_a_constrained_inline_type(generated: Generated) -> None:
    modules = {p.stem for p in (generated.out / "feat_names" / "models").glob("*.py")}
    assert not [m for m in modules if re.search(r"[a-z_]\d+$", m) and m != "model2024"]
    assert not {"similarity_boost", "stability", "tags"} & modules
    assert "model2024" in modules
    voice = generated.file("models/voice.py")
    assert "similarity_boost: Annotated[float, Field(ge=0.0, le=1.0)] | None" in voice
    assert "tags: Annotated[list[str], Field(min_length=1)] | None" in voice


def test_the_constraint_stays_on_the_field(generated: Generated) -> None:
    from pydantic import ValidationError

    models = generated.load("models")
    assert models.Settings(similarity_boost=0.5, stability=None).similarity_boost == 0.5
    for wrong in ({"similarity_boost": 2}, {"stability": -1}):
        with pytest.raises(ValidationError):
            models.Settings(**wrong)
    with pytest.raises(ValidationError):
        models.Voice(name="x", tags=[])


def test_inline_aliases_keeps_named_and_self_referring_aliases() -> None:
    code = (
        "from typing import Annotated\n"
        "from pydantic import BaseModel, Field\n"
        "from typing_extensions import TypeAliasType\n"
        'Speed1 = TypeAliasType("Speed1", Annotated[float, Field(..., ge=0.7, title="Speed")])\n'
        'Model2024 = TypeAliasType("Model2024", Annotated[str, Field(..., min_length=2)])\n'
        'Tree = TypeAliasType("Tree", Annotated[list["Tree"], Field(..., min_length=1)])\n'
        "class A(BaseModel):\n"
        '    speed: Speed1 | None = Field(None, title="Speed1")\n'
        '    again: list["Speed1"] | None = None\n'
        "    tree: Tree | None = None\n"
    )
    out = inline_aliases(code, ["A", "Model2024"])
    assert "Speed1 =" not in out
    assert 'speed: Annotated[float, Field(ge=0.7)] | None = Field(None, title="Speed1")' in out
    assert "again: list[Annotated[float, Field(ge=0.7)]] | None" in out
    assert "Model2024 = " in out and "Tree = " in out


def test_properties_marked_x_fern_ignore_are_left_out(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    voice = generated.load("models").Voice
    assert set(voice.model_fields) == {"name", "similarity_boost", "tags"}
    parameters = inspect.signature(client.users.create_voice).parameters
    assert not {"internal", "debug"} & parameters.keys()
    skipped = [n for n in generated.notes if "x-fern-ignore" in n]
    assert len(skipped) == 1 and "skipped 2 properties marked x-fern-ignore" in skipped[0]
    loopback.respond(json={"name": "x", "internal": "kept by the server"})
    received = client.users.create_voice(name="x")
    # Not a field; received, it is kept as any field the client does not know (issue 15).
    assert received.name == "x" and "internal" not in voice.model_fields
    assert received.model_extra == {"internal": "kept by the server"}
