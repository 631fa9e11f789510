from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts import restrictions as account_restrictions
        from moderation.models import Ban, Mute
        from moderation.providers import AccountRestrictions, RoomRestrictions
        from moderation.services.content_reports import forget_reports_of_deleted
        from rooms import grants
        from rooms import restrictions as room_restrictions

        # The rules of the apps beneath obey mutes and bans (moderation/providers.py).
        room_restrictions.restrictions.plug(RoomRestrictions())
        account_restrictions.restrictions.plug(AccountRestrictions())
        # A ban or mute, imposed or lifted, ends the user's posting grants (rooms/grants.py).
        for signal in (post_save, post_delete):
            for model in (Ban, Mute):
                signal.connect(
                    grants.user_changed,
                    sender=model,
                    dispatch_uid=f"grants-{model.__name__}-{signal}",
                )
        # Content deleted by its author takes its reports along (any registered kind).
        post_delete.connect(forget_reports_of_deleted, dispatch_uid="content-reports-deleted")
