"""Moderation: reports, the queue, hide and unhide, mutes, bans, slow mode, the audit log."""
