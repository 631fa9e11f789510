"""Untrusted JSON (common/untrusted.py): what Python's parser takes but the server must not
is `invalid` with a reason, never an exception of another kind."""

from __future__ import annotations

import json

import pytest

from common import untrusted
from common.errors import DomainError


def _refused(text: str) -> DomainError:
    with pytest.raises(DomainError) as refused:
        untrusted.loads(text)
    assert refused.value.code == "invalid"
    return refused.value


def test_nesting_up_to_the_limit_is_fine_and_one_more_is_not() -> None:
    deepest = "[" * untrusted.MAX_DEPTH + "]" * untrusted.MAX_DEPTH
    assert untrusted.loads(deepest) is not None
    assert "16" in _refused("[" + deepest + "]").detail
    assert "16" in _refused('{"a": ' * 17 + "1" + "}" * 17).detail


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_nesting_deep_enough_to_exhaust_the_parser_is_invalid_not_a_crash(levels: int) -> None:
    _refused("[" * levels + "]" * levels)
    _refused("[" * levels)  # not even closed


@pytest.mark.parametrize(
    "text",
    [
        '"\\ud800"',
        '{"ref": "\\udfff"}',
        '{"\\ud800": 1}',
        '{"a": [{"b": ["x\\ud83d"]}]}',
        '["\\ude00\\ud83d"]',  # a pair in the wrong order is two halves
    ],
)
def test_a_lone_surrogate_anywhere_is_invalid(text: str) -> None:
    assert "UTF-16" in _refused(text).detail


def test_a_surrogate_pair_is_the_character_it_stands_for() -> None:
    assert untrusted.loads('{"emoji": "\\ud83d\\ude00"}') == {"emoji": "😀"}


@pytest.mark.parametrize("text", ["NaN", '{"n": Infinity}', "[-Infinity]", "{", "", "1e99999x"])
def test_what_is_not_json_is_invalid(text: str) -> None:
    _refused(text)


def test_ordinary_frames_come_through_unchanged() -> None:
    frame = {"type": "send", "room": 3, "body": "Grüße [1] {2} \\u", "client_id": "c", "ref": 1.5}
    assert untrusted.loads(json.dumps(frame)) == frame
    assert untrusted.loads(json.dumps(frame, ensure_ascii=False)) == frame
