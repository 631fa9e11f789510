"""REST: reporting, the queue and resolving it, hiding and unhiding, the audit log."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.auth import current_user
from common.errors import forbidden
from common.query import choice_param, int_param
from common.schema import CONFLICT, choice_query, int_query
from common.serializers import TextField, id_field
from moderation import permissions as rules
from moderation import selectors, services
from moderation.api.schema import ActionOut, QueueItemListOut, ReportOut
from moderation.models import ModerationAction, Report
from moderation.rendering import action_data, report_data
from moderation.services.reports import RESOLUTIONS
from moderation.services.validation import REASON_MAX, REPORT_TEXT_MAX
from rooms import selectors as room_selectors
from rooms.permissions import sees_hidden_content


class ReportSerializer(serializers.Serializer):
    message = id_field()
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    text = TextField(max_length=REPORT_TEXT_MAX, required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = TextField(max_length=REASON_MAX)


class OptionalReasonSerializer(serializers.Serializer):
    reason = TextField(max_length=REASON_MAX, required=False, allow_blank=True)


class ResolveSerializer(OptionalReasonSerializer):
    action = serializers.ChoiceField(choices=[(r, r) for r in RESOLUTIONS])


class ReportCreateView(APIView):
    """Report a message: once per person and message; enough reports hide it at once."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReportSerializer, responses={201: ReportOut, 409: CONFLICT})
    def post(self, request: Request) -> Response:
        user = current_user(request)
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_create(
            user=user, message_id=data["message"], reason=data["reason"], text=data.get("text", "")
        )
        return Response(report_data(report, with_reporter=True), status=status.HTTP_201_CREATED)


class QueueView(GenericAPIView):
    """Reported messages waiting for review, most urgent first (docs/moderation.md)."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = Report.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(responses=QueueItemListOut)
    def get(self, request: Request) -> Response:
        user = current_user(request)
        if not rules.can_view_queue(user):
            raise forbidden()
        page = self.paginate_queryset(selectors.queue_groups(viewer=user))
        return self.get_paginated_response(
            selectors.queue_items(viewer=user, groups=list(page or []))
        )


class QueueResolveView(APIView):
    """Decide a reported message: `hide`, `dismiss` or `escalate` (leads to moderators)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ResolveSerializer, responses={200: dict})
    def post(self, request: Request, message_id: int) -> Response:
        user = current_user(request)
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.report_resolve(
            actor=user,
            message_id=message_id,
            action=serializer.validated_data["action"],
            reason=serializer.validated_data.get("reason"),
        )
        return Response(
            room_selectors.message_view(message, for_moderator=sees_hidden_content(user))
        )


class MessageHideView(APIView):
    """Hide a message for everyone but site moderators, live."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReasonSerializer, responses={200: dict})
    def post(self, request: Request, message_id: int) -> Response:
        user = current_user(request)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_hide(
            actor=user, message_id=message_id, reason=serializer.validated_data["reason"]
        )
        return Response(
            room_selectors.message_view(message, for_moderator=sees_hidden_content(user))
        )


class MessageUnhideView(APIView):
    """Show a hidden message again, live."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=OptionalReasonSerializer, responses={200: dict})
    def post(self, request: Request, message_id: int) -> Response:
        user = current_user(request)
        serializer = OptionalReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_unhide(
            actor=user, message_id=message_id, reason=serializer.validated_data.get("reason")
        )
        return Response(
            room_selectors.message_view(message, for_moderator=sees_hidden_content(user))
        )


class LogView(GenericAPIView):
    """The audit log, newest first: moderators all of it, leads their initiatives'.
    Read-only: entries are never edited or deleted."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ActionOut
    queryset = ModerationAction.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(
        parameters=[
            int_query("user", "only actions against this user", minimum=1),
            choice_query("kind", ModerationAction.Kind.values, "only actions of this kind"),
        ],
        responses=ActionOut(many=True),
    )
    def get(self, request: Request) -> Response:
        user = current_user(request)
        if not rules.can_view_log(user):
            raise forbidden()
        target_id = int_param(request, "user", minimum=1)
        kind = choice_param(request, "kind", ModerationAction.Kind.values)
        page = self.paginate_queryset(selectors.log_list(viewer=user, user_id=target_id, kind=kind))
        return self.get_paginated_response([action_data(a) for a in page or []])
