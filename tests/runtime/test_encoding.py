"""_encoding: how Python values become path segments, query strings, headers and bodies."""

from __future__ import annotations

import datetime
import enum
import json
import uuid

import pytest

from generator.runtime import OMIT
from generator.runtime._encoding import (
    encode_cookies,
    encode_form,
    encode_headers,
    encode_json,
    encode_query,
    encode_value,
    render_path,
)
from tests.runtime.schema import Voice, VoiceSettings


class Color(enum.Enum):
    RED = "red"


class Size(str, enum.Enum):  # noqa: UP042 - the shape datamodel-code-generator emits
    LARGE = "large"


class Level(enum.IntEnum):
    HIGH = 3


def test_booleans_are_lowercase_words() -> None:
    assert (encode_value(True), encode_value(False)) == ("true", "false")


def test_enums_are_their_values() -> None:
    assert [encode_value(Color.RED), encode_value(Size.LARGE), encode_value(Level.HIGH)] == [
        "red",
        "large",
        "3",
    ]


def test_dates_and_datetimes_are_isoformat() -> None:
    moment = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    assert encode_value(moment) == "2024-05-06T07:08:09+00:00"
    assert encode_value(datetime.date(2024, 5, 6)) == "2024-05-06"


def test_numbers_and_uuids_use_str() -> None:
    value = uuid.UUID(int=1)
    assert [encode_value(3), encode_value(0.5), encode_value(value)] == ["3", "0.5", str(value)]


def test_models_and_dicts_become_json_text() -> None:
    assert json.loads(encode_value(Voice(voice_id="v1", name="Ann"))) == {
        "voice_id": "v1",
        "name": "Ann",
    }
    assert json.loads(encode_value({"a": [1, True]})) == {"a": [1, True]}


def test_query_skips_none_and_omit() -> None:
    assert encode_query([("a", None), ("b", OMIT), ("c", "x")]) == "c=x"


def test_query_repeats_the_key_for_each_list_item() -> None:
    assert encode_query([("ids", ["a", "b"]), ("n", (1, 2))]) == "ids=a&ids=b&n=1&n=2"


def test_query_percent_encodes_reserved_characters() -> None:
    assert encode_query([("q", "a&b=c d/é+")]) == "q=a%26b%3Dc%20d%2F%C3%A9%2B"


def test_query_encodes_booleans_as_true_and_false() -> None:
    assert encode_query([("on", True), ("off", False)]) == "on=true&off=false"


def test_empty_query_is_an_empty_string() -> None:
    assert encode_query([("a", None)]) == ""


def test_path_params_are_percent_encoded_including_slashes() -> None:
    assert render_path("/v1/voices/{voice_id}", {"voice_id": "a/b c?"}) == "/v1/voices/a%2Fb%20c%3F"


def test_path_params_with_spec_names_that_are_not_identifiers() -> None:
    path = render_path("/v1/{voice-id}/x/{Other.Name}", {"voice-id": 1, "Other.Name": Color.RED})
    assert path == "/v1/1/x/red"


@pytest.mark.parametrize("missing", [None, OMIT])
def test_path_param_that_is_none_or_omit_raises_type_error(missing: object) -> None:
    with pytest.raises(TypeError, match="voice_id"):
        render_path("/v1/voices/{voice_id}", {"voice_id": missing})


def test_path_param_that_is_absent_raises_type_error() -> None:
    with pytest.raises(TypeError, match="voice_id"):
        render_path("/v1/voices/{voice_id}", {})


def test_headers_skip_none_and_join_lists_with_commas() -> None:
    headers = encode_headers([("x-a", None), ("x-b", ["1", "2"]), ("x-c", True), ("x-d", OMIT)])
    assert headers == {"x-b": "1,2", "x-c": "true"}


def test_cookies_become_one_cookie_header_value() -> None:
    assert encode_cookies([("session", "s1"), ("gone", None), ("flag", False)]) == (
        "session=s1; flag=false"
    )


def test_json_drops_top_level_omit_but_keeps_none() -> None:
    assert json.loads(encode_json({"a": OMIT, "b": None, "c": 1})) == {"b": None, "c": 1}


def test_json_models_send_only_fields_that_were_set_by_alias() -> None:
    body = encode_json({"settings": VoiceSettings(similarityBoost=0.5), "text": "hi"})
    assert json.loads(body) == {"settings": {"similarityBoost": 0.5}, "text": "hi"}


def test_json_model_field_set_to_none_is_sent_as_null() -> None:
    assert json.loads(encode_json(VoiceSettings(stability=None))) == {"stability": None}


def test_json_serializes_dates_enums_and_lists_of_models() -> None:
    body = encode_json(
        {
            "when": datetime.date(2024, 1, 2),
            "color": Color.RED,
            "voices": [Voice(voice_id="v", name="n")],
        }
    )
    assert json.loads(body) == {
        "when": "2024-01-02",
        "color": "red",
        "voices": [{"voice_id": "v", "name": "n"}],
    }


def test_json_merges_additional_body_parameters_into_an_object() -> None:
    assert json.loads(encode_json({"a": 1}, {"b": 2})) == {"a": 1, "b": 2}
    assert json.loads(encode_json(VoiceSettings(stability=1.0), {"b": 2})) == {
        "stability": 1.0,
        "b": 2,
    }
    assert json.loads(encode_json(OMIT, {"b": 2})) == {"b": 2}


def test_json_refuses_additional_body_parameters_for_a_non_object_body() -> None:
    with pytest.raises(TypeError):
        encode_json([1, 2], {"b": 2})


def test_form_is_urlencoded_with_repeated_keys() -> None:
    assert encode_form([("a", "x y"), ("tags", ["t1", "t2"]), ("skip", None)]) == (
        b"a=x%20y&tags=t1&tags=t2"
    )
