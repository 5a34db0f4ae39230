"""What parameter values become on the wire: scalars of every kind, models, nesting,
allowReserved, parameters declared with `content` (Encoded), and styles in the wrong place."""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

import pytest

from generator.runtime import OMIT, Encoded, Endpoint, JsonResult, Request, Styled
from tests.runtime.conftest import Driver
from tests.runtime.schema import VoiceSettings
from tests.support.loopback import LoopbackServer, RecordedRequest

PATH: Endpoint[Any] = Endpoint(method="GET", path="/p/{id}", result=JsonResult(Any))
QUERY: Endpoint[Any] = Endpoint(method="GET", path="/q", result=JsonResult(Any))


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


def _send(
    http: Driver, loopback: LoopbackServer, endpoint: Endpoint[Any], request: Request
) -> RecordedRequest:
    loopback.respond(json={})
    http.call(endpoint, request)
    return loopback.requests[-1]


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (True, "true"),
        (Color.RED, "red"),
        (Level.HIGH, "3"),
        (0.5, "0.5"),
        (datetime.date(2024, 5, 6), "2024-05-06"),
        (
            datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC),
            "2024-05-06T07%3A08%3A09%2B00%3A00",
        ),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
    ],
    ids=["bool", "enum", "int-enum", "float", "date", "datetime", "uuid"],
)
def test_scalars_in_a_styled_list_are_sent_as_their_text(
    http: Driver, loopback: LoopbackServer, value: object, wire: str
) -> None:
    request = Request(query=(("v", Styled([value, value], "form", explode=False)),))
    assert _send(http, loopback, QUERY, request).target == f"/q?v={wire},{wire}"


def test_a_model_is_an_object_of_its_set_fields_by_alias(
    http: Driver, loopback: LoopbackServer
) -> None:
    settings = VoiceSettings(similarity_boost=0.5)
    request = Request(query=(("s", Styled(settings, "deepObject")),))
    assert _send(http, loopback, QUERY, request).target == "/q?s%5BsimilarityBoost%5D=0.5"


