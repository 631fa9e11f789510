"""`manage.py seed_demo`: the Stuttgart demo data. Idempotent: running it again changes nothing.

Demo accounts exist only where this command ran; migrations never create them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from accounts.selectors import MODERATORS_GROUP
from common import ratelimit
from demo import data as demo_data
from demo.community import organisation_account, seed_community
from events import services as event_services
from events.models import Event
from initiatives import services
from initiatives.models import Category, District, Initiative
from rooms.models import Room
from rooms.services import message_post, room_create


class Command(BaseCommand):
    help = "Load the Stuttgart demo data (demo accounts with the password 'klima-demo')."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        people = {name: self._person(name, *spec) for name, spec in demo_data.PEOPLE.items()}
        for title in demo_data.CITY_WIDE_ROOMS:
            if not Room.objects.filter(initiative=None, title=title).exists():
                room_create(initiative=None, title=title)
        created = 0
        for spec in demo_data.INITIATIVES:
            created += self._initiative(spec, people)
        self._chat(people)
        self._events(people)
        organisation = organisation_account(*demo_data.ORGANISATION, mira=people["mira"])
        seed_community(people, organisation)
        self.stdout.write(
            f"Demo data ready: {len(people) + 1} accounts, {len(demo_data.INITIATIVES)} "
            f"initiatives ({created} new), {len(demo_data.CITY_WIDE_ROOMS)} city-wide rooms, "
            f"{len(demo_data.EVENTS)} upcoming events, {len(demo_data.NEWS)} news, "
            f"{len(demo_data.LIFEHACKS)} lifehacks, {len(demo_data.OFFERS)} offers, "
            f"{len(demo_data.NEEDS)} needs."
        )

    def _person(self, username: str, display_name: str, district: str, role: str) -> User:
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@klima-demo.invalid"}
        )
        if created:
            user.set_password(demo_data.DEMO_PASSWORD)
        user.is_staff = role in {"moderator", "superuser"}
        user.is_superuser = role == "superuser"
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": display_name,
                "district": District.objects.filter(slug=district).first(),
            },
        )
        if role == "moderator":
            user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
        return user

    def _events(self, people: dict[str, User]) -> None:
        """Upcoming events (one action day with three shifts, one nearly full), made once:
        an event of that title is not made again."""
        today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        for spec in demo_data.EVENTS:
            if Event.objects.filter(title=spec["title"]).exists():
                continue
            initiative = (
                Initiative.objects.get(title=spec["initiative"]) if spec["initiative"] else None
            )
            start = (today + timedelta(days=spec["days"])).replace(hour=spec["hour"])
            event = event_services.event_create(
                user=people[spec["by"]],
                initiative=initiative,
                title=spec["title"],
                description=spec["description"],
                start=start,
                end=start + timedelta(hours=spec["hours"]),
                place=spec["place"],
                capacity=spec["capacity"],
                action_day=spec.get("action_day", False),
            )
            for name in spec["going"]:
                event_services.rsvp_take(user=people[name], event_id=event.pk)
            if initiative is not None:
                self._shifts(spec["shifts"], event, initiative, people[spec["by"]], people)

    def _shifts(
        self,
        shifts: list[Any],
        event: Event,
        initiative: Initiative,
        lead: User,
        people: dict[str, User],
    ) -> None:
        """The event's volunteer shifts, and who has signed up for them already."""
        for title, hour, hours, capacity, names in shifts:
            shift_start = event.start.replace(hour=hour)
            shift = event_services.shift_create(
                user=lead,
                initiative=initiative,
                event=event,
                title=title,
                start=shift_start,
                end=shift_start + timedelta(hours=hours),
                capacity=capacity,
            )
            for name in names:
                event_services.signup_take(user=people[name], shift_id=shift.pk)

    def _chat(self, people: dict[str, User]) -> None:
        """Demo messages; their client_ids make a second run store nothing new. The posting
        rate limit is for people typing, not for loading demo data."""
        with ratelimit.suspended():
            self._post_chat(people)

    def _post_chat(self, people: dict[str, User]) -> None:
        for number, (place, author, text) in enumerate(demo_data.CHAT):
            room = (
                Room.objects.filter(initiative=None, title=place).first()
                or Room.objects.filter(initiative__title=place, title="Allgemein").first()
            )
            if room is not None:
                message_post(
                    user=people[author],
                    room_id=room.pk,
                    body=text,
                    client_id=f"seed-demo-{number}",
                )

    def _initiative(self, spec: dict[str, Any], people: dict[str, User]) -> int:
        existing = Initiative.objects.filter(title=spec["title"]).first()
        created = existing is None
        initiative = existing or services.initiative_create(
            user=people[spec["lead"]],
            title=spec["title"],
            summary=spec["summary"],
            description=spec["description"],
            category=Category.objects.get(slug=spec["category"]),
            district=District.objects.get(slug=spec["district"]),
            status=spec["status"],
        )
        for username in spec["members"]:
            services.initiative_join(user=people[username], initiative=initiative)
        return int(created)
