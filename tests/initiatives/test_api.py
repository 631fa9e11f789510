"""Initiatives over REST: list and filters, detail, create, edit, archive, join, leave, members."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from initiatives.models import Category, District, Initiative, Membership
from rooms.models import Room
from tests.factories import InitiativeFactory, MembershipFactory, token_client

pytestmark = pytest.mark.django_db

LIST = "/api/initiatives/"
MakeUser = Callable[..., User]


def detail_url(initiative: Initiative) -> str:
    return f"{LIST}{initiative.slug}/"


def member_url(initiative: Initiative, user: User) -> str:
    return f"{LIST}{initiative.slug}/members/{user.pk}/"


def new_initiative(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Repair-Café Möhringen",
        "summary": "Wir reparieren gemeinsam.",
        "description": "Jeden **Samstag** im Bürgerhaus.",
        "category": "reparieren-teilen",
        "district": "moehringen",
    }
    body.update(overrides)
    return body


def with_member(initiative: Initiative, user: User, role: str = "member") -> User:
    MembershipFactory(initiative=initiative, user=user, role=role)
    return user


def titles(response: Any) -> set[str]:
    return {item["title"] for item in response.json()["results"]}


# --- list ---------------------------------------------------------------------------


def test_list_is_public_and_paginated(api_client: APIClient) -> None:
    InitiativeFactory.create_batch(3)

    response = api_client.get(LIST, {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] is not None
    assert body["previous"] is None
    assert len(api_client.get(body["next"]).json()["results"]) == 1


def test_list_shows_newest_first_with_member_count(
    api_client: APIClient, make_user: MakeUser
) -> None:
    older = InitiativeFactory(title="Ältere Initiative")
    newer = InitiativeFactory(title="Neuere Initiative")
    with_member(older, make_user())

    results = api_client.get(LIST).json()["results"]

    assert [item["slug"] for item in results] == [newer.slug, older.slug]
    assert [item["member_count"] for item in results] == [1, 2]
    assert all(item["my_role"] is None for item in results)


def test_list_filters_by_category(api_client: APIClient) -> None:
    InitiativeFactory(title="Sonne", category=Category.objects.get(slug="energie"))
    InitiativeFactory(title="Rad", category=Category.objects.get(slug="mobilitaet"))

    response = api_client.get(LIST, {"category": "mobilitaet"})

    assert response.json()["count"] == 1
    assert titles(response) == {"Rad"}


def test_list_filters_by_district(api_client: APIClient) -> None:
    InitiativeFactory(title="Im Westen", district=District.objects.get(slug="west"))
    InitiativeFactory(title="In Möhringen", district=District.objects.get(slug="moehringen"))

    response = api_client.get(LIST, {"district": "moehringen"})

    assert titles(response) == {"In Möhringen"}


def test_list_filters_by_status(api_client: APIClient) -> None:
    InitiativeFactory(title="Eine Idee", status="idea")
    InitiativeFactory(title="Läuft schon", status="active")

    assert titles(api_client.get(LIST, {"status": "idea"})) == {"Eine Idee"}
    assert titles(api_client.get(LIST, {"status": "active"})) == {"Läuft schon"}


def test_list_searches_title_summary_and_description_with_q(api_client: APIClient) -> None:
    InitiativeFactory(title="Lastenrad teilen")
    InitiativeFactory(title="Gemeinschaftsgarten", summary="Hochbeete und Kompost")
    InitiativeFactory(title="Repair-Café", description="Wir flicken auch **Lastenräder**.")
    InitiativeFactory(title="Solar")

    assert titles(api_client.get(LIST, {"q": "lastenr"})) == {"Lastenrad teilen", "Repair-Café"}
    assert titles(api_client.get(LIST, {"q": "KOMPOST"})) == {"Gemeinschaftsgarten"}


def test_list_filters_combine(api_client: APIClient) -> None:
    energie = Category.objects.get(slug="energie")
    west = District.objects.get(slug="west")
    InitiativeFactory(title="Solar West", category=energie, district=west)
    InitiativeFactory(title="Solar Mitte", category=energie)
    InitiativeFactory(
        title="Rad West", category=Category.objects.get(slug="mobilitaet"), district=west
    )

    response = api_client.get(LIST, {"category": "energie", "district": "west", "q": "solar"})

    assert titles(response) == {"Solar West"}


def test_list_hides_archived_initiatives_by_default(api_client: APIClient) -> None:
    InitiativeFactory(title="Aktiv")
    archived = InitiativeFactory(title="Vorbei")
    token_client(archived.created_by).delete(detail_url(archived))

    response = api_client.get(LIST)

    assert titles(response) == {"Aktiv"}
    assert response.json()["count"] == 1


def test_list_shows_archived_initiatives_when_asked_for(api_client: APIClient) -> None:
    InitiativeFactory(title="Aktiv")
    archived = InitiativeFactory(title="Vorbei")
    token_client(archived.created_by).delete(detail_url(archived))

    response = api_client.get(LIST, {"status": "archived"})

    assert titles(response) == {"Vorbei"}
    assert response.json()["results"][0]["status"] == "archived"


@pytest.mark.parametrize(
    ("param", "value"),
    [("category", "gibt-es-nicht"), ("district", "atlantis"), ("status", "kaputt")],
)
def test_list_with_an_unknown_filter_value_is_a_400(
    api_client: APIClient, param: str, value: str
) -> None:
    response = api_client.get(LIST, {param: value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [param]
    assert response.json()["detail"]


def test_list_page_out_of_range_is_a_404_with_detail(api_client: APIClient) -> None:
    response = api_client.get(LIST, {"page": 5})

    assert response.status_code == 404
    assert response.json()["detail"]


def test_list_shows_my_role_to_a_signed_in_member(make_user: MakeUser) -> None:
    mine = InitiativeFactory(title="Meine")
    InitiativeFactory(title="Fremde")
    joined = InitiativeFactory(title="Beigetreten")
    with_member(joined, mine.created_by)

    results = token_client(mine.created_by).get(LIST).json()["results"]

    assert {item["title"]: item["my_role"] for item in results} == {
        "Meine": "lead",
        "Fremde": None,
        "Beigetreten": "member",
    }


# --- detail -------------------------------------------------------------------------


def test_detail_by_slug_is_public(api_client: APIClient) -> None:
    initiative = InitiativeFactory(
        title="Solar für Möhringen",
        summary="Balkonkraftwerke für alle.",
        description="Wir *bestellen* gemeinsam.",
        category=Category.objects.get(slug="energie"),
        district=District.objects.get(slug="moehringen"),
        status="idea",
    )

    response = api_client.get(f"{LIST}solar-fuer-moehringen/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == initiative.pk
    assert body["slug"] == "solar-fuer-moehringen"
    assert body["title"] == "Solar für Möhringen"
    assert body["summary"] == "Balkonkraftwerke für alle."
    assert body["description"] == "Wir *bestellen* gemeinsam."
    assert body["description_html"] == "<p>Wir <em>bestellen</em> gemeinsam.</p>"
    assert (body["category"], body["category_name"]) == ("energie", "Energie")
    assert (body["district"], body["district_name"]) == ("moehringen", "Möhringen")
    assert body["status"] == "idea"
    assert body["member_count"] == 1
    assert body["my_role"] is None


def test_detail_of_an_unknown_slug_is_a_404_with_a_json_detail(api_client: APIClient) -> None:
    response = api_client.get(f"{LIST}gibt-es-nicht/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"]


def test_detail_of_a_slug_with_a_nul_byte_is_a_404(api_client: APIClient) -> None:
    # PostgreSQL refuses NUL in a query; the lookup must not get that far.
    response = api_client.get(f"{LIST}repair%00cafe/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_detail_of_an_archived_initiative_stays_readable(api_client: APIClient) -> None:
    initiative = InitiativeFactory()
    token_client(initiative.created_by).delete(detail_url(initiative))

    response = api_client.get(detail_url(initiative))

    assert response.status_code == 200
    assert response.json()["status"] == "archived"


# --- create -------------------------------------------------------------------------


def test_create_makes_the_creator_its_lead_with_a_general_room(make_user: MakeUser) -> None:
    user = make_user()

    response = token_client(user).post(LIST, new_initiative(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "repair-cafe-moehringen"
    assert body["my_role"] == "lead"
    assert body["member_count"] == 1
    assert body["status"] == "idea"
    assert body["category"] == "reparieren-teilen"
    assert body["district"] == "moehringen"
    assert body["description_html"] == "<p>Jeden <strong>Samstag</strong> im Bürgerhaus.</p>"
    initiative = Initiative.objects.get(slug=body["slug"])
    assert initiative.created_by == user
    assert list(initiative.memberships.values_list("user", "role")) == [(user.pk, "lead")]
    room = Room.objects.get(initiative=initiative)
    assert room.title == "Allgemein"
    assert room.members_only is False
    assert room.archived is False


def test_create_with_a_status_and_without_district(make_user: MakeUser) -> None:
    body = new_initiative(status="active")
    del body["district"]

    response = token_client(make_user()).post(LIST, body, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "active"
    assert response.json()["district"] is None
    assert response.json()["district_name"] is None


def test_create_needs_authentication(api_client: APIClient) -> None:
    response = api_client.post(LIST, new_initiative(), format="json")

    assert response.status_code == 401
    assert not Initiative.objects.exists()


def test_create_refuses_an_unknown_category(make_user: MakeUser) -> None:
    response = token_client(make_user()).post(
        LIST, new_initiative(category="raumfahrt"), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["category"]
    assert not Initiative.objects.exists()


def test_create_refuses_an_unknown_district(make_user: MakeUser) -> None:
    response = token_client(make_user()).post(
        LIST, new_initiative(district="atlantis"), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["district"]


@pytest.mark.parametrize("missing", ["title", "summary", "category"])
def test_create_refuses_a_missing_required_field(make_user: MakeUser, missing: str) -> None:
    body = new_initiative()
    del body[missing]

    response = token_client(make_user()).post(LIST, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [missing]
    assert missing in response.json()["detail"]
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("title", ["", "ab", "x" * 121])
def test_create_refuses_a_title_too_short_or_too_long(make_user: MakeUser, title: str) -> None:
    response = token_client(make_user()).post(LIST, new_initiative(title=title), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["title"]


@pytest.mark.parametrize("field", ["category", "district"])
def test_create_refuses_a_slug_with_a_nul_byte(make_user: MakeUser, field: str) -> None:
    response = token_client(make_user()).post(
        LIST, new_initiative(**{field: "energie\x00"}), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_create_refuses_status_archived(make_user: MakeUser) -> None:
    response = token_client(make_user()).post(
        LIST, new_initiative(status="archived"), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]
    assert not Initiative.objects.exists()


def test_create_ignores_a_client_chosen_slug(make_user: MakeUser) -> None:
    response = token_client(make_user()).post(LIST, new_initiative(slug="mein-slug"), format="json")

    assert response.status_code == 201
    assert response.json()["slug"] == "repair-cafe-moehringen"


def test_create_never_puts_a_script_into_description_html(make_user: MakeUser) -> None:
    description = "Hallo <script>alert(1)</script> und [klick](javascript:alert(1))"

    response = token_client(make_user()).post(
        LIST, new_initiative(description=description), format="json"
    )

    assert response.status_code == 201
    html = response.json()["description_html"]
    assert "<script" not in html
    assert "<a" not in html
    assert response.json()["description"] == description


# --- update -------------------------------------------------------------------------


def test_lead_edits_the_initiative(make_user: MakeUser) -> None:
    initiative = InitiativeFactory(title="Alter Titel")

    response = token_client(initiative.created_by).patch(
        detail_url(initiative),
        {
            "title": "Neuer Titel",
            "description": "Jetzt *mit* Text",
            "category": "mobilitaet",
            "district": "west",
            "status": "done",
        },
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Neuer Titel"
    assert body["description_html"] == "<p>Jetzt <em>mit</em> Text</p>"
    assert (body["category"], body["district"], body["status"]) == ("mobilitaet", "west", "done")
    assert body["slug"] == initiative.slug  # links keep working
    assert body["my_role"] == "lead"
    assert body["member_count"] == 1
    initiative.refresh_from_db()
    assert initiative.title == "Neuer Titel"
    assert initiative.category.slug == "mobilitaet"


def test_member_cannot_edit_the_initiative(make_user: MakeUser) -> None:
    initiative = InitiativeFactory(title="Unverändert")
    member = with_member(initiative, make_user())

    response = token_client(member).patch(
        detail_url(initiative), {"title": "Gekapert"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert response.json()["detail"]
    initiative.refresh_from_db()
    assert initiative.title == "Unverändert"


def test_member_cannot_edit_someone_elses_initiative(make_user: MakeUser) -> None:
    initiative = InitiativeFactory(title="Unverändert")

    response = token_client(make_user()).patch(
        detail_url(initiative), {"title": "Gekapert"}, format="json"
    )

    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "Unverändert"


def test_anonymous_cannot_edit_an_initiative(api_client: APIClient) -> None:
    initiative = InitiativeFactory()

    response = api_client.patch(detail_url(initiative), {"title": "Gekapert"}, format="json")

    assert response.status_code == 401


def test_moderator_edits_any_initiative(moderator: User) -> None:
    initiative = InitiativeFactory()

    response = token_client(moderator).patch(
        detail_url(initiative), {"summary": "Von der Moderation korrigiert."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["summary"] == "Von der Moderation korrigiert."
    assert response.json()["my_role"] is None


def test_lead_cannot_set_status_archived_by_editing(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    response = token_client(initiative.created_by).patch(
        detail_url(initiative), {"status": "archived"}, format="json"
    )

    assert response.status_code == 400
    initiative.refresh_from_db()
    assert initiative.status == "active"


def test_lead_edit_with_full_put(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    response = token_client(initiative.created_by).put(
        detail_url(initiative), new_initiative(title="Ganz neu"), format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Ganz neu"
    assert response.json()["district"] == "moehringen"


def test_edit_of_an_unknown_slug_is_a_404(make_user: MakeUser) -> None:
    response = token_client(make_user()).patch(f"{LIST}gibt-es-nicht/", {"title": "x" * 5})

    assert response.status_code == 404


# --- delete = archive ------------------------------------------------------------------


def test_lead_deleting_archives_the_initiative_and_its_rooms(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    response = token_client(initiative.created_by).delete(detail_url(initiative))

    assert response.status_code == 204
    initiative.refresh_from_db()
    assert initiative.status == "archived"
    rooms = Room.objects.filter(initiative=initiative)
    assert rooms.count() == 1
    assert all(room.archived for room in rooms)
    assert Membership.objects.filter(initiative=initiative).count() == 1


def test_member_cannot_archive_the_initiative(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(member).delete(detail_url(initiative))

    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == "active"
    assert not Room.objects.filter(initiative=initiative, archived=True).exists()


def test_moderator_archives_any_initiative(moderator: User) -> None:
    initiative = InitiativeFactory()

    response = token_client(moderator).delete(detail_url(initiative))

    assert response.status_code == 204
    initiative.refresh_from_db()
    assert initiative.status == "archived"


def test_anonymous_cannot_archive(api_client: APIClient) -> None:
    initiative = InitiativeFactory()

    assert api_client.delete(detail_url(initiative)).status_code == 401


# --- join / leave ------------------------------------------------------------------------


def test_join_makes_a_member(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    user = make_user(username="jonas", profile__display_name="Jonas W.")

    response = token_client(user).post(f"{detail_url(initiative)}join/")

    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert response.json()["user"] == {
        "id": user.pk,
        "username": "jonas",
        "display_name": "Jonas W.",
    }
    assert Membership.objects.get(initiative=initiative, user=user).role == "member"


def test_join_twice_keeps_one_membership(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    client = token_client(make_user())

    first = client.post(f"{detail_url(initiative)}join/")
    second = client.post(f"{detail_url(initiative)}join/")

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == second.json()
    assert Membership.objects.filter(initiative=initiative).count() == 2


def test_join_as_lead_keeps_the_lead_role(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    response = token_client(initiative.created_by).post(f"{detail_url(initiative)}join/")

    assert response.status_code == 200
    assert response.json()["role"] == "lead"


def test_join_needs_authentication(api_client: APIClient) -> None:
    initiative = InitiativeFactory()

    assert api_client.post(f"{detail_url(initiative)}join/").status_code == 401


def test_joining_an_archived_initiative_is_refused(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    token_client(initiative.created_by).delete(detail_url(initiative))
    user = make_user()

    response = token_client(user).post(f"{detail_url(initiative)}join/")

    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Membership.objects.filter(initiative=initiative, user=user).exists()


def test_join_of_an_unknown_initiative_is_a_404(make_user: MakeUser) -> None:
    response = token_client(make_user()).post(f"{LIST}gibt-es-nicht/join/")

    assert response.status_code == 404


def test_member_leaves(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(member).post(f"{detail_url(initiative)}leave/")

    assert response.status_code == 204
    assert not Membership.objects.filter(initiative=initiative, user=member).exists()


def test_leave_without_being_a_member_is_a_404(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    response = token_client(make_user()).post(f"{detail_url(initiative)}leave/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_last_lead_cannot_leave(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    with_member(initiative, make_user())

    response = token_client(initiative.created_by).post(f"{detail_url(initiative)}leave/")

    assert response.status_code == 409
    assert response.json() == {
        "code": "conflict",
        "detail": "Die letzte Leitung kann nicht gehen: "
        "übergib die Leitung zuerst an ein Mitglied.",
    }
    assert Membership.objects.get(initiative=initiative, user=initiative.created_by).role == "lead"


def test_one_of_two_leads_may_leave(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    with_member(initiative, make_user(), role="lead")

    response = token_client(initiative.created_by).post(f"{detail_url(initiative)}leave/")

    assert response.status_code == 204
    assert Membership.objects.filter(initiative=initiative, role="lead").count() == 1


# --- members -----------------------------------------------------------------------------


def test_members_list_is_public_paginated_and_oldest_first(
    api_client: APIClient, make_user: MakeUser
) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user(username="jonas"))

    response = api_client.get(f"{detail_url(initiative)}members/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(m["user"]["id"], m["role"]) for m in body["results"]] == [
        (initiative.created_by.pk, "lead"),
        (member.pk, "member"),
    ]
    assert set(body["results"][1]["user"]) == {"id", "username", "display_name"}
    assert body["results"][1]["joined_at"]


def test_member_detail_shows_the_role(api_client: APIClient, make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = api_client.get(member_url(initiative, member))

    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert response.json()["user"]["id"] == member.pk


def test_member_detail_of_a_non_member_is_a_404(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    response = token_client(make_user()).get(member_url(initiative, make_user()))

    assert response.status_code == 404


def test_member_id_zero_is_a_404_with_json_detail(api_client: APIClient) -> None:
    initiative = InitiativeFactory()

    response = api_client.get(f"{detail_url(initiative)}members/0/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "user_id", ["999999999999999999", "9223372036854775808", "99999999999999999999999"]
)
def test_member_ids_beyond_any_database_integer_are_a_404(
    api_client: APIClient, user_id: str
) -> None:
    # Not a server error: SQLite cannot even compare integers above 2**63 - 1.
    initiative = InitiativeFactory()

    response = api_client.get(f"{detail_url(initiative)}members/{user_id}/")

    assert response.status_code == 404


def test_lead_promotes_a_member_to_lead(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(initiative.created_by).patch(
        member_url(initiative, member), {"role": "lead"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["role"] == "lead"
    assert Membership.objects.get(initiative=initiative, user=member).role == "lead"


def test_member_cannot_promote_themself(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(member).patch(
        member_url(initiative, member), {"role": "lead"}, format="json"
    )

    assert response.status_code == 403
    assert Membership.objects.get(initiative=initiative, user=member).role == "member"


def test_member_cannot_promote_another_member(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())
    other = with_member(initiative, make_user())

    response = token_client(member).patch(
        member_url(initiative, other), {"role": "lead"}, format="json"
    )

    assert response.status_code == 403
    assert Membership.objects.get(initiative=initiative, user=other).role == "member"


def test_moderator_sets_roles_in_any_initiative(moderator: User, make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(moderator).patch(
        member_url(initiative, member), {"role": "lead"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["role"] == "lead"


def test_demoting_the_last_lead_is_a_conflict(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    lead = initiative.created_by

    response = token_client(lead).patch(
        member_url(initiative, lead), {"role": "member"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "Leitung" in response.json()["detail"]
    assert Membership.objects.get(initiative=initiative, user=lead).role == "lead"


def test_a_lead_may_step_down_once_another_lead_exists(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    lead = initiative.created_by
    with_member(initiative, make_user(), role="lead")

    response = token_client(lead).patch(
        member_url(initiative, lead), {"role": "member"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["role"] == "member"


@pytest.mark.parametrize("role", ["admin", "", None, ["lead"]])
def test_setting_an_unknown_role_is_a_400(make_user: MakeUser, role: Any) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(initiative.created_by).patch(
        member_url(initiative, member), {"role": role}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]


def test_a_patch_that_names_no_role_changes_nothing_but_is_still_the_leads(
    make_user: MakeUser,
) -> None:
    # A PATCH is partial (as the schema says): without `role` the membership stays.
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    by_lead = token_client(initiative.created_by).patch(member_url(initiative, member), {})
    by_member = token_client(member).patch(member_url(initiative, member), {})

    assert (by_lead.status_code, by_lead.json()["role"]) == (200, "member")
    assert by_member.status_code == 403


def test_setting_the_role_of_a_non_member_is_a_404(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    response = token_client(initiative.created_by).patch(
        member_url(initiative, make_user()), {"role": "lead"}, format="json"
    )

    assert response.status_code == 404


def test_lead_removes_a_member(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(initiative.created_by).delete(member_url(initiative, member))

    assert response.status_code == 204
    assert not Membership.objects.filter(initiative=initiative, user=member).exists()


def test_member_removes_themself(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(member).delete(member_url(initiative, member))

    assert response.status_code == 204
    assert not Membership.objects.filter(initiative=initiative, user=member).exists()


def test_member_cannot_remove_another_member(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())
    other = with_member(initiative, make_user())

    response = token_client(member).delete(member_url(initiative, other))

    assert response.status_code == 403
    assert Membership.objects.filter(initiative=initiative, user=other).exists()


def test_member_cannot_remove_the_lead(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    member = with_member(initiative, make_user())

    response = token_client(member).delete(member_url(initiative, initiative.created_by))

    assert response.status_code == 403


def test_last_lead_cannot_remove_themself(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()
    lead = initiative.created_by

    response = token_client(lead).delete(member_url(initiative, lead))

    assert response.status_code == 409
    assert Membership.objects.filter(initiative=initiative, user=lead).exists()


def test_removing_a_non_member_is_a_404(make_user: MakeUser) -> None:
    initiative = InitiativeFactory()

    response = token_client(initiative.created_by).delete(member_url(initiative, make_user()))

    assert response.status_code == 404


def test_anonymous_cannot_change_members(api_client: APIClient) -> None:
    initiative = InitiativeFactory()
    lead = initiative.created_by

    assert api_client.patch(member_url(initiative, lead), {"role": "member"}).status_code == 401
    assert api_client.delete(member_url(initiative, lead)).status_code == 401


# --- categories and districts ----------------------------------------------------------------


def test_districts_are_the_23_stadtbezirke_in_german(api_client: APIClient) -> None:
    response = api_client.get("/api/districts/")

    assert response.status_code == 200
    districts = response.json()
    assert len(districts) == 23
    assert districts[0] == {"slug": "mitte", "name": "Mitte"}
    assert {"slug": "moehringen", "name": "Möhringen"} in districts
    assert {"slug": "sued", "name": "Süd"} in districts


def test_districts_in_english_where_the_city_file_has_english_names(
    api_client: APIClient,
) -> None:
    districts = api_client.get("/api/districts/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert len(districts) == 23
    assert {"slug": "mitte", "name": "Centre"} in districts
    assert {"slug": "sued", "name": "South"} in districts
    # No English name in the file: the German one stays.
    assert {"slug": "moehringen", "name": "Möhringen"} in districts


def test_categories_in_german_by_default_and_in_english_on_request(api_client: APIClient) -> None:
    german = api_client.get("/api/categories/").json()
    english = api_client.get("/api/categories/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert len(german) == len(english) == 8
    assert german[0] == {"slug": "energie", "name": "Energie"}
    assert english[0] == {"slug": "energie", "name": "Energy"}
    assert {"slug": "mobilitaet", "name": "Mobilität"} in german
    assert {"slug": "mobilitaet", "name": "Mobility"} in english


def test_category_detail_by_slug(api_client: APIClient) -> None:
    response = api_client.get("/api/categories/ernaehrung/")

    assert response.status_code == 200
    assert response.json() == {"slug": "ernaehrung", "name": "Ernährung"}
    assert api_client.get("/api/districts/atlantis/").status_code == 404


@pytest.mark.parametrize("url", ["/api/categories/energie%00/", "/api/districts/%00/"])
def test_category_or_district_with_a_nul_byte_is_a_404(api_client: APIClient, url: str) -> None:
    assert api_client.get(url).status_code == 404


def test_initiative_names_follow_the_requested_language(api_client: APIClient) -> None:
    initiative = InitiativeFactory(
        category=Category.objects.get(slug="mobilitaet"), district=District.objects.get(slug="sued")
    )

    body = api_client.get(detail_url(initiative), HTTP_ACCEPT_LANGUAGE="en").json()

    assert (body["category_name"], body["district_name"]) == ("Mobility", "South")


def test_profile_language_wins_over_the_browsers_for_a_signed_in_user(make_user: MakeUser) -> None:
    user = make_user()
    user.profile.language = "en"
    user.profile.save()
    client = APIClient()
    client.force_login(user)

    categories = client.get("/api/categories/", HTTP_ACCEPT_LANGUAGE="de").json()

    assert categories[0]["name"] == "Energy"


def test_categories_and_districts_are_read_only(make_user: MakeUser) -> None:
    client = token_client(make_user())

    assert client.post("/api/categories/", {"slug": "x", "name": "X"}).status_code == 405
    assert client.delete("/api/districts/mitte/").status_code == 405
    assert District.objects.filter(slug="mitte").exists()
