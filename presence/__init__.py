"""Presence and typing: who is online in which room, shared across worker processes."""
