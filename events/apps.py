from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        from events.live import SeatCounters
        from rooms import watching

        # The consumer's `watch` serves the seat counters of events (events/live.py).
        watching.counters.plug(SeatCounters())
