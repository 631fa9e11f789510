"""A role that changes while connected takes effect at once: someone who joins the site
moderators sees hidden text in events from then on, on every open connection, and
someone who leaves them stops seeing it (realtime.messages.RefreshRole)."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from accounts.selectors import MODERATORS_GROUP
from moderation import services as moderation_services
from realtime import publish
from rooms.models import Room
from tests.factories import MakePerson
from tests.rooms.helpers import post
from tests.ws import Connect, committing, orm

pytestmark = committing


def _moderators(user: User, *, join: bool) -> None:
    group = Group.objects.get(name=MODERATORS_GROUP)
    if join:
        user.groups.add(group)  # user.groups: the user's side of the relation
    else:
        group.user_set.remove(user)  # group.user_set: the group's side


def _hide(actor: User, message_id: int) -> None:
    moderation_services.message_hide(actor=actor, message_id=message_id, reason="Werbung")


async def test_joining_the_moderators_shows_hidden_text_live_and_leaving_hides_it(
    connect: Connect, make_person: MakePerson, lead: User, member: User, room: Room
) -> None:
    author = await orm(make_person, "toni")
    client = await connect(member)
    await client.subscribe(room.pk)
    first = await orm(post, author, room, "Erste")
    second = await orm(post, author, room, "Zweite")
    await client.take(2)  # their message.created events

    await orm(_moderators, member, join=True)
    await publish.drained()
    await orm(_hide, lead, first.message.pk)
    as_moderator = (await client.event())["data"]

    await orm(_moderators, member, join=False)
    await publish.drained()
    await orm(_hide, lead, second.message.pk)
    as_member = (await client.event())["data"]

    assert (as_moderator["body"], as_moderator["hidden_reason"]) == ("Erste", "Werbung")
    assert as_member["hidden"] and as_member["body"] is None and "hidden_reason" not in as_member
