"""REST: organisations for the site moderators: the requests to be verified and the
verified ones; the decision, with its audit entry."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Profile
from accounts.selectors import is_moderator, public_user
from common.auth import current_user
from common.errors import forbidden
from common.query import choice_param
from common.schema import choice_query
from common.serializers import StrictBooleanField, TextField
from common.times import iso
from moderation import selectors, services
from moderation.services.validation import REASON_MAX

STATUSES = ["pending", "verified"]


class OrganisationOut(serializers.Serializer):
    user = serializers.DictField()
    district = serializers.CharField(allow_null=True)
    verification_requested_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)


class VerificationIn(serializers.Serializer):
    verified = StrictBooleanField()
    reason = TextField(max_length=REASON_MAX, required=False, allow_blank=True)


def organisation_data(profile: Profile) -> dict[str, Any]:
    return {
        "user": public_user(profile.user),
        "district": profile.district.slug if profile.district else None,
        "verification_requested_at": iso(profile.verification_requested_at),
        "verified_at": iso(profile.verified_at),
    }


class OrganisationListView(GenericAPIView):
    """`?status=pending` (default): waiting for a decision; `verified`: verified ones."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = OrganisationOut
    queryset = Profile.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(
        parameters=[choice_query("status", STATUSES, "pending (default) or verified")],
        responses=OrganisationOut(many=True),
    )
    def get(self, request: Request) -> Response:
        if not is_moderator(current_user(request)):
            raise forbidden()
        status = choice_param(request, "status", STATUSES) or "pending"
        page = self.paginate_queryset(selectors.organisations(status=status))
        return self.get_paginated_response([organisation_data(p) for p in page or []])


class OrganisationVerificationView(APIView):
    """Verify an organisation (`verified: true`), or refuse or take it back (`false`,
    with a `reason` the organisation is told)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VerificationIn, responses={200: OrganisationOut})
    def post(self, request: Request, user_id: int) -> Response:
        serializer = VerificationIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.organisation_verify(
            actor=current_user(request),
            user_id=user_id,
            verified=serializer.validated_data["verified"],
            reason=serializer.validated_data.get("reason") or None,
        )
        return Response(organisation_data(profile))
