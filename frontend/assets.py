"""The static files each kind of page loads: one list, used by the budget test and by
`python -m bench.pages` (the issue's limit: the room page's own JavaScript and CSS
together under 60 KB)."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"

EVERY_PAGE = ["frontend/site.css", "frontend/js/menu.js"]
# Every page but a room's also loads frontend/pages.css (cards, filters, community).
SIGNED_IN = ["frontend/js/site.js", "frontend/js/live.js", "frontend/js/util.js"]
ROOM_PAGE = [
    *EVERY_PAGE,
    *SIGNED_IN,
    "frontend/room.css",
    "frontend/js/room.js",
    "frontend/js/mentions.js",
]
ROOM_PAGE_BUDGET_BYTES = 60 * 1024


def size_of(paths: list[str]) -> int:
    return sum((STATIC / path).stat().st_size for path in paths)
