from django.urls import path

from presence import api

urlpatterns = [
    path("rooms/<int:room_id>/presence/", api.RoomPresenceView.as_view(), name="room-presence"),
]
