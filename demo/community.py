"""The community part of `manage.py seed_demo`: news, lifehacks with adoptions, a
verified organisation with two offers, and three open needs, so that lists, matches
and the Mach-Mit-Memo of the demo's week are full. Made once: an item whose title
exists already is not made again."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Profile
from community import services
from community.models import Lifehack, Need, News, Offer
from demo import data as demo_data
from demo import pictures
from initiatives.models import Category, District, Initiative


def seed_community(people: dict[str, User], organisation: User) -> None:
    for name in demo_data.MEMO_READERS:
        Profile.objects.filter(user=people[name], email_confirmed_at__isnull=True).update(
            digest_opt_in=True, email_confirmed_at=timezone.now()
        )
    _news(people)
    _lifehacks(people)
    _offers(people, organisation)
    _needs(people)


def organisation_account(username: str, display_name: str, district: str, mira: User) -> User:
    """The demo organisation, verified by mira (profile kind `organisation`)."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@klima-demo.invalid"}
    )
    if created:
        user.set_password(demo_data.DEMO_PASSWORD)
        user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "display_name": display_name,
            "district": District.objects.filter(slug=district).first(),
            "kind": Profile.Kind.ORGANISATION,
            "verified_at": timezone.now(),
            "verified_by": mira,
        },
    )
    return user


def _news(people: dict[str, User]) -> None:
    for spec in demo_data.NEWS:
        if News.objects.filter(title=spec["title"]).exists():
            continue
        initiative = (
            Initiative.objects.get(title=spec["initiative"]) if spec["initiative"] else None
        )
        services.news_create(
            user=people[spec["by"]],
            initiative=initiative,
            title=spec["title"],
            teaser=spec["teaser"],
            body=spec["body"],
            image=pictures.market_stall() if spec.get("picture") else None,
            image_alt=spec.get("picture", ""),
        )


def _lifehacks(people: dict[str, User]) -> None:
    for by, title, body, category, adopted_by in demo_data.LIFEHACKS:
        if Lifehack.objects.filter(title=title).exists():
            continue
        lifehack = services.lifehack_create(
            user=people[by], title=title, body=body, category=Category.objects.get(slug=category)
        )
        for name in adopted_by:
            services.lifehack_adopt(user=people[name], lifehack_id=lifehack.pk)


def _offers(people: dict[str, User], organisation: User) -> None:
    for kind, title, description, category, district, days in demo_data.OFFERS:
        if Offer.objects.filter(title=title).exists():
            continue
        services.offer_create(
            user=organisation,
            kind=kind,
            title=title,
            description=description,
            category=Category.objects.get(slug=category),
            district=District.objects.get(slug=district) if district else None,
            valid_until=timezone.localdate() + timedelta(days=days),
        )


def _needs(people: dict[str, User]) -> None:
    for initiative_title, by, kind, title, description, category in demo_data.NEEDS:
        if Need.objects.filter(title=title).exists():
            continue
        services.need_create(
            user=people[by],
            initiative=Initiative.objects.get(title=initiative_title),
            kind=kind,
            title=title,
            description=description,
            category=Category.objects.get(slug=category),
        )
