"""REST: news, lifehacks (with "mach ich auch"), offers and needs with their matches
(DESIGN.md). Thin: every rule is in community/services.py and permissions.py."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.auth import current_user
from common.errors import DomainError
from common.images import max_bytes
from common.serializers import SlugReferenceField, StrictBooleanField, TextField
from community import selectors, services
from community.filters import LifehackFilter, NeedFilter, NewsFilter, OfferFilter
from community.models import Lifehack, Need, News, Offer, OfferKind
from community.rendering import lifehack_data, need_data, news_data, offer_data
from community.services import IMAGE_ALT_MAX, LIFEHACK_MAX, TEASER_MAX, TEXT_MAX, TITLE_MAX
from initiatives.models import Category, District
from initiatives.selectors import access_initiative

_TERM = serializers.DictField(allow_null=True)


class NewsOut(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = serializers.DictField(allow_null=True)
    title = serializers.CharField()
    teaser = serializers.CharField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    image = serializers.CharField(allow_null=True, help_text="the picture's URL, or null")
    image_alt = serializers.CharField(help_text="what the picture shows; empty: decorative")
    author = serializers.DictField(allow_null=True)
    created_at = serializers.DateTimeField()


class LifehackOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    category = serializers.DictField(allow_null=True)
    author = serializers.DictField(allow_null=True)
    adoptions = serializers.IntegerField(min_value=0)
    created_at = serializers.DateTimeField()


class OfferOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    kind_name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    description_html = serializers.CharField()
    category = serializers.DictField(allow_null=True)
    district = serializers.DictField(allow_null=True)
    valid_until = serializers.DateField()
    organisation = serializers.DictField(allow_null=True)
    created_at = serializers.DateTimeField()


class NeedOut(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = serializers.DictField(allow_null=True)
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    kind_name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    description_html = serializers.CharField()
    category = serializers.DictField(allow_null=True)
    district = serializers.DictField(allow_null=True)
    met = serializers.BooleanField()
    author = serializers.DictField(allow_null=True)
    created_at = serializers.DateTimeField()


class OfferDetailOut(OfferOut):
    needs = NeedOut(many=True)


class NeedDetailOut(NeedOut):
    offers = OfferOut(many=True)


def _category(**kwargs: Any) -> SlugReferenceField:
    return SlugReferenceField(slug_field="slug", queryset=Category.objects.all(), **kwargs)


def _district() -> SlugReferenceField:
    """Optional everywhere: an offer without one is city-wide, a need takes its
    initiative's."""
    return SlugReferenceField(
        slug_field="slug", queryset=District.objects.all(), required=False, allow_null=True
    )


class NewsIn(serializers.Serializer):
    title = TextField(max_length=TITLE_MAX)
    teaser = TextField(max_length=TEASER_MAX)
    body = TextField(required=False, allow_blank=True, max_length=TEXT_MAX)
    # A slug (the schema cannot list every initiative); one that names none is a 404.
    initiative = TextField(max_length=140, required=False, allow_null=True)


class LifehackIn(serializers.Serializer):
    title = TextField(max_length=TITLE_MAX)
    body = TextField(max_length=LIFEHACK_MAX)
    category = _category()


class OfferIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    title = TextField(max_length=TITLE_MAX)
    description = TextField(required=False, allow_blank=True, max_length=TEXT_MAX)
    category = _category(required=False, allow_null=True)
    district = _district()
    valid_until = serializers.DateField()


class NeedIn(serializers.Serializer):
    initiative = TextField(max_length=140)
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    title = TextField(max_length=TITLE_MAX)
    description = TextField(required=False, allow_blank=True, max_length=TEXT_MAX)
    category = _category()
    district = _district()


class NeedMarkIn(serializers.Serializer):
    met = StrictBooleanField()


ADOPTIONS = inline_serializer(
    "Adoptions",
    {"adoptions": serializers.IntegerField(min_value=0), "adopted": serializers.BooleanField()},
)


