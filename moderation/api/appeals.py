"""REST: appeals. The person affected appeals once per action; site moderators decide."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.auth import current_user
from moderation import selectors, services
from moderation.api.schema import AppealOut
from moderation.models import Appeal
from moderation.rendering import appeal_data
from moderation.services.appeals import DECISIONS
from moderation.services.validation import APPEAL_TEXT_MAX, REASON_MAX


class AppealSerializer(serializers.Serializer):
    """Name the action by exactly one of `action` (its log id), `message`, `mute`, `ban`."""

    action = serializers.IntegerField(required=False)
    message = serializers.IntegerField(required=False)
    mute = serializers.IntegerField(required=False)
    ban = serializers.IntegerField(required=False)
    text = serializers.CharField(max_length=APPEAL_TEXT_MAX)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[(d, d) for d in DECISIONS])
    reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True)


class AppealListView(GenericAPIView):
    """Moderators: every appeal, open ones first. Everyone else: their own."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AppealOut
    queryset = Appeal.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=Appeal.Status.values)],
        responses=AppealOut(many=True),
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status") or None
        if wanted is not None and wanted not in Appeal.Status.values:
            raise serializers.ValidationError({"status": [_("Unbekannter Status.")]})
        qs = selectors.appeal_list(viewer=current_user(request), status=wanted)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([appeal_data(a) for a in page or []])

    @extend_schema(request=AppealSerializer, responses={201: AppealOut})
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

    @extend_schema(request=DecisionSerializer, responses={200: AppealOut})
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
