"""Action day in real browsers: a volunteer signs up for a shift, and the lead's open
initiative page and a member's open room page show the new count at once, without a
reload (the `seats` frames of js/counters.js); signing off counts back down."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import Browsing

INITIATIVE = "/initiativen/foodsharing-aktionstag-marktplatz/"  # aylin leads it


def test_a_sign_up_moves_the_counter_on_other_open_pages_live(browsing: Browsing) -> None:
    lead = browsing.page("aylin")
    lead.goto(browsing.base + INITIATIVE)
    counter = lead.locator(".shift", has_text="Abbau").locator("[data-counter]")
    expect(counter).to_have_text(re.compile(r"noch 4 Leute gesucht · 0 von 4"))

    member = browsing.page("jonas")  # in the initiative: its room lists the shifts too
    member.goto(browsing.base + INITIATIVE)
    member.get_by_role("link", name=re.compile("Allgemein")).first.click()
    expect(member.locator("h1")).to_contain_text("Allgemein")
    in_room = member.locator(".room-shifts li", has_text="Abbau").locator("[data-counter]")
    expect(in_room).to_have_text(re.compile(r"noch 4 Leute gesucht"))

    volunteer = browsing.page("tobias", width=375)
    volunteer.goto(browsing.base + INITIATIVE)
    volunteer.locator(".shift", has_text="Abbau").get_by_role(
        "button", name="Ich helfe mit"
    ).click()
    expect(
        volunteer.locator(".shift", has_text="Abbau").get_by_text("Du bist dabei")
    ).to_be_visible()

    expect(counter).to_have_text(re.compile(r"noch 3 Leute gesucht · 1 von 4"))
    expect(in_room).to_have_text(re.compile(r"noch 3 Leute gesucht · 1 von 4"))

    volunteer.locator(".shift", has_text="Abbau").get_by_role("button", name="Abmelden").click()
    expect(counter).to_have_text(re.compile(r"noch 4 Leute gesucht · 0 von 4"))
    expect(in_room).to_have_text(re.compile(r"noch 4 Leute gesucht · 0 von 4"))
