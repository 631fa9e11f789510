"""`manage.py load_city [FILE]`: load or update the city's districts and categories."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from initiatives.city import load_city, read_city_file
from initiatives.models import Category, District


class Command(BaseCommand):
    help = "Load the city's districts and categories from a JSON file (default: KLIMA_CITY_FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=settings.KLIMA_CITY_FILE)

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            data = read_city_file(file)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            districts, categories = load_city(data, District, Category)
        self.stdout.write(
            f"{data.get('city', file)}: {districts} districts, {categories} categories"
        )
