"""Rooms: messages, threads, reactions, the per-room event log and the websocket protocol."""
