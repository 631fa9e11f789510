from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "rooms"
    verbose_name = _("Räume")

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.notifications import register_subject
        from initiatives import lifecycle
        from initiatives.models import Initiative, Membership
        from realtime import streams
        from rooms import grants
        from rooms.models import Room
        from rooms.providers import InitiativeRooms, RoomLogReader

        # The packages beneath call up into rooms through their slots (rooms/providers.py).
        streams.room_log.plug(RoomLogReader())
        # Notifications quote a message only while its reader may read it.
        from rooms.services.mentions import readable_messages

        register_subject("message", readable_messages)
        lifecycle.listener.plug(InitiativeRooms())
        # What can take away the right to post (rooms/grants.py); bans and mutes are
        # connected by moderation, which builds on rooms.
        for signal in (post_save, post_delete):
            signal.connect(grants.room_changed, sender=Room, dispatch_uid=f"grants-room-{signal}")
            signal.connect(
                grants.initiative_changed,
                sender=Initiative,
                dispatch_uid=f"grants-initiative-{signal}",
            )
            for model in (Membership, User):
                signal.connect(
                    grants.user_changed,
                    sender=model,
                    dispatch_uid=f"grants-{model.__name__}-{signal}",
                )
        m2m_changed.connect(
            grants.user_groups_changed, sender=User.groups.through, dispatch_uid="grants-groups"
        )
