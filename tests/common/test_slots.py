"""Slots (common/slots.py): a lower package asks an app above through a slot it declares;
the app plugs its provider in when it is ready."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import restrictions as account_restrictions
from common.slots import Slot
from initiatives import lifecycle
from moderation.providers import AccountRestrictions, RoomRestrictions
from realtime import streams
from rooms import restrictions as room_restrictions
from rooms.providers import InitiativeRooms, RoomLogReader


def test_a_slot_gives_its_default_until_a_provider_is_plugged_in() -> None:
    slot: Slot[str] = Slot("test.greeting", "hallo")
    assert slot.get() == "hallo"

    slot.plug("moin")

    assert slot.get() == "moin"


def test_an_empty_slot_names_itself_when_asked() -> None:
    slot: Slot[str] = Slot("test.nobody")

    with pytest.raises(ImproperlyConfigured, match=r"test\.nobody"):
        slot.get()


def test_every_slot_is_filled_by_its_app_once_django_is_ready() -> None:
    # The apps' ready() ran for the test session (pytest-django): each lower package
    # asks the app above it, never its default.
    assert isinstance(streams.room_log.get(), RoomLogReader)
    assert isinstance(lifecycle.listener.get(), InitiativeRooms)
    assert isinstance(room_restrictions.restrictions.get(), RoomRestrictions)
    assert isinstance(account_restrictions.restrictions.get(), AccountRestrictions)
