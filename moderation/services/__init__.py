"""Every write of the moderation app: the only place that changes its state.

Each service checks permission (moderation.permissions), changes state, writes
the room event where what a room shows changes, appends to the audit log and
announces live effects after commit, all in one transaction.
"""

from moderation.services.appeals import appeal_create, appeal_decide
from moderation.services.audit import action_record
from moderation.services.content import content_hide, content_unhide
from moderation.services.content_reports import content_report_create, content_report_resolve
from moderation.services.hiding import message_hide, message_unhide
from moderation.services.organisations import organisation_verify
from moderation.services.reports import report_create, report_resolve
from moderation.services.restrictions import ban_lift, member_ban, member_mute, mute_lift

__all__ = [
    "action_record",
    "appeal_create",
    "appeal_decide",
    "ban_lift",
    "content_hide",
    "content_report_create",
    "content_report_resolve",
    "content_unhide",
    "member_ban",
    "member_mute",
    "message_hide",
    "message_unhide",
    "mute_lift",
    "organisation_verify",
    "report_create",
    "report_resolve",
]
