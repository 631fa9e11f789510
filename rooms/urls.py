from django.urls import path

import common.converters  # noqa: F401 - registers <id:...>
from rooms import api

urlpatterns = [
    path("rooms/", api.RoomListView.as_view(), name="room-list"),
    path("rooms/<id:room_id>/", api.RoomDetailView.as_view(), name="room-detail"),
    path("rooms/<id:room_id>/messages/", api.MessagesView.as_view(), name="room-messages"),
    path(
        "rooms/<id:room_id>/threads/<id:message_id>/",
        api.ThreadView.as_view(),
        name="room-thread",
    ),
    path("rooms/<id:room_id>/presence/", api.RoomPresenceView.as_view(), name="room-presence"),
    path(
        "rooms/<id:room_id>/mentionable/",
        api.RoomMentionableView.as_view(),
        name="room-mentionable",
    ),
    path(
        "initiatives/<slug:slug>/rooms/",
        api.InitiativeRoomsView.as_view(),
        name="initiative-rooms",
    ),
]
