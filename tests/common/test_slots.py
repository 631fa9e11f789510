"""Slots (common/slots.py): a lower package asks an app above through a slot it declares;
the app plugs its provider in when it is ready, and the start stops if one is missing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import restrictions as account_restrictions
from common import slots
from common.slots import Slot, check_slots_plugged
from initiatives import lifecycle
from moderation.providers import AccountRestrictions, RoomRestrictions
from realtime import streams
from rooms import restrictions as room_restrictions
from rooms.providers import InitiativeRooms, RoomLogReader


@pytest.fixture
def own_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slots made in a test are not the project's: the system check sees only them."""
    monkeypatch.setattr(slots, "_every_slot", [])


def test_a_slot_gives_what_was_plugged_in(own_slots: None) -> None:
    slot: Slot[str] = Slot("test.greeting")

    slot.plug("moin")

    assert slot.get() == "moin"


def test_an_empty_slot_names_itself_when_asked(own_slots: None) -> None:
    slot: Slot[str] = Slot("test.nobody")

    with pytest.raises(ImproperlyConfigured, match=r"test\.nobody"):
        slot.get()


def test_the_system_check_names_every_empty_slot_and_only_those(own_slots: None) -> None:
    Slot("test.filled").plug("da")
    Slot("test.empty")

    errors = check_slots_plugged()

    assert [(e.id, e.msg) for e in errors] == [("common.E001", "No app has plugged in test.empty.")]


def test_every_slot_of_the_project_is_filled_by_its_app() -> None:
    # The apps' ready() ran for the test session (pytest-django).
    assert check_slots_plugged() == []
    assert isinstance(streams.room_log.get(), RoomLogReader)
    assert isinstance(lifecycle.listener.get(), InitiativeRooms)
    assert isinstance(room_restrictions.restrictions.get(), RoomRestrictions)
    assert isinstance(account_restrictions.restrictions.get(), AccountRestrictions)
