from django.urls import path

import common.converters  # noqa: F401 - registers <id:...>
from presence import api

urlpatterns = [
    path("rooms/<id:room_id>/presence/", api.RoomPresenceView.as_view(), name="room-presence"),
]