class _ListView(GenericAPIView):
    """A paginated list with its filters; POST creates (signed in)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    render: Any = None

    def listed(self, request: Request) -> Response:
        items = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(items)
        return self.get_paginated_response([type(self).render(i) for i in page or []])

    def created(self, data: dict[str, Any]) -> Response:
        return Response(data, status=status.HTTP_201_CREATED)

    def validated(self, request: Request, serializer_class: Any) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class NewsListView(_ListView):
    """News, newest first (filters: initiative, category, district, q)."""

    filterset_class = NewsFilter
    serializer_class = NewsOut
    render = staticmethod(news_data)

    def get_queryset(self) -> QuerySet[News]:
        return selectors.news_listed()

    @extend_schema(responses=NewsOut(many=True))
    def get(self, request: Request) -> Response:
        return self.listed(request)

    @extend_schema(request=NewsIn, responses={201: NewsOut})
    def post(self, request: Request) -> Response:
        data = self.validated(request, NewsIn)
        slug = data.pop("initiative", None)
        initiative = access_initiative(slug=slug) if slug is not None else None
        news = services.news_create(user=current_user(request), initiative=initiative, **data)
        return self.created(news_data(news))


class LifehackListView(_ListView):
    """Lifehacks, newest first; `?sort=-adoptions` puts the most adopted first."""

    filterset_class = LifehackFilter
    serializer_class = LifehackOut
    render = staticmethod(lifehack_data)

    def get_queryset(self) -> QuerySet[Lifehack]:
        return selectors.lifehacks_listed().order_by("-created_at", "-pk")

    @extend_schema(responses=LifehackOut(many=True))
    def get(self, request: Request) -> Response:
        return self.listed(request)

    @extend_schema(request=LifehackIn, responses={201: LifehackOut})
    def post(self, request: Request) -> Response:
        lifehack = services.lifehack_create(
            user=current_user(request), **self.validated(request, LifehackIn)
        )
        return self.created(lifehack_data(selectors.access_lifehack(lifehack_id=lifehack.pk)))


class OfferListView(_ListView):
    """Valid offers of verified organisations (filters: kind, category, district, q)."""

    filterset_class = OfferFilter
    serializer_class = OfferOut
    render = staticmethod(offer_data)

    def get_queryset(self) -> QuerySet[Offer]:
        return selectors.offers_valid()

    @extend_schema(responses=OfferOut(many=True))
    def get(self, request: Request) -> Response:
        return self.listed(request)

    @extend_schema(request=OfferIn, responses={201: OfferOut})
    def post(self, request: Request) -> Response:
        offer = services.offer_create(
            user=current_user(request), **self.validated(request, OfferIn)
        )
        return self.created(offer_data(offer))


class NeedListView(_ListView):
    """Open needs of initiatives (filters: kind, initiative, category, district, q)."""

    filterset_class = NeedFilter
    serializer_class = NeedOut
    render = staticmethod(need_data)

    def get_queryset(self) -> QuerySet[Need]:
        return selectors.needs_open()

    @extend_schema(responses=NeedOut(many=True))
    def get(self, request: Request) -> Response:
        return self.listed(request)

    @extend_schema(request=NeedIn, responses={201: NeedOut})
    def post(self, request: Request) -> Response:
        data = self.validated(request, NeedIn)
        initiative = access_initiative(slug=data.pop("initiative"))
        need = services.need_create(user=current_user(request), initiative=initiative, **data)
        return self.created(need_data(need))


class _DetailView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    model: Any = None

    @extend_schema(responses={204: None})
    def delete(self, request: Request, item_id: int) -> Response:
        services.remove(user=current_user(request), model=type(self).model, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NewsDetailView(_DetailView):
    model = News

    @extend_schema(responses={200: NewsOut})
    def get(self, request: Request, item_id: int) -> Response:
        return Response(news_data(selectors.access_news(news_id=item_id)))


class LifehackDetailView(_DetailView):
    model = Lifehack

    @extend_schema(responses={200: LifehackOut})
    def get(self, request: Request, item_id: int) -> Response:
        return Response(lifehack_data(selectors.access_lifehack(lifehack_id=item_id)))


class OfferDetailView(_DetailView):
    """One valid offer, with the open needs it may serve."""

    model = Offer

    @extend_schema(responses={200: OfferDetailOut})
    def get(self, request: Request, item_id: int) -> Response:
        offer = selectors.access_offer(offer_id=item_id)
        needs = [need_data(n) for n in selectors.needs_for_offer(offer)]
        return Response({**offer_data(offer), "needs": needs})


class NeedDetailView(_DetailView):
    """One need, with the valid offers that match it; leads mark it met (PATCH)."""

    model = Need

    @extend_schema(responses={200: NeedDetailOut})
    def get(self, request: Request, item_id: int) -> Response:
        need = selectors.access_need(need_id=item_id)
        offers = [offer_data(o) for o in selectors.offers_for_need(need)]
        return Response({**need_data(need), "offers": offers})

    @extend_schema(request=NeedMarkIn, responses={200: NeedOut})
    def patch(self, request: Request, item_id: int) -> Response:
        serializer = NeedMarkIn(data=request.data, partial=True)  # PATCH: `{}` changes nothing
        serializer.is_valid(raise_exception=True)
        need = services.need_mark(
            user=current_user(request), need_id=item_id, met=serializer.validated_data.get("met")
        )
        return Response(need_data(need))


class LifehackAdoptView(APIView):
    """ "Mach ich auch" (POST), undone with DELETE; once per person."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: ADOPTIONS})
    def post(self, request: Request, item_id: int) -> Response:
        count = services.lifehack_adopt(user=current_user(request), lifehack_id=item_id)
        return Response({"adoptions": count, "adopted": True})

    @extend_schema(responses={200: ADOPTIONS})
    def delete(self, request: Request, item_id: int) -> Response:
        count = services.lifehack_unadopt(user=current_user(request), lifehack_id=item_id)
        return Response({"adoptions": count, "adopted": False})


class NewsPictureIn(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG or WebP, at most 5 MB and 40 megapixels")
    alt = TextField(
        max_length=IMAGE_ALT_MAX,
        required=False,
        allow_blank=True,
        help_text="what the picture shows, for people who cannot see it",
    )


class NewsPictureView(APIView):
    """A news item's picture: POST (multipart/form-data) puts one on or replaces it,
    DELETE takes it away. For its author, its initiative's leads and the site
    moderators. The server stores the picture drawn anew (common/images.py)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": NewsPictureIn}, responses={200: NewsOut})
    def post(self, request: Request, item_id: int) -> Response:
        user = current_user(request)
        services.news_for_picture(user=user, news_id=item_id)  # refusals before the upload
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes() + UPLOAD_OVERHEAD:
            raise DomainError(
                "invalid",
                _("Das Bild ist zu groß (höchstens %(n)d MB).") % {"n": max_bytes() // 1_000_000},
            )
        data = self.validated(request)
        news = services.news_picture_set(
            user=user, news_id=item_id, image=data["image"], alt=data.get("alt", "")
        )
        return Response(news_data(news))

    @extend_schema(responses={200: NewsOut})
    def delete(self, request: Request, item_id: int) -> Response:
        news = services.news_picture_remove(user=current_user(request), news_id=item_id)
        return Response(news_data(news))

    def validated(self, request: Request) -> dict[str, Any]:
        serializer = NewsPictureIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and the description
