"""The room page in real browsers, as members, leads and moderators use it: live chat,
threads, moderation that acts at once on every open page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import Browsing


def open_room(page: Page, base: str, room: int) -> None:
    page.goto(f"{base}/raeume/{room}/")
    expect(page.locator("[data-conn]")).to_be_hidden()  # connected and following


def write(page: Page, text: str) -> None:
    box = page.get_by_label(re.compile("^Nachricht an #"))
    box.fill(text)
    box.press("Enter")


def message(page: Page, text: str):  # type: ignore[no-untyped-def]
    """A message of the room's main list (replies live in the thread panel)."""
    return page.locator("[data-messages] > .msg", has_text=text)


def user_id(browsing: Browsing, username: str) -> int:
    status, me = browsing.site.request("GET", "/api/auth/me/", token=browsing.site.token(username))
    assert status == 200, me
    return int(me["id"])


def test_two_people_chat_live_and_a_line_break_stays_a_line_break(browsing: Browsing) -> None:
    room = browsing.site.new_room("Browser Plaudern")
    lena, jonas = browsing.page("lena"), browsing.page("jonas")
    open_room(lena, browsing.base, room)
    open_room(jonas, browsing.base, room)

    write(lena, "Hallo **Jonas**, kommst du Samstag?")
    expect(message(jonas, "kommst du Samstag?").locator("strong")).to_have_text("Jonas")
    sent = message(lena, "kommst du Samstag?")
    expect(sent).not_to_have_class(re.compile("msg--pending"))

    box = jonas.get_by_label(re.compile("^Nachricht an #"))
    box.fill("Ja!")
    box.press("Shift+Enter")
    box.type("Ich bringe Kuchen mit.")
    expect(box).to_have_value("Ja!\nIch bringe Kuchen mit.")
    box.press("Enter")
    expect(box).to_have_value("")
    expect(message(lena, "Ich bringe Kuchen mit.")).to_contain_text("Ja!")
    # The body is shown as the server rendered it, never as raw HTML from the sender.
    write(jonas, "<img src=x onerror=alert(1)> harmlos")
    expect(message(lena, "harmlos")).to_be_visible()
    assert message(lena, "harmlos").locator("img").count() == 0

    texts = lena.locator("[data-messages] > .msg .msg__body").all_inner_texts()
    assert [t for t in texts if "Samstag" in t or "Kuchen" in t] == [
        "Hallo Jonas, kommst du Samstag?",
        "Ja!\nIch bringe Kuchen mit.",
    ]


def test_a_thread_opens_beside_the_room_and_replies_arrive_live(browsing: Browsing) -> None:
    room = browsing.site.new_room("Browser Threads")
    lena, jonas = browsing.page("lena"), browsing.page("jonas")
    open_room(lena, browsing.base, room)
    open_room(jonas, browsing.base, room)
    write(lena, "Wer hilft beim Aufbau?")

    root = message(jonas, "Wer hilft beim Aufbau?")
    root.hover()
    root.get_by_role("button", name="Antworten").click()
    thread_box = jonas.get_by_label("Im Thread antworten")
    thread_box.fill("Ich komme um neun.")
    thread_box.press("Enter")
    expect(
        jonas.locator("[data-thread-messages] .msg", has_text="Ich komme um neun.")
    ).to_be_visible()

    # Lena sees the count on her message at once, and the reply when she opens the thread.
    replies = message(lena, "Wer hilft beim Aufbau?").get_by_role("button", name="1 Antwort")
    expect(replies).to_be_visible()
    replies.click()
    expect(
        lena.locator("[data-thread-messages] .msg", has_text="Ich komme um neun.")
    ).to_be_visible()
    # A reply stays in its thread: it is not in the room's main list.
    expect(message(lena, "Ich komme um neun.")).to_have_count(0)
    lena.keyboard.press("Escape")
    expect(lena.locator("[data-side]")).to_be_hidden()


