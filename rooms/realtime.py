"""The consumer's door to the service layer: the sync/async border in one small file.

Each function runs a service or selector in Django's database thread
(`database_sync_to_async`), so the event loop never blocks on the ORM.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.contrib.auth.models import User

from accounts.selectors import is_moderator
from rooms import selectors, services

is_moderator_async = database_sync_to_async(is_moderator)
subscription_snapshot = database_sync_to_async(selectors.subscription_snapshot)
message_post = database_sync_to_async(services.message_post)
message_edit = database_sync_to_async(services.message_edit)
message_delete = database_sync_to_async(services.message_delete)
reaction_add = database_sync_to_async(services.reaction_add)
reaction_remove = database_sync_to_async(services.reaction_remove)
read_mark = database_sync_to_async(services.read_mark)
may_read_room = database_sync_to_async(selectors.may_read_room)


@database_sync_to_async
def is_muted(*, user: User, room_id: int) -> bool:
    """Whether a mute is in force for the user in the room (their typing is dropped)."""
    from moderation.selectors import is_muted as muted  # moderation builds on rooms

    return muted(user, selectors.access_room(user=user, room_id=room_id))
