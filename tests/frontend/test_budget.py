"""The room page's own JavaScript and CSS stay under 60 KB (a size, not a timing: the
server time is measured by `python -m bench.pages`)."""

from __future__ import annotations

import re

from frontend.assets import ROOM_PAGE, ROOM_PAGE_BUDGET_BYTES, STATIC, size_of


def test_the_room_page_loads_under_60_kb_of_its_own_javascript_and_css() -> None:
    assert size_of(ROOM_PAGE) < ROOM_PAGE_BUDGET_BYTES


def test_the_list_names_every_module_the_room_page_imports() -> None:
    """A new module imported by room.js must be counted too."""
    imported = set()
    for path in ROOM_PAGE:
        if path.endswith(".js"):
            source = (STATIC / path).read_text()
            imported |= {
                f"frontend/js/{name}" for name in re.findall(r'from "\./([\w.]+)"', source)
            }
    assert imported <= set(ROOM_PAGE)
