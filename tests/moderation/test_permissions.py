"""Who may do what in moderation: one test per action, parametrised over every role.

Roles (tests/moderation/conftest.py): anonymous, a member of the initiative, a signed-in
non-member, the initiative's lead, the lead of another initiative, a site moderator, a
member muted in the room, a member banned from the room. The action targets `author`'s
message or `author` in the initiative's room "Allgemein".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.response import Response
from rest_framework.test import APIClient

from moderation import services
from moderation.models import ModerationAction
from rooms.models import Message, Room
from tests.factories import ApiAs, BanFactory, MuteFactory, ReportFactory
from tests.moderation.conftest import ROLES, post

pytestmark = pytest.mark.django_db


@dataclass
class World:
    room: Room
    author: User
    message: Message
    lead: User
    moderator: User


Act = Callable[[APIClient, World], Response]


def _report(api: APIClient, w: World) -> Response:
    return api.post(
        "/api/moderation/reports/", {"message": w.message.pk, "reason": "spam"}, format="json"
    )


def _hide(api: APIClient, w: World) -> Response:
    return api.post(
        f"/api/moderation/messages/{w.message.pk}/hide/", {"reason": "Beleidigend"}, format="json"
    )


def _unhide(api: APIClient, w: World) -> Response:
    Message.objects.filter(pk=w.message.pk).update(
        hidden_at=w.message.created_at, hidden_reason="automatisch"
    )
    return api.post(f"/api/moderation/messages/{w.message.pk}/unhide/", {}, format="json")


def _restrict(kind: str) -> Act:
    def act(api: APIClient, w: World) -> Response:
        body = {"user": w.author.pk, "scope": {"room": w.room.pk}, "duration": 600, "reason": "x"}
        return api.post(f"/api/moderation/{kind}/", body, format="json")

    return act


def _unmute(api: APIClient, w: World) -> Response:
    item = MuteFactory(user=w.author, room=w.room, created_by=w.lead)
    return api.delete(f"/api/moderation/mutes/{item.pk}/")


def _unban(api: APIClient, w: World) -> Response:
    item = BanFactory(user=w.author, room=w.room, created_by=w.moderator)
    return api.delete(f"/api/moderation/bans/{item.pk}/")


def _queue(api: APIClient, w: World) -> Response:
    ReportFactory(message=w.message, reporter=w.lead)
    return api.get("/api/moderation/queue/")


def _resolve(action: str) -> Act:
    def act(api: APIClient, w: World) -> Response:
        ReportFactory(message=w.message, reporter=w.moderator)
        return api.post(
            f"/api/moderation/queue/{w.message.pk}/resolve/", {"action": action}, format="json"
        )

    return act


def _log(api: APIClient, w: World) -> Response:
    services.message_hide(actor=w.moderator, message_id=w.message.pk, reason="Spam")
    return api.get("/api/moderation/log/")


def _decide(api: APIClient, w: World) -> Response:
    services.message_hide(actor=w.moderator, message_id=w.message.pk, reason="Spam")
    appeal = services.appeal_create(user=w.author, message_id=w.message.pk, text="Bitte prüfen")
    return api.post(
        f"/api/moderation/appeals/{appeal.pk}/decide/", {"decision": "uphold"}, format="json"
    )


def _slow_mode(api: APIClient, w: World) -> Response:
    return api.patch(f"/api/rooms/{w.room.pk}/", {"slow_mode_seconds": 30}, format="json")


# Expected outcomes: a status, or B: 403 with the code `banned` (a room ban keeps its
# person out of the room before any other rule is asked). N: 404, for a mute or ban of
# someone else that one may not even see (only the lead overseeing the room may).
A, F, B, N = 401, 403, 4030, 404

# role -> expected outcome, in the order of ROLES
EXPECTED: dict[str, tuple[Act, dict[str, int]]] = {
    # Reporting stays possible while muted (PROTOCOL.md); a ban keeps one out of the room.
    "report": (_report, dict(zip(ROLES, [A, 201, 201, 201, 201, 201, 201, B], strict=True))),
    "hide": (_hide, dict(zip(ROLES, [A, F, F, 200, F, 200, F, B], strict=True))),
    "unhide": (_unhide, dict(zip(ROLES, [A, F, F, 200, F, 200, F, B], strict=True))),
    "mute": (_restrict("mutes"), dict(zip(ROLES, [A, F, F, 201, F, 201, F, F], strict=True))),
    "unmute": (_unmute, dict(zip(ROLES, [A, N, N, 200, N, 200, N, N], strict=True))),
    "ban": (_restrict("bans"), dict(zip(ROLES, [A, F, F, F, F, 201, F, F], strict=True))),
    "unban": (_unban, dict(zip(ROLES, [A, N, N, F, N, 200, N, N], strict=True))),
    "queue": (_queue, dict(zip(ROLES, [A, F, F, 200, 200, 200, F, F], strict=True))),
    "resolve_hide": (
        _resolve("hide"),
        dict(zip(ROLES, [A, F, F, 200, F, 200, F, B], strict=True)),
    ),
    "resolve_dismiss": (
        _resolve("dismiss"),
        dict(zip(ROLES, [A, F, F, 200, F, 200, F, B], strict=True)),
    ),
    "resolve_escalate": (
        _resolve("escalate"),
        dict(zip(ROLES, [A, F, F, 200, F, 200, F, B], strict=True)),
    ),
    "log": (_log, dict(zip(ROLES, [A, F, F, 200, 200, 200, F, F], strict=True))),
    "decide_appeal": (_decide, dict(zip(ROLES, [A, F, F, F, F, 200, F, F], strict=True))),
    "slow_mode": (_slow_mode, dict(zip(ROLES, [A, F, F, 200, F, 200, F, B], strict=True))),
}

CASES = [(action, role) for action in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a}-{r}" for a, r in CASES])
def test_who_may_moderate(
    action: str,
    role: str,
    actor_for: Callable[[str], User | None],
    api_as: ApiAs,
    room: Room,
    author: User,
    lead: User,
    site_moderator: User,
) -> None:
    world = World(
        room=room,
        author=author,
        message=post(author, room, "Kauft billige Uhren!"),
        lead=lead,
        moderator=site_moderator,
    )
    act, expected = EXPECTED[action]
    actor = actor_for(role)
    before = ModerationAction.objects.count()

    response = act(api_as(actor), world)

    status = 403 if expected[role] == B else expected[role]
    assert response.status_code == status, (response.status_code, response.content)
    body: Any = response.json()
    if status >= 400:
        assert body["detail"]
        assert body["code"] == {B: "banned", F: "forbidden"}.get(expected[role], body["code"])
    if status >= 400 and action not in {"queue", "log", "report"}:
        # A refused action changes nothing: no log entry beyond what the setup wrote.
        assert ModerationAction.objects.count() == before + int(action == "decide_appeal")


def test_leads_see_only_their_initiatives_part_of_the_queue_and_log(
    api_as: ApiAs,
    room: Room,
    author: User,
    lead: User,
    other_lead: User,
    other_initiative: Any,
    site_moderator: User,
) -> None:
    message = post(author, room)
    services.report_create(user=lead, message_id=message.pk, reason="spam")
    services.message_hide(actor=site_moderator, message_id=message.pk, reason="Spam")
    services.report_create(user=site_moderator, message_id=post(author, room).pk, reason="other")

    for user, visible in ((lead, 1), (site_moderator, 1), (other_lead, 0)):
        queue = api_as(user).get("/api/moderation/queue/").json()
        log = api_as(user).get("/api/moderation/log/").json()
        assert queue["count"] == visible, user
        assert (log["count"] > 0) == bool(visible), user


def test_a_lead_cannot_act_on_a_site_moderator(
    api_as: ApiAs, room: Room, lead: User, site_moderator: User
) -> None:
    message = post(site_moderator, room, "Bitte bleibt freundlich.")
    client = api_as(lead)

    hide = client.post(
        f"/api/moderation/messages/{message.pk}/hide/", {"reason": "x"}, format="json"
    )
    muting = client.post(
        "/api/moderation/mutes/",
        {"user": site_moderator.pk, "scope": {"room": room.pk}, "duration": 60, "reason": "x"},
        format="json",
    )

    assert (hide.status_code, muting.status_code) == (403, 403)


def test_a_lead_cannot_undo_what_a_site_moderator_did(
    api_as: ApiAs, room: Room, author: User, lead: User, site_moderator: User
) -> None:
    message = post(author, room)
    services.message_hide(actor=site_moderator, message_id=message.pk, reason="Spam")
    by_moderator = MuteFactory(user=author, room=room, created_by=site_moderator)

    unhide = api_as(lead).post(f"/api/moderation/messages/{message.pk}/unhide/", {})
    unmute = api_as(lead).delete(f"/api/moderation/mutes/{by_moderator.pk}/")

    assert (unhide.status_code, unmute.status_code) == (403, 403)


def test_a_lead_mutes_in_the_initiative_but_not_globally_or_elsewhere(
    api_as: ApiAs, room: Room, author: User, lead: User, other_initiative: Any
) -> None:
    def mute_in(scope: Any) -> int:
        body = {"user": author.pk, "scope": scope, "duration": None, "reason": "Ton"}
        return api_as(lead).post("/api/moderation/mutes/", body, format="json").status_code

    assert mute_in({"initiative": room.initiative_id}) == 201
    assert mute_in("global") == 403
    assert mute_in({"initiative": other_initiative.pk}) == 403
    assert mute_in({"room": other_initiative.rooms.get().pk}) == 403


def test_a_lead_may_not_hide_in_a_city_wide_room(
    api_as: ApiAs, city_room: Room, author: User, lead: User
) -> None:
    message = post(author, city_room)

    response = api_as(lead).post(
        f"/api/moderation/messages/{message.pk}/hide/", {"reason": "x"}, format="json"
    )

    assert response.status_code == 403
