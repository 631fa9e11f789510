"""Moderation: reports, the queue, auto-hide, hide and unhide, mutes, bans, rate limits,
appeals and the audit log; every action takes effect live (docs/moderation.md)."""
