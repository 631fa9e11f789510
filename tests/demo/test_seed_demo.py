"""`manage.py seed_demo`: the Stuttgart demo data, idempotent, never created by migrations."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command

from accounts.models import Profile
from accounts.selectors import MODERATORS_GROUP, is_moderator
from community import selectors as community_selectors
from community.models import Adoption
from events import seats
from events import selectors as event_selectors
from initiatives.models import Initiative, Membership
from rooms.models import Room

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = ["lena", "jonas", "mira", "admin"]
DEMO_PASSWORD = "klima-demo"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "profiles": Profile.objects.count(),
        "initiatives": Initiative.objects.count(),
        "memberships": Membership.objects.count(),
        "rooms": Room.objects.count(),
        "moderators": User.objects.filter(groups__name=MODERATORS_GROUP).count(),
    }


def test_migrations_alone_create_no_demo_accounts_or_initiatives() -> None:
    assert not User.objects.filter(username__in=DEMO_ACCOUNTS).exists()
    assert not Initiative.objects.exists()


def test_seed_demo_twice_changes_nothing_the_second_time() -> None:
    seed()
    first = counts()
    slugs = set(Initiative.objects.values_list("slug", flat=True))

    seed()

    assert counts() == first
    assert set(Initiative.objects.values_list("slug", flat=True)) == slugs


def test_seed_demo_reports_what_it_made() -> None:
    assert "Demo data ready" in seed()


def test_seed_demo_makes_enough_initiatives_across_categories_and_districts() -> None:
    seed()

    initiatives = Initiative.objects.all()
    assert initiatives.count() >= 10
    assert initiatives.values("category").distinct().count() >= 3
    assert initiatives.exclude(district=None).values("district").distinct().count() >= 5
    assert not initiatives.filter(status=Initiative.Status.ARCHIVED).exists()


@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_demo_accounts_sign_in_with_the_demo_password(username: str) -> None:
    seed()

    user = authenticate(username=username, password=DEMO_PASSWORD)

    assert user is not None
    assert user.username == username
    assert user.profile.display_name


def test_lena_leads_several_initiatives() -> None:
    seed()

    assert Membership.objects.filter(user__username="lena", role="lead").count() >= 2


def test_jonas_is_a_plain_member_of_some_initiatives() -> None:
    seed()

    jonas = Membership.objects.filter(user__username="jonas")
    assert jonas.filter(role="member").exists()
    assert not jonas.filter(role="lead").exists()


def test_mira_is_a_moderator_but_no_superuser() -> None:
    seed()

    mira = User.objects.get(username="mira")
    assert mira.groups.filter(name=MODERATORS_GROUP).exists()
    assert is_moderator(mira)
    assert not mira.is_superuser


def test_admin_is_a_superuser() -> None:
    seed()

    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff


def test_lena_and_jonas_are_neither_staff_nor_moderators() -> None:
    seed()

    for username in ("lena", "jonas"):
        user = User.objects.get(username=username)
        assert not user.is_staff
        assert not is_moderator(user)


def test_every_demo_initiative_has_an_open_room_allgemein_and_a_lead() -> None:
    seed()

    for initiative in Initiative.objects.all():
        general = Room.objects.filter(initiative=initiative, title="Allgemein")
        assert general.count() == 1, initiative.title
        assert not general.get().members_only
        assert initiative.memberships.filter(role="lead").exists(), initiative.title


def test_seed_demo_makes_at_least_one_city_wide_room() -> None:
    seed()

    assert Room.objects.filter(initiative=None).exists()


def test_seed_demo_keeps_a_changed_password() -> None:
    seed()
    lena = User.objects.get(username="lena")
    lena.set_password("lenas-eigenes-Passwort-2035")
    lena.save()

    seed()

    assert authenticate(username="lena", password="lenas-eigenes-Passwort-2035") is not None


@pytest.mark.django_db
def test_the_demo_has_upcoming_events_and_an_action_day_with_a_nearly_full_shift() -> None:
    call_command("seed_demo", stdout=StringIO())
    upcoming = list(event_selectors.upcoming_events())
    assert len(upcoming) >= 3
    action_day = next(e for e in upcoming if e.action_day)
    shifts = list(action_day.shifts.all())
    assert len(shifts) == 3
    free = [seats.counts(seats.SIGNUPS, s).free for s in shifts]
    assert 1 in free  # "noch 1 Person gesucht"
    assert any(e.initiative is None for e in upcoming)  # a city-wide one


def test_the_demo_has_news_lifehacks_offers_and_needs_with_matches() -> None:
    call_command("seed_demo", stdout=StringIO())
    assert community_selectors.news_listed().count() >= 3
    popular = list(community_selectors.lifehacks_popular())
    assert len(popular) >= 3 and popular[0].adoption_count >= 3
    offers = list(community_selectors.offers_valid())
    assert len(offers) >= 2
    assert all(o.author.profile.is_verified_organisation for o in offers)
    needs = list(community_selectors.needs_open())
    assert len(needs) >= 3
    assert any(community_selectors.offers_for_need(n).exists() for n in needs)
    call_command("seed_demo", stdout=StringIO())  # again: nothing twice
    assert community_selectors.needs_open().count() == len(needs)
    assert Adoption.objects.count() == sum(h.adoption_count for h in popular)
