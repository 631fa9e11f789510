"""rooms.grants: a passed posting check is remembered, and every change that can take
the right to post away ends it before the next post."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.selectors import MODERATORS_GROUP
from common.errors import DomainError
from initiatives import services as initiative_services
from initiatives.models import Initiative
from moderation import services as moderation_services
from rooms import grants, services
from rooms.models import Message, Room
from tests.ws import cid

pytestmark = pytest.mark.django_db


def _post(user: User, room: Room) -> Message:
    return services.message_post(user=user, room_id=room.pk, body="Hallo", client_id=cid()).message


def _refused(user: User, room: Room) -> str:
    with pytest.raises(DomainError) as refused:
        _post(user, room)
    return refused.value.code


def _queries_of_a_post(user: User, room: Room) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        _post(user, room)
    return [q["sql"] for q in queries.captured_queries]


def test_a_second_post_skips_the_room_ban_and_mute_queries(member: User, room: Room) -> None:
    first = _queries_of_a_post(member, room)
    second = _queries_of_a_post(member, room)

    def reads(sql: list[str], table: str) -> int:
        return sum(1 for q in sql if q.startswith("SELECT") and f'FROM "{table}"' in q)

    assert [reads(first, t) for t in ("rooms_room", "moderation_ban", "moderation_mute")] == [
        1,
        1,
        1,
    ]
    assert [reads(second, t) for t in ("rooms_room", "moderation_ban", "moderation_mute")] == [
        0,
        0,
        0,
    ]


Change = Callable[[User, User, User, Room, Initiative], None]


def _mute(member: User, lead: User, moderator: User, room: Room, initiative: Initiative) -> None:
    moderation_services.member_mute(
        actor=lead, user_id=member.pk, scope={"room": room.pk}, duration=600, reason="Zu laut"
    )


def _ban(member: User, lead: User, moderator: User, room: Room, initiative: Initiative) -> None:
    moderation_services.member_ban(
        actor=moderator,
        user_id=member.pk,
        scope={"initiative": initiative.pk},
        duration=None,
        reason="Spam",
    )


def _archive_room(
    member: User, lead: User, moderator: User, room: Room, initiative: Initiative
) -> None:
    services.room_update(user=lead, room=room, archived=True)


def _archive_initiative(
    member: User, lead: User, moderator: User, room: Room, initiative: Initiative
) -> None:
    initiative_services.initiative_archive(user=lead, initiative=initiative)


def _leave_members_only_room(
    member: User, lead: User, moderator: User, room: Room, initiative: Initiative
) -> None:
    services.room_update(user=lead, room=room, members_only=True)
    _post(member, room)  # still a member: a grant under the new room version
    initiative_services.initiative_leave(user=member, initiative=initiative)


def _deactivate(
    member: User, lead: User, moderator: User, room: Room, initiative: Initiative
) -> None:
    member.is_active = False
    member.save(update_fields=["is_active"])


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (_mute, "muted"),
        (_ban, "banned"),
        (_archive_room, "forbidden"),
        (_archive_initiative, "forbidden"),
        (_leave_members_only_room, "forbidden"),
        (_deactivate, "forbidden"),
    ],
)
def test_a_change_that_takes_the_right_away_ends_the_grant(
    member: User,
    lead: User,
    site_moderator: User,
    room: Room,
    initiative: Initiative,
    change: Change,
    code: str,
) -> None:
    _post(member, room)  # makes the grant

    change(member, lead, site_moderator, room, initiative)

    assert _refused(member, room) == code


@pytest.mark.parametrize(
    "leave",
    [
        lambda user, group: user.groups.remove(group),
        lambda user, group: group.user_set.remove(user),  # the other side, as the admin does
        lambda user, group: group.user_set.clear(),
    ],
    ids=["user.groups.remove", "group.user_set.remove", "group.user_set.clear"],
)
def test_losing_the_moderator_group_ends_access_to_a_members_only_room(
    make_user: Callable[..., User],
    lead: User,
    initiative: Initiative,
    leave: Callable[[User, Group], None],
) -> None:
    room = services.room_create_by_lead(
        user=lead, initiative=initiative, title="Orga", members_only=True
    )
    outsider = make_user(username="ex-moderatorin")
    group = Group.objects.get(name=MODERATORS_GROUP)
    outsider.groups.add(group)
    _post(outsider, room)

    leave(outsider, group)

    assert _refused(outsider, room) == "forbidden"


def test_a_grant_made_while_a_change_committed_is_stale_at_once(member: User, room: Room) -> None:
    room_found, made_under = grants.granted_room(member.pk, room.pk)
    assert room_found is None and made_under is not None
    grants.bump_users([member.pk])  # a mute committed during the check

    grants.remember(member.pk, room, made_under)

    assert grants.granted_room(member.pk, room.pk)[0] is None


def test_a_grant_expires(monkeypatch: pytest.MonkeyPatch, member: User, room: Room) -> None:
    _post(member, room)
    assert grants.granted_room(member.pk, room.pk)[0] == room

    later = time.monotonic() + grants.GRANT_SECONDS + 1
    monkeypatch.setattr(grants, "time", SimpleNamespace(monotonic=lambda: later))

    assert grants.granted_room(member.pk, room.pk)[0] is None


def test_without_the_cache_posts_are_checked_in_full_and_changes_go_through(
    monkeypatch: pytest.MonkeyPatch, member: User, lead: User, room: Room
) -> None:
    class Unreachable:
        def get_many(self, *args: object) -> None:
            raise ConnectionError("cache down")

        set_many = get_many

    monkeypatch.setattr(grants, "cache", Unreachable())
    _post(member, room)
    assert grants.granted_room(member.pk, room.pk) == (None, None)  # nothing remembered

    _mute(member, lead, lead, room, room.initiative)  # the bump fails, the mute is stored

    assert _refused(member, room) == "muted"
