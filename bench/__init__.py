"""Benchmarks: `make bench` (python -m bench.run) measures our server against a raw
websocket broadcast server (the ceiling, bench.ceiling) and the Channels tutorial
pattern (the floor, bench.floor) with one load client (bench.load)."""
