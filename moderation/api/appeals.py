"""REST: appeals. The person affected appeals once per action; site moderators decide."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.auth import current_user
from common.query import choice_param
from common.schema import CONFLICT, NOT_BLANK, choice_query
from common.serializers import TextField, id_field
from common.validation import MAX_ID
from moderation import selectors, services
from moderation.api.schema import AppealOut
from moderation.models import Appeal
from moderation.rendering import appeal_data
from moderation.services.appeals import DECISIONS
from moderation.services.validation import APPEAL_TEXT_MAX, REASON_MAX


class AppealSerializer(serializers.Serializer):
    """Name the action by exactly one of `action` (its log id), `message`, `mute`, `ban`."""

    action = id_field(required=False)
    message = id_field(required=False)
    mute = id_field(required=False)
    ban = id_field(required=False)
    text = TextField(max_length=APPEAL_TEXT_MAX)


NAMES = ("action", "message", "mute", "ban")
# "Exactly one of" the names: `oneOf` of the four `required`, so one and only one.
APPEAL_REQUEST_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "properties": {
        **{name: {"type": "integer", "minimum": 1, "maximum": MAX_ID} for name in NAMES},
        "text": {
            "type": "string",
            "minLength": 1,
            "maxLength": APPEAL_TEXT_MAX,
            "pattern": NOT_BLANK,
        },
    },
    "oneOf": [{"required": [name]} for name in NAMES],
}


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[(d, d) for d in DECISIONS])
    reason = TextField(max_length=REASON_MAX, required=False, allow_blank=True)


class AppealListView(GenericAPIView):
    """Moderators: every appeal, open ones first. Everyone else: their own."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AppealOut
    queryset = Appeal.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(
        parameters=[choice_query("status", Appeal.Status.values, "only appeals in this state")],
        responses=AppealOut(many=True),
    )
    def get(self, request: Request) -> Response:
        wanted = choice_param(request, "status", Appeal.Status.values)
        qs = selectors.appeal_list(viewer=current_user(request), status=wanted)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([appeal_data(a) for a in page or []])

    @extend_schema(
        request={"application/json": APPEAL_REQUEST_SCHEMA},
        responses={201: AppealOut, 409: CONFLICT},
    )
    def post(self, request: Request) -> Response:
        serializer = AppealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        appeal = services.appeal_create(
            user=current_user(request),
            text=data["text"],
            action_id=data.get("action"),
            message_id=data.get("message"),
            mute_id=data.get("mute"),
            ban_id=data.get("ban"),
        )
        return Response(appeal_data(appeal), status=status.HTTP_201_CREATED)


class AppealDecideView(APIView):
    """A site moderator decides: `uphold` (the action stays) or `reverse` (undone, live)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=DecisionSerializer, responses={200: AppealOut, 409: CONFLICT})
    def post(self, request: Request, appeal_id: int) -> Response:
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appeal = services.appeal_decide(
            actor=current_user(request),
            appeal_id=appeal_id,
            decision=serializer.validated_data["decision"],
            reason=serializer.validated_data.get("reason"),
        )
        return Response(appeal_data(appeal))
