from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from community.kinds import register_kinds

        # Moderation hides news, lifehacks, offers and needs (common/moderated.py).
        register_kinds()
