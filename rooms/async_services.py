"""The consumer's door to the service layer: the sync/async border in one small file.

Each function runs a service or selector in Django's database thread
(`db_async`), or, for posting on PostgreSQL, in threads of its own
(`DatabaseThreads`), so the event loop never blocks on the ORM.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from accounts.notifications import notification_unread_count
from accounts.services import profile_seen
from realtime.db import DatabaseThreads, db_async
from rooms import permissions, restrictions, selectors, services, watching

# Posts wait side by side in threads of their own on PostgreSQL (realtime.db).
posting_threads = DatabaseThreads(settings.KLIMA["POSTING_THREADS"])

sees_hidden_content = db_async(permissions.sees_hidden_content)
subscription_snapshot = db_async(selectors.subscription_snapshot)
message_post = posting_threads.wrap(services.message_post)
message_edit = db_async(services.message_edit)
message_delete = db_async(services.message_delete)
reaction_add = db_async(services.reaction_add)
reaction_remove = db_async(services.reaction_remove)
read_mark = db_async(services.read_mark)
may_read_room = db_async(selectors.may_read_room)


seen = db_async(profile_seen)


@db_async
def unread_notifications(user: User) -> int:
    """The bell's number in `hello`."""
    return notification_unread_count(user=user)


@db_async
def watched_counters(*, user: User, initiative_id: int | None) -> list[dict[str, Any]]:
    """The seat counters a `watch` starts from (rooms/watching.py)."""
    return watching.counters.get().snapshot(user=user, initiative_id=initiative_id)


@db_async
def is_muted(*, user: User, room_id: int) -> bool:
    """Whether a mute is in force for the user in the room (their typing is dropped)."""
    return restrictions.is_muted(user, selectors.access_room(user=user, room_id=room_id))
