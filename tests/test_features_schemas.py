"""Schemas from a small inline spec, end to end (generate, import, mypy, parse a response through the
client): nullable anyOf and type arrays, discriminated oneOf, allOf, enums and const, recursion,
additionalProperties, readOnly/writeOnly, deprecation, and names that are no identifiers, are
keywords, shadow BaseModel, or collide."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref


def _get(operation_id: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "tags": ["shapes"],
            "responses": {"200": json_response(schema)},
            **extra,
        }
    }


SCHEMAS: dict[str, Any] = {
    "Nullable": {
        "type": "object",
        "required": ["must"],
        "properties": {
            "must": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "maybe": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "either": {"type": ["integer", "string"]},
            "or_null": {"type": ["number", "null"]},
        },
    },
    "Cat": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string", "const": "kitty"}, "meows": {"type": "boolean"}},
    },
    "Dog": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string", "enum": ["dog"]}, "barks": {"type": "integer"}},
    },
    "Pet": {
        "oneOf": [ref("Cat"), ref("Dog")],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"kitty": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
        },
    },
    "NewPet": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "tag": {"type": "string"}},
    },
    "StoredPet": {
        "allOf": [
            ref("NewPet"),
            {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        ]
    },
    "Settings": {
        "type": "object",
        "properties": {
            "mode": {"type": "string", "enum": ["fast", "slow"]},
            "version": {"const": 2},
            "level": {"type": "integer", "enum": [1, 2, 3]},
        },
    },
    "Node": {
        "type": "object",
        "properties": {"children": {"type": "array", "items": ref("Node")}, "leaf": ref("Leaf")},
    },
    "Leaf": {
        "type": "object",
        "properties": {
            "parent": ref("Node"),
            "value": {"type": "string", "description": "What the leaf holds", "maxLength": 9},
        },
    },
    "Catalog": {
        "type": "object",
        "properties": {
            "by_id": {"type": "object", "additionalProperties": ref("NewPet")},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "anything": {"type": "object", "additionalProperties": True},
        },
    },
    "Account": {
        "type": "object",
        "required": ["id", "password", "name"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "password": {"type": "string", "writeOnly": True},
            "name": {"type": "string"},
            "legacy": {"type": "string", "deprecated": True},
        },
    },
    "Body_create_thing_v1_things_post": {"type": "object", "properties": {"a": {"type": "string"}}},
    "Foo-Input": {"type": "object", "properties": {"a": {"type": "string"}}},
    "Foo-Output": {"type": "object", "properties": {"a": {"type": "string"}}},
    "foo_bar": {"type": "object", "properties": {"first": {"type": "string"}}},
    "FooBar": {"type": "object", "properties": {"second": {"type": "string"}}},
    "class": {"type": "object", "properties": {"x": {"type": "string"}}},
    "Odd": {
        "type": "object",
        "properties": {
            "class": {"type": "string"},
            "from": {"type": "string"},
            "schema": {"type": "string"},
            "json": {"type": "integer"},
            "copy": {"type": "string"},
            "dict": {"type": "string"},
            "validate": {"type": "string"},
            "model_config": {"type": "string"},
            "model_dump": {"type": "string"},
            "model_validate_me": {"type": "string"},
            "foo-bar": {"type": "string"},
            "foo_bar": {"type": "string"},
            "1st": {"type": "string"},
            "\u210c": {"type": "string"},  # BLACK-LETTER CAPITAL H: NFKC makes it H
            "H": {"type": "string"},
            "\u00e9t\u00e9": {"type": "string"},
            "\u540d\u524d": {"type": "string"},
            "\ufb01le": {"type": "string"},  # the fi ligature: NFKC makes it "file"
            "file": {"type": "string"},
        },
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Schemas", "version": "1"},
    "paths": {
        "/nullable": _get("getNullable", ref("Nullable")),
        "/pet": _get("getPet", ref("Pet")),
        "/pets": _get("listPets", {"type": "array", "items": ref("Pet")}),
        "/stored": _get("getStored", ref("StoredPet")),
        "/settings": _get("getSettings", ref("Settings")),
        "/tree": _get("getTree", ref("Node")),
        "/catalog": _get("getCatalog", ref("Catalog")),
        "/account": _get("getAccount", ref("Account")),
        "/old": _get("getOld", ref("NewPet"), deprecated=True),
        "/odd": _get("getOdd", ref("Odd")),
        "/names": _get(
            "getNames",
            {
                "type": "array",
                "items": {
                    "anyOf": [
                        ref("Foo-Input"),
                        ref("Foo-Output"),
                        ref("foo_bar"),
                        ref("FooBar"),
                        ref("class"),
                        ref("Body_create_thing_v1_things_post"),
                    ]
                },
            },
        ),
    },
    "components": {"schemas": SCHEMAS},
}

USAGE = """
from feat_schemas import Tiny
from feat_schemas.models import (
    Account, Cat, Catalog, Dog, Leaf, NewPet, Node, Nullable, Odd, Settings, StoredPet,
    UnknownPet,
)

