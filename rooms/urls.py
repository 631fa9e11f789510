from django.urls import path

from rooms import api

urlpatterns = [
    path("rooms/", api.RoomListView.as_view(), name="room-list"),
    path("rooms/<int:room_id>/", api.RoomDetailView.as_view(), name="room-detail"),
    path("rooms/<int:room_id>/messages/", api.MessagesView.as_view(), name="room-messages"),
    path(
        "rooms/<int:room_id>/threads/<int:message_id>/",
        api.ThreadView.as_view(),
        name="room-thread",
    ),
    path(
        "initiatives/<slug:slug>/rooms/",
        api.InitiativeRoomsView.as_view(),
        name="initiative-rooms",
    ),
]
