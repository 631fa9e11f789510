"""Loading the city data file (districts and categories) that another city replaces."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any


def read_city_file(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    for key in ("districts", "categories"):
        if not isinstance(data.get(key), list) or not data[key]:
            raise ValueError(f"{path}: '{key}' must be a non-empty list")
        for entry in data[key]:
            if not entry.get("slug") or not entry.get("name"):
                raise ValueError(f"{path}: every entry of '{key}' needs 'slug' and 'name'")
    return data


def load_city(data: dict[str, Any], district_model: Any, category_model: Any) -> tuple[int, int]:
    """Upsert the entries by slug, in file order. Existing rows not in the file are kept
    (initiatives may refer to them); remove them in the admin once nothing uses them."""
    for model, key in ((district_model, "districts"), (category_model, "categories")):
        for position, entry in enumerate(data[key]):
            model.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name": entry["name"],
                    "name_en": entry.get("name_en", ""),
                    "position": position,
                },
            )
    return len(data["districts"]), len(data["categories"])


@lru_cache(maxsize=1)
def _city_file() -> dict[str, Any]:
    from django.conf import settings

    try:
        return read_city_file(settings.KLIMA_CITY_FILE)
    except (OSError, ValueError):
        return {}


def nearby_districts(slug: str) -> set[str]:
    """The district and the ones that border it (the file's `neighbours`; a city file
    without them: the district alone). Offers and needs match across these."""
    for entry in _city_file().get("districts", []):
        if entry.get("slug") == slug:
            return {slug, *entry.get("neighbours", [])}
    return {slug}


@lru_cache(maxsize=1)
def city_name() -> str:
    """The city this installation serves, from its city data file ("Stuttgart")."""
    return str(_city_file().get("city", ""))
