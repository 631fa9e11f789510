from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import m2m_changed, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from django.contrib.auth.models import User

        from accounts.services import (
            moderators_group_ensure,
            sockets_follow_account,
            sockets_refresh_role,
        )

        post_migrate.connect(moderators_group_ensure, dispatch_uid="moderators_group_ensure")
        post_save.connect(
            sockets_follow_account,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="sockets_follow_account",
        )
        m2m_changed.connect(
            sockets_refresh_role, sender=User.groups.through, dispatch_uid="sockets_refresh_role"
        )
