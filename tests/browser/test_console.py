"""The moderation console in real browsers: a report reaches an open console without
reload, one click decides it, and the member sees each step live; leads work their
own initiatives' part only."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import Browsing, axe_problems


def open_room(page: Page, base: str, room: int) -> None:
    page.goto(f"{base}/raeume/{room}/")
    expect(page.locator("[data-conn]")).to_be_hidden()


def write(page: Page, text: str) -> None:
    box = page.get_by_label(re.compile("^Nachricht an #"))
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".msg--pending")).to_have_count(0)


def report(page: Page, text: str) -> None:
    target = page.locator("[data-messages] > .msg", has_text=text)
    target.hover()
    target.locator("summary[aria-label^='Aktionen']").click()
    target.get_by_role("button", name="Melden").click()
    page.locator("[data-report-dialog]").get_by_label("Grund").select_option("spam")
    page.locator("[data-report-dialog]").get_by_role("button", name="Melden").click()
    expect(page.locator("[data-hint]")).to_contain_text("Meldung ist bei der Moderation")


def test_mira_works_a_report_from_the_console_and_the_member_sees_each_step(
    browsing: Browsing,
) -> None:
    room = browsing.site.new_room("Konsole live")
    jonas, sophie, mira = browsing.page("jonas"), browsing.page("sophie"), browsing.page("mira")
    open_room(jonas, browsing.base, room)
    open_room(sophie, browsing.base, room)
    mira.goto(f"{browsing.base}/moderation/")
    expect(mira.get_by_role("tab", name=re.compile("Meldungen"))).to_have_attribute(
        "aria-selected", "true"
    )
    write(jonas, "Billige Uhren bei spam.example")

    report(sophie, "Billige Uhren")
    card = mira.locator(".queue-card", has_text="Billige Uhren")
    expect(card).to_be_visible()  # arrived live, without reload
    expect(card).to_contain_text("Spam")
    assert axe_problems(mira) == []

    card.get_by_role("button", name="Ausblenden").click()
    expect(card).to_contain_text("Erledigt")
    expect(jonas.locator("[data-messages] > .msg", has_text="Billige Uhren")).to_have_count(0)
    expect(sophie.locator("[data-messages] > .msg", has_text="Billige Uhren")).to_have_count(0)

    # The mute: from the log's person, here straight from a second report's card.
    write(jonas, "Noch mehr Uhren bei spam.example")
    report(sophie, "Noch mehr Uhren")
    second = mira.locator(".queue-card", has_text="Noch mehr Uhren")
    second.get_by_role("button", name="1 Stunde").click()
    expect(second).to_contain_text("Erledigt")
    expect(jonas.locator("[data-banner]")).to_contain_text("Du bist stummgeschaltet bis")
    expect(jonas.get_by_label(re.compile("^Nachricht an #"))).to_be_disabled()

    # It shows among the mutes in force, and in the log.
    mira.get_by_role("tab", name="Stummschaltungen und Sperren").click()
    expect(mira.locator("[data-mutes]")).to_contain_text("Jonas Weber")
    mira.get_by_role("tab", name="Protokoll").click()
    expect(mira.locator("[data-log]")).to_contain_text("stummgeschaltet")
    assert axe_problems(mira) == []


def test_two_moderators_see_what_the_other_just_did(browsing: Browsing) -> None:
    room = browsing.site.new_room("Konsole zu zweit")
    klaus = browsing.page("klaus")
    open_room(klaus, browsing.base, room)
    write(klaus, "Streit um nichts")
    status, body = browsing.site.request(
        "GET", f"/api/rooms/{room}/messages/", token=browsing.site.token("lena")
    )
    assert status == 200, body
    message = body["results"][-1]["id"]
    browsing.site.request(
        "POST",
        "/api/moderation/reports/",
        {"message": message, "reason": "off_topic"},
        token=browsing.site.token("sophie"),
    )
    mira, lena = browsing.page("mira"), browsing.page("lena")
    for page in (mira, lena):
        page.goto(f"{browsing.base}/moderation/")
        expect(page.locator(".queue-card", has_text="Streit um nichts")).to_be_visible()
    lena.locator(".queue-card", has_text="Streit um nichts").get_by_role(
        "button", name="Verwerfen"
    ).click()
    other = mira.locator(".queue-card", has_text="Streit um nichts")
    expect(other).to_contain_text("Lena Hoffmann hat gerade gehandelt")
    expect(other.get_by_role("button", name="Ausblenden")).to_be_disabled()


def test_a_lead_works_the_own_initiatives_part_only(browsing: Browsing) -> None:
    lena = browsing.page("lena")
    lena.goto(f"{browsing.base}/moderation/")
    expect(
        lena.get_by_text("Du siehst die Meldungen und Maßnahmen der Initiativen")
    ).to_be_visible()
    expect(lena.get_by_role("tab", name="Einsprüche")).to_have_count(0)
    # A message in a city-wide room is not hers to hide.
    status, rooms = browsing.site.request("GET", "/api/rooms/", token=browsing.site.token("jonas"))
    assert status == 200, rooms
    city = next(r["id"] for r in rooms["results"] if r["initiative"] is None)
    status, body = browsing.site.request(
        "POST",
        f"/api/rooms/{city}/messages/",
        {"body": "Stadtweit", "client_id": "lead-only-1"},
        token=browsing.site.token("jonas"),
    )
    assert status == 201, body
    browsing.watch.expected_api_statuses.add(403)  # type: ignore[union-attr]
    answer = lena.evaluate(
        """async (id) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(`/api/moderation/messages/${id}/hide/`, {method: "POST",
              headers: {"Content-Type": "application/json", "X-CSRFToken": token},
              body: JSON.stringify({reason: "x"})});
            return r.status;
        }""",
        body["id"],
    )
    assert answer == 403
    jonas = browsing.page("jonas")
    response = jonas.goto(f"{browsing.base}/moderation/")
    assert response is not None and response.status == 403
    expect(jonas.locator("h1")).to_have_text("Hier kommst du nicht hinein")
