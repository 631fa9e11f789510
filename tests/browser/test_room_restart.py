"""A server restart in the middle of a chat: both pages reconnect by themselves, catch
up with `since`, send what waited, and show every message exactly once, in order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Browsing, running_site
from tests.e2e.servers import Deployment


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A server of this module's own: the test stops it."""
    with running_site(Path(tmp_path_factory.mktemp("browser-restart"))) as deployment:
        yield deployment


def write(page: Page, text: str) -> None:
    box = page.get_by_label(re.compile("^Nachricht an #"))
    box.fill(text)
    box.press("Enter")


def stored(page: Page, text: str) -> Locator:
    """The message as the server confirmed it (the page's own draft has no id yet)."""
    return page.locator("[data-messages] > .msg[data-id]", has_text=text)


def shown(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("[data-messages] > .msg .msg__body").all_inner_texts()]


@pytest.mark.timeout(180)
def test_after_a_server_restart_each_page_shows_every_message_once_in_order(
    browsing: Browsing, site: Deployment
) -> None:
    room = site.new_room("Browser Neustart")
    lena, jonas = browsing.page("lena"), browsing.page("jonas")
    for page in (lena, jonas):
        page.goto(f"{browsing.base}/raeume/{room}/")
        expect(page.locator("[data-conn]")).to_be_hidden()
    expected = []
    for n in range(1, 4):
        write(lena if n % 2 else jonas, f"vorher {n}")
        expected.append(f"vorher {n}")
        # Stored (it has an id), on both pages, before the next one is written: else two
        # sends race, and the server's order is not the order of this list.
        for page in (lena, jonas):
            expect(stored(page, f"vorher {n}")).to_be_visible()

    assert browsing.watch is not None
    browsing.watch.tolerated.append("WebSocket connection to")  # refused while it is down
    worker = site.workers[0]
    worker.stop()
    expect(lena.locator("[data-conn]")).to_contain_text("Verbindung unterbrochen")
    # Written while the server is away: it waits, faded, and goes once the socket is back.
    write(lena, "während des Neustarts")
    expected.append("während des Neustarts")
    site.workers.remove(worker)
    site.start_worker("daphne", port=worker.port)

    for page in (lena, jonas):
        expect(page.locator("[data-conn]")).to_be_hidden(timeout=30_000)
    expect(
        jonas.locator("[data-messages] > .msg", has_text="während des Neustarts")
    ).to_be_visible()
    for n in range(1, 4):
        write(jonas if n % 2 else lena, f"nachher {n}")
        expected.append(f"nachher {n}")
        for page in (lena, jonas):
            expect(stored(page, f"nachher {n}")).to_be_visible()
    for page in (lena, jonas):
        expect(page.locator("[data-messages] > .msg", has_text="nachher 3")).to_be_visible()
        expect(page.locator(".msg--pending")).to_have_count(0)
        assert shown(page) == expected
