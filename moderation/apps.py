from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from moderation.models import Ban, Mute
        from rooms import grants

        # A ban or mute, imposed or lifted, ends the user's posting grants (rooms/grants.py).
        for signal in (post_save, post_delete):
            for model in (Ban, Mute):
                signal.connect(
                    grants.user_changed,
                    sender=model,
                    dispatch_uid=f"grants-{model.__name__}-{signal}",
                )
