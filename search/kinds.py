"""What search finds, per type: which rows a person may see (each app's own list
selector, so that hidden, cancelled, expired and members-only things stay out exactly
as in the lists), the fields searched, and how a hit is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from community import selectors as community
from events import selectors as events
from events.rendering import page_of
from initiatives import selectors as initiatives
from rooms import permissions as room_rules
from rooms.models import Message
from rooms.selectors import readable_rooms

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Kind:
    name: str  # the API's `type`
    label: Promise  # for people: "Nachrichten"
    rows: Callable[[AnyUser], QuerySet[Any]]  # what this person may find
    fields: tuple[str, ...]  # searched; the first is the title's, the last the snippet's
    date: str  # newest first
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    context: Callable[[Any], str]  # where it is: the room, the initiative


def _messages(user: AnyUser) -> QuerySet[Message]:
    rows = Message.objects.filter(deleted_at__isnull=True).select_related(
        "room__initiative", "author__profile"
    )
    if not room_rules.sees_hidden_content(user):
        rows = rows.filter(hidden_at__isnull=True)
    # The rooms as a list of ids (a few dozen): a plain filter the planner weighs well
    # beside the text index, where a subquery made it loop over rooms.
    return rows.filter(room_id__in=list(readable_rooms(user=user).values_list("pk", flat=True)))


def _room_of(message: Message) -> str:
    room = message.room
    return f"#{room.title} · {room.initiative.title}" if room.initiative else f"#{room.title}"


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "message",
            _("Nachrichten"),
            _messages,
            ("body",),
            "created_at",
            title=lambda m: _room_of(m),
            url=lambda m: f"/raeume/{m.room_id}/",
            context=lambda m: m.author.profile.display_name or m.author.username,
        ),
        Kind(
            "initiative",
            _("Initiativen"),
            lambda user: initiatives.initiative_list(include_archived=True),
            ("title", "summary", "description"),
            "created_at",
            title=lambda i: i.title,
            url=lambda i: reverse("initiative-detail", args=[i.slug]),
            context=lambda i: i.get_status_display(),
        ),
        Kind(
            "event",
            _("Veranstaltungen"),
            lambda user: events.events_listed(),
            ("title", "place", "description"),
            "start",
            title=lambda e: e.title,
            url=page_of,
            context=lambda e: e.initiative.title if e.initiative else "",
        ),
        Kind(
            "news",
            _("Neuigkeiten"),
            lambda user: community.news_listed(),
            ("title", "teaser", "body"),
            "created_at",
            title=lambda n: n.title,
            url=lambda n: reverse("news-page", args=[n.pk]),
            context=lambda n: n.initiative.title if n.initiative else "",
        ),
        Kind(
            "lifehack",
            _("Lifehacks"),
            lambda user: community.lifehacks_listed(),
            ("title", "body"),
            "created_at",
            title=lambda h: h.title,
            url=lambda h: reverse("lifehack-page", args=[h.pk]),
            context=lambda h: h.category.localized_name if h.category else "",
        ),
        Kind(
            "offer",
            _("Angebote"),
            lambda user: community.offers_valid(),
            ("title", "description"),
            "created_at",
            title=lambda o: o.title,
            url=lambda o: reverse("offer-page", args=[o.pk]),
            context=lambda o: o.author.profile.display_name if o.author else "",
        ),
        Kind(
            "need",
            _("Gesuche"),
            lambda user: community.needs_open(),
            ("title", "description"),
            "created_at",
            title=lambda n: n.title,
            url=lambda n: reverse("need-page", args=[n.pk]),
            context=lambda n: n.initiative.title if n.initiative else "",
        ),
    ]
}
