from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        from common import moderated
        from events.models import Event
        from events.providers import SeatCounters
        from events.rendering import page_of
        from rooms import watching

        # The consumer's `watch` serves the seat counters of events (events/providers.py).
        watching.counters.plug(SeatCounters())
        # Moderation hides events like the other community content (common/moderated.py).
        moderated.register(
            moderated.ContentKind(
                name="event",
                model=Event,
                label=_("Veranstaltung"),
                author=lambda event: event.created_by,
                initiative=lambda event: event.initiative,
                title=lambda event: event.title,
                url=page_of,
            )
        )
