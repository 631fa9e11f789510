"""The community pages as a citizen uses them: lists with filters, "Mach ich auch" and
sharing a lifehack by plain form posts (errors beside the fields), a need with its
matching offers and the leads' "erledigt", the forms for leads and organisations, and
the news as an Atom feed that parses back and leaves hidden news out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from community import services
from community.models import Adoption, Lifehack, Need
from initiatives.models import Category, District
from moderation import services as moderation
from tests.community.conftest import People
from tests.factories import MakeUser

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_entries(content: bytes) -> list[ET.Element]:
    """The entries of a feed this server made (the test's own data, not untrusted)."""
    return ET.fromstring(content).findall(f"{ATOM}entry")  # noqa: S314


def _signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_lifehacks_page_lists_adopts_and_shares(people: People) -> None:
    energie = Category.objects.get(slug="energie")
    tip = services.lifehack_create(
        user=people.lena, title="Deckel drauf", body="Spart **Energie**.", category=energie
    )
    jonas = _signed_in(people.jonas)

    page = jonas.get("/lifehacks/").content.decode()
    assert "Deckel drauf" in page and "<strong>Energie</strong>" in page
    assert "0 machen das auch" in page

    answer = jonas.post(
        f"/lifehacks/{tip.pk}/mach-ich-auch/", {"next": "/lifehacks/?sort=-adoptions"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/lifehacks/?sort=-adoptions"
    assert "1 macht das auch" in jonas.get("/lifehacks/").content.decode()
    jonas.post(
        f"/lifehacks/{tip.pk}/mach-ich-auch/", {"action": "undo", "next": "https://evil.example/"}
    )
    assert not Adoption.objects.exists()

    refused = jonas.post("/lifehacks/neu/", {"title": "", "body": "x", "category": "energie"})
    assert refused.status_code == 400
    assert "field-error" in refused.content.decode()
    shared = jonas.post(
        "/lifehacks/neu/", {"title": "Kalt waschen", "body": "Reicht meist.", "category": "energie"}
    )
    assert shared.status_code == 302
    assert Lifehack.objects.filter(title="Kalt waschen", author=people.jonas).exists()
    filtered = Client().get("/lifehacks/", {"category": "mobilitaet"}).content.decode()
    assert "Kalt waschen" not in filtered and "Noch keine Lifehacks" in filtered
    assert Client().get("/lifehacks/", {"category": "gibt-es-nicht"}).status_code == 200


def test_a_need_page_shows_matching_offers_and_leads_mark_it_met(people: People) -> None:
    need = services.need_create(
        user=people.lena,
        initiative=people.initiative,
        kind="materials",
        title="Gesucht: Lastenrad",
        category=Category.objects.get(slug="mobilitaet"),
    )
    services.offer_create(
        user=people.stadtwerke,
        kind="materials",
        title="Lastenrad leihen",
        district=District.objects.get(slug="ost"),  # borders Mitte
        valid_until=timezone.localdate() + timedelta(days=5),
    )
    page = Client().get(f"/gesucht/{need.pk}/").content.decode()
    assert "Lastenrad leihen" in page and "Haben wir gefunden" not in page
    assert "Gesucht: Lastenrad" in Client().get("/gesucht/").content.decode()
    assert "Gesucht: Lastenrad" in Client().get("/").content.decode()  # the home page

    _signed_in(people.jonas).post(f"/gesucht/{need.pk}/erledigt/", {"met": "true"})
    need.refresh_from_db()
    assert need.met_at is None  # a member may not
    lena = _signed_in(people.lena)
    assert "Haben wir gefunden" in lena.get(f"/gesucht/{need.pk}/").content.decode()
    assert lena.post(f"/gesucht/{need.pk}/erledigt/", {"met": "true"}).status_code == 302
    assert Need.objects.get(pk=need.pk).met_at is not None
    assert "Gesucht: Lastenrad" not in Client().get("/gesucht/").content.decode()


def test_the_forms_are_for_those_who_may_post(people: People) -> None:
    slug = people.initiative.slug
    lena = _signed_in(people.lena)
    assert lena.get(f"/neuigkeiten/neu/?initiative={slug}").status_code == 200
    assert lena.get("/neuigkeiten/neu/").status_code == 403  # city-wide: moderators
    assert _signed_in(people.jonas).get(f"/gesucht/neu/?initiative={slug}").status_code == 403
    assert _signed_in(people.neue_firma).get("/angebote/neu/").status_code == 403
    assert Client().get("/angebote/neu/").status_code == 302

    posted = lena.post(
        f"/neuigkeiten/neu/?initiative={slug}",
        {"title": "Gerettet", "teaser": "200 kg", "body": ""},
    )
    assert posted.status_code == 302
    assert "Gerettet" in Client().get(posted["Location"]).content.decode()
    offer = _signed_in(people.stadtwerke).post(
        "/angebote/neu/",
        {
            "kind": "advice",
            "title": "Energieberatung",
            "valid_until": str(timezone.localdate() - timedelta(days=1)),
        },
    )
    assert offer.status_code == 400 and "JJJJ-MM-TT" in offer.content.decode()  # beside the form


def test_the_news_feed_parses_back_and_leaves_hidden_news_out(
    people: People, make_user: MakeUser
) -> None:
    kept = services.news_create(
        user=people.lena, initiative=people.initiative, title="Gerettet", teaser="200 kg"
    )
    hidden = services.news_create(user=people.mira, title="Versehen", teaser="Falsch")
    second_moderator = make_user(moderator=True)  # mira wrote it: nobody hides their own
    moderation.content_hide(
        actor=second_moderator, kind="news", content_id=hidden.pk, reason="Test"
    )

    response = Client().get("/feeds/news.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    entries = atom_entries(response.content)
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Gerettet"]
    link = entries[0].find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    assert link.endswith(f"/neuigkeiten/{kept.pk}/")
    own = Client().get(f"/feeds/initiatives/{people.initiative.slug}/news.atom")
    assert len(atom_entries(own.content)) == 1
    assert Client().get("/feeds/initiatives/gibt-es-nicht/news.atom").status_code == 404
    assert Client().get(f"/neuigkeiten/{hidden.pk}/").status_code == 404
