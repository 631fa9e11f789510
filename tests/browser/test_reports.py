"""Reporting in real browsers, by keyboard: a member reports a news item from its page
(Tab to the reasons, arrow keys to choose, Enter to send), and a site moderator finds it
on /moderation/beitraege/ and dismisses the report; both pages pass axe at 375 and
1280 px. A news item with a picture shows it with its description."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import Browsing, axe_problems

NEWS = "Neue Lötstation dank Spende"  # lena's, of the Repair-Café


def test_a_member_reports_by_keyboard_and_a_moderator_dismisses(browsing: Browsing) -> None:
    member = browsing.page("tobias", width=375)
    member.goto(browsing.base + "/neuigkeiten/")
    member.get_by_role("link", name=NEWS).click()
    member.get_by_role("link", name="Beitrag melden").click()
    expect(member.locator("h1")).to_have_text("Beitrag melden")
    assert axe_problems(member) == [], "report page"

    member.get_by_role("button", name="Melden").press("Enter")  # nothing chosen yet
    expect(member.locator(".field-error")).to_contain_text("Dieses Feld ist zwingend")
    member.get_by_role("radio", name="Spam").focus()
    member.keyboard.press("ArrowDown")  # to "Belästigung"
    expect(member.get_by_role("radio", name="Belästigung")).to_be_checked()
    member.keyboard.press("Tab")
    member.keyboard.type("Beleidigt andere Reparaturgruppen")
    member.keyboard.press("Tab")
    member.keyboard.press("Enter")
    expect(member.locator(".flash--success")).to_have_text(
        "Danke! Die Moderation sieht sich den Beitrag an."
    )
    expect(member.locator("h1")).to_have_text(NEWS)

    moderator = browsing.page("mira")
    moderator.goto(browsing.base + "/moderation/")
    moderator.get_by_role("link", name=re.compile("Gemeldete Beiträge")).click()
    card = moderator.locator("section.panel", has_text=NEWS)
    expect(card).to_contain_text("Belästigung \u2013 „Beleidigt andere Reparaturgruppen“")
    expect(card).to_contain_text("(Tobias Brenner)")
    assert axe_problems(moderator) == [], "content reports page"
    card.get_by_role("button", name="Meldungen verwerfen").click()
    expect(moderator.locator(".flash--success")).to_contain_text("Die Meldungen sind verworfen")
    expect(moderator.locator("section.panel", has_text=NEWS)).to_have_count(0)

    member.goto(browsing.base + "/neuigkeiten/")
    expect(member.get_by_role("link", name=NEWS)).to_be_visible()  # it stays


def test_a_news_picture_shows_with_its_description(browsing: Browsing) -> None:
    page = browsing.page()
    page.goto(browsing.base + "/neuigkeiten/")
    page.get_by_role("link", name="180 kg Gemüse gerettet").click()
    picture = page.get_by_role("img", name="Ein Marktstand mit Kisten voller Gemüse")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") == 1200  # loaded, not a broken icon
