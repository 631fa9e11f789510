"""Every page in a real browser: it renders in German, axe-core finds nothing serious
or critical, no console error, nothing loaded from another host; the directory's
filters and joining an initiative work as a citizen would use them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Browsing, axe_problems

PUBLIC_PAGES = [
    ("/", "Gemeinsam für ein klimaneutrales Stuttgart"),
    ("/initiativen/", "Initiativen"),
    ("/initiativen/repair-cafe-stuttgart-west/", "Repair-Café Stuttgart-West"),
    ("/login/", "Anmelden"),
    ("/register/", "Registrieren"),
    ("/passwort-vergessen/", "Passwort vergessen"),
    ("/gibt-es-nicht/", "Diese Seite gibt es nicht"),
    ("/moderation/leitfaden/", "Leitfaden für die Moderation"),
    ("/veranstaltungen/", "Veranstaltungen und Aktionstage"),
    ("/neuigkeiten/", "Neuigkeiten"),
    ("/lifehacks/", "Lifehacks"),
    ("/angebote/", "Angebote für Klima-Initiativen"),
    ("/gesucht/", "Gesucht: wobei Initiativen Hilfe brauchen"),
    ("/gesucht/1/", "Gesucht: ein Lastenrad für Samstag"),
    ("/memo/", "Mach-Mit-Memo"),
    ("/suche/?q=Samstag", "Suche"),
]
MEMBER_PAGES = [
    ("/", "Gemeinsam für ein klimaneutrales Stuttgart"),
    ("/initiativen/repair-cafe-stuttgart-west/", "Repair-Café Stuttgart-West"),
    ("/initiativen/neu/", "Initiative starten"),
    ("/initiativen/repair-cafe-stuttgart-west/bearbeiten/", "Initiative bearbeiten"),
    ("/profil/", "Dein Profil"),
    ("/profil/passwort/", "Passwort ändern"),
    ("/benachrichtigungen/", "Benachrichtigungen"),
    ("/moderation/", "Moderation"),
    ("/meine-termine/", "Meine Termine"),
    ("/lifehacks/", "Lifehacks"),
    ("/gesucht/neu/?initiative=repair-cafe-stuttgart-west", "Was sucht ihr?"),
    ("/suche/?q=Samstag", "Suche"),
    ("/personen/jonas/", "Jonas Weber"),
    ("/moderation/beitraege/", "Gemeldete Beiträge"),
    ("/melden/news/3/", "Beitrag melden"),
]


@pytest.mark.parametrize("width", [1280, 375])
def test_public_pages_render_in_german_and_pass_axe(browsing: Browsing, width: int) -> None:
    page = browsing.page(width=width)
    for path, heading in PUBLIC_PAGES:
        page.goto(browsing.base + path)
        expect(page.locator("h1")).to_contain_text(heading)
        assert page.locator("html").get_attribute("lang") == "de"
        assert axe_problems(page) == [], path


@pytest.mark.parametrize("width", [1280, 375])
def test_a_leads_pages_pass_axe(browsing: Browsing, width: int) -> None:
    page = browsing.page("lena", width=width)
    for path, heading in MEMBER_PAGES:
        page.goto(browsing.base + path)
        expect(page.locator("h1")).to_contain_text(heading)
        assert axe_problems(page) == [], path
    page.goto(browsing.base + "/veranstaltungen/")
    page.get_by_role("link", name="Aktionstag: Schnippeldisko auf dem Marktplatz").click()
    expect(page.get_by_role("heading", name="Schichten: hilf mit")).to_be_visible()
    assert axe_problems(page) == [], "event page"
    room = browsing.site.new_room("Barrierefrei")
    page.goto(f"{browsing.base}/raeume/{room}/")
    expect(page.get_by_text("Schreib die erste Nachricht")).to_be_visible()
    assert axe_problems(page) == [], "room page"


def test_pages_forbid_inline_script_and_foreign_hosts(browsing: Browsing) -> None:
    page = browsing.page()
    response = page.goto(browsing.base + "/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_directory_filters_by_category_district_status_and_text(browsing: Browsing) -> None:
    page = browsing.page()
    page.goto(browsing.base + "/initiativen/")
    cards = page.locator(".card")
    total = cards.count()
    assert total >= 10

    page.get_by_label("Kategorie").select_option(label="Reparieren & Teilen")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(re.compile(r"category=reparieren"))
    titles = cards.locator("h3").all_inner_texts()
    assert "Repair-Café Stuttgart-West" in titles
    assert len(titles) < total

    page.get_by_label("Suche", exact=True).fill("Lötkolben-gibt-es-nicht")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_text("Keine Initiative passt zu diesen Filtern.")).to_be_visible()

    page.get_by_role("link", name="Filter zurücksetzen").click()
    page.get_by_label("Stadtbezirk").select_option(label="West")
    page.get_by_label("Status").select_option(label="Aktiv")
    page.get_by_role("button", name="Anzeigen").click()
    for tags in cards.locator(".tags").all_inner_texts():
        assert "West" in tags and "Aktiv" in tags
    page.get_by_role("link", name="Repair-Café Stuttgart-West").click()
    expect(page.locator("h1")).to_have_text("Repair-Café Stuttgart-West")


def test_a_new_member_joins_from_the_initiative_page_and_reaches_its_room(
    browsing: Browsing,
) -> None:
    page = browsing.page("mira")
    page.goto(browsing.base + "/initiativen/repair-cafe-stuttgart-west/")
    page.get_by_role("button", name="Mitmachen").click()
    expect(page.get_by_text("Du bist dabei", exact=False).first).to_be_visible()
    page.get_by_role("link", name=re.compile("Allgemein")).first.click()
    expect(page.locator("h1")).to_contain_text("Allgemein")
    expect(page.get_by_text("Wer bringt am Samstag Lötkolben mit?")).to_be_visible()
    expect(page.locator("[data-conn]")).to_be_hidden()
