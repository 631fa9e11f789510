from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        from accounts.notifications import register_subject
        from common import moderated
        from events.models import Event
        from events.providers import SeatCounters
        from events.rendering import page_of
        from rooms import watching

        # The consumer's `watch` serves the seat counters of events (events/providers.py).
        watching.counters.plug(SeatCounters())
        # Moderation hides events like the other community content (common/moderated.py).
        kind = moderated.ContentKind(
            name="event",
            model=Event,
            label=_("Veranstaltung"),
            author=lambda event: event.created_by,
            initiative=lambda event: event.initiative,
            title=lambda event: event.title,
            url=page_of,
        )
        moderated.register(kind)
        # A notification quotes an event while it is not hidden (accounts/notifications.py).
        register_subject("event", lambda user, ids: moderated.visible_among(kind, ids))
