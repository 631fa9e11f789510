"""English paths of the pages: a permanent redirect to the German path, GET only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe


def redirect_to(pattern_name: str) -> Callable[..., HttpResponse]:
    @require_safe
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return redirect(pattern_name, permanent=True, **kwargs)

    return view
