"""REST: registration, token login and the signed-in user's own profile."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import emails, notifications, preferences, selectors, services
from accounts.models import Notification, Profile
from common.auth import current_user
from common.schema import CONFLICT
from common.serializers import (
    EmailTextField,
    ModelSerializer,
    RegexTextField,
    SlugReferenceField,
    StrictBooleanField,
    TextField,
)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 150,
        "description": "Letters (umlauts too), digits and @ . + - _ (Django's username rule).",
    }
)
class UsernameField(RegexTextField):
    """Python's `\\w` takes every letter ("jürgen"); the same pattern in the schema would
    be read with JavaScript's ASCII-only `\\w`, so the schema states the rule in words."""


class RegisterSerializer(serializers.Serializer):
    username = UsernameField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={
            "invalid": _("Nur Buchstaben, Ziffern und die Zeichen @ . + - _ sind erlaubt.")
        },
    )
    email = EmailTextField()
    password = TextField(write_only=True, trim_whitespace=False, max_length=128)
    display_name = TextField(required=False, allow_blank=True, max_length=80)


class ProfileSerializer(ModelSerializer):
    id = serializers.IntegerField(source="user.id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    # The city's districts belong to initiatives; the profile's foreign key names the
    # model, so accounts imports nothing of that app.
    district = SlugReferenceField(
        slug_field="slug",
        queryset=Profile._meta.get_field("district").related_model._default_manager.all(),
        allow_null=True,
        required=False,
    )
    is_moderator = serializers.SerializerMethodField()
    verified = serializers.SerializerMethodField()
    unread_notifications = serializers.SerializerMethodField()

    class Meta:
        model = Profile
        fields = [
            "id",
            "username",
            "email",
            "display_name",
            "district",
            "language",
            "kind",
            "verified",
            "verification_requested_at",
            "digest_opt_in",
            "is_moderator",
            "unread_notifications",
        ]
        read_only_fields = ["kind", "verification_requested_at"]

    def get_is_moderator(self, profile: Profile) -> bool:
        return selectors.is_moderator(profile.user)

    def get_verified(self, profile: Profile) -> bool:
        return profile.is_verified_organisation

    def get_unread_notifications(self, profile: Profile) -> int:
        return notifications.notification_unread_count(user=profile.user)


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: ProfileSerializer})
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.user_register(**serializer.validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        emails.confirmation_send(user=user, site_url=request.build_absolute_uri("/"))
        return Response(ProfileSerializer(user.profile).data, status=status.HTTP_201_CREATED)


class TokenSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    password = TextField(trim_whitespace=False, max_length=128)


class TokenView(APIView):
    """Exchange username and password for the API token (also used by websocket clients)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=TokenSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_sign_in(
            request=request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        return Response({"token": services.token_for(user=user)})


class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ProfileSerializer)
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(services.profile_ensure(user=current_user(request))).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request: Request) -> Response:
        profile = services.profile_ensure(user=current_user(request))
        serializer = ProfileSerializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_update(user=current_user(request), **serializer.validated_data)
        return Response(ProfileSerializer(profile).data)


class VerificationRequestView(APIView):
    """Ask the moderators to verify the organisation you speak for (only verified
    organisations publish offers). Your profile becomes an organisation's."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: ProfileSerializer, 409: CONFLICT})
    def post(self, request: Request) -> Response:
        profile = services.verification_request(user=current_user(request))
        return Response(ProfileSerializer(profile).data)


def _channels_serializer(kind: str) -> serializers.Serializer:
    fields: dict[str, serializers.Field] = {"email": StrictBooleanField(required=False)}
    if kind not in preferences.ALWAYS_IN_APP:  # decisions about you always reach your list
        fields["app"] = StrictBooleanField(required=False)
    return inline_serializer(f"Channels{kind.title()}", fields, required=False)


class PreferencesSerializer(serializers.Serializer):
    """Per kind: `app` (the list, the bell, the live frame) and `email` (batched)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {kind: _channels_serializer(kind) for kind in preferences.DEFAULTS}


class NotificationPreferencesView(APIView):
    """Which notifications reach me where (GET); PATCH changes some: the others stay."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request: Request) -> Response:
        profile = services.profile_ensure(user=current_user(request))
        return Response(preferences.preferences(profile))

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def patch(self, request: Request) -> Response:
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = {kind: dict(chosen) for kind, chosen in serializer.validated_data.items()}
        services.profile_ensure(user=current_user(request))
        return Response(preferences.preferences_set(user=current_user(request), changes=changes))


class NotificationSerializer(serializers.Serializer):
    """For the schema; accounts.notifications.notifications_data renders."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Notification.Kind.choices)
    text = serializers.CharField(help_text="the sentence, with its quote while readable")
    quote = serializers.CharField(help_text="the words quoted; empty once no longer readable")
    url = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationListView(GenericAPIView):
    """My notifications, unread first, then newest first (paginated)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(responses=NotificationSerializer(many=True))
    def get(self, request: Request) -> Response:
        user = current_user(request)
        page = self.paginate_queryset(notifications.notification_list(user=user))
        return self.get_paginated_response(
            notifications.notifications_data(user=user, items=page or [])
        )


class NotificationReadView(APIView):
    """Mark one of my notifications read."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request: Request, notification_id: int) -> Response:
        user = current_user(request)
        notification = notifications.notification_mark_read(
            user=user, notification_id=notification_id
        )
        [data] = notifications.notifications_data(user=user, items=[notification])
        return Response(data)


class NotificationReadAllView(APIView):
    """Mark all my notifications read."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}),
    )
    def post(self, request: Request) -> Response:
        marked = notifications.notification_mark_all_read(user=current_user(request))
        return Response({"marked": marked})
