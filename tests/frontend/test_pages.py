"""The web pages through Django's test client: what each shows, who may do what, and
that every refusal is a page with a reason, never a 500."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from accounts.models import Profile
from accounts.notifications import notification_create
from initiatives.models import Category, District, Initiative, Membership
from rooms.models import Room
from rooms.services.messages import message_post
from tests.factories import PASSWORD, InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_directory_filters_pages_and_links(make_user: Callable[..., User]) -> None:
    lead = make_user()
    for n in range(14):
        InitiativeFactory(lead=lead, title=f"Garten {n}", status=Initiative.Status.ACTIVE)
    InitiativeFactory(lead=lead, title="Solar am Dach", status=Initiative.Status.IDEA)
    page = Client().get("/initiativen/", {"status": "active", "q": "Garten"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "14 Initiativen gefunden" in html
    assert "Seite 1 von 2" in html
    assert 'href="/initiativen/garten-13/"' in html
    assert "Solar am Dach" not in html
    second = Client().get("/initiativen/", {"status": "active", "q": "Garten", "page": "2"})
    assert "Seite 2 von 2" in second.content.decode()
    # Empty choices mean "all"; an unknown value is said beside its filter.
    assert "Solar am Dach" in Client().get("/initiativen/?category=&q=").content.decode()
    unknown = Client().get("/initiativen/", {"category": "gibt-es-nicht"})
    assert unknown.status_code == 200
    assert "field--error" in unknown.content.decode()


def test_the_initiative_page_shows_leads_rooms_with_unread_and_join_leave(
    make_user: Callable[..., User],
) -> None:
    lead, member = make_user(), make_user()
    initiative = InitiativeFactory(lead=lead, description="Wir **reparieren**.")
    room = Room.objects.get(initiative=initiative)
    message_post(user=lead, room_id=room.pk, body="Hallo", client_id="c1")

    anonymous = Client().get(f"/initiativen/{initiative.slug}/").content.decode()
    assert "<strong>reparieren</strong>" in anonymous
    assert "Anmelden und mitmachen" in anonymous
    client = signed_in(member)
    assert "Mitmachen" in client.get(f"/initiativen/{initiative.slug}/").content.decode()
    assert client.post(f"/initiativen/{initiative.slug}/mitmachen/").status_code == 302
    page = client.get(f"/initiativen/{initiative.slug}/").content.decode()
    assert "Du bist dabei" in page
    assert re.search(r'class="badge count"[^>]*>1<', page), "one unread message"
    assert "Für die Leitung" not in page
    client.post(f"/initiativen/{initiative.slug}/verlassen/")
    assert not Membership.objects.filter(user=member, initiative=initiative).exists()


def test_the_last_lead_cannot_leave_and_is_told_why(make_user: Callable[..., User]) -> None:
    lead = make_user()
    initiative = InitiativeFactory(lead=lead)
    response = signed_in(lead).post(f"/initiativen/{initiative.slug}/verlassen/", follow=True)
    assert "Die letzte Leitung kann nicht gehen" in response.content.decode()
    assert Membership.objects.filter(user=lead, initiative=initiative).exists()


def test_creating_an_initiative_shows_errors_beside_the_fields(
    make_user: Callable[..., User],
) -> None:
    client = signed_in(make_user())
    response = client.post("/initiativen/neu/", {"title": "ab", "summary": "", "category": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte prüfe deine Angaben" in html
    assert html.count('class="field-error"') >= 3
    assert 'href="#id_title"' in html
    created = client.post(
        "/initiativen/neu/",
        {
            "title": "Lastenrad Ost",
            "summary": "Ein Rad für alle.",
            "category": Category.objects.get(slug="mobilitaet").pk,
            "district": "",
            "status": "idea",
            "description": "",
        },
    )
    assert created.status_code == 302
    assert created["Location"] == "/initiativen/lastenrad-ost/"


def test_only_leads_edit_and_use_the_tools(make_user: Callable[..., User]) -> None:
    lead, member = make_user(), make_user()
    initiative = InitiativeFactory(lead=lead)
    MembershipFactory(initiative=initiative, user=member)
    room = Room.objects.get(initiative=initiative)
    outsider = signed_in(member)
    assert outsider.get(f"/initiativen/{initiative.slug}/bearbeiten/").status_code == 403
    refused = outsider.post(f"/raeume/{room.pk}/einstellungen/", {"archived": "true"}, follow=True)
    assert "Nur die Leitung" in refused.content.decode()
    room.refresh_from_db()
    assert not room.archived

    leading = signed_in(lead)
    leading.post(f"/raeume/{room.pk}/einstellungen/", {"slow_mode_seconds": "30"})
    leading.post(f"/initiativen/{initiative.slug}/raeume/", {"title": "Orga", "members_only": "on"})
    leading.post(f"/initiativen/{initiative.slug}/mitglieder/{member.pk}/", {"role": "lead"})
    room.refresh_from_db()
    assert room.slow_mode_seconds == 30
    assert Room.objects.get(initiative=initiative, title="Orga").members_only
    assert Membership.objects.get(user=member, initiative=initiative).role == "lead"
    bad = leading.post(f"/raeume/{room.pk}/einstellungen/", {"slow_mode_seconds": "7"}, follow=True)
    assert bad.status_code == 200 and "Langsamer Modus" in bad.content.decode()


def test_the_room_page_carries_the_last_50_messages_and_who_you_are(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.KLIMA = {**settings.KLIMA, "RATE_LIMITS": False}
    lead = make_user()
    initiative = InitiativeFactory(lead=lead)
    room = Room.objects.get(initiative=initiative)
    for n in range(60):
        message_post(user=lead, room_id=room.pk, body=f"Nachricht <b>{n}</b>", client_id=f"c{n}")
    response = signed_in(lead).get(f"/raeume/{room.pk}/")
    html = response.content.decode()
    state = json.loads(re.search(r'id="room-state"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert state["messages"][0]["body"] == "Nachricht <b>10</b>"
    assert len(state["messages"]) == 50
    assert state["seq"] == 60 and state["you"]["role"] == "lead"
    assert "<b>10</b>" not in html  # json_script escapes it; html is the server's rendering


def test_rooms_others_may_not_read_are_403_and_unknown_ones_404(
    make_user: Callable[..., User],
) -> None:
    lead, stranger = make_user(), make_user()
    initiative = InitiativeFactory(lead=lead)
    closed = Room.objects.create(initiative=initiative, title="Intern", members_only=True)
    client = signed_in(stranger)
    forbidden = client.get(f"/raeume/{closed.pk}/")
    assert forbidden.status_code == 403
    assert "nur für Mitglieder" in forbidden.content.decode()
    assert client.get("/raeume/999999/").status_code == 404
    assert client.get("/raeume/99999999999999999999999/").status_code == 404
    assert Client().get(f"/raeume/{closed.pk}/")["Location"].startswith("/login/")


def test_error_pages_are_german_and_lead_back(make_user: Callable[..., User]) -> None:
    page = Client().get("/gibt-es-nicht/")
    assert page.status_code == 404
    assert "Diese Seite gibt es nicht" in page.content.decode()
    assert 'href="/"' in page.content.decode()
    assert 'rel="icon" href="/static/frontend/favicon.svg"' in page.content.decode()


def test_english_paths_redirect_to_the_german_ones() -> None:
    assert Client().get("/initiatives/")["Location"] == "/initiativen/"
    assert Client().get("/rooms/3/")["Location"] == "/raeume/3/"


def test_registering_sends_a_link_that_confirms_the_address_once() -> None:
    client = Client()
    response = client.post(
        "/register/",
        {"username": "neu", "email": "neu@example.org", "password": "ein-langes-passwort-42"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/register/bestaetigen/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    assert "bestätige" in mail.outbox[0].subject
    assert "Danke!" in client.get(link.group(1)).content.decode()
    assert Profile.objects.get(user__username="neu").email_confirmed_at is not None
    assert "gilt nicht mehr" in client.get(link.group(1)).content.decode()


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    make_user: Callable[..., User],
) -> None:
    make_user(username="bekannt", email="bekannt@example.org")
    known = Client().post("/passwort-vergessen/", {"email": "bekannt@example.org"})
    unknown = Client().post("/passwort-vergessen/", {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/passwort-vergessen/gesendet/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/passwort-neu/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    assert "Neues Passwort festlegen" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "noch-laenger-und-neu-7", "new_password2": "noch-laenger-und-neu-7"},
    )
    assert done["Location"] == "/passwort-neu/fertig/"
    assert Client().login(username="bekannt", password="noch-laenger-und-neu-7")


def test_the_profile_saves_and_changes_the_password(make_user: Callable[..., User]) -> None:
    user = make_user()
    client = signed_in(user)
    saved = client.post(
        "/profil/",
        {
            "display_name": "Lena H.",
            "district": District.objects.get(slug="west").pk,
            "language": "en",
            "digest_opt_in": "on",
        },
    )
    assert saved.status_code == 302
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.language, profile.digest_opt_in) == (
        "Lena H.",
        "en",
        True,
    )
    assert "Your profile" in client.get("/profil/").content.decode()
    wrong = client.post(
        "/profil/passwort/",
        {
            "old_password": "falsch",
            "new_password1": "x-neu-1234567",
            "new_password2": "x-neu-1234567",
        },
    )
    assert wrong.status_code == 200 and "field-error" in wrong.content.decode()
    client.post(
        "/profil/passwort/",
        {
            "old_password": PASSWORD,
            "new_password1": "x-neu-1234567",
            "new_password2": "x-neu-1234567",
        },
    )
    assert Client().login(username=user.username, password="x-neu-1234567")


def test_notifications_count_in_the_header_and_open_where_they_point(
    make_user: Callable[..., User],
) -> None:
    user = make_user()
    first = notification_create(user=user, kind="moderation", text="Eins", url="/raeume/3/")
    notification_create(user=user, kind="moderation", text="Zwei", url="https://evil.example/")
    client = signed_in(user)
    assert re.search(r"data-notification-count>2<", client.get("/").content.decode())
    assert client.post(f"/benachrichtigungen/{first.pk}/")["Location"] == "/raeume/3/"
    others = notification_create(user=user, kind="moderation", text="Drei", url="//evil.example/")
    assert client.post(f"/benachrichtigungen/{others.pk}/")["Location"] == "/benachrichtigungen/"
    client.post("/benachrichtigungen/gelesen/")
    assert re.search(r"data-notification-count hidden>0<", client.get("/").content.decode())
