"""The realtime transport beneath every app: publish after commit, the per-process hub
with its room streams, the channel layers, the socket writes. Imports no app."""
