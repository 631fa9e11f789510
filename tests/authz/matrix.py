"""The authorization matrix: for every URL and method of the site, and every websocket
frame type, what each role gets (ROLES in tests/authz/world.py).

A new endpoint or frame type must join it: tests/authz/test_matrix_complete.py fails
for a URL pattern, method or frame type without a row here. Each cell is the answer
as a person of that role gets it in the world of world.py, whose subject is a
members-only room of the initiative.

REST rows: a status code per role. Page rows (not under /api/): the same, signed in by
session. Websocket rows: "ok" (the frame is served: its reply, or no error), an error
code, or "closed 4401" for a handshake that proves nobody.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from memo.weeks import Week
from tests.authz.world import ROLES, World

Cells = dict[str, int | str]


def api(
    anonymous: int,
    member: int,
    non_member: int,
    lead_here: int,
    lead_elsewhere: int,
    moderator: int,
    muted: int,
    banned: int,
    deactivated: int = 401,  # a token of an account switched off proves nobody: 401 everywhere
) -> Cells:
    """The cells of a row, in the order of ROLES."""
    return dict(zip(ROLES, locals().values(), strict=True))


def same(status: int, *, anonymous: int | None = None, deactivated: int = 401) -> Cells:
    """Every signed-in role gets `status`."""
    cells = dict.fromkeys(ROLES, status)
    cells["anonymous"] = status if anonymous is None else anonymous
    cells["deactivated"] = deactivated
    return cells


SIGNED_IN = same(200, anonymous=401)
PUBLIC = same(200)
# Who may read the members-only room: its members and lead, moderators; a mute does not
# keep anyone from reading, a ban does (403 `banned`).
READ_ROOM = api(401, 200, 403, 200, 403, 200, 200, 403)
# Who looks after the initiative and its rooms: its lead and moderators.
LEAD_OR_MODERATOR = api(401, 403, 403, 200, 403, 200, 403, 403)
MODERATOR_ONLY = api(401, 403, 403, 403, 403, 200, 403, 403)
LEAD_OR_MODERATOR_201 = api(401, 403, 403, 201, 403, 201, 403, 403)
LEAD_OR_MODERATOR_204 = api(401, 403, 403, 204, 403, 204, 403, 403)


@dataclass(frozen=True)
class Row:
    name: str  # the URL pattern's name
    method: str
    path: Callable[[World], str]
    cells: Cells
    body: Callable[[World, str], Any] | None = None  # (world, role) -> JSON body


def _new_user(world: World, role: str) -> dict[str, str]:
    name = f"neu{uuid.uuid4().hex[:8]}"
    return {"username": name, "email": f"{name}@example.org", "password": "Sicheres-Passwort-2035"}


def _credentials(world: World, role: str) -> dict[str, str]:
    user = world.user(role)
    name = user.username if user is not None else "niemand"
    return {"username": name, "password": world.password}


def _initiative_body(world: World, role: str) -> dict[str, str]:
    return {
        "title": f"Neue Initiative {uuid.uuid4().hex[:6]}",
        "summary": "Gemeinsam etwas fürs Klima tun.",
        "description": "Wir treffen uns.",
        "category": "energie",
        "district": "mitte",
    }


MANAGES_EVENTS_201 = api(401, 403, 403, 201, 403, 201, 403, 403)


def _later(days: int, hours: int = 0) -> str:
    return (timezone.now() + timedelta(days=days, hours=hours)).isoformat()


def _event_body(world: World, role: str) -> dict[str, Any]:
    return {
        "title": "Aktionstag",
        "start": _later(5),
        "end": _later(5, 3),
        "place": "Marktplatz",
        "initiative": world.initiative.slug,
    }


def _shift_body(world: World, role: str) -> dict[str, Any]:
    return {"title": "Abbau", "start": _later(5, 3), "end": _later(5, 5), "capacity": 4}


def _slug(world: World) -> str:
    return world.initiative.slug


def _member(world: World) -> int:
    return world.users["member"].pk


def _news_body(world: World, role: str) -> dict[str, str]:
    return {"title": "Neu", "teaser": "Kurz", "initiative": world.initiative.slug}


def _tip_body(world: World, role: str) -> dict[str, str]:
    return {"title": "Kalt waschen", "body": "Reicht meist.", "category": "energie"}


def _offer_body(world: World, role: str) -> dict[str, str]:
    return {"kind": "advice", "title": "Beratung", "valid_until": "2099-01-01"}


def _need_body(world: World, role: str) -> dict[str, str]:
    return {
        "initiative": world.initiative.slug,
        "kind": "space",
        "title": "Raum",
        "category": "energie",
    }


REST: list[Row] = [
    Row("healthz", "GET", lambda w: "/healthz", same(200, deactivated=200)),
    Row("readyz", "GET", lambda w: "/readyz", same(200, deactivated=200)),
    Row("api-root", "GET", lambda w: "/api/", PUBLIC),
    Row("schema", "GET", lambda w: "/api/schema/", PUBLIC),
    Row("swagger-ui", "GET", lambda w: "/api/docs/", PUBLIC),
    Row("api-register", "POST", lambda w: "/api/auth/register/", same(201), _new_user),
    Row(
        "api-token",
        "POST",
        lambda w: "/api/auth/token/",
        # No authentication runs here: an account switched off just cannot sign in.
        same(200, anonymous=400, deactivated=400),
        _credentials,
    ),
    Row("api-me", "GET", lambda w: "/api/auth/me/", SIGNED_IN),
    Row(
        "api-me", "PATCH", lambda w: "/api/auth/me/", SIGNED_IN, lambda w, r: {"display_name": "X"}
    ),
    Row("notification-list", "GET", lambda w: "/api/notifications/", SIGNED_IN),
    # Search: anyone; what each finds is theirs to read (tests/search).
    Row("search", "GET", lambda w: "/api/search/?q=Hallo", same(200)),
    Row("notification-read-all", "POST", lambda w: "/api/notifications/read/", SIGNED_IN),
    Row("notification-preferences", "GET", lambda w: "/api/auth/me/notifications/", SIGNED_IN),
    Row(
        "notification-preferences",
        "PATCH",
        lambda w: "/api/auth/me/notifications/",
        SIGNED_IN,
        lambda w, r: {"follow": {"email": True}},
    ),
    Row(
        "notification-read",
        "POST",
        lambda w: f"/api/notifications/{w.notification.pk}/read/",
        # Only its owner sees a notification; for anyone else it does not exist.
        api(401, 200, 404, 404, 404, 404, 404, 404),
    ),
    Row("room-list", "GET", lambda w: "/api/rooms/", SIGNED_IN),
    Row("room-detail", "GET", lambda w: f"/api/rooms/{w.room.pk}/", READ_ROOM),
    Row(
        "room-detail",
        "PATCH",
        lambda w: f"/api/rooms/{w.room.pk}/",
        LEAD_OR_MODERATOR,
        lambda w, r: {"title": "Orga neu"},
    ),
    Row("room-messages", "GET", lambda w: f"/api/rooms/{w.room.pk}/messages/", READ_ROOM),
    Row(
        "room-messages",
        "POST",
        lambda w: f"/api/rooms/{w.room.pk}/messages/",
        api(401, 201, 403, 201, 403, 201, 403, 403),  # muted: 403 `muted`
        lambda w, r: {"body": "Hallo", "client_id": str(uuid.uuid4())},
    ),
    Row(
        "room-thread",
        "GET",
        lambda w: f"/api/rooms/{w.room.pk}/threads/{w.message.pk}/",
        READ_ROOM,
    ),
    Row("room-presence", "GET", lambda w: f"/api/rooms/{w.room.pk}/presence/", READ_ROOM),
    Row("room-mentionable", "GET", lambda w: f"/api/rooms/{w.room.pk}/mentionable/", READ_ROOM),
    Row("initiative-rooms", "GET", lambda w: f"/api/initiatives/{_slug(w)}/rooms/", SIGNED_IN),
    Row(
        "initiative-rooms",
        "POST",
        lambda w: f"/api/initiatives/{_slug(w)}/rooms/",
        api(401, 403, 403, 201, 403, 201, 403, 403),
        lambda w, r: {"title": "Werkstatt"},
    ),
    Row(
        "moderation-reports",
        "POST",
        lambda w: "/api/moderation/reports/",
        # Reporting stays possible while muted; jonas has reported it already (409).
        api(401, 409, 403, 201, 403, 201, 201, 403),
        lambda w, r: {"message": w.message.pk, "reason": "spam"},
    ),
    Row(
        "moderation-queue",
        "GET",
        lambda w: "/api/moderation/queue/",
        api(401, 403, 403, 200, 200, 200, 403, 403),  # leads: their initiatives' part
    ),
    Row(
        "moderation-resolve",
        "POST",
        lambda w: f"/api/moderation/queue/{w.message.pk}/resolve/",
        LEAD_OR_MODERATOR,
        lambda w, r: {"action": "dismiss"},
    ),
    Row(
        "moderation-hide",
        "POST",
        lambda w: f"/api/moderation/messages/{w.message.pk}/hide/",
        LEAD_OR_MODERATOR,
        lambda w, r: {"reason": "Werbung"},
    ),
    Row(
        "moderation-unhide",
        "POST",
        lambda w: f"/api/moderation/messages/{w.message.pk}/unhide/",
        LEAD_OR_MODERATOR,
        lambda w, r: {},
    ),
    # The world's event is lena's own: leads hide others' content, not their own (they
    # cancel it); site moderators hide anything.
    Row(
        "moderation-content-hide",
        "POST",
        lambda w: f"/api/moderation/content/event/{w.event.pk}/hide/",
        MODERATOR_ONLY,
        lambda w, r: {"reason": "Werbung"},
    ),
    Row(
        "moderation-content-unhide",
        "POST",
        lambda w: f"/api/moderation/content/event/{w.event.pk}/unhide/",
        MODERATOR_ONLY,
        lambda w, r: {},
    ),
    # Reporting content: anyone signed in but its author (the lifehack is jonas's).
    Row(
        "moderation-content-report",
        "POST",
        lambda w: f"/api/moderation/content/lifehack/{w.lifehack.pk}/report/",
        api(401, 403, 201, 201, 201, 201, 201, 201),
        lambda w, r: {"reason": "spam"},
    ),
    Row(
        "moderation-content-queue",
        "GET",
        lambda w: "/api/moderation/content/queue/",
        api(401, 403, 403, 200, 200, 200, 403, 403),  # leads: their initiatives' part
    ),
    # The world's news (lena's initiative) has no reports: its reviewers learn that (404).
    Row(
        "moderation-content-resolve",
        "POST",
        lambda w: f"/api/moderation/content/news/{w.news.pk}/resolve/",
        api(401, 403, 403, 404, 403, 404, 403, 403),
        lambda w, r: {"action": "dismiss"},
    ),
    # Organisations: anyone signed in asks to be verified; site moderators decide.
    Row("api-verification-request", "POST", lambda w: "/api/auth/me/verification/", SIGNED_IN),
    Row(
        "moderation-organisations",
        "GET",
        lambda w: "/api/moderation/organisations/",
        MODERATOR_ONLY,
    ),
    Row(
        "moderation-verification",
        "POST",
        lambda w: f"/api/moderation/organisations/{w.offer.author_id}/verification/",
        MODERATOR_ONLY,
        lambda w, r: {"verified": True},
    ),
    Row("moderation-mutes", "GET", lambda w: "/api/moderation/mutes/", SIGNED_IN),
    Row(
        "moderation-mutes",
        "POST",
        lambda w: "/api/moderation/mutes/",
        api(401, 403, 403, 201, 403, 201, 403, 403),
        lambda w, r: {
            "user": w.message.author_id,
            "scope": {"room": w.room.pk},
            "duration": 3600,
            "reason": "Zu laut",
        },
    ),
    Row(
        "moderation-mute",
        "GET",
        lambda w: f"/api/moderation/mutes/{w.mute.pk}/",
        # The muted person, the lead who oversees the room, moderators; nobody else
        # learns that it exists.
        api(401, 404, 404, 200, 404, 200, 200, 404),
    ),
    Row(
        "moderation-mute",
        "DELETE",
        lambda w: f"/api/moderation/mutes/{w.mute.pk}/",
        api(401, 404, 404, 200, 404, 200, 403, 404),
    ),
    Row("moderation-bans", "GET", lambda w: "/api/moderation/bans/", SIGNED_IN),
    Row(
        "moderation-bans",
        "POST",
        lambda w: "/api/moderation/bans/",
        MODERATOR_ONLY | {"moderator": 201},
        lambda w, r: {
            "user": w.message.author_id,
            "scope": {"room": w.room.pk},
            "duration": None,
            "reason": "Spam",
        },
    ),
    Row(
        "moderation-ban",
        "GET",
        lambda w: f"/api/moderation/bans/{w.ban.pk}/",
        api(401, 404, 404, 200, 404, 200, 404, 200),
    ),
    Row(
        "moderation-ban",
        "DELETE",
        lambda w: f"/api/moderation/bans/{w.ban.pk}/",
        api(401, 404, 404, 403, 404, 200, 404, 403),
    ),
    Row(
        "moderation-log",
        "GET",
        lambda w: "/api/moderation/log/",
        api(401, 403, 403, 200, 200, 200, 403, 403),
    ),
    Row("moderation-appeals", "GET", lambda w: "/api/moderation/appeals/", SIGNED_IN),
    Row(
        "moderation-appeals",
        "POST",
        lambda w: "/api/moderation/appeals/",
        # Only the person a decision was taken against appeals it, once (stella has).
        api(401, 403, 403, 403, 403, 403, 409, 403),
        lambda w, r: {"mute": w.mute.pk, "text": "Bitte prüft das noch einmal."},
    ),
    Row(
        "moderation-appeal-decide",
        "POST",
        lambda w: f"/api/moderation/appeals/{w.appeal.pk}/decide/",
        MODERATOR_ONLY,
        lambda w, r: {"decision": "uphold", "reason": "Bleibt."},
    ),
    Row("initiative-list", "GET", lambda w: "/api/initiatives/", PUBLIC),
    Row(
        "initiative-list",
        "POST",
        lambda w: "/api/initiatives/",
        same(201, anonymous=401),
        _initiative_body,
    ),
    Row("initiative-detail", "GET", lambda w: f"/api/initiatives/{_slug(w)}/", PUBLIC),
    Row(
        "initiative-detail",
        "PUT",
        lambda w: f"/api/initiatives/{_slug(w)}/",
        LEAD_OR_MODERATOR,
        _initiative_body,
    ),
    Row(
        "initiative-detail",
        "PATCH",
        lambda w: f"/api/initiatives/{_slug(w)}/",
        LEAD_OR_MODERATOR,
        lambda w, r: {"summary": "Neu gefasst."},
    ),
    Row(
        "initiative-detail",
        "DELETE",
        lambda w: f"/api/initiatives/{_slug(w)}/",
        LEAD_OR_MODERATOR | {"lead_here": 204, "moderator": 204},
    ),
    Row("initiative-join", "POST", lambda w: f"/api/initiatives/{_slug(w)}/join/", SIGNED_IN),
    # Following: anyone signed in, member or not (a ban from the rooms does not stop it).
    Row("initiative-follow", "GET", lambda w: f"/api/initiatives/{_slug(w)}/follow/", SIGNED_IN),
    Row("initiative-follow", "POST", lambda w: f"/api/initiatives/{_slug(w)}/follow/", SIGNED_IN),
    Row("initiative-follow", "DELETE", lambda w: f"/api/initiatives/{_slug(w)}/follow/", SIGNED_IN),
    Row(
        "initiative-leave",
        "POST",
        lambda w: f"/api/initiatives/{_slug(w)}/leave/",
        # The last lead cannot leave (409); who is no member has nothing to leave (404).
        api(401, 204, 404, 409, 404, 404, 204, 204),
    ),
    Row("initiative-members", "GET", lambda w: f"/api/initiatives/{_slug(w)}/members/", PUBLIC),
    Row(
        "initiative-member",
        "GET",
        lambda w: f"/api/initiatives/{_slug(w)}/members/{_member(w)}/",
        PUBLIC,
    ),
    Row(
        "initiative-member",
        "PATCH",
        lambda w: f"/api/initiatives/{_slug(w)}/members/{_member(w)}/",
        LEAD_OR_MODERATOR,
        lambda w, r: {"role": "lead"},
    ),
    Row(
        "initiative-member",
        "DELETE",
        lambda w: f"/api/initiatives/{_slug(w)}/members/{_member(w)}/",
        api(401, 204, 403, 204, 403, 204, 403, 403),  # jonas may remove himself: leaving
    ),
    # Events and shifts: anyone reads; the initiative's lead and moderators create and
    # cancel; any signed-in person takes and gives up a seat (a room ban is no event ban);
    # who comes is for the lead and moderators.
    Row("event-list", "GET", lambda w: "/api/events/", PUBLIC),
    Row("event-list", "POST", lambda w: "/api/events/", MANAGES_EVENTS_201, _event_body),
    Row("event-detail", "GET", lambda w: f"/api/events/{w.event.pk}/", PUBLIC),
    Row(
        "event-detail",
        "DELETE",
        lambda w: f"/api/events/{w.event.pk}/",
        api(401, 403, 403, 204, 403, 204, 403, 403),
    ),
    Row("event-rsvp", "GET", lambda w: f"/api/events/{w.event.pk}/rsvp/", SIGNED_IN),
    Row("event-rsvp", "POST", lambda w: f"/api/events/{w.event.pk}/rsvp/", SIGNED_IN),
    Row("event-rsvp", "DELETE", lambda w: f"/api/events/{w.event.pk}/rsvp/", SIGNED_IN),
    Row("initiative-shifts", "GET", lambda w: f"/api/initiatives/{_slug(w)}/shifts/", PUBLIC),
    Row(
        "initiative-shifts",
        "POST",
        lambda w: f"/api/initiatives/{_slug(w)}/shifts/",
        MANAGES_EVENTS_201,
        _shift_body,
    ),
    Row("shift-signup", "GET", lambda w: f"/api/shifts/{w.shift.pk}/signup/", SIGNED_IN),
    Row("shift-signup", "POST", lambda w: f"/api/shifts/{w.shift.pk}/signup/", SIGNED_IN),
    Row("shift-signup", "DELETE", lambda w: f"/api/shifts/{w.shift.pk}/signup/", SIGNED_IN),
    Row(
        "shift-attendance",
        "GET",
        lambda w: f"/api/shifts/{w.shift.pk}/attendance/",
        LEAD_OR_MODERATOR,
    ),
    Row(
        "shift-attendance",
        "POST",
        lambda w: f"/api/shifts/{w.shift.pk}/attendance/",
        LEAD_OR_MODERATOR,
        lambda w, r: {"user": _member(w), "attended": True},
    ),
    # Community contributions (community/permissions.py). The world's news and need are
    # lena's, the lifehack jonas's, the offer a verified organisation's (no role here).
    Row("news-list", "GET", lambda w: "/api/news/", PUBLIC),
    Row("news-list", "POST", lambda w: "/api/news/", LEAD_OR_MODERATOR_201, _news_body),
    Row("news-detail", "GET", lambda w: f"/api/news/{w.news.pk}/", PUBLIC),
    Row("news-detail", "DELETE", lambda w: f"/api/news/{w.news.pk}/", LEAD_OR_MODERATOR_204),
    # A picture is multipart: who may change it gets past the rules to 415 for JSON.
    Row(
        "news-image",
        "POST",
        lambda w: f"/api/news/{w.news.pk}/image/",
        api(401, 403, 403, 415, 403, 415, 403, 403),
        lambda w, r: {},
    ),
    Row("news-image", "DELETE", lambda w: f"/api/news/{w.news.pk}/image/", LEAD_OR_MODERATOR),
    Row("lifehack-list", "GET", lambda w: "/api/lifehacks/", PUBLIC),
    Row("lifehack-list", "POST", lambda w: "/api/lifehacks/", same(201, anonymous=401), _tip_body),
    Row("lifehack-detail", "GET", lambda w: f"/api/lifehacks/{w.lifehack.pk}/", PUBLIC),
    Row(
        "lifehack-detail",
        "DELETE",
        lambda w: f"/api/lifehacks/{w.lifehack.pk}/",
        api(401, 204, 403, 403, 403, 204, 403, 403),  # its author, the site moderators
    ),
    Row("lifehack-adopt", "POST", lambda w: f"/api/lifehacks/{w.lifehack.pk}/adopt/", SIGNED_IN),
    Row("lifehack-adopt", "DELETE", lambda w: f"/api/lifehacks/{w.lifehack.pk}/adopt/", SIGNED_IN),
    Row("offer-list", "GET", lambda w: "/api/offers/", PUBLIC),
    # Only verified organisations publish offers: none of the roles is one.
    Row("offer-list", "POST", lambda w: "/api/offers/", same(403, anonymous=401), _offer_body),
    Row("offer-detail", "GET", lambda w: f"/api/offers/{w.offer.pk}/", PUBLIC),
    Row(
        "offer-detail",
        "DELETE",
        lambda w: f"/api/offers/{w.offer.pk}/",
        api(401, 403, 403, 403, 403, 204, 403, 403),
    ),
    Row("need-list", "GET", lambda w: "/api/needs/", PUBLIC),
    Row("need-list", "POST", lambda w: "/api/needs/", LEAD_OR_MODERATOR_201, _need_body),
    Row("need-detail", "GET", lambda w: f"/api/needs/{w.need.pk}/", PUBLIC),
    Row(
        "need-detail",
        "PATCH",
        lambda w: f"/api/needs/{w.need.pk}/",
        LEAD_OR_MODERATOR,
        lambda w, r: {"met": True},
    ),
    Row("need-detail", "DELETE", lambda w: f"/api/needs/{w.need.pk}/", LEAD_OR_MODERATOR_204),
    Row("category-list", "GET", lambda w: "/api/categories/", PUBLIC),
    Row("category-detail", "GET", lambda w: "/api/categories/energie/", PUBLIC),
    Row("district-list", "GET", lambda w: "/api/districts/", PUBLIC),
    Row("district-detail", "GET", lambda w: "/api/districts/mitte/", PUBLIC),
]

# The web pages, signed in by session. An account switched off is nobody there: the
# pages behind a sign-in send it (like anonymous people) to the login page, 302.
SIGNED_IN_REDIRECTED = same(302, anonymous=200, deactivated=200)


def page(
    anonymous: int,
    member: int,
    non_member: int,
    lead_here: int,
    lead_elsewhere: int,
    moderator: int,
    muted: int,
    banned: int,
) -> Cells:
    """A page behind a sign-in: `api` with the deactivated account sent to sign in."""
    return api(
        anonymous,
        member,
        non_member,
        lead_here,
        lead_elsewhere,
        moderator,
        muted,
        banned,
        deactivated=302,
    )


def _empty(world: World, role: str) -> dict[str, str]:
    return {}


PUBLIC_PAGE = same(200, deactivated=200)
OWN_PAGE = same(200, anonymous=302, deactivated=302)
REDIRECTED = same(302, deactivated=302)
LEAD_PAGE = page(302, 403, 403, 200, 403, 200, 403, 403)
ROOM_PAGE = page(302, 200, 403, 200, 403, 200, 200, 403)
FORM_OF_LEADS = page(302, 403, 403, 400, 403, 400, 403, 403)
NOBODY_PAGE = page(302, 403, 403, 403, 403, 403, 403, 403)
NOT_FOUND_PAGE = same(404, deactivated=404)
# stella's mute: hers to appeal (she has; the page shows it), nobody else's to see.
APPEAL_PAGE = page(302, 404, 404, 404, 404, 404, 200, 404)
PAGES: list[Row] = [
    Row("home", "GET", lambda w: "/", same(200, deactivated=200)),
    Row("login", "GET", lambda w: "/login/", SIGNED_IN_REDIRECTED),
    Row("login", "POST", lambda w: "/login/", SIGNED_IN_REDIRECTED, lambda w, r: {}),
    # Django's login view takes PUT as POST (its form view's `put`).
    Row("login", "PUT", lambda w: "/login/", SIGNED_IN_REDIRECTED, lambda w, r: {}),
    Row("logout", "GET", lambda w: "/logout/", same(200, deactivated=200)),
    Row("logout", "POST", lambda w: "/logout/", same(302, deactivated=302)),
    Row("register", "GET", lambda w: "/register/", same(200, deactivated=200)),
    Row("register", "POST", lambda w: "/register/", same(200, deactivated=200), lambda w, r: {}),
    Row(
        "set_language",
        "POST",
        lambda w: "/i18n/setlang/",
        same(302, deactivated=302),
        lambda w, r: {"language": "en"},
    ),
    Row("javascript-catalog", "GET", lambda w: "/jsi18n/", same(200, deactivated=200)),
    Row("english-path", "GET", lambda w: "/initiatives/", same(301, deactivated=301)),
    # Registering and passwords: public; a link with a wrong token is a page that says so.
    Row("email-confirm", "GET", lambda w: "/register/bestaetigen/MQ/x-y/", PUBLIC_PAGE),
    Row("password_reset", "GET", lambda w: "/passwort-vergessen/", PUBLIC_PAGE),
    Row("password_reset", "POST", lambda w: "/passwort-vergessen/", PUBLIC_PAGE, _empty),
    Row("password_reset", "PUT", lambda w: "/passwort-vergessen/", PUBLIC_PAGE, _empty),
    Row("password_reset_done", "GET", lambda w: "/passwort-vergessen/gesendet/", PUBLIC_PAGE),
    Row("password_reset_confirm", "GET", lambda w: "/passwort-neu/MQ/x-y/", PUBLIC_PAGE),
    Row("password_reset_confirm", "POST", lambda w: "/passwort-neu/MQ/x-y/", PUBLIC_PAGE, _empty),
    Row("password_reset_confirm", "PUT", lambda w: "/passwort-neu/MQ/x-y/", PUBLIC_PAGE, _empty),
    Row("password_reset_complete", "GET", lambda w: "/passwort-neu/fertig/", PUBLIC_PAGE),
    # One's own account: signed in (a form with errors answers 200).
    Row("profile", "GET", lambda w: "/profil/", OWN_PAGE),
    Row("profile", "POST", lambda w: "/profil/", OWN_PAGE, _empty),
    Row("email-confirm-resend", "POST", lambda w: "/profil/bestaetigung/", REDIRECTED),
    Row("password_change", "GET", lambda w: "/profil/passwort/", OWN_PAGE),
    Row("password_change", "POST", lambda w: "/profil/passwort/", OWN_PAGE, _empty),
    Row("password_change", "PUT", lambda w: "/profil/passwort/", OWN_PAGE, _empty),
    Row("notifications", "GET", lambda w: "/benachrichtigungen/", OWN_PAGE),
    # Someone else's notification is "not found": a message on the list, no change.
    Row(
        "notification-open",
        "POST",
        lambda w: f"/benachrichtigungen/{w.notification.pk}/",
        REDIRECTED,
    ),
    Row("notifications-read", "POST", lambda w: "/benachrichtigungen/gelesen/", REDIRECTED),
    # Initiatives: public pages; forms that refuse come back with the reason as a message.
    Row("initiative-list", "GET", lambda w: "/initiativen/", PUBLIC_PAGE),
    Row("initiative-detail", "GET", lambda w: f"/initiativen/{_slug(w)}/", PUBLIC_PAGE),
    Row("initiative-create", "GET", lambda w: "/initiativen/neu/", OWN_PAGE),
    Row("initiative-create", "POST", lambda w: "/initiativen/neu/", OWN_PAGE, _empty),
    Row("initiative-edit", "GET", lambda w: f"/initiativen/{_slug(w)}/bearbeiten/", LEAD_PAGE),
    Row(
        "initiative-edit",
        "POST",
        lambda w: f"/initiativen/{_slug(w)}/bearbeiten/",
        LEAD_PAGE,
        _empty,
    ),
    Row("initiative-join", "POST", lambda w: f"/initiativen/{_slug(w)}/mitmachen/", REDIRECTED),
    Row("initiative-follow", "POST", lambda w: f"/initiativen/{_slug(w)}/folgen/", REDIRECTED),
    Row("initiative-leave", "POST", lambda w: f"/initiativen/{_slug(w)}/verlassen/", REDIRECTED),
    Row(
        "room-create",
        "POST",
        lambda w: f"/initiativen/{_slug(w)}/raeume/",
        REDIRECTED,
        lambda w, r: {"title": "Neu"},
    ),
    Row(
        "member-role",
        "POST",
        lambda w: f"/initiativen/{_slug(w)}/mitglieder/{_member(w)}/",
        REDIRECTED,
        lambda w, r: {"role": "lead"},
    ),
    # Events and shifts: public pages and feeds; seats by form post (a refusal comes
    # back as a message); a personal feed only at its secret address.
    Row("event-calendar", "GET", lambda w: "/veranstaltungen/", PUBLIC_PAGE),
    Row("event-page", "GET", lambda w: f"/veranstaltungen/{w.event.pk}/", PUBLIC_PAGE),
    Row("event-rsvp-page", "POST", lambda w: f"/veranstaltungen/{w.event.pk}/zusage/", REDIRECTED),
    Row("shift-signup-page", "POST", lambda w: f"/schichten/{w.shift.pk}/anmeldung/", REDIRECTED),
    Row("my-events", "GET", lambda w: "/meine-termine/", OWN_PAGE),
    Row("feed-renew", "POST", lambda w: "/meine-termine/kalender/", REDIRECTED),
    Row("feed-events", "GET", lambda w: "/feeds/events.ics", PUBLIC_PAGE),
    Row(
        "feed-initiative",
        "GET",
        lambda w: f"/feeds/initiatives/{_slug(w)}/events.ics",
        PUBLIC_PAGE,
    ),
    Row("feed-personal", "GET", lambda w: "/feeds/meine/geraten.ics", same(404, deactivated=404)),
    # Community pages (frontend/views/community.py): lists, pages and feeds for all; the
    # forms for whoever may post there (an empty form is a 400 with its errors).
    Row("news-list-page", "GET", lambda w: "/neuigkeiten/", PUBLIC_PAGE),
    Row("news-page", "GET", lambda w: f"/neuigkeiten/{w.news.pk}/", PUBLIC_PAGE),
    Row("news-create", "GET", lambda w: f"/neuigkeiten/neu/?initiative={_slug(w)}", LEAD_PAGE),
    Row(
        "news-create",
        "POST",
        lambda w: f"/neuigkeiten/neu/?initiative={_slug(w)}",
        FORM_OF_LEADS,
        _empty,
    ),
    Row("feed-news", "GET", lambda w: "/feeds/news.atom", PUBLIC_PAGE),
    Row(
        "feed-initiative-news",
        "GET",
        lambda w: f"/feeds/initiatives/{_slug(w)}/news.atom",
        PUBLIC_PAGE,
    ),
    Row("lifehack-list-page", "GET", lambda w: "/lifehacks/", PUBLIC_PAGE),
    Row("lifehack-page", "GET", lambda w: f"/lifehacks/{w.lifehack.pk}/", PUBLIC_PAGE),
    Row(
        "lifehack-create",
        "POST",
        lambda w: "/lifehacks/neu/",
        same(400, anonymous=302, deactivated=302),
        _empty,
    ),
    Row(
        "lifehack-adopt-page",
        "POST",
        lambda w: f"/lifehacks/{w.lifehack.pk}/mach-ich-auch/",
        REDIRECTED,
        _empty,
    ),
    Row("offer-list-page", "GET", lambda w: "/angebote/", PUBLIC_PAGE),
    Row("offer-page", "GET", lambda w: f"/angebote/{w.offer.pk}/", PUBLIC_PAGE),
    # Only verified organisations: none of the roles is one.
    Row("offer-create", "GET", lambda w: "/angebote/neu/", NOBODY_PAGE),
    Row("offer-create", "POST", lambda w: "/angebote/neu/", NOBODY_PAGE, _empty),
    Row("need-list-page", "GET", lambda w: "/gesucht/", PUBLIC_PAGE),
    Row("need-page", "GET", lambda w: f"/gesucht/{w.need.pk}/", PUBLIC_PAGE),
    Row("need-create", "GET", lambda w: f"/gesucht/neu/?initiative={_slug(w)}", LEAD_PAGE),
    Row(
        "need-create",
        "POST",
        lambda w: f"/gesucht/neu/?initiative={_slug(w)}",
        FORM_OF_LEADS,
        _empty,
    ),
    Row("need-mark", "POST", lambda w: f"/gesucht/{w.need.pk}/erledigt/", REDIRECTED, _empty),
    Row("verification-request", "POST", lambda w: "/profil/organisation/", REDIRECTED, _empty),
    Row(
        "moderation-organisations-page",
        "GET",
        lambda w: "/moderation/organisationen/",
        page(302, 403, 403, 403, 403, 200, 403, 403),
    ),
    Row(
        "moderation-organisations-page",
        "POST",
        lambda w: "/moderation/organisationen/",
        page(302, 403, 403, 403, 403, 302, 403, 403),
        lambda w, r: {"user": str(w.offer.author_id), "verified": "true"},
    ),
    # The Mach-Mit-Memo: public pages and feed; (un)subscribing by a signed token only
    # (a token that proves nobody: 404, whoever asks).
    Row("memo-archive", "GET", lambda w: "/memo/", PUBLIC_PAGE),
    Row("memo-issue", "GET", lambda w: f"/memo/{Week.current().label}/", PUBLIC_PAGE),
    Row("feed-memo", "GET", lambda w: "/feeds/memo.atom", PUBLIC_PAGE),
    Row("memo-unsubscribe", "GET", lambda w: "/memo/abbestellen/falsch/", NOT_FOUND_PAGE),
    Row("memo-unsubscribe", "POST", lambda w: "/memo/abbestellen/falsch/", NOT_FOUND_PAGE, _empty),
    Row(
        "memo-resubscribe",
        "POST",
        lambda w: "/memo/abbestellen/falsch/wieder/",
        NOT_FOUND_PAGE,
        _empty,
    ),
    # Moderation: the console for moderators and leads (any initiative: each sees their
    # part), the guide for everyone, an appeal page for the person the decision concerns.
    Row(
        "moderation-console",
        "GET",
        lambda w: "/moderation/",
        page(302, 403, 403, 200, 200, 200, 403, 403),
    ),
    Row("moderation-guide", "GET", lambda w: "/moderation/leitfaden/", PUBLIC_PAGE),
    # Where a mention links: for people signed in, as the rooms are.
    Row("search-page", "GET", lambda w: "/suche/?q=Hallo", PUBLIC_PAGE),
    # A mail's stop link: the signed token is the proof (a wrong one: 404 for anyone).
    Row(
        "notification-mails-stop",
        "GET",
        lambda w: "/benachrichtigungen/abbestellen/falsch/",
        NOT_FOUND_PAGE,
    ),
    Row(
        "notification-mails-stop",
        "POST",
        lambda w: "/benachrichtigungen/abbestellen/falsch/",
        NOT_FOUND_PAGE,
        _empty,
    ),
    Row(
        "notification-settings", "POST", lambda w: "/profil/benachrichtigungen/", REDIRECTED, _empty
    ),
    Row("person", "GET", lambda w: f"/personen/{w.lifehack.author.username}/", OWN_PAGE),
    Row("media", "GET", lambda w: "/media/news/keines.jpg", NOT_FOUND_PAGE),
    Row(
        "moderation-content-page",
        "GET",
        lambda w: "/moderation/beitraege/",
        page(302, 403, 403, 200, 200, 200, 403, 403),
    ),
    Row(
        "moderation-content-page",
        "POST",
        lambda w: "/moderation/beitraege/",
        page(302, 403, 403, 302, 302, 302, 403, 403),
        lambda w, r: {"kind": "news", "id": str(w.news.pk), "action": "dismiss"},
    ),
    Row("report-content", "GET", lambda w: f"/melden/news/{w.news.pk}/", OWN_PAGE),
    # An empty form: the reason is missing, beside the field.
    Row("report-content", "POST", lambda w: f"/melden/news/{w.news.pk}/", OWN_PAGE, _empty),
    Row("appeal", "GET", lambda w: f"/einspruch/{w.appeal.action_id}/", APPEAL_PAGE),
    Row("appeal", "POST", lambda w: f"/einspruch/{w.appeal.action_id}/", APPEAL_PAGE, _empty),
    # The members-only room: who may read it sees the page; the others get the 403 page.
    Row("room", "GET", lambda w: f"/raeume/{w.room.pk}/", ROOM_PAGE),
    Row(
        "room-settings",
        "POST",
        lambda w: f"/raeume/{w.room.pk}/einstellungen/",
        page(302, 302, 403, 302, 403, 302, 302, 403),
        lambda w, r: {"slow_mode_seconds": "30"},
    ),
]

# What is not in the matrix, and why.
NOT_IN_MATRIX = {
    "admin": "Django's admin: staff accounts only, with Django's own permissions",
}

# --- websocket frames ----------------------------------------------------------------


def _ws(
    member: str,
    non_member: str,
    lead_here: str,
    lead_elsewhere: str,
    moderator: str,
    muted: str,
    banned: str,
) -> Cells:
    """A frame's cells for the roles that get a socket; the others are closed with 4401."""
    cells: Cells = dict(locals())
    cells["anonymous"] = cells["deactivated"] = "closed 4401"
    return cells


