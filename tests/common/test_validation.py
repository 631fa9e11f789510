"""Integers from clients, one check for every door (common/validation.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from common.errors import DomainError
from common.validation import MAX_ID, clean_id, clean_int, clean_optional_id, is_int


@pytest.mark.parametrize("value", [0, -3, 7, MAX_ID, 10**30])
def test_integers_are_integers(value: int) -> None:
    assert is_int(value) and clean_int(value, field="n") == value


@pytest.mark.parametrize("value", [True, False, 1.0, "12", None, [1], {"n": 1}])
def test_bools_floats_strings_and_the_rest_are_invalid_naming_the_field(value: Any) -> None:
    assert not is_int(value)
    with pytest.raises(DomainError) as refused:
        clean_int(value, field="seq")
    assert refused.value.code == "invalid" and "`seq`" in refused.value.detail


@pytest.mark.parametrize(("value", "ok"), [(-1, False), (0, True), (5, True), (6, False)])
def test_bounds_are_inclusive(value: int, ok: bool) -> None:
    if ok:
        assert clean_int(value, field="n", minimum=0, maximum=5) == value
    else:
        with pytest.raises(DomainError) as refused:
            clean_int(value, field="n", minimum=0, maximum=5)
        assert refused.value.code == "invalid" and "0" in refused.value.detail


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, 10**95])
def test_an_id_that_cannot_exist_is_not_found_without_a_query(value: int) -> None:
    with pytest.raises(DomainError) as refused:
        clean_id(value, field="room")
    assert refused.value.code == "not_found"


def test_ids_within_the_column_pass_and_null_is_absent() -> None:
    assert clean_id(1, field="room") == 1
    assert clean_id(MAX_ID, field="room") == MAX_ID
    assert clean_optional_id(None, field="thread") is None
    with pytest.raises(DomainError) as refused:
        clean_optional_id("1", field="thread")
    assert refused.value.code == "invalid"


def test_the_sentence_is_in_the_users_language() -> None:
    with translation.override("en"), pytest.raises(DomainError) as refused:
        clean_int("x", field="seq", minimum=0)
    assert refused.value.detail == "`seq` must be a whole number of at least 0."
