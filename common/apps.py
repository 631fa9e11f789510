from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """`common` has no models; it is an app for its system check (common/slots.py) and to
    register its schema extensions (common/schema.py) before any schema is made."""

    name = "common"
    verbose_name = _("Gemeinsames")

    def ready(self) -> None:
        from django.core import checks

        import common.schema  # noqa: F401 - registers its drf-spectacular extensions
        from common.slots import check_slots_plugged

        checks.register(check_slots_plugged)
