"""The community REST API: who may post news, lifehacks, offers and needs, clear errors
for bad input, filters, "mach ich auch" once per person, expired offers and met needs
leaving the lists, needs and offers matched by kind or category and nearby district,
hidden content gone for everyone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from community import services
from community.models import Adoption, Offer
from initiatives.models import Category, District
from tests.community.conftest import People
from tests.factories import ApiAs
from tests.ws import committing

pytestmark = pytest.mark.django_db


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _post(api_as: ApiAs, user: Any, path: str, body: dict[str, Any]) -> Any:
    return api_as(user).post(path, body, format="json")


def test_news_by_leads_for_their_initiative_and_by_moderators_city_wide(
    api_as: ApiAs, people: People
) -> None:
    mine = {"title": "Wir haben gerettet", "teaser": "200 kg Gemüse", "body": "**Danke**"}
    slug = people.initiative.slug
    created = _post(api_as, people.lena, "/api/news/", {**mine, "initiative": slug})
    assert created.status_code == 201
    assert created.json()["body_html"] == "<p><strong>Danke</strong></p>"
    assert created.json()["initiative"] == {"slug": slug, "title": "Foodsharing Mitte"}
    for user, body, code in [
        (None, {**mine, "initiative": slug}, 401),
        (people.jonas, {**mine, "initiative": slug}, 403),
        (people.other_lead, {**mine, "initiative": slug}, 403),
        (people.lena, mine, 403),  # city-wide: moderators only
        (people.mira, mine, 201),
        (people.lena, {**mine, "initiative": "gibt-es-nicht"}, 404),
        (people.lena, {**mine, "title": "", "initiative": slug}, 400),
        (people.lena, {"title": "x", "initiative": slug}, 400),
    ]:
        answer = _post(api_as, user, "/api/news/", body)
        assert answer.status_code in ((401, 403) if code == 401 else (code,)), (user, body)
        if code >= 400:
            assert answer.json()["detail"]
    listed = api_as(None).get("/api/news/", {"initiative": slug}).json()["results"]
    assert [n["title"] for n in listed] == ["Wir haben gerettet"]
    assert api_as(None).get("/api/news/", {"q": "gemüse"}).json()["count"] == 2
    assert api_as(None).get("/api/news/", {"district": ""}).status_code == 400


def test_lifehacks_by_anyone_adopted_once_and_sorted_by_adoptions(
    api_as: ApiAs, people: People
) -> None:
    body = {
        "title": "Deckel auf den Topf",
        "body": "Spart ein Drittel Energie.",
        "category": "energie",
    }
    first = _post(api_as, people.jonas, "/api/lifehacks/", body).json()
    second = _post(api_as, people.lena, "/api/lifehacks/", {**body, "title": "Kalt waschen"}).json()
    assert first["adoptions"] == 0 and first["category"]["slug"] == "energie"
    assert _post(api_as, None, "/api/lifehacks/", body).status_code in (401, 403)
    assert (
        _post(api_as, people.jonas, "/api/lifehacks/", {**body, "category": "nix"}).status_code
        == 400
    )

    adopt = f"/api/lifehacks/{first['id']}/adopt/"
    assert api_as(people.lena).post(adopt).json() == {"adoptions": 1, "adopted": True}
    assert api_as(people.lena).post(adopt).json() == {"adoptions": 1, "adopted": True}
    assert api_as(people.mira).post(adopt).json()["adoptions"] == 2
    assert api_as(people.mira).delete(adopt).json() == {"adoptions": 1, "adopted": False}
    assert api_as(people.mira).delete(adopt).json()["adoptions"] == 1  # again: nothing
    assert api_as(None).post(adopt).status_code in (401, 403)
    assert api_as(people.lena).post("/api/lifehacks/99999/adopt/").status_code == 404

    newest = [h["title"] for h in api_as(None).get("/api/lifehacks/").json()["results"]]
    assert newest == ["Kalt waschen", "Deckel auf den Topf"]
    top = api_as(None).get("/api/lifehacks/", {"sort": "-adoptions"}).json()["results"]
    assert [(h["id"], h["adoptions"]) for h in top] == [(first["id"], 1), (second["id"], 0)]
    assert api_as(None).get(f"/api/lifehacks/{first['id']}/").json()["adoptions"] == 1


@committing
def test_adopting_at_once_from_many_requests_counts_once(people: People) -> None:
    lifehack = services.lifehack_create(
        user=people.lena,
        title="Licht aus",
        body="Wer zuletzt geht.",
        category=Category.objects.get(slug="energie"),
    )
    workers = 10 if connection.vendor == "postgresql" else 1  # see tests/events/test_seats.py

    def adopt(_: int) -> int:
        try:
            return services.lifehack_adopt(user=people.jonas, lifehack_id=lifehack.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        counts = list(pool.map(adopt, range(10)))
    assert set(counts) == {1}
    assert Adoption.objects.filter(lifehack=lifehack).count() == 1


def test_only_verified_organisations_publish_offers_and_expired_ones_leave(
    api_as: ApiAs, people: People
) -> None:
    offer = {
        "kind": "materials",
        "title": "Lastenrad leihen",
        "category": "mobilitaet",
        "district": "mitte",
        "valid_until": _day(30),
    }
    assert _post(api_as, people.stadtwerke, "/api/offers/", offer).status_code == 201
    for user in (people.neue_firma, people.jonas, people.lena, people.mira):
        refused = _post(api_as, user, "/api/offers/", offer)
        assert refused.status_code == 403 and "Organisation" in refused.json()["detail"]
    for bad in (
        {"valid_until": _day(-1)},
        {"valid_until": _day(400)},
        {"kind": "geld"},
        {"valid_until": "morgen"},
        {"district": "atlantis"},
    ):
        assert _post(api_as, people.stadtwerke, "/api/offers/", {**offer, **bad}).status_code == 400

    Offer.objects.update(valid_until=timezone.localdate() - timedelta(days=1))  # time passes
    assert api_as(None).get("/api/offers/").json()["count"] == 0


def test_needs_and_offers_match_by_kind_or_category_and_nearby_district(
    api_as: ApiAs, people: People
) -> None:
    need = _post(
        api_as,
        people.lena,
        "/api/needs/",
        {
            "initiative": people.initiative.slug,
            "kind": "materials",
            "title": "Gesucht: ein Lastenrad für Samstag",
            "category": "mobilitaet",
        },
    ).json()
    assert need["district"]["slug"] == "mitte" and need["met"] is False  # the initiative's

    def offer(title: str, **fields: Any) -> int:
        base = {
            "kind": "advice",
            "category": Category.objects.get(slug="bildung"),
            "district": None,
        }
        valid_until = timezone.localdate() + timedelta(days=10)
        created = services.offer_create(
            user=people.stadtwerke, title=title, valid_until=valid_until, **{**base, **fields}
        )
        return created.pk

    by_kind = offer(
        "Lastenrad im Westen", kind="materials", district=District.objects.get(slug="west")
    )
    by_category = offer("Rad-Beratung", category=Category.objects.get(slug="mobilitaet"))
    offer(
        "Lastenrad in Plieningen",
        kind="materials",
        district=District.objects.get(slug="plieningen"),
    )
    offer("Solarberatung", category=Category.objects.get(slug="energie"))
    expired = offer("Altes Lastenrad", kind="materials")
    Offer.objects.filter(pk=expired).update(valid_until=timezone.localdate() - timedelta(days=1))

    detail = api_as(None).get(f"/api/needs/{need['id']}/").json()
    assert {o["id"] for o in detail["offers"]} == {by_kind, by_category}
    back = api_as(None).get(f"/api/offers/{by_kind}/").json()
    assert [n["id"] for n in back["needs"]] == [need["id"]]

    path = f"/api/needs/{need['id']}/"
    assert api_as(people.jonas).patch(path, {"met": True}, format="json").status_code == 403
    assert api_as(people.lena).patch(path, {"met": "ja"}, format="json").status_code == 400
    assert api_as(people.lena).patch(path, {"met": True}, format="json").json()["met"] is True
    assert api_as(None).get("/api/needs/").json()["count"] == 0
    assert api_as(None).get(f"/api/offers/{by_kind}/").json()["needs"] == []
    for user, code in [(people.jonas, 403), (people.other_lead, 403), (None, 401)]:
        body = {
            "initiative": people.initiative.slug,
            "kind": "space",
            "title": "Raum",
            "category": "bildung",
        }
        answer = _post(api_as, user, "/api/needs/", body)
        assert answer.status_code in ((401, 403) if code == 401 else (code,))


def test_hidden_contributions_leave_the_lists_for_everyone(api_as: ApiAs, people: People) -> None:
    tip = _post(
        api_as,
        people.jonas,
        "/api/lifehacks/",
        {"title": "Werbung für Uhren", "body": "Kauft Uhren!", "category": "energie"},
    ).json()
    hide = f"/api/moderation/content/lifehack/{tip['id']}/hide/"
    assert (
        _post(api_as, people.lena, hide, {"reason": "Werbung"}).status_code == 403
    )  # no initiative
    assert _post(api_as, people.mira, hide, {"reason": "Werbung"}).status_code == 200
    assert api_as(people.mira).get("/api/lifehacks/").json()["count"] == 0
    assert api_as(people.jonas).get(f"/api/lifehacks/{tip['id']}/").status_code == 404
    assert api_as(people.lena).post(f"/api/lifehacks/{tip['id']}/adopt/").status_code == 404
    assert api_as(people.jonas).delete(f"/api/lifehacks/{tip['id']}/").status_code == 404


def test_authors_and_leads_take_contributions_down(api_as: ApiAs, people: People) -> None:
    news = _post(
        api_as,
        people.lena,
        "/api/news/",
        {"title": "T", "teaser": "K", "initiative": people.initiative.slug},
    ).json()
    assert api_as(people.jonas).delete(f"/api/news/{news['id']}/").status_code == 403
    assert api_as(people.lena).delete(f"/api/news/{news['id']}/").status_code == 204
    assert api_as(None).get(f"/api/news/{news['id']}/").status_code == 404
