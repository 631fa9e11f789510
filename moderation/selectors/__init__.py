"""Reads of the moderation app: restrictions in force, the queue, the log and appeals.

What is in force reaches the rooms' rules, sign-in and the handshake through
moderation/providers.py.
"""

from moderation.selectors.console import overseen_rooms, scope_names
from moderation.selectors.content_queue import (
    content_queue_groups,
    content_queue_items,
    pending_content_reports,
)
from moderation.selectors.log import (
    access_action,
    access_appeal,
    appeal_list,
    author_history,
    latest_action,
    log_list,
    log_visible,
)
from moderation.selectors.organisations import organisations
from moderation.selectors.queue import (
    auto_hide_threshold,
    distinct_reporters,
    pending_reports,
    queue_groups,
    queue_items,
    room_member_count,
)
from moderation.selectors.restrictions import (
    ban_list,
    ban_state,
    banned_room_exclusion,
    global_ban,
    mute_list,
    mute_state,
    sign_in_refusal,
)

__all__ = [
    "access_action",
    "access_appeal",
    "appeal_list",
    "author_history",
    "auto_hide_threshold",
    "ban_list",
    "ban_state",
    "banned_room_exclusion",
    "content_queue_groups",
    "content_queue_items",
    "distinct_reporters",
    "global_ban",
    "latest_action",
    "log_list",
    "log_visible",
    "mute_list",
    "mute_state",
    "organisations",
    "overseen_rooms",
    "pending_content_reports",
    "pending_reports",
    "queue_groups",
    "queue_items",
    "room_member_count",
    "scope_names",
    "sign_in_refusal",
]