def test_none_and_omit_inside_lists_and_objects_are_not_sent(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(
        query=(
            ("ids", Styled([1, None, OMIT, 2], "form", explode=False)),
            ("o", Styled({"a": None, "b": OMIT, "c": 3}, "form", explode=False)),
        )
    )
    assert _send(http, loopback, QUERY, request).target == "/q?ids=1,2&o=c,3"


def test_empty_lists_and_objects_are_not_sent(http: Driver, loopback: LoopbackServer) -> None:
    request = Request(
        query=(("a", []), ("b", Styled({}, "deepObject")), ("c", Styled([], "pipeDelimited")))
    )
    assert _send(http, loopback, QUERY, request).target == "/q"


def test_a_styled_none_is_not_sent(http: Driver, loopback: LoopbackServer) -> None:
    request = Request(query=(("a", Styled(None, "form", explode=False)), ("b", 1)))
    assert _send(http, loopback, QUERY, request).target == "/q?b=1"


def test_a_list_or_object_inside_a_form_value_is_json_text(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(query=(("o", {"a": {"b": 1}, "l": [1, 2]}),))
    assert _send(http, loopback, QUERY, request).target == "/q?a=%7B%22b%22%3A1%7D&l=%5B1%2C2%5D"


def test_deep_object_nests_objects_in_brackets(http: Driver, loopback: LoopbackServer) -> None:
    request = Request(query=(("f", Styled({"a": {"b": {"c": "v"}}, "d": 1}, "deepObject")),))
    sent = _send(http, loopback, QUERY, request)
    assert sent.target == "/q?f%5Ba%5D%5Bb%5D%5Bc%5D=v&f%5Bd%5D=1"


def test_deep_object_indexes_lists_as_form_encoded_payment_apis_do(
    http: Driver, loopback: LoopbackServer
) -> None:
    items = [{"price": "p_1", "quantity": 2}, {"price": "p_2"}]
    request = Request(query=(("line_items", Styled(items, "deepObject")),))
    assert _send(http, loopback, QUERY, request).target == (
        "/q?line_items%5B0%5D%5Bprice%5D=p_1&line_items%5B0%5D%5Bquantity%5D=2"
        "&line_items%5B1%5D%5Bprice%5D=p_2"
    )


def test_reserved_characters_in_values_are_percent_encoded(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(query=(("q", "a/b:c?d=e&f,g[h]@!$'()*+;"),))
    assert _send(http, loopback, QUERY, request).target == (
        "/q?q=a%2Fb%3Ac%3Fd%3De%26f%2Cg%5Bh%5D%40%21%24%27%28%29%2A%2B%3B"
    )


def test_allow_reserved_keeps_reserved_characters_and_escapes_but_not_hash(
    http: Driver, loopback: LoopbackServer
) -> None:
    value = "a/b:c?d=e&f,g[h]@!$'()*+;%41 x#y%"
    request = Request(query=(("q", Styled(value, "form", allow_reserved=True)),))
    assert _send(http, loopback, QUERY, request).target == (
        "/q?q=a/b:c?d=e&f,g[h]@!$'()*+;%41%20x%23y%25"
    )


def test_a_delimiter_inside_an_item_is_encoded_and_the_delimiter_is_not(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(query=(("tags", Styled(["a,b", "c|d"], "form", explode=False)),))
    assert _send(http, loopback, QUERY, request).target == "/q?tags=a%2Cb,c%7Cd"


def test_a_matrix_value_is_percent_encoded_inside_its_delimiters(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(path_params={"id": Styled(["a;b", "c d"], "matrix", explode=True)})
    assert _send(http, loopback, PATH, request).target == "/p/;id=a%3Bb;id=c%20d"


def test_header_values_are_sent_as_text_not_percent_encoded(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(headers=(("X-Filter", {"q": "a b/c"}),))
    assert _send(http, loopback, QUERY, request).header("x-filter") == "q,a b/c"


def test_cookie_values_encode_only_what_a_cookie_may_not_hold(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(cookies=(("token", "ab+/c=="), ("note", 'a b;c,"d"\\é')))
    assert _send(http, loopback, QUERY, request).header("cookie") == (
        "token=ab+/c==; note=a%20b%3Bc%2C%22d%22%5C%C3%A9"
    )


# Parameters declared with `content`.


def test_a_json_content_parameter_in_the_query_is_percent_encoded_json_text(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(query=(("where", Encoded({"a": [1, "x y"]}, "application/json")),))
    assert _send(http, loopback, QUERY, request).target == (
        "/q?where=%7B%22a%22%3A%5B1%2C%22x%20y%22%5D%7D"
    )


def test_a_json_content_parameter_in_the_path_is_percent_encoded_json_text(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(path_params={"id": Encoded(["a", 1], "application/json")})
    assert _send(http, loopback, PATH, request).target == "/p/%5B%22a%22%2C1%5D"


def test_a_json_content_parameter_in_a_header_is_json_text(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(headers=(("X-Where", Encoded({"a": "b c"}, "application/json")),))
    assert _send(http, loopback, QUERY, request).header("x-where") == '{"a":"b c"}'


def test_a_json_content_parameter_in_a_cookie_encodes_what_a_cookie_may_not_hold(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(cookies=(("prefs", Encoded({"a": 1, "b": 2}, "application/json")),))
    assert _send(http, loopback, QUERY, request).header("cookie") == (
        "prefs={%22a%22:1%2C%22b%22:2}"
    )


def test_a_content_parameter_of_a_json_suffix_type_is_json_text(
    http: Driver, loopback: LoopbackServer
) -> None:
    settings = VoiceSettings(stability=1.0)
    request = Request(headers=(("X-S", Encoded(settings, "application/vnd.api+json")),))
    assert _send(http, loopback, QUERY, request).header("x-s") == '{"stability":1.0}'


def test_a_text_content_parameter_is_the_values_text(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(query=(("n", Encoded(5, "text/plain")), ("b", Encoded(True, "text/plain"))))
    assert _send(http, loopback, QUERY, request).target == "/q?n=5&b=true"


def test_a_form_content_parameter_is_its_form_encoding_percent_encoded_again(
    http: Driver, loopback: LoopbackServer
) -> None:
    value = Encoded({"a": "x y", "b": [1, 2]}, "application/x-www-form-urlencoded")
    request = Request(query=(("f", value),))
    assert _send(http, loopback, QUERY, request).target == "/q?f=a%3Dx%2520y%26b%3D1%26b%3D2"


def test_a_content_parameter_that_is_none_is_not_sent(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(query=(("where", Encoded(None, "application/json")),))
    assert _send(http, loopback, QUERY, request).target == "/q"


# Mistakes a generator could make are reported before anything is sent.


@pytest.mark.parametrize(
    "request_",
    [
        Request(query=(("a", Styled(1, "matrix")),)),
        Request(path_params={"id": Styled(1, "form")}),
        Request(headers=(("X-A", Styled(1, "form")),)),
        Request(cookies=(("a", Styled(1, "deepObject")),)),
    ],
    ids=["matrix-in-query", "form-in-path", "form-in-header", "deepObject-in-cookie"],
)
def test_a_style_used_where_it_does_not_apply_raises_value_error_before_sending(
    http: Driver, loopback: LoopbackServer, request_: Request
) -> None:
    with pytest.raises(ValueError, match="is not for"):
        http.call(QUERY if "id" not in request_.path_params else PATH, request_)
    assert loopback.requests == []


@pytest.mark.parametrize(
    "value", [Styled(None, "label"), Encoded(OMIT, "application/json")], ids=["styled", "encoded"]
)
def test_a_wrapped_path_parameter_without_a_value_raises_type_error(
    http: Driver, loopback: LoopbackServer, value: object
) -> None:
    with pytest.raises(TypeError, match="'id'"):
        http.call(PATH, Request(path_params={"id": value}))
    assert loopback.requests == []


@pytest.mark.parametrize(
    ("value", "wire"),
    [(1e20, "1e%2B20"), (-3, "-3"), (False, "false")],
    ids=["float-exponent", "negative-int", "bool"],
)
def test_numbers_are_percent_encoded_where_their_text_needs_it(
    http: Driver, loopback: LoopbackServer, value: object, wire: str
) -> None:
    sent = _send(http, loopback, PATH, Request(path_params={"id": value}, query=(("n", value),)))
    assert sent.target == f"/p/{wire}?n={wire}"
