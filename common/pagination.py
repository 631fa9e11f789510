"""Page-number pagination with a client-chosen page size (1..100), read strictly.

DRF takes a `page_size` it cannot read (`?page_size=null`) as "the default", and a
page number that is no number as page 1 or a 404. Here both are checked as every
query parameter is (common/query.py): not a whole number within its bounds is a 400
naming it; a page past the last is a 404, as in DRF. The schema says so.
"""

from __future__ import annotations

from typing import Any

from rest_framework import pagination
from rest_framework.request import Request

from common.query import int_param
from common.validation import MAX_ID

MAX_PAGE_SIZE = 100


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int | None:
        size = int_param(request, self.page_size_query_param, minimum=1, maximum=MAX_PAGE_SIZE)
        return self.page_size if size is None else size

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        number = int_param(request, self.page_query_param, minimum=1)
        return 1 if number is None else number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "The page, from 1; one past the last is a 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1..{MAX_PAGE_SIZE} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
