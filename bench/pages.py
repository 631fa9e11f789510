"""Server time of the web pages, and the room page's weight.

    python -m bench.pages [--messages 5000] [--runs 50]

Builds a throwaway SQLite database (or uses DATABASE_URL's server), fills one room
with --messages messages, then asks for the room page --runs times through Django's
test client, in this process: the figure is server time only (view, queries,
template), no network. Also prints the room page's own JavaScript and CSS, raw and
gzipped (frontend/assets.py lists them). The issue's targets: under 200 ms with
5,000 messages, under 60 KB of JavaScript and CSS.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'pages.sqlite3'}")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["KLIMA_RATE_LIMITS"] = "off"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from frontend.assets import ROOM_PAGE, ROOM_PAGE_BUDGET_BYTES, STATIC, size_of
    from rooms.models import Room
    from rooms.services.messages import message_post

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    from django.contrib.auth.models import User

    lena = User.objects.get(username="lena")
    room = Room.objects.get(title="Allgemein", initiative__slug="repair-cafe-stuttgart-west")
    started = time.perf_counter()
    for n in range(args.messages - room.last_seq):
        message_post(user=lena, room_id=room.pk, body=f"Nachricht **{n}**", client_id=f"b{n}")
    filled = time.perf_counter() - started
    room.refresh_from_db()

    client = Client()
    client.force_login(lena)
    timings = []
    for _ in range(args.runs + 3):
        begin = time.perf_counter()
        response = client.get(f"/raeume/{room.pk}/")
        timings.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, response.status_code
    timings = sorted(timings[3:])  # the first ones warm caches and templates
    raw = size_of(ROOM_PAGE)
    zipped = sum(len(gzip.compress((STATIC / p).read_bytes())) for p in ROOM_PAGE)
    print(
        f"room page with {room.last_seq} events "
        f"({args.messages} messages, filled in {filled:.0f} s)"
    )
    print(
        f"  server time over {args.runs} runs: median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms "
        f"(target < 200 ms); page {len(response.content) / 1024:.1f} KB of HTML"
    )
    print(
        f"  own JavaScript + CSS: {raw / 1024:.1f} KB raw, {zipped / 1024:.1f} KB gzipped "
        f"(target < {ROOM_PAGE_BUDGET_BYTES / 1024:.0f} KB); files: {', '.join(ROOM_PAGE)}"
    )


if __name__ == "__main__":
    main()
