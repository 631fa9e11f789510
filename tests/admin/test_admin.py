"""The admin cannot go around the rules: every page of every registered model opens
and saves its own values without a 500, and whatever changes moderation state goes
through the services (the room's log gets the event that reaches open clients live,
the audit log its entry, the person concerned a notification)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import models
from django.test import Client

from accounts.models import Notification
from initiatives.models import Category, Initiative, Membership
from moderation.models import Appeal, ModerationAction, Mute, Report
from moderation.services import appeals, reports, restrictions
from rooms.models import Room, RoomEvent
from rooms.services.messages import message_post

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would submit from the admin's change form, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.savable = False  # a "Sichern" button: the page is a form, not a view

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if a["name"] == "_save":
                self.savable = True
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.add(a["name"], a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.add(self.select, a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.add(self.textarea, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea][-1] += data.removeprefix("\n")


@pytest.fixture
def world() -> dict[str, Any]:
    """The demo data plus one of each moderation record."""
    call_command("seed_demo", verbosity=0)
    mira = User.objects.get(username="mira")
    jonas = User.objects.get(username="jonas")
    room = Room.objects.get(initiative__slug="repair-cafe-stuttgart-west", title="Allgemein")
    message = message_post(user=jonas, room_id=room.pk, body="Spam!", client_id="adm-1").message
    reports.report_create(
        user=User.objects.get(username="lena"), message_id=message.pk, reason="spam"
    )
    mute = restrictions.member_mute(
        actor=mira, user_id=jonas.pk, scope={"room": room.pk}, duration=3600, reason="Spam"
    )
    restrictions.member_ban(
        actor=mira,
        user_id=User.objects.get(username="klaus").pk,
        scope="global",
        duration=None,
        reason="Beleidigung",
    )
    action = ModerationAction.objects.get(kind="mute", target_user=jonas)
    appeals.appeal_create(user=jonas, action_id=action.pk, text="Das war kein Spam.")
    return {"mira": mira, "jonas": jonas, "room": room, "message": message, "mute": mute}


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x-sehr-geheim-1"))
    return client


REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize("model", [m for m, _ in REGISTRY], ids=lambda m: m._meta.label)
def test_every_admin_page_opens_and_saves_its_own_values(
    model: type[models.Model], world: dict[str, Any], admin_client: Client
) -> None:
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(base, {"q": "a"}).status_code == 200
    add = admin_client.get(f"{base}add/")
    assert add.status_code in (200, 403)
    if add.status_code == 403:
        assert admin_client.post(f"{base}add/", {"_save": "1"}).status_code == 403
    else:
        # An empty add form is refused with field errors, not a 500.
        assert admin_client.post(f"{base}add/", {"_save": "1"}).status_code in (200, 302)
    obj = model._default_manager.order_by("-pk").first()
    if obj is None:
        return
    page = admin_client.get(f"{base}{obj.pk}/change/")
    assert page.status_code == 200
    values = FormValues()
    values.feed(page.content.decode())
    if values.savable:  # save what the form shows, unchanged
        saved = admin_client.post(f"{base}{obj.pk}/change/", {**values.data, "_save": "1"})
        assert saved.status_code == 302, saved.content.decode()[:2000]
    else:  # read-only: a hand-made POST changes nothing either
        assert admin_client.post(f"{base}{obj.pk}/change/", {"_save": "1"}).status_code == 403


def test_initiatives_added_in_the_admin_get_slug_lead_and_room(admin_client: Client) -> None:
    call_command("seed_demo", verbosity=0)
    category = Category.objects.get(slug="energie")
    for _ in range(2):
        response = admin_client.post(
            "/admin/initiatives/initiative/add/",
            {
                "title": "Sonnenstrom Ost",
                "summary": "Balkonkraftwerke für alle.",
                "description": "",
                "category": category.pk,
                "district": "",
                "status": "idea",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
                "_save": "1",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    slugs = sorted(
        Initiative.objects.filter(title="Sonnenstrom Ost").values_list("slug", flat=True)
    )
    assert slugs == ["sonnenstrom-ost", "sonnenstrom-ost-2"]
    for initiative in Initiative.objects.filter(title="Sonnenstrom Ost"):
        assert Room.objects.filter(initiative=initiative, title="Allgemein").exists()
        assert Membership.objects.filter(initiative=initiative, role="lead").count() == 1
    archived = admin_client.post(
        "/admin/initiatives/initiative/add/",
        {
            "title": "Gleich archiviert",
            "summary": "Nein.",
            "category": category.pk,
            "status": "archived",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "_save": "1",
        },
    )
    assert archived.status_code == 200
    assert "nicht archiviert" in archived.content.decode()


def test_hiding_in_the_admin_goes_through_the_service(
    world: dict[str, Any], admin_client: Client
) -> None:
    message = world["message"]
    refused = admin_client.post(
        "/admin/rooms/message/",
        {"action": "hide", "_selected_action": [message.pk], "reason": ""},
        follow=True,
    )
    assert "Grund" in refused.content.decode()  # a hide needs a reason, said per message
    message.refresh_from_db()
    assert message.hidden_at is None
    admin_client.post(
        "/admin/rooms/message/",
        {"action": "hide", "_selected_action": [message.pk], "reason": "Werbung"},
    )
    message.refresh_from_db()
    assert message.hidden_reason == "Werbung"
    assert RoomEvent.objects.filter(message=message, kind="message.hidden").exists()
    assert ModerationAction.objects.filter(kind="hide", message=message, reason="Werbung").exists()
    assert Report.objects.get(message=message).status != "open"


def test_lifting_a_mute_in_the_admin_tells_the_person_and_logs_it(
    world: dict[str, Any], admin_client: Client
) -> None:
    mute: Mute = world["mute"]
    before = Notification.objects.filter(user=world["jonas"]).count()
    admin_client.post(
        "/admin/moderation/mute/",
        {"action": "lift", "_selected_action": [mute.pk], "reason": "Irrtum"},
    )
    mute.refresh_from_db()
    assert mute.lifted_at is not None
    assert ModerationAction.objects.filter(kind="unmute", target_user=world["jonas"]).exists()
    assert Notification.objects.filter(user=world["jonas"]).count() == before + 1


def test_appeals_are_decided_in_the_admin_through_the_service(
    world: dict[str, Any], admin_client: Client
) -> None:
    appeal = Appeal.objects.get(user=world["jonas"])
    admin_client.post(
        "/admin/moderation/appeal/",
        {"action": "reverse", "_selected_action": [appeal.pk], "reason": "Stimmt, kein Spam."},
    )
    appeal.refresh_from_db()
    assert appeal.status == "reversed"
    assert ModerationAction.objects.filter(kind="appeal_reversed").exists()
