"""The world every cell of the authorization matrix is tried in: one initiative with a
members-only room and a message in it, a second initiative, and a person in each role.

Roles (ROLES) and who they are:
- anonymous: no credentials;
- member: jonas, a member of the initiative;
- non_member: otto, signed in, in no initiative;
- lead_here: lena, the initiative's lead;
- lead_elsewhere: olga, lead of another initiative;
- moderator: mira, in the group `moderators`;
- muted: stella, a member, muted in the room (by lena);
- banned: bert, a member, banned from the room (by mira);
- deactivated: dora, a member whose account is switched off.
The subject of every row: the room ("Orga", members only), its message by toni (a
member), jonas's report of it, stella's mute with her appeal, bert's ban, a
notification of jonas, and an event of the initiative with a shift that jonas signed
up for.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Notification, Profile
from accounts.notifications import notification_create
from community import services as community_services
from community.models import Lifehack, Need, News, Offer
from events import services as event_services
from events.models import Event, Shift
from initiatives import services as initiative_services
from initiatives.models import Initiative
from moderation import services as moderation_services
from moderation.models import Appeal, Ban, ModerationAction, Mute, Report
from rooms import services as room_services
from rooms.models import Message, Room
from tests.factories import PASSWORD, BanFactory, InitiativeFactory, MuteFactory, UserFactory

ROLES = [
    "anonymous",
    "member",
    "non_member",
    "lead_here",
    "lead_elsewhere",
    "moderator",
    "muted",
    "banned",
    "deactivated",
]


@dataclass
class World:
    users: dict[str, User]
    initiative: Initiative
    other: Initiative
    room: Room
    message: Message
    report: Report
    mute: Mute
    ban: Ban
    appeal: Appeal
    notification: Notification
    event: Event
    shift: Shift
    news: News
    lifehack: Lifehack
    offer: Offer
    need: Need

    def user(self, role: str) -> User | None:
        return self.users.get(role)

    @property
    def password(self) -> str:
        return PASSWORD


def build_world() -> World:
    def person(name: str, **fields: object) -> User:
        return UserFactory(username=name, **fields)

    lead, other_lead = person("lena"), person("olga")
    initiative = InitiativeFactory(lead=lead, title="Balkonkraftwerke Heslach")
    other = InitiativeFactory(lead=other_lead, title="Repair-Café Ost")
    users = {
        "member": person("jonas"),
        "non_member": person("otto"),
        "lead_here": lead,
        "lead_elsewhere": other_lead,
        "moderator": person("mira", moderator=True),
        "muted": person("stella"),
        "banned": person("bert"),
        "deactivated": person("dora"),
    }
    author = person("toni")
    for role in ("member", "muted", "banned", "deactivated"):
        initiative_services.initiative_join(user=users[role], initiative=initiative)
    initiative_services.initiative_join(user=author, initiative=initiative)
    room = room_services.room_create_by_lead(
        user=lead, initiative=initiative, title="Orga", members_only=True
    )
    message = room_services.message_post(
        user=author, room_id=room.pk, body="Treffen am Samstag?", client_id=str(uuid.uuid4())
    ).message
    report = Report.objects.create(message=message, reporter=users["member"], reason="spam")
    mute = MuteFactory(user=users["muted"], room=room, created_by=lead)
    ModerationAction.objects.create(
        kind=ModerationAction.Kind.MUTE,
        actor=lead,
        target_user=users["muted"],
        room=room,
        mute=mute,
    )
    ban = BanFactory(user=users["banned"], room=room, created_by=users["moderator"])
    appeal = moderation_services.appeal_create(
        user=users["muted"], mute_id=mute.pk, text="Das war ein Missverständnis."
    )
    notification = notification_create(
        user=users["member"], kind=Notification.Kind.MODERATION, text="Hallo"
    )
    start = timezone.now() + timedelta(days=2)
    event = event_services.event_create(
        user=lead,
        initiative=initiative,
        title="Kochtag",
        start=start,
        end=start + timedelta(hours=4),
        place="Gemeindesaal",
        capacity=20,
    )
    shift = event_services.shift_create(
        user=lead,
        initiative=initiative,
        event=event,
        title="Aufbau",
        start=start,
        end=start + timedelta(hours=2),
        capacity=5,
    )
    event_services.signup_take(user=users["member"], shift_id=shift.pk)
    news = community_services.news_create(
        user=lead, initiative=initiative, title="Gerettet", teaser="200 kg Gemüse"
    )
    lifehack = community_services.lifehack_create(
        user=users["member"],
        title="Deckel drauf",
        body="Spart Energie.",
        category=initiative.category,
    )
    organisation = person(
        "stadtwerke", profile__kind=Profile.Kind.ORGANISATION, profile__verified_at=timezone.now()
    )
    offer = community_services.offer_create(
        user=organisation,
        kind="materials",
        title="Lastenrad leihen",
        valid_until=timezone.localdate() + timedelta(days=30),
    )
    need = community_services.need_create(
        user=lead,
        initiative=initiative,
        kind="materials",
        title="Lastenrad",
        category=initiative.category,
    )
    deactivated = users["deactivated"]
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    return World(
        users=users,
        initiative=initiative,
        other=other,
        room=room,
        message=message,
        report=report,
        mute=mute,
        ban=ban,
        appeal=appeal,
        notification=notification,
        event=event,
        shift=shift,
        news=news,
        lifehack=lifehack,
        offer=offer,
        need=need,
    )
