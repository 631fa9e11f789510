"""A GIN index on the German text vector of messages, for search on PostgreSQL
(search/engine.py queries the same expression). Built CONCURRENTLY, so that a running
site keeps posting while it is made (hence not atomic). SQLite has no such index: its
search is a plain substring match (docs/search.md)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = "rooms_message_body_german"


def _index() -> GinIndex:
    return GinIndex(SearchVector("body", config="german"), name=INDEX)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("rooms", "Message"), _index(), concurrently=True)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("rooms", "Message"), _index(), concurrently=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("rooms", "0002_mentions")]

    operations = [migrations.RunPython(create, drop)]
