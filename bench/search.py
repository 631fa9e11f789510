"""Search over a million messages on PostgreSQL: how long a query takes.

    python -m bench.search [--messages 1000000] [--runs 20] [--keep]

Makes a database of its own on the PostgreSQL server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, seeds the demo, then fills
the demo's rooms with --messages messages of eight German words each (from a list
with inflected forms: "Fahrrad", "Fahrräder", "reparieren", "repariert", ...) and a
rare one ("Thema4711": ten messages each), as a
bulk load does: the German text index is dropped, the rows inserted by SQL, the index
built again, ANALYZE. Then it asks `search.selectors.search` (the API's path: the rows
jonas may read, the count per type, one page of 20 with headlines) --runs times per
query and prints the median, p95 and max, and the plan of the messages' match. A
figure, not a test: docs/search.md has the numbers of a run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

WORDS = [
    "Fahrrad",
    "Fahrräder",
    "Fahrrads",
    "Lastenrad",
    "Lastenräder",
    "reparieren",
    "repariert",
    "Reparatur",
    "Samstag",
    "Sonntag",
    "Montag",
    "Treffen",
    "treffen",
    "Garten",
    "Gärten",
    "Kompost",
    "kompostieren",
    "Solar",
    "Solaranlage",
    "Solaranlagen",
    "Balkon",
    "Balkonkraftwerk",
    "Strom",
    "sparen",
    "spart",
    "Heizung",
    "heizen",
    "Nachbarschaft",
    "Nachbarn",
    "Initiative",
    "Initiativen",
    "Aktionstag",
    "Schicht",
    "Schichten",
    "helfen",
    "hilft",
    "Helferinnen",
    "Kuchen",
    "Kaffee",
    "Werkzeug",
    "Werkzeuge",
    "Lötkolben",
    "Toaster",
    "Kleidung",
    "Tausch",
    "tauschen",
    "Bäume",
    "pflanzen",
    "gepflanzt",
    "Blumen",
    "Wiese",
    "Wiesen",
    "Bus",
    "Bahn",
    "Ticket",
    "Plakat",
    "Flyer",
    "gestalten",
    "Raum",
    "Räume",
    "Stadtteil",
    "Stuttgart",
    "Westen",
    "Osten",
    "morgen",
    "heute",
    "Abend",
    "Uhr",
    "kommt",
    "komme",
    "bringt",
    "bringe",
    "mit",
    "und",
    "oder",
    "aber",
    "wer",
    "wann",
    "wo",
    "wie",
    "gerne",
    "super",
    "danke",
]
# A rare word (each "ThemaN" is in 10 of a million messages: as most words of a real
# chat), two words that meet in 0.8 % of them, and frequent ones (9 % and, with their
# forms, 25 %): the hard cases.
QUERIES = ["Thema4711", "Samstag Kuchen", "Lötkolben", "Fahrräder"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    from tests.e2e.servers import fresh_postgres_database, manage

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url, drop = fresh_postgres_database(server, "search")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        "KLIMA_RATE_LIMITS": "off",
    }
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "seed_demo")
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab.settings")
        import django

        django.setup()
        print(f"database {url.rsplit('/', 1)[1]}: {args.messages:,} messages …", flush=True)
        print(f"  loaded in {fill(args.messages):.0f} s")
        measure(args.runs)
    finally:
        if args.keep:
            print(f"kept: DATABASE_URL={url}")
        else:
            from django.db import connections

            connections.close_all()
            drop()


def fill(n: int) -> float:
    """n messages in the demo's rooms, by SQL, the index built after the load."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM rooms_room ORDER BY id")
        rooms = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM auth_user WHERE is_active ORDER BY id")
        authors = [row[0] for row in cursor.fetchall()]
        cursor.execute("DROP INDEX IF EXISTS rooms_message_body_german")
        cursor.execute(
            """
            INSERT INTO rooms_message (room_id, author_id, body, html, client_id, created_at,
                                       hidden_reason, reply_count, seq)
            SELECT rooms[1 + i %% cardinality(rooms)], authors[1 + i %% cardinality(authors)],
                   body || ' Thema' || (i %% 100000), body || ' Thema' || (i %% 100000),
                   'bench-' || i, now() - (i || ' seconds')::interval, '', 0, 100000 + i
            FROM (SELECT i, %s::bigint[] AS rooms, %s::int[] AS authors,
                         (SELECT string_agg(w[1 + floor(random() * cardinality(w))::int], ' ')
                          FROM generate_series(1, 8) AS g, (SELECT %s::text[] AS w) AS v
                          WHERE i > 0) AS body
                  FROM generate_series(1, %s) AS i) AS rows
            """,
            [rooms, authors, WORDS, n],
        )
        cursor.execute(
            "CREATE INDEX rooms_message_body_german ON rooms_message "
            "USING gin (to_tsvector('german'::regconfig, COALESCE(body, ''::text)))"
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('rooms_message_body_german'))")
        print(f"  index rooms_message_body_german: {cursor.fetchone()[0]}")
    return time.perf_counter() - started


def measure(runs: int) -> None:
    from django.contrib.auth.models import User

    from search import engine
    from search.kinds import KINDS
    from search.selectors import search

    jonas = User.objects.get(username="jonas")
    print(f"search as jonas, {runs} runs each (milliseconds: median, p95, max; hits):")
    for q in QUERIES:
        for kind in (None, "message"):
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                results = search(user=jonas, q=q, kind=kind, page=1, size=20)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(
                f"  {q!r:28} type={kind or 'all':8} {statistics.median(times):7.1f} "
                f"{p95:7.1f} {times[-1]:7.1f}   {results.count:,}"
            )
    rows = engine.matching(KINDS["message"].rows(jonas), ("body",), QUERIES[1])
    plan = (
        rows.order_by("-created_at", "-pk")
        .values_list("pk", "created_at")[:20]
        .explain(analyze=True)
    )
    print("plan of the messages' match for", repr(QUERIES[1]))
    print("  " + plan.replace("\n", "\n  "))


if __name__ == "__main__":
    main()