def test_a_hidden_message_vanishes_from_members_pages_and_greys_for_the_moderator(
    browsing: Browsing,
) -> None:
    room = browsing.site.new_room("Browser Moderation")
    jonas, klaus, mira = browsing.page("jonas"), browsing.page("klaus"), browsing.page("mira")
    for page in (jonas, klaus, mira):
        open_room(page, browsing.base, room)
    write(klaus, "Kauft billige Uhren bei spam.example")
    write(klaus, "Und ein normaler Satz.")
    expect(message(jonas, "billige Uhren")).to_be_visible()

    target = message(mira, "billige Uhren")
    target.hover()
    target.locator("summary[aria-label^='Aktionen für die Nachricht']").click()
    target.get_by_role("button", name="Ausblenden").click()
    mira.locator("[data-hide-dialog]").get_by_label(re.compile("^Grund")).fill("Werbung")
    mira.locator("[data-hide-dialog]").get_by_role("button", name="Ausblenden").click()

    expect(message(jonas, "billige Uhren")).to_have_count(0)
    expect(message(klaus, "billige Uhren")).to_have_count(0)
    expect(message(jonas, "Und ein normaler Satz.")).to_be_visible()
    greyed = message(mira, "billige Uhren")
    expect(greyed).to_have_class(re.compile("msg--hidden"))
    expect(greyed).to_contain_text("Ausgeblendet: Werbung")


def test_a_muted_member_sees_the_banner_and_cannot_send(browsing: Browsing) -> None:
    room = browsing.site.new_room("Browser Stumm")
    jonas = browsing.page("jonas")
    open_room(jonas, browsing.base, room)
    write(jonas, "Noch darf ich schreiben.")
    expect(message(jonas, "Noch darf ich schreiben.")).not_to_have_class(re.compile("pending"))

    status, mute = browsing.site.request(
        "POST",
        "/api/moderation/mutes/",
        {
            "user": user_id(browsing, "jonas"),
            "scope": {"room": room},
            "duration": 3600,
            "reason": "Spam",
        },
        token=browsing.site.token("mira"),
    )
    assert status == 201, mute
    banner = jonas.locator("[data-banner]")
    expect(banner).to_contain_text("Du bist stummgeschaltet bis")
    box = jonas.get_by_label(re.compile("^Nachricht an #"))
    expect(box).to_be_disabled()
    expect(jonas.get_by_role("button", name="Senden")).to_be_disabled()

    # After a reload the page knows it from the server, not from the live frame.
    jonas.reload()
    expect(jonas.locator("[data-banner]")).to_contain_text("stummgeschaltet")
    expect(jonas.get_by_label(re.compile("^Nachricht an #"))).to_be_disabled()
    status, _ = browsing.site.request(
        "DELETE", f"/api/moderation/mutes/{mute['id']}/", token=browsing.site.token("mira")
    )
    assert status == 200
    expect(jonas.get_by_label(re.compile("^Nachricht an #"))).to_be_enabled()
    expect(jonas.locator("[data-banner]")).to_be_hidden()


def test_edit_delete_react_report_typing_and_presence_work_by_keyboard_and_mouse(
    browsing: Browsing,
) -> None:
    room = browsing.site.new_room("Browser Werkzeuge")
    lena, jonas = browsing.page("lena"), browsing.page("jonas")
    open_room(lena, browsing.base, room)
    open_room(jonas, browsing.base, room)
    expect(lena.locator("[data-online-count]")).to_have_text("(2)")
    write(jonas, "Tippfeler im Satz")
    mine = message(jonas, "Tippfeler")
    expect(mine).not_to_have_class(re.compile("pending"))

    # Edit by keyboard: Tab reaches the message's menu, Enter saves the new text.
    mine.locator("summary[aria-label^='Aktionen']").focus()
    jonas.keyboard.press("Enter")
    mine.get_by_role("button", name="Bearbeiten").click()
    editor = jonas.get_by_label("Nachricht bearbeiten")
    editor.fill("Tippfehler im Satz")
    editor.press("Enter")
    expect(message(lena, "Tippfehler im Satz")).to_contain_text("(bearbeitet)")

    # Typing shows on the other page; a reaction counts on both.
    jonas.get_by_label(re.compile("^Nachricht an #")).type("Moment")
    expect(lena.locator("[data-typing]")).to_contain_text("Jonas Weber schreibt")
    other = message(lena, "Tippfehler im Satz")
    other.hover()
    other.locator("summary[aria-label='Reagieren']").click()
    other.get_by_role("button", name="Mit 👍 reagieren").click()
    expect(
        message(jonas, "Tippfehler im Satz").get_by_role("button", name="👍: 1 Reaktion")
    ).to_be_visible()

    # Report with a reason.
    other.hover()
    other.locator("summary[aria-label^='Aktionen']").click()
    other.get_by_role("button", name="Melden").click()
    lena.locator("[data-report-dialog]").get_by_label("Grund").select_option("spam")
    lena.locator("[data-report-dialog]").get_by_role("button", name="Melden").click()
    expect(lena.locator("[data-hint]")).to_contain_text("deine Meldung ist bei der Moderation")

    # Delete: the message keeps its place, without its text, on both pages.
    jonas.once("dialog", lambda dialog: dialog.accept())
    mine = message(jonas, "Tippfehler im Satz")
    mine.hover()
    mine.locator("summary[aria-label^='Aktionen']").click()
    mine.get_by_role("button", name="Löschen").click()
    expect(lena.locator("[data-messages] > .msg--deleted")).to_contain_text(
        "Diese Nachricht wurde gelöscht."
    )


