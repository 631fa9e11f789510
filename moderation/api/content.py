"""REST for community content that is not a message (common/moderated.py): reporting
it, the queue of its reports and deciding them, hiding and unhiding it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.auth import current_user
from common.errors import forbidden
from common.schema import CONFLICT
from common.serializers import TextField
from moderation import permissions as rules
from moderation import selectors, services
from moderation.api.queue import OptionalReasonSerializer, ReasonSerializer, ResolveSerializer
from moderation.api.schema import ContentQueueItemListOut, ContentReportOut
from moderation.models import ContentReport, Report
from moderation.rendering import content_report_data
from moderation.services.validation import REPORT_TEXT_MAX


def _content_state(kind: str, item: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": item.pk,
        "hidden": item.hidden_at is not None,
        "hidden_reason": item.hidden_reason,
    }


CONTENT_STATE = inline_serializer(
    "ContentState",
    {
        "kind": serializers.CharField(),
        "id": serializers.IntegerField(),
        "hidden": serializers.BooleanField(),
        "hidden_reason": serializers.CharField(),
    },
)


class ContentReportSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    text = TextField(max_length=REPORT_TEXT_MAX, required=False, allow_blank=True)


class ContentReportView(APIView):
    """Report an event, news item, lifehack, offer or need: once per person and item;
    it joins the queue of its initiative's leads and the site moderators."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=ContentReportSerializer, responses={201: ContentReportOut, 409: CONFLICT}
    )
    def post(self, request: Request, kind: str, content_id: int) -> Response:
        user = current_user(request)
        serializer = ContentReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.content_report_create(
            user=user,
            kind=kind,
            content_id=content_id,
            reason=serializer.validated_data["reason"],
            text=serializer.validated_data.get("text", ""),
        )
        return Response(
            content_report_data(report, with_reporter=True), status=status.HTTP_201_CREATED
        )


class ContentQueueView(GenericAPIView):
    """Reported content waiting for review: escalated first, then the most reported."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = ContentReport.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(responses=ContentQueueItemListOut)
    def get(self, request: Request) -> Response:
        user = current_user(request)
        if not rules.can_view_queue(user):
            raise forbidden()
        page = self.paginate_queryset(selectors.content_queue_groups(viewer=user))
        return self.get_paginated_response(
            selectors.content_queue_items(viewer=user, groups=list(page or []))
        )


class ContentResolveView(APIView):
    """Decide an item's reports: `hide` it, `dismiss` them, or `escalate` them (leads)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ResolveSerializer, responses={200: CONTENT_STATE})
    def post(self, request: Request, kind: str, content_id: int) -> Response:
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.content_report_resolve(
            actor=current_user(request),
            kind=kind,
            content_id=content_id,
            action=serializer.validated_data["action"],
            reason=serializer.validated_data.get("reason"),
        )
        return Response(_content_state(kind, item))


class ContentHideView(APIView):
    """Hide community content that is not a message (`kind`: `event`, ...): it leaves
    every list, feed and page; its author is told and may appeal."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReasonSerializer, responses={200: CONTENT_STATE})
    def post(self, request: Request, kind: str, content_id: int) -> Response:
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.content_hide(
            actor=current_user(request),
            kind=kind,
            content_id=content_id,
            reason=serializer.validated_data["reason"],
        )
        return Response(_content_state(kind, item))


class ContentUnhideView(APIView):
    """Show hidden community content again."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=OptionalReasonSerializer, responses={200: CONTENT_STATE})
    def post(self, request: Request, kind: str, content_id: int) -> Response:
        serializer = OptionalReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.content_unhide(
            actor=current_user(request),
            kind=kind,
            content_id=content_id,
            reason=serializer.validated_data.get("reason"),
        )
        return Response(_content_state(kind, item))
