"""REST: initiatives, their members, and the city's categories and districts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors import public_user
from common.auth import current_user
from common.schema import CONFLICT
from common.serializers import ModelSerializer, SlugReferenceField
from initiatives import permissions as rules
from initiatives import selectors, services
from initiatives.filters import InitiativeFilter
from initiatives.models import Category, District, Initiative, Membership


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="localized_name")

    class Meta:
        model = Category
        fields = ["slug", "name"]


class DistrictSerializer(CategorySerializer):
    class Meta:
        model = District
        fields = ["slug", "name"]


FOLLOWING = inline_serializer("Following", {"following": serializers.BooleanField()})
WRITABLE_STATUSES = [s for s in Initiative.Status.values if s != Initiative.Status.ARCHIVED]


class StatusField(serializers.ChoiceField):
    """An initiative's status: set to idea, active or done; it shows as archived too
    once archived (deleting archives: DELETE)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=WRITABLE_STATUSES, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value


class StatusFieldSchema(OpenApiSerializerFieldExtension):
    """The schema tells both: what may be sent, and what may come back."""

    target_class = StatusField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        values = Initiative.Status.values if direction == "response" else WRITABLE_STATUSES
        return {"type": "string", "enum": list(values)}


class InitiativeSerializer(ModelSerializer):
    category = SlugReferenceField(slug_field="slug", queryset=Category.objects.all())
    district = SlugReferenceField(
        slug_field="slug", queryset=District.objects.all(), allow_null=True, required=False
    )
    # Method fields: a source through a null district is left out of a PATCH's answer
    # by DRF (its default is skipped in partial updates), and the schema says it is there.
    category_name = serializers.SerializerMethodField()
    district_name = serializers.SerializerMethodField()
    member_count = serializers.IntegerField(read_only=True, default=0)
    my_role = serializers.SerializerMethodField()
    status = StatusField(required=False)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "description",
            "description_html",
            "category",
            "category_name",
            "district",
            "district_name",
            "status",
            "member_count",
            "my_role",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "description_html", "created_at", "updated_at"]
        extra_kwargs = {"title": {"min_length": 3}, "summary": {"min_length": 3}}

    def get_category_name(self, initiative: Initiative) -> str:
        return initiative.category.localized_name

    def get_district_name(self, initiative: Initiative) -> str | None:
        return initiative.district.localized_name if initiative.district else None

    def get_my_role(self, initiative: Initiative) -> str | None:
        request = self.context.get("request")
        return rules.role_in(request.user, initiative) if request else None


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at"]

    def get_user(self, membership: Membership) -> dict[str, Any]:
        return dict(public_user(membership.user))


class RoleSerializer(serializers.Serializer):
    """A partial update: without `role`, nothing changes."""

    role = serializers.ChoiceField(choices=Membership.Role.choices, required=False)


class InitiativeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Initiatives: anyone reads, signed-in users create and join, leads edit and archive."""

    serializer_class = InitiativeSerializer
    lookup_field = "slug"
    filterset_class = InitiativeFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self) -> QuerySet[Initiative]:
        include_archived = (
            self.action != "list"
            or self.request.query_params.get("status") == Initiative.Status.ARCHIVED
        )
        return selectors.initiative_list(include_archived=include_archived)

    def get_object(self) -> Initiative:
        return selectors.access_initiative(slug=self.kwargs["slug"])

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.initiative_create(
            user=current_user(self.request), **serializer.validated_data
        )
        serializer.instance.member_count = 1  # type: ignore[attr-defined]

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.initiative_update(
            user=current_user(self.request),
            initiative=self.get_object(),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Initiative) -> None:
        services.initiative_archive(user=current_user(self.request), initiative=instance)

    @extend_schema(request=None, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def join(self, request: Request, slug: str) -> Response:
        membership = services.initiative_join(
            user=current_user(request), initiative=self.get_object()
        )
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=None, responses={204: None, 409: CONFLICT})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def leave(self, request: Request, slug: str) -> Response:
        services.initiative_leave(user=current_user(request), initiative=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET", "POST", "DELETE"], request=None, responses={200: FOLLOWING})
    @action(
        detail=True,
        methods=["get", "post", "delete"],
        permission_classes=[permissions.IsAuthenticated],
        filterset_class=None,
    )
    def follow(self, request: Request, slug: str) -> Response:
        """Whether I follow it (GET); follow (POST) or stop (DELETE): followers hear of
        its new events, news and needs. Members follow from joining."""
        user, initiative = current_user(request), self.get_object()
        if request.method == "GET":
            following = selectors.is_following(user=user, initiative=initiative)
        else:
            following = services.initiative_follow(
                user=user, initiative=initiative, following=request.method == "POST"
            )
        return Response({"following": following})

    @extend_schema(responses={200: MembershipSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None)
    def members(self, request: Request, slug: str) -> Response:
        memberships = selectors.membership_list(initiative=self.get_object())
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(
        methods=["PATCH"],
        request=RoleSerializer,
        responses={200: MembershipSerializer, 409: CONFLICT},
    )
    @extend_schema(methods=["DELETE"], responses={204: None, 409: CONFLICT})
    @extend_schema(methods=["GET"], responses={200: MembershipSerializer})
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        url_path=r"members/(?P<user_id>\d{1,18})",
        filterset_class=None,
    )
    def member(self, request: Request, slug: str, user_id: str) -> Response:
        initiative = self.get_object()
        if request.method == "GET":
            membership = selectors.access_membership(initiative=initiative, user_id=int(user_id))
            return Response(MembershipSerializer(membership).data)
        if request.method == "PATCH":
            serializer = RoleSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            membership = services.member_set_role(
                actor=current_user(request),
                initiative=initiative,
                user_id=int(user_id),
                role=serializer.validated_data.get("role"),
            )
            return Response(MembershipSerializer(membership).data)
        services.member_remove(
            actor=current_user(request), initiative=initiative, user_id=int(user_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The city's initiative categories (from the city data file)."""

    serializer_class = CategorySerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"  # slugs only: a NUL would reach PostgreSQL
    pagination_class = None
    filterset_class = None

    def get_queryset(self) -> QuerySet[Category]:
        return selectors.category_list()


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """The city's districts (Stuttgart: the 23 Stadtbezirke)."""

    serializer_class = DistrictSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"  # slugs only: a NUL would reach PostgreSQL
    pagination_class = None
    filterset_class = None

    def get_queryset(self) -> QuerySet[District]:
        return selectors.district_list()
