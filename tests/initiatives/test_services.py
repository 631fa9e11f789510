"""The initiative services: slugs, Markdown, the lead and the room every initiative gets."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser, User

from common.errors import DomainError
from initiatives import services
from initiatives.models import Category, Initiative, Membership
from rooms.models import Room
from tests.factories import InitiativeFactory, RoomFactory

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_in(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The real elements of `html` (escaped text that looks like a tag is not one)."""
    collector = _TagCollector()
    collector.feed(html)
    return collector.tags


def create(user: User, title: str, description: str = "") -> Initiative:
    return services.initiative_create(
        user=user,
        title=title,
        summary="Kurz gesagt.",
        description=description,
        category=Category.objects.get(slug="energie"),
    )


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Möhringen", "moehringen"),
        ("Grüne Höfe in Süd", "gruene-hoefe-in-sued"),
        ("Straßenfest Bad Cannstatt", "strassenfest-bad-cannstatt"),
        ("ÄÖÜ-Treff", "aeoeue-treff"),
        ("Repair-Café!", "repair-cafe"),
        ("  Lastenrad   teilen  ", "lastenrad-teilen"),
    ],
)
def test_slug_is_made_from_the_title_with_german_umlauts_transliterated(
    make_user: MakeUser, title: str, slug: str
) -> None:
    assert create(make_user(), title).slug == slug


def test_slug_transliterates_umlauts_typed_as_decomposed_characters(make_user: MakeUser) -> None:
    decomposed = unicodedata.normalize("NFD", "Möhringen")
    assert decomposed != "Möhringen"

    assert create(make_user(), decomposed).slug == "moehringen"


def test_slug_of_a_title_without_latin_letters_falls_back_to_initiative(
    make_user: MakeUser,
) -> None:
    assert create(make_user(), "🌍🌱☀️").slug == "initiative"


def test_slug_is_unique_with_a_numbered_suffix(make_user: MakeUser) -> None:
    user = make_user()

    slugs = [create(user, "Solar für Möhringen").slug for _ in range(3)]

    assert slugs == ["solar-fuer-moehringen", "solar-fuer-moehringen-2", "solar-fuer-moehringen-3"]


def test_slug_stays_when_the_title_changes(make_user: MakeUser) -> None:
    initiative = InitiativeFactory(title="Erster Titel")

    services.initiative_update(
        user=initiative.created_by, initiative=initiative, title="Zweiter Titel"
    )

    initiative.refresh_from_db()
    assert (initiative.title, initiative.slug) == ("Zweiter Titel", "erster-titel")


def test_a_very_long_title_gives_a_slug_that_fits_even_with_a_suffix(make_user: MakeUser) -> None:
    user = make_user()
    title = "Sehr " * 24  # 120 characters

    first = create(user, title)
    second = create(user, title)

    assert len(first.slug) <= 120
    assert second.slug == f"{first.slug}-2"
    assert len(second.slug) <= Initiative._meta.get_field("slug").max_length


def test_create_makes_the_creator_lead_and_opens_the_room_allgemein(make_user: MakeUser) -> None:
    user = make_user()

    initiative = create(user, "Gemeinschaftsgarten")

    assert initiative.status == Initiative.Status.IDEA
    assert initiative.created_by == user
    membership = Membership.objects.get(initiative=initiative)
    assert (membership.user, membership.role) == (user, Membership.Role.LEAD)
    room = Room.objects.get(initiative=initiative)
    assert (room.title, room.members_only, room.archived) == ("Allgemein", False, False)


def test_create_refuses_status_archived(make_user: MakeUser) -> None:
    with pytest.raises(DomainError) as raised:
        services.initiative_create(
            user=make_user(),
            title="Gleich vorbei",
            summary="Kurz gesagt.",
            category=Category.objects.get(slug="energie"),
            status=Initiative.Status.ARCHIVED,
        )

    assert raised.value.code == "invalid"
    assert not Initiative.objects.exists()


def test_create_refuses_an_anonymous_user() -> None:
    with pytest.raises(DomainError) as raised:
        create(AnonymousUser(), "Anonym")  # type: ignore[arg-type]

    assert raised.value.code == "forbidden"


def test_create_refuses_an_inactive_user(make_user: MakeUser) -> None:
    with pytest.raises(DomainError) as raised:
        create(make_user(is_active=False), "Inaktiv")

    assert raised.value.code == "forbidden"
    assert not Room.objects.exists()


