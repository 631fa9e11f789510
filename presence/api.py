"""REST: who is in a room right now (`GET /api/rooms/{id}/presence/`)."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.auth import current_user
from presence.services import Snapshot, get_keeper
from rooms.selectors import access_room


async def _snapshot(room_id: int) -> Snapshot:
    return await get_keeper().snapshot(room_id)


class RoomPresenceView(APIView):
    """The room's presence snapshot; 404 for unknown rooms, 403 for members-only rooms
    of an initiative the user is not in (rooms.permissions.can_read_room)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={
            200: inline_serializer(
                "RoomPresence",
                {
                    "room": serializers.IntegerField(),
                    "presence": serializers.ListField(child=serializers.DictField()),
                    "counts": serializers.DictField(required=False),
                },
            )
        }
    )
    def get(self, request: Request, room_id: int) -> Response:
        room = access_room(user=current_user(request), room_id=room_id)
        snapshot = async_to_sync(_snapshot)(room.pk)
        body: dict[str, Any] = {"room": room.pk, "presence": snapshot.presence}
        if snapshot.counts is not None:
            body["counts"] = snapshot.counts
        return Response(body)
