"""What travels through the channel layer (realtime/messages.py): controls keep their
type across the layer, and room events carry both audiences' text."""

from __future__ import annotations

import json

import pytest

from realtime.messages import (
    Close,
    Control,
    Recheck,
    RefreshRole,
    Unsubscribe,
    control_data,
    control_of,
    group_for_room,
    group_for_user,
    room_control,
    room_event,
    user_control,
)

CONTROLS: list[Control] = [
    Close(code=4403),
    Unsubscribe(room=7, reason="banned"),
    Recheck(room=7),
    RefreshRole(),
]


@pytest.mark.parametrize("control", CONTROLS)
def test_a_control_comes_out_of_the_layer_as_it_went_in(control: Control) -> None:
    # msgpack (channels-redis) carries plain data: what the hub reads back is typed again.
    assert control_of(json.loads(json.dumps(control_data(control)))) == control


def test_an_unknown_control_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="shout"):
        control_of({"do": "shout"})
    with pytest.raises(ValueError, match="recheck"):
        control_of({"do": "recheck"})  # which room?


def test_the_shapes_of_the_release_before_are_read_as_meant() -> None:
    # A rolling update runs old and new workers side by side for a while.
    assert control_of({"do": "recheck"}, room=7) == Recheck(room=7)
    assert control_of({"do": "refresh"}) == RefreshRole()


def test_controls_are_addressed_to_a_user_or_a_room() -> None:
    assert user_control(user_id=3, control=RefreshRole()) == {
        "type": "user.control",
        "user": 3,
        "action": {"do": "refresh_role"},
    }
    assert room_control(room_id=9, control=Recheck(room=9))["room"] == 9


def test_a_room_event_has_the_moderators_text_only_where_it_differs() -> None:
    public = room_event(room_id=4, seq=2, kind="message.created", data={"body": None})
    hidden = room_event(
        room_id=4, seq=2, kind="message.hidden", data={"body": None}, moderator_data={"body": "x"}
    )

    assert public["text_mod"] is None
    assert json.loads(public["text"]) == {
        "type": "event",
        "room": 4,
        "seq": 2,
        "event": "message.created",
        "data": {"body": None},
    }
    assert hidden["text_mod"] is not None
    assert json.loads(hidden["text_mod"])["data"] == {"body": "x"}


def test_group_names_stay_within_the_layers_limits() -> None:
    # [a-zA-Z0-9-_.], under 100 characters: ids are at most 19 digits.
    for name in (group_for_room(2**63 - 1), group_for_user(2**63 - 1)):
        assert len(name) < 100 and name.replace(".", "").replace("-", "").isalnum()
