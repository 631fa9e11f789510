"""REST: GET search/?q=&type=&page=&page_size= (docs/search.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from common.pagination import MAX_PAGE_SIZE
from common.query import choice_param, int_param, text_param
from common.schema import choice_query, int_query, text_query
from search.kinds import KINDS
from search.selectors import search

Q_MAX = 200
PAGE_SIZE = 20  # as the other lists (REST_FRAMEWORK["PAGE_SIZE"])

HIT_FIELDS: dict[str, serializers.Field] = {
    "type": serializers.ChoiceField(choices=list(KINDS)),
    "id": serializers.IntegerField(),
    "title": serializers.CharField(),
    "snippet": serializers.CharField(help_text="HTML: escaped text, the hits in <mark>"),
    "url": serializers.CharField(),
    "context": serializers.CharField(help_text="where it is: the room, the initiative"),
    "date": serializers.DateTimeField(),
}


class SearchView(APIView):
    """Messages of the rooms you may read, initiatives, events, news, lifehacks, offers
    and needs; newest first. Hidden, deleted, cancelled, expired and members-only things
    you may not read are never found."""

    # Anyone (the schema says so: authentication optional); messages only for who may
    # read them.
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            text_query(
                "q",
                "the words to find (websearch syntax on PostgreSQL)",
                maximum=Q_MAX,
                required=True,
            ),
            choice_query("type", list(KINDS), "only this type"),
            int_query("page", "1-based page number", minimum=1),
            int_query("page_size", f"1..{MAX_PAGE_SIZE}", minimum=1, maximum=MAX_PAGE_SIZE),
        ],
        responses=inline_serializer(
            "SearchResults",
            {
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "results": inline_serializer("SearchHit", HIT_FIELDS, many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        q = text_param(request, "q", maximum=Q_MAX)
        if not q:
            raise ValidationError({"q": [_("Wonach suchst du? `q` darf nicht leer sein.")]})
        kind = choice_param(request, "type", list(KINDS))
        page = int_param(request, "page", minimum=1) or 1
        size = int_param(request, "page_size", minimum=1, maximum=MAX_PAGE_SIZE) or PAGE_SIZE
        results = search(user=request.user, q=q, kind=kind, page=page, size=size)
        url = request.build_absolute_uri()
        last = (results.count + size - 1) // size
        return Response(
            {
                "count": results.count,
                "next": replace_query_param(url, "page", page + 1) if page < last else None,
                "previous": (
                    None
                    if page == 1
                    else remove_query_param(url, "page")
                    if page == 2
                    else replace_query_param(url, "page", page - 1)
                ),
                "counts": results.counts,
                "results": results.hits,
            }
        )