client = Tiny(base_url="http://127.0.0.1:9")
nullable: Nullable = client.shapes.get_nullable()
must: str | None = nullable.must
either: int | str | None = nullable.either
pet: Cat | Dog | UnknownPet = client.shapes.get_pet()  # open union (issue 15)
pets: list[Cat | Dog | UnknownPet] = client.shapes.list_pets()
stored: StoredPet = client.shapes.get_stored()
name: str = stored.name
ident: int = stored.id
settings: Settings = client.shapes.get_settings()
tree: Node = client.shapes.get_tree()
leaf: Leaf | None = tree.leaf
catalog: Catalog = client.shapes.get_catalog()
account: Account = client.shapes.get_account()
old: NewPet = client.shapes.get_old()
odd: Odd = client.shapes.get_odd()
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("schemas"), SPEC, "feat_schemas")


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url) as client:
        yield client


@pytest.fixture
def models(generated: Generated) -> Any:
    return generated.load("models")


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_optional_fields_with_a_field_call_are_optional_to_type_checkers(
    generated: Generated,
) -> None:
    """Without pydantic's mypy plugin a default counts only as `Field(default=...)` (PEP 681)."""
    assert "Field(\n        default=None" in generated.file("models/node.py")  # Leaf, with Node
    assert generated.mypy("from feat_schemas.models import Leaf\n\nLeaf()\n") == ""


def test_nullable_any_of_and_type_arrays(
    client: Any, models: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"must": None, "either": "x", "or_null": None})
    loopback.respond(json={"maybe": 1})
    result = client.shapes.get_nullable()
    assert (result.must, result.maybe, result.either, result.or_null) == (None, None, "x", None)
    with pytest.raises(Exception, match="must") as failure:
        client.shapes.get_nullable()
    assert type(failure.value).__name__ == "ResponseValidationError", "must is required"


def test_one_of_with_a_discriminator_is_a_discriminated_union(
    generated: Generated, client: Any, models: Any, loopback: LoopbackServer
) -> None:
    assert 'OpenUnion("kind")' in generated.file("models/pet.py")
    loopback.respond(json={"kind": "kitty", "meows": True})
    loopback.respond(json=[{"kind": "dog", "barks": 3}, {"kind": "kitty"}])
    loopback.respond(json={"kind": "fish"})
    loopback.respond(json={"meows": True})
    assert client.shapes.get_pet() == models.Cat(kind="kitty", meows=True)
    assert [type(p).__name__ for p in client.shapes.list_pets()] == ["Dog", "Cat"]
    fish = client.shapes.get_pet()  # a tag the spec does not list (issue 15)
    assert (type(fish).__name__, fish.raw) == ("UnknownPet", {"kind": "fish"})
    with pytest.raises(Exception, match="kind") as failure:  # no tag: still an error
        client.shapes.get_pet()
    assert type(failure.value).__name__ == "ResponseValidationError"


def test_all_of_merges_its_parts(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={"name": "Rex", "id": 7})
    stored = client.shapes.get_stored()
    assert (stored.name, stored.id, stored.tag) == ("Rex", 7, None)


