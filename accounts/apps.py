from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from accounts.services import moderators_group_ensure

        post_migrate.connect(moderators_group_ensure, dispatch_uid="moderators_group_ensure")