# --- Markdown in descriptions ------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Text <script src=//evil.example/x.js></script>",
        "<img src=x onerror=alert(1)>",
        "```\n</code><script>alert(1)</script>\n```",
        "[a](<javascript:alert(1)>)",
        '<a href="https://ok.example" onclick="alert(1)">x</a>',
    ],
)
def test_description_html_never_carries_script_or_event_handlers(
    make_user: MakeUser, source: str
) -> None:
    html = create(make_user(), "Sicher", source).description_html

    tags = tags_in(html)
    assert {tag for tag, _attrs in tags} <= {"p", "pre", "code", "a"}
    for _tag, attrs in tags:
        assert not [name for name in attrs if name.startswith("on")]
        assert not (attrs.get("href") or "").lower().startswith("javascript")
    assert "<script" not in html.lower()


@pytest.mark.parametrize(
    "source",
    ["[klick](javascript:alert(1))", "[klick](JaVaScRiPt:alert(1))", "<javascript:alert(1)>"],
)
def test_a_javascript_link_is_not_a_link(make_user: MakeUser, source: str) -> None:
    html = create(make_user(), "Sicher", source).description_html

    assert [tag for tag, _attrs in tags_in(html)] == ["p"]
    assert "href" not in html


def test_a_normal_link_is_kept_with_rel_nofollow(make_user: MakeUser) -> None:
    html = create(make_user(), "Links", "[Stadt](https://www.stuttgart.de)").description_html

    assert html == (
        '<p><a href="https://www.stuttgart.de" rel="nofollow noopener noreferrer">Stadt</a></p>'
    )


def test_markdown_subset_is_rendered(make_user: MakeUser) -> None:
    source = "**fett** und *kursiv* und ~~weg~~\n\n- eins\n- zwei\n\n# Keine Überschrift"

    html = create(make_user(), "Markdown", source).description_html

    assert "<strong>fett</strong>" in html
    assert "<em>kursiv</em>" in html
    assert "<del>weg</del>" in html
    assert "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>" in html
    assert "<h1>" not in html
    assert "# Keine Überschrift" in html


def test_update_renders_the_new_description(make_user: MakeUser) -> None:
    initiative = InitiativeFactory(description="alt")

    services.initiative_update(
        user=initiative.created_by,
        initiative=initiative,
        description="neu <script>x</script> **fett**",
    )

    initiative.refresh_from_db()
    assert "<strong>fett</strong>" in initiative.description_html
    assert "<script" not in initiative.description_html
    assert "alt" not in initiative.description_html


def test_update_refuses_fields_that_are_not_editable(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    with pytest.raises(DomainError) as raised:
        services.initiative_update(user=initiative.created_by, initiative=initiative, slug="anders")

    assert raised.value.code == "invalid"


# --- archive, join, roles ------------------------------------------------------------------


def test_archive_closes_every_room_of_the_initiative_and_no_other(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    other = InitiativeFactory()
    RoomFactory(initiative=initiative, title="Orga", members_only=True)
    city_wide = RoomFactory(initiative=None, title="Stadtplatz")

    services.initiative_archive(user=initiative.created_by, initiative=initiative)

    assert set(Room.objects.filter(archived=True)) == set(initiative.rooms.all())
    assert initiative.rooms.count() == 2
    assert not Room.objects.get(pk=city_wide.pk).archived
    assert not other.rooms.filter(archived=True).exists()


def test_join_is_idempotent(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    user = make_user()

    first = services.initiative_join(user=user, initiative=initiative)
    second = services.initiative_join(user=user, initiative=initiative)

    assert first.pk == second.pk
    assert Membership.objects.filter(initiative=initiative, user=user).count() == 1


def test_member_remove_by_a_moderator(make_user: MakeUser, moderator: User) -> None:
    initiative = InitiativeFactory()
    member = make_user()
    services.initiative_join(user=member, initiative=initiative)

    services.member_remove(actor=moderator, initiative=initiative, user_id=member.pk)

    assert not Membership.objects.filter(initiative=initiative, user=member).exists()


def test_demoting_the_only_lead_through_the_service_is_a_conflict(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    lead = initiative.created_by

    with pytest.raises(DomainError) as raised:
        services.member_set_role(
            actor=lead, initiative=initiative, user_id=lead.pk, role=Membership.Role.MEMBER
        )

    assert raised.value.code == "conflict"
