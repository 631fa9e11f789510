"""Reads of the moderation app: restrictions in force, the queue, the log and appeals.

`is_muted`, `ensure_not_muted`, `ensure_not_banned` and friends are what the
rest of the project calls (the send path, reactions, the handshake, sign-in).
"""

from moderation.selectors.log import (
    access_action,
    access_appeal,
    appeal_list,
    author_history,
    latest_action,
    log_list,
    log_visible,
)
from moderation.selectors.queue import (
    auto_hide_threshold,
    distinct_reporters,
    pending_reports,
    queue_groups,
    queue_items,
    room_member_count,
)
from moderation.selectors.restrictions import (
    InForce,
    ban_list,
    ban_state,
    banned_room_exclusion,
    ensure_not_banned,
    ensure_not_muted,
    global_ban,
    is_banned,
    is_banned_globally,
    is_muted,
    mute_list,
    mute_state,
    sign_in_refusal,
)

__all__ = [
    "InForce",
    "access_action",
    "access_appeal",
    "appeal_list",
    "author_history",
    "auto_hide_threshold",
    "ban_list",
    "ban_state",
    "banned_room_exclusion",
    "distinct_reporters",
    "ensure_not_banned",
    "ensure_not_muted",
    "global_ban",
    "is_banned",
    "is_banned_globally",
    "is_muted",
    "latest_action",
    "log_list",
    "log_visible",
    "mute_list",
    "mute_state",
    "pending_reports",
    "queue_groups",
    "queue_items",
    "room_member_count",
    "sign_in_refusal",
]
