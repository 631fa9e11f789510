"""REST: mutes and bans. POST imposes one, GET lists them, DELETE lifts one.

Site moderators see every mute and ban, leads those in their initiatives, and
everyone their own (with the `action` to name in an appeal).
"""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from common.auth import current_user
from common.errors import not_found
from common.query import bool_param
from common.schema import bool_query
from common.serializers import StrictIntegerField, TextField, id_field
from common.validation import clean_id
from moderation import selectors, services
from moderation.api.schema import RestrictionOut, ScopeField
from moderation.models import Ban, ModerationAction, Mute, Restriction
from moderation.rendering import restriction_data
from moderation.services.validation import DURATION_MAX, REASON_MAX


class RestrictionSerializer(serializers.Serializer):
    user = id_field()
    scope = ScopeField()
    duration = StrictIntegerField(
        allow_null=True,
        min_value=1,
        max_value=DURATION_MAX,
        help_text="seconds; null: until lifted",
    )
    reason = TextField(max_length=REASON_MAX)


class LiftSerializer(serializers.Serializer):
    reason = TextField(max_length=REASON_MAX, required=False, allow_blank=True)


def _with_actions(items: list[Restriction], kind: str, field: str) -> list[dict[str, Any]]:
    """Each item with the id of the log entry that imposed it."""
    actions = dict(
        ModerationAction.objects.filter(kind=kind, **{f"{field}__in": [i.pk for i in items]})
        .order_by(field, "pk")
        .values_list(field, "pk")
    )
    return [restriction_data(item, action_id=actions.get(item.pk)) for item in items]


class _RestrictionList(GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RestrictionOut
    kind: ClassVar[str]
    field: ClassVar[str]

    def _list(self, request: Request) -> Any:
        raise NotImplementedError

    def _impose(self, request: Request, **data: Any) -> Restriction:
        raise NotImplementedError

    @extend_schema(
        parameters=[bool_query("active", "only those in force (true) or not (false)")],
        responses=RestrictionOut(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self._list(request))
        return self.get_paginated_response(_with_actions(list(page or []), self.kind, self.field))

    @extend_schema(request=RestrictionSerializer, responses={201: RestrictionOut})
    def post(self, request: Request) -> Response:
        serializer = RestrictionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = self._impose(request, **serializer.validated_data)
        [data] = _with_actions([item], self.kind, self.field)
        return Response(data, status=status.HTTP_201_CREATED)


class _RestrictionDetail(GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RestrictionOut
    kind: ClassVar[str]
    field: ClassVar[str]

    def _list(self, request: Request) -> Any:
        raise NotImplementedError

    def _lift(self, request: Request, item_id: int, reason: str | None) -> Restriction:
        raise NotImplementedError

    def get(self, request: Request, item_id: int) -> Response:
        item = self._list(request).filter(pk=clean_id(item_id, field="id")).first()
        if item is None:
            raise not_found()
        [data] = _with_actions([item], self.kind, self.field)
        return Response(data)

    @extend_schema(request=LiftSerializer, responses={200: RestrictionOut})
    def delete(self, request: Request, item_id: int) -> Response:
        serializer = LiftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data.get("reason") or request.query_params.get("reason")
        # What one may not see does not exist for them (as GET): 404, not 403.
        if not self._list(request).filter(pk=clean_id(item_id, field="id")).exists():
            raise not_found()
        item = self._lift(request, item_id, reason)
        [data] = _with_actions([item], self.kind, self.field)
        return Response(data)


class MuteListView(_RestrictionList):
    """Mutes: `user`, `scope`, `duration` (seconds or null), `reason` → the mute."""

    kind, field = ModerationAction.Kind.MUTE, "mute_id"
    queryset = Mute.objects.none()  # for the schema; the list comes from the selector

    def _list(self, request: Request) -> Any:
        return selectors.mute_list(
            viewer=current_user(request), active=bool_param(request, "active")
        )

    def _impose(self, request: Request, **data: Any) -> Mute:
        return services.member_mute(actor=current_user(request), user_id=data.pop("user"), **data)


class MuteDetailView(_RestrictionDetail):
    """One mute; DELETE lifts it (live: the person gets `unmuted`)."""

    kind, field = ModerationAction.Kind.MUTE, "mute_id"

    def _list(self, request: Request) -> Any:
        return selectors.mute_list(viewer=current_user(request))

    def _lift(self, request: Request, item_id: int, reason: str | None) -> Mute:
        return services.mute_lift(actor=current_user(request), mute_id=item_id, reason=reason)


class BanListView(_RestrictionList):
    """Bans (site moderators): the same body as mutes → the ban."""

    kind, field = ModerationAction.Kind.BAN, "ban_id"
    queryset = Ban.objects.none()  # for the schema; the list comes from the selector

    def _list(self, request: Request) -> Any:
        return selectors.ban_list(
            viewer=current_user(request), active=bool_param(request, "active")
        )

    def _impose(self, request: Request, **data: Any) -> Ban:
        return services.member_ban(actor=current_user(request), user_id=data.pop("user"), **data)


class BanDetailView(_RestrictionDetail):
    """One ban; DELETE lifts it (live: the person gets `unbanned`)."""

    kind, field = ModerationAction.Kind.BAN, "ban_id"

    def _list(self, request: Request) -> Any:
        return selectors.ban_list(viewer=current_user(request))

    def _lift(self, request: Request, item_id: int, reason: str | None) -> Ban:
        return services.ban_lift(actor=current_user(request), ban_id=item_id, reason=reason)
