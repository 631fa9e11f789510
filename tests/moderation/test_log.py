"""The audit log: an entry for every action, with who, what, whom, where, why and when;
append-only, through the API and the admin alike."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory

from accounts.models import Notification
from moderation import services
from moderation.models import Appeal, Ban, ModerationAction, Mute, Report
from rooms import services as room_services
from rooms.models import Room
from tests.factories import ApiAs
from tests.moderation.conftest import post

pytestmark = pytest.mark.django_db

LOG = "/api/moderation/log/"


def test_every_moderation_action_has_an_entry(
    room: Room, author: User, member: User, lead: User, site_moderator: User
) -> None:
    message = post(author, room)
    services.message_hide(actor=lead, message_id=message.pk, reason="Pöbelei")
    services.message_unhide(actor=lead, message_id=message.pk, reason="Irrtum")
    mute = services.member_mute(
        actor=lead, user_id=author.pk, scope={"room": room.pk}, duration=60, reason="laut"
    )
    services.mute_lift(actor=lead, mute_id=mute.pk)
    ban = services.member_ban(
        actor=site_moderator, user_id=author.pk, scope="global", duration=None, reason="Spam"
    )
    services.ban_lift(actor=site_moderator, ban_id=ban.pk)
    reported = post(author, room)
    services.report_create(user=member, message_id=reported.pk, reason="spam")
    services.report_resolve(actor=lead, message_id=reported.pk, action="escalate")
    services.report_resolve(actor=site_moderator, message_id=reported.pk, action="dismiss")
    room_services.room_update(user=lead, room=room, slow_mode_seconds=30)
    hidden = post(member, room)
    services.message_hide(actor=site_moderator, message_id=hidden.pk, reason="Spam")
    appeal = services.appeal_create(user=member, message_id=hidden.pk, text="War keiner")
    services.appeal_decide(actor=site_moderator, appeal_id=appeal.pk, decision="uphold")

    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))

    assert kinds == [
        "hide",
        "unhide",
        "mute",
        "unmute",
        "ban",
        "unban",
        "reports_escalated",
        "reports_dismissed",
        "slow_mode",
        "hide",
        "appeal_upheld",
    ]
    muted = ModerationAction.objects.get(kind="mute")
    assert (muted.actor, muted.target_user, muted.room, muted.initiative, muted.reason) == (
        lead,
        author,
        room,
        room.initiative,
        "laut",
    )
    assert ModerationAction.objects.get(kind="ban").is_global


def test_the_log_lists_newest_first_with_who_what_whom_where_why_when(
    api_as: ApiAs, room: Room, author: User, lead: User, site_moderator: User
) -> None:
    message = post(author, room)
    services.member_mute(
        actor=lead,
        user_id=author.pk,
        scope={"initiative": room.initiative_id},
        duration=None,
        reason="Ton",
    )
    services.message_hide(actor=site_moderator, message_id=message.pk, reason="Spam")

    entries = api_as(site_moderator).get(LOG).json()["results"]

    assert [e["kind"] for e in entries] == ["hide", "mute"]
    mute = entries[1]
    assert mute["actor"]["id"] == lead.pk and mute["automatic"] is False
    assert mute["target_user"] == {"id": author.pk, "username": "toni", "display_name": "Toni"}
    assert (mute["scope"], mute["reason"], mute["mute"]) == (
        {"initiative": room.initiative_id},
        "Ton",
        ModerationAction.objects.get(kind="mute").mute_id,
    )
    assert mute["created_at"].endswith("Z")


def test_the_log_filters_by_person_and_kind(
    api_as: ApiAs, room: Room, author: User, member: User, site_moderator: User
) -> None:
    for person in (author, member):
        services.message_hide(actor=site_moderator, message_id=post(person, room).pk, reason="x")
    services.member_mute(
        actor=site_moderator, user_id=author.pk, scope="global", duration=60, reason="x"
    )
    client = api_as(site_moderator)

    assert client.get(f"{LOG}?user={author.pk}").json()["count"] == 2
    assert client.get(f"{LOG}?user={author.pk}&kind=hide").json()["count"] == 1
    assert client.get(f"{LOG}?kind=nonsense").status_code == 400
    assert client.get(f"{LOG}?user=abc").status_code == 400


def test_the_log_cannot_be_changed_through_the_api(
    api_as: ApiAs, room: Room, author: User, site_moderator: User
) -> None:
    services.message_hide(actor=site_moderator, message_id=post(author, room).pk, reason="x")
    entry = ModerationAction.objects.get()
    client = api_as(site_moderator)

    answers = [
        client.post(LOG, {"kind": "hide"}, format="json").status_code,
        client.put(LOG, {"kind": "unhide"}, format="json").status_code,
        client.patch(LOG, {"reason": "anders"}, format="json").status_code,
        client.delete(LOG).status_code,
        client.patch(f"{LOG}{entry.pk}/", {"reason": "anders"}, format="json").status_code,
        client.delete(f"{LOG}{entry.pk}/").status_code,
    ]

    assert answers == [405, 405, 405, 405, 404, 404]
    assert ModerationAction.objects.get().reason == "x"


def test_an_entry_once_written_is_never_saved_again(
    room: Room, author: User, site_moderator: User
) -> None:
    services.message_hide(actor=site_moderator, message_id=post(author, room).pk, reason="x")
    entry = ModerationAction.objects.get()
    entry.reason = "geschönt"

    with pytest.raises(ValueError, match="never edited"):
        entry.save()
    assert ModerationAction.objects.get().reason == "x"


def test_the_admin_shows_the_log_read_only(site_moderator: User) -> None:
    request = RequestFactory().get("/admin/")
    request.user = site_moderator
    model_admin = admin.site._registry[ModerationAction]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert {Report, Mute, Ban, ModerationAction, Appeal, Notification} <= set(admin.site._registry)
