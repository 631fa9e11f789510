"""Mentions in real browsers, the issue's walk-through: lena types "@jo" in a room,
picks Jonas from the list by keyboard and sends "@jonas kannst du Samstag?"; jonas,
on another page, sees his bell count up live and finds the notification with its
quote; the name in the message links to his profile page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import Browsing, axe_problems
from tests.browser.test_room import message, open_room


def test_lena_mentions_jonas_and_his_open_page_counts_it(browsing: Browsing) -> None:
    room = browsing.site.new_room("Browser Erwähnen")
    jonas = browsing.page("jonas", width=375)
    jonas.goto(browsing.base + "/initiativen/")
    menu_badge = jonas.locator(".nav-toggle [data-notification-count]")
    before = int(menu_badge.text_content() or 0)

    lena = browsing.page("lena")
    open_room(lena, browsing.base, room)
    box = lena.get_by_label(re.compile("^Nachricht an #"))
    box.type("@jo")
    options = lena.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_contain_text("@jonas")
    assert box.get_attribute("aria-activedescendant") == "composer-input-mentions-0"
    assert axe_problems(lena) == [], "room with the mention list open"
    box.press("Enter")  # takes the name, does not send
    expect(box).to_have_value("@jonas ")
    box.type("kannst du Samstag?")
    box.press("Enter")
    expect(box).to_have_value("")
    sent = message(lena, "kannst du Samstag?")
    expect(sent.get_by_role("link", name="@jonas")).to_have_attribute("href", "/personen/jonas/")

    expect(menu_badge).to_have_text(str(before + 1))  # on the phone: on the menu button
    expect(menu_badge).to_be_visible()
    jonas.get_by_role("button", name=re.compile("Menü")).click()
    jonas.locator("a.bell").click()
    expect(jonas.locator("[data-notification-list] li").first).to_contain_text(
        "hat dich in „Browser Erwähnen“ erwähnt: „@jonas kannst du Samstag?“"
    )
    jonas.goto(browsing.base + "/personen/jonas/")
    expect(jonas.locator("h1")).to_have_text("Jonas Weber")
    assert axe_problems(jonas) == [], "profile page"


def test_mentioning_someone_who_cannot_read_the_room_is_said_under_the_composer(
    browsing: Browsing,
) -> None:
    room = browsing.site.new_room("Browser Orga")
    status, _ = browsing.site.request(
        "PATCH", f"/api/rooms/{room}/", {"members_only": True}, token=browsing.site.token("lena")
    )
    assert status == 200
    lena = browsing.page("lena")
    open_room(lena, browsing.base, room)
    box = lena.get_by_label(re.compile("^Nachricht an #"))
    box.fill("Frage an @mira und @aylin")
    box.press("Enter")
    expect(lena.locator(".composer__hint--error")).to_contain_text(
        "Nicht benachrichtigt, weil ohne Zugang zum Raum: @aylin"
    )
