"""REST: rooms, history pages, threads, presence, and posting as a bot or integration would.

The same services and renderers as the websocket: a message posted here passes
the same rules and reaches subscribers as the same live event.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from asgiref.sync import async_to_sync
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import public_user
from common.auth import current_user
from common.query import int_param, text_param
from common.schema import NOT_BLANK, int_query, text_query
from common.serializers import StrictBooleanField, StrictIntegerField, TextField, id_field
from initiatives.selectors import access_initiative
from presence.services import Snapshot, get_keeper
from rooms import permissions as rules
from rooms import selectors, services
from rooms.models import Room
from rooms.rendering import room_data

HISTORY_LIMIT_DEFAULT = 50
HISTORY_LIMIT_MAX = 200


class RoomSchema(serializers.Serializer):
    """A room as rooms.rendering.room_data renders it (for the schema only)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    initiative = serializers.DictField(allow_null=True, help_text="{id, slug, title} or null")
    members_only = serializers.BooleanField()
    slow_mode_seconds = serializers.IntegerField()
    archived = serializers.BooleanField()
    last_seq = serializers.IntegerField()
    unread = serializers.IntegerField()

    class Meta:
        ref_name = "Room"


MESSAGE_FIELDS: dict[str, serializers.Field] = {
    "id": serializers.IntegerField(),
    "room": serializers.IntegerField(),
    "thread": serializers.IntegerField(allow_null=True),
    "author": serializers.DictField(),
    "body": serializers.CharField(allow_null=True),
    "html": serializers.CharField(allow_null=True),
    "created_at": serializers.DateTimeField(),
    "edited_at": serializers.DateTimeField(allow_null=True),
    "hidden": serializers.BooleanField(),
    "deleted": serializers.BooleanField(),
    "reactions": serializers.DictField(child=serializers.IntegerField()),
    "reply_count": serializers.IntegerField(),
    "client_id": serializers.CharField(),
    "hidden_reason": serializers.CharField(required=False),
    "seq": serializers.IntegerField(),
}
MessageSchema = inline_serializer("Message", MESSAGE_FIELDS)
# A new post's answer adds what the websocket's `ack` says of its mentions.
PostedSchema = inline_serializer(
    "PostedMessage",
    {
        **MESSAGE_FIELDS,
        "mentions": serializers.DictField(
            required=False,
            help_text="only for a new message with mentions: {notified, unreachable, all}",
        ),
    },
)
MessagePageSchema = inline_serializer(
    "MessagePage",
    {
        "results": serializers.ListField(child=serializers.DictField()),
        "next": serializers.URLField(allow_null=True),
    },
)
ThreadSchema = inline_serializer(
    "Thread",
    {
        "root": serializers.DictField(),
        "replies": serializers.ListField(child=serializers.DictField()),
    },
)


class RoomCreateSerializer(serializers.Serializer):
    title = TextField(max_length=80)
    members_only = StrictBooleanField(default=False)


class RoomUpdateSerializer(serializers.Serializer):
    title = TextField(max_length=80, required=False)
    members_only = StrictBooleanField(required=False)
    slow_mode_seconds = StrictIntegerField(min_value=0, max_value=86_400, required=False)
    archived = StrictBooleanField(required=False)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": settings.KLIMA["MESSAGE_MAX_LENGTH"],
        "pattern": NOT_BLANK,
        "description": "Markdown; blank once trimmed, or too long, is `too_long`.",
    }
)
class MessageBodyField(TextField):
    """The service checks the body (rooms.services.validation.clean_body): blank or too
    long is `too_long`, as on the websocket."""


class MessagePostSerializer(serializers.Serializer):
    body = MessageBodyField(trim_whitespace=False, allow_blank=True)
    client_id = TextField(max_length=64)
    thread = id_field(required=False, allow_null=True)


class RoomListView(GenericAPIView):
    """The rooms I can read, with my unread count each."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = Room.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(operation_id="rooms_list", responses={200: RoomSchema(many=True)})
    def get(self, request: Request) -> Response:
        user = current_user(request)
        page = self.paginate_queryset(selectors.room_list(user=user))
        return self.get_paginated_response(
            [room_data(room, unread=room.unread) for room in page or []]  # type: ignore[attr-defined]
        )


class RoomDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: RoomSchema})
    def get(self, request: Request, room_id: int) -> Response:
        user = current_user(request)
        room = selectors.access_room(user=user, room_id=room_id)
        return Response(room_data(room, unread=selectors.unread_count(user=user, room=room)))

    @extend_schema(request=RoomUpdateSerializer, responses={200: RoomSchema})
    def patch(self, request: Request, room_id: int) -> Response:
        user = current_user(request)
        serializer = RoomUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        room = selectors.access_room(user=user, room_id=room_id)
        room = services.room_update(user=user, room=room, **serializer.validated_data)
        return Response(room_data(room, unread=selectors.unread_count(user=user, room=room)))


class InitiativeRoomsView(APIView):
    """An initiative's rooms that I can read; leads add rooms (also members-only ones)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: RoomSchema(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        user = current_user(request)
        initiative = access_initiative(slug=slug)
        rooms = selectors.room_list(user=user).filter(initiative=initiative)
        return Response([room_data(r, unread=r.unread) for r in rooms])  # type: ignore[attr-defined]

    @extend_schema(request=RoomCreateSerializer, responses={201: RoomSchema})
    def post(self, request: Request, slug: str) -> Response:
        user = current_user(request)
        serializer = RoomCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        room = services.room_create_by_lead(
            user=user, initiative=access_initiative(slug=slug), **serializer.validated_data
        )
        return Response(room_data(room, unread=0), status=status.HTTP_201_CREATED)


