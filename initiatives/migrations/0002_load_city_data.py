"""Load the city's districts and categories (KLIMA_CITY_FILE, Stuttgart by default).

City data, not demo data: every installation needs it. Another city points
KLIMA_CITY_FILE at its own file before the first migrate, or runs
`manage.py load_city FILE` later.
"""

from django.conf import settings
from django.db import migrations

from initiatives.city import load_city, read_city_file


def forwards(apps, schema_editor):
    data = read_city_file(settings.KLIMA_CITY_FILE)
    load_city(data, apps.get_model("initiatives", "District"), apps.get_model("initiatives", "Category"))


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