def test_slow_mode_counts_down_and_a_refused_send_offers_a_retry(browsing: Browsing) -> None:
    room = browsing.site.new_room("Browser Langsam")
    status, _ = browsing.site.request(
        "PATCH", f"/api/rooms/{room}/", {"slow_mode_seconds": 30}, token=browsing.site.token("lena")
    )
    assert status == 200
    jonas = browsing.page("jonas")
    open_room(jonas, browsing.base, room)
    write(jonas, "Erste Nachricht")
    expect(jonas.locator("[data-hint]")).to_contain_text("Langsamer Modus: du kannst in")
    expect(jonas.get_by_role("button", name="Senden")).to_be_disabled()

    # A second tab knows nothing of the first's countdown: the server refuses, and the
    # page says why and offers to send the same message again.
    second = browsing.page("jonas")
    open_room(second, browsing.base, room)
    write(second, "Zweite Nachricht")
    failed = second.locator(".msg--failed", has_text="Zweite Nachricht")
    expect(failed).to_contain_text("Nicht gesendet: Langsamer Modus")
    expect(failed.get_by_role("button", name="Erneut senden")).to_be_visible()


def test_the_bell_and_the_notification_page_show_a_new_notification_live(
    browsing: Browsing,
) -> None:
    sophie = browsing.page("sophie")
    sophie.goto(f"{browsing.base}/benachrichtigungen/")
    badge = sophie.locator(".site-nav [data-notification-count]")
    before = int(badge.text_content() or 0)
    status, mute = browsing.site.request(
        "POST",
        "/api/moderation/mutes/",
        {"user": user_id(browsing, "sophie"), "scope": "global", "duration": 60, "reason": "Test"},
        token=browsing.site.token("mira"),
    )
    assert status == 201, mute
    expect(badge).to_have_text(str(before + 1))
    expect(sophie.locator("[data-notification-list] > li").first).to_contain_text("stummgeschaltet")
    browsing.site.request(
        "DELETE", f"/api/moderation/mutes/{mute['id']}/", token=browsing.site.token("mira")
    )


def test_a_person_without_input_for_five_minutes_shows_as_away(browsing: Browsing) -> None:
    room = browsing.site.new_room("Browser Abwesend")
    lena = browsing.page("lena")
    jonas = browsing.page("jonas")
    jonas.clock.install()  # the page's timers and Date run on a clock the test moves
    open_room(lena, browsing.base, room)
    open_room(jonas, browsing.base, room)
    lena.get_by_role("button", name=re.compile("^Leute")).click()
    people = lena.locator("[data-people-list]")
    expect(people).to_contain_text("Jonas Weber (online)")
    jonas.clock.fast_forward("05:20")
    expect(people).to_contain_text("Jonas Weber (abwesend)")
    jonas.get_by_label(re.compile("^Nachricht an #")).press("a")
    expect(people).to_contain_text("Jonas Weber (online)")
