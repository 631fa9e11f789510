"""The audit log's one writer, and how the people concerned are told.

Every moderation service records what it did here, in the same transaction as
the change, so the log holds exactly what happened. Notifications go out in the
recipient's language (their profile's), not the moderator's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group, User

from accounts.notifications import notify as tell
from accounts.selectors import MODERATORS_GROUP, public_user
from common.moderated import ContentKind
from initiatives.models import Initiative, Membership
from moderation.frames import QueueFrame, queue_frame
from moderation.models import Ban, ModerationAction, Mute
from realtime import publish
from rooms.models import Message, Room


def action_record(
    *,
    kind: str,
    actor: User | None,
    target_user: User | None = None,
    message: Message | None = None,
    room: Room | None = None,
    initiative: Initiative | None = None,
    is_global: bool = False,
    mute: Mute | None = None,
    ban: Ban | None = None,
    reason: str = "",
    content: tuple[ContentKind, Any] | None = None,
) -> ModerationAction:
    """Append one entry to the log. `actor` None: the system acted (auto-hide).
    `content`: the community content (not a message) it concerns, with its kind.

    The initiative is derived from the room (or message) when not given, so that the
    leads of that initiative see the entry in their part of the log.
    """
    if message is not None and room is None:
        room = message.room
    if room is not None and initiative is None:
        initiative = room.initiative
    action = ModerationAction.objects.create(
        kind=kind,
        actor=actor,
        target_user=target_user,
        message=message,
        room=room,
        initiative=initiative,
        is_global=is_global,
        mute=mute,
        ban=ban,
        reason=reason[:300],
        content_kind=content[0].name if content else "",
        content_id=content[1].pk if content else None,
        content_title=content[0].title(content[1])[:200] if content else "",
    )
    tell_consoles(
        queue_frame(
            change="acted",
            kind=kind,
            message=message.pk if message else None,
            room=room.pk if room else None,
            initiative=initiative.pk if initiative else None,
            actor=public_user(actor) if actor else None,
        )
    )
    return action


def tell_consoles(frame: QueueFrame) -> None:
    """After commit, to every open connection of the people who see this in their
    console: the site moderators, and the leads of the initiative it concerns."""
    recipients = set(
        User.objects.filter(groups__name=MODERATORS_GROUP, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if frame["initiative"] is not None:
        recipients.update(
            Membership.objects.filter(
                initiative_id=frame["initiative"], role=Membership.Role.LEAD
            ).values_list("user_id", flat=True)
        )
    for user_id in recipients:
        publish.user_frame_on_commit(user_id=user_id, frame=dict(frame))


def tell_moderators(*, kind: str, text: Callable[[], str], url: str = "") -> None:
    """Notify every member of the group `moderators` (escalations, new appeals)."""
    group = Group.objects.filter(name=MODERATORS_GROUP).first()
    if group is None:
        return
    for moderator in group.user_set.filter(is_active=True).select_related("profile"):
        tell(user=moderator, kind=kind, text=text, url=url)


CONSOLE_URL = "/moderation/"


def appeal_url(action_id: int) -> str:
    """The page where the person a decision concerns may appeal it."""
    return f"/einspruch/{action_id}/"


def room_url(room_id: int) -> str:
    """The room's page (DESIGN.md: /raeume/{id}/)."""
    return f"/raeume/{room_id}/"