def test_enums_and_const_are_literals_and_checked(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    source = generated.file("models/settings.py")
    assert "Literal['fast', 'slow']" in source.replace('"', "'")
    loopback.respond(json={"mode": "fast", "version": 2, "level": 3})
    loopback.respond(json={"mode": "medium"})
    loopback.respond(json={"mode": 3})
    assert client.shapes.get_settings().mode == "fast"
    assert repr(client.shapes.get_settings().mode) == "UnknownStr('medium')"  # issue 15
    with pytest.raises(Exception, match="mode"):  # the wrong JSON type: still an error
        client.shapes.get_settings()


def test_recursive_and_mutually_recursive_schemas(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(
        json={"children": [{"children": []}], "leaf": {"value": "v", "parent": {"children": []}}}
    )
    tree = client.shapes.get_tree()
    assert tree.children[0].children == []
    assert tree.leaf.value == "v" and tree.leaf.parent.children == []


def test_additional_properties_are_maps(client: Any, models: Any, loopback: LoopbackServer) -> None:
    loopback.respond(
        json={"by_id": {"a": {"name": "A"}}, "counts": {"x": 1}, "anything": {"k": [1, "two"]}}
    )
    catalog = client.shapes.get_catalog()
    assert catalog.by_id == {"a": models.NewPet(name="A")}
    assert (catalog.counts, catalog.anything) == ({"x": 1}, {"k": [1, "two"]})


def test_read_only_and_write_only_properties_are_never_required(
    client: Any, models: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"id": "acc_1", "name": "n"})  # a response has no writeOnly password
    account = client.shapes.get_account()
    assert (account.id, account.password, account.name) == ("acc_1", None, "n")
    request_side = models.Account(name="n", password="p")  # a request has no readOnly id
    assert request_side.model_dump(exclude_unset=True) == {"name": "n", "password": "p"}


def test_deprecated_operations_and_fields_warn_on_use(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"name": "n"})
    with pytest.warns(DeprecationWarning, match="get_old is deprecated"):
        client.shapes.get_old()
    loopback.respond(json={"name": "n", "legacy": "l"})
    account = client.shapes.get_account()
    with pytest.warns(DeprecationWarning):
        assert account.legacy == "l"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert account.name == "n"


def test_odd_property_names_keep_their_data_under_python_field_names(
    client: Any, loopback: LoopbackServer
) -> None:
    wire = {
        "class": "c",
        "from": "f",
        "schema": "s",
        "json": 1,
        "copy": "cp",
        "dict": "d",
        "validate": "v",
        "model_config": "mc",
        "model_dump": "md",
        "model_validate_me": "mv",
        "foo-bar": "dash",
        "foo_bar": "underscore",
        "1st": "first",
        "\u210c": "black-letter",
        "H": "plain",
        "\u00e9t\u00e9": "summer",
        "\u540d\u524d": "name",
        "\ufb01le": "ligature",
        "file": "plain file",
    }
    loopback.respond(json=wire)
    odd = client.shapes.get_odd()
    assert odd.model_dump(by_alias=True) == wire, "no property lost or merged"
    fields = type(odd).model_fields
    assert all(name.isascii() and name.isidentifier() for name in fields)
    assert len(fields) == len(wire)
    assert odd.H == "plain" and odd.file == "plain file"
    assert (odd.field_model_dump, odd.field_model_validate_me) == ("md", "mv")
    assert (odd.class_, odd.schema_, odd.json_, odd.copy_, odd.model_config_) == (
        "c",
        "s",
        1,
        "cp",
        "mc",
    )


def test_schema_names_become_distinct_class_names(
    client: Any, models: Any, loopback: LoopbackServer
) -> None:
    exported = set(models.__all__)
    assert {
        "FooInput",
        "FooOutput",
        "FooBar",
        "FooBar2",
        "Class",
        "BodyCreateThingV1ThingsPost",
    } <= exported
    assert models.FooBar.model_fields.keys() == {"second"}, "the exact name keeps its class"
    assert models.FooBar2.model_fields.keys() == {"first"}
    assert models.Class.model_fields.keys() == {"x"}
    loopback.respond(json=[{"first": "f"}])
    (item,) = client.shapes.get_names()
    assert isinstance(item, tuple(getattr(models, n) for n in ("FooInput", "FooBar2", "FooBar")))
