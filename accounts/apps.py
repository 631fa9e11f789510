from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from accounts.services import moderators_group_ensure, sockets_close_when_deactivated

        post_migrate.connect(moderators_group_ensure, dispatch_uid="moderators_group_ensure")
        post_save.connect(
            sockets_close_when_deactivated,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="sockets_close_when_deactivated",
        )
