from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from community.kinds import register_kinds
        from community.models import News
        from community.services import forget_picture

        # Moderation hides news, lifehacks, offers and needs (common/moderated.py).
        register_kinds()
        post_delete.connect(forget_picture, sender=News, dispatch_uid="news-picture")