class MessagesView(APIView):
    """History pages (`before`, `after_seq`, `limit`) and posting."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            int_query("before", "a message id: the page before it", minimum=1),
            int_query(
                "after_seq",
                "the messages whose message.created seq is above it (not with `before`)",
            ),
            int_query("limit", "messages per page, default 50; above 200: 200", minimum=1),
        ],
        responses={200: MessagePageSchema},
    )
    def get(self, request: Request, room_id: int) -> Response:
        user = current_user(request)
        before = int_param(request, "before", minimum=1)
        after_seq = int_param(request, "after_seq")
        if before is not None and after_seq is not None:
            raise ValidationError({"before": [_("Nur `before` oder `after_seq`, nicht beides.")]})
        limit = min(
            int_param(request, "limit", minimum=1) or HISTORY_LIMIT_DEFAULT, HISTORY_LIMIT_MAX
        )
        room = selectors.access_room(user=user, room_id=room_id)
        results, has_next = selectors.history(
            room=room,
            before=before,
            after_seq=after_seq,
            limit=limit,
            for_moderator=rules.sees_hidden_content(user),
        )
        return Response(
            {"results": results, "next": self._next(request, results, has_next, after_seq, limit)}
        )

    @staticmethod
    def _next(
        request: Request,
        results: list[dict[str, Any]],
        has_next: bool,
        after_seq: int | None,
        limit: int,
    ) -> str | None:
        if not has_next or not results:
            return None
        if after_seq is not None:
            query = {"after_seq": results[-1]["seq"], "limit": limit}
        else:
            query = {"before": results[0]["id"], "limit": limit}
        return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")

    @extend_schema(request=MessagePostSerializer, responses={201: PostedSchema, 200: MessageSchema})
    def post(self, request: Request, room_id: int) -> Response:
        user = current_user(request)
        serializer = MessagePostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        posted = services.message_post(
            user=user,
            room_id=room_id,
            body=serializer.validated_data["body"],
            client_id=serializer.validated_data["client_id"],
            thread_id=serializer.validated_data.get("thread"),
        )
        data = selectors.message_view(posted.message, for_moderator=rules.sees_hidden_content(user))
        if posted.mentions is not None:
            data = {**data, "mentions": posted.mentions.as_frame()}
        return Response(
            data, status=status.HTTP_201_CREATED if posted.created else status.HTTP_200_OK
        )


class ThreadView(APIView):
    """A thread: its root message and the replies, oldest first."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ThreadSchema})
    def get(self, request: Request, room_id: int, message_id: int) -> Response:
        user = current_user(request)
        room = selectors.access_room(user=user, room_id=room_id)
        message = selectors.access_message(room=room, message_id=message_id)
        root = message if message.thread_id is None else message.thread
        assert root is not None
        messages = selectors.thread(
            room=room, root=root, for_moderator=rules.sees_hidden_content(user)
        )
        return Response({"root": messages[0], "replies": messages[1:]})


async def _presence_snapshot(room_id: int) -> Snapshot:
    return await get_keeper().snapshot(room_id)


MENTION_PREFIX_MAX = 30


class RoomMentionableView(APIView):
    """Whom the composer offers after `@`: up to 8 people who may read the room, whose
    user name or display name starts with `q`."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[text_query("q", "the letters typed after @", maximum=MENTION_PREFIX_MAX)],
        responses={200: inline_serializer("Mentionable", {"results": serializers.ListField()})},
    )
    def get(self, request: Request, room_id: int) -> Response:
        room = selectors.access_room(user=current_user(request), room_id=room_id)
        prefix = text_param(request, "q", maximum=MENTION_PREFIX_MAX)
        people = selectors.mentionable(room=room, prefix=prefix)
        return Response({"results": [public_user(person) for person in people]})


class RoomPresenceView(APIView):
    """Who is in the room right now: exactly who may read the room may see it (404 for
    unknown rooms, 403 for members-only rooms of an initiative the user is not in)."""

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
        room = selectors.access_room(user=current_user(request), room_id=room_id)
        snapshot = async_to_sync(_presence_snapshot)(room.pk)
        body: dict[str, Any] = {"room": room.pk, "presence": snapshot.presence}
        if snapshot.counts is not None:
            body["counts"] = snapshot.counts
        return Response(body)
