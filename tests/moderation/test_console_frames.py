"""The consoles' live feed: every new report and every moderation action reaches the
open connections of the site moderators and of the concerned initiative's leads as a
`queue` frame, after commit; nobody else gets it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from moderation import services
from rooms.models import Room
from tests.moderation.conftest import post
from tests.ws import Connect, committing, orm


@pytest.fixture
def ws_side_frames() -> frozenset[str]:
    """Here the `queue` frames are what is looked at."""
    return frozenset({"presence", "typing", "notification"})


@committing
async def test_a_report_and_a_hide_reach_moderators_and_the_leads_here_only(
    connect: Connect,
    room: Room,
    lead: User,
    other_lead: User,
    member: User,
    author: User,
    site_moderator: User,
) -> None:
    message = await orm(post, author, room, "Kauft Uhren")
    mira, lena = await connect(site_moderator), await connect(lead)
    olga, jonas = await connect(other_lead), await connect(member)

    await orm(services.report_create, user=member, message_id=message.pk, reason="spam")
    for socket in (mira, lena):
        frame = await socket.recv(timeout=1.0)
        assert frame == {
            "type": "queue",
            "change": "reported",
            "kind": "spam",
            "message": message.pk,
            "room": room.pk,
            "initiative": room.initiative_id,
            "actor": None,
        }

    await orm(services.message_hide, actor=site_moderator, message_id=message.pk, reason="Werbung")
    for socket in (mira, lena):
        frame = await socket.recv(timeout=1.0)
        assert frame["change"] == "acted" and frame["kind"] == "hide"
        assert frame["actor"]["username"] == site_moderator.username
        assert frame["message"] == message.pk
    for socket in (olga, jonas):
        await socket.nothing()