@dataclass(frozen=True)
class FrameRow:
    type: str
    frame: Callable[[World], dict[str, Any]]
    cells: Cells


# Tried in this order on one connection per role: a subscribe first (which the rows
# after it rely on), the delete last before leaving.
WEBSOCKET: list[FrameRow] = [
    FrameRow(
        "subscribe",
        lambda w: {"type": "subscribe", "room": w.room.pk},
        _ws("ok", "forbidden", "ok", "forbidden", "ok", "ok", "banned"),
    ),
    FrameRow(
        "typing",
        lambda w: {"type": "typing", "room": w.room.pk},
        # Only in a room one has subscribed to; a muted person's is dropped, no error.
        _ws("ok", "invalid", "ok", "invalid", "ok", "ok", "invalid"),
    ),
    FrameRow(
        "presence",
        lambda w: {"type": "presence", "status": "idle"},
        _ws("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    ),
    FrameRow(
        "read",
        lambda w: {"type": "read", "room": w.room.pk, "seq": 1},
        _ws("ok", "forbidden", "ok", "forbidden", "ok", "ok", "banned"),
    ),
    FrameRow(
        "ping",
        lambda w: {"type": "ping"},
        _ws("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    ),
    FrameRow(
        "send",
        lambda w: {
            "type": "send",
            "room": w.room.pk,
            "body": "Hallo",
            "client_id": str(uuid.uuid4()),
        },
        _ws("ok", "forbidden", "ok", "forbidden", "ok", "muted", "banned"),
    ),
    FrameRow(
        "react",
        lambda w: {"type": "react", "room": w.room.pk, "message": w.message.pk, "emoji": "👍"},
        _ws("ok", "forbidden", "ok", "forbidden", "ok", "muted", "banned"),
    ),
    FrameRow(
        "unreact",
        lambda w: {"type": "unreact", "room": w.room.pk, "message": w.message.pk, "emoji": "👍"},
        _ws("ok", "forbidden", "ok", "forbidden", "ok", "ok", "banned"),
    ),
    FrameRow(
        "edit",
        lambda w: {"type": "edit", "room": w.room.pk, "message": w.message.pk, "body": "Neu"},
        # Only its author edits (toni, who has no role here).
        _ws("forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "forbidden", "banned"),
    ),
    FrameRow(
        "delete",
        lambda w: {"type": "delete", "room": w.room.pk, "message": w.message.pk},
        # Its author or a site moderator.
        _ws("forbidden", "forbidden", "forbidden", "forbidden", "ok", "forbidden", "banned"),
    ),
    FrameRow(
        "unsubscribe",
        lambda w: {"type": "unsubscribe", "room": w.room.pk},
        _ws("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    ),
    # The seat counters are on the initiative's public page: anyone with a socket.
    FrameRow(
        "watch",
        lambda w: {"type": "watch", "initiative": w.room.initiative_id},
        _ws("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    ),
    FrameRow(
        "unwatch",
        lambda w: {"type": "unwatch", "initiative": w.room.initiative_id},
        _ws("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    ),
]
