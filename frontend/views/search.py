"""The search page /suche/ (and the header's search box, which sends here): one box,
a tab per type with its count, the hits newest first with their snippets."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from search.api import Q_MAX
from search.kinds import KINDS
from search.selectors import COUNT_MAX, search

PAGE_SIZE = 20


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("type") if request.GET.get("type") in KINDS else None
    raw_page = request.GET.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 10_000 else 1
    error = ""
    if len(q) > Q_MAX or "\x00" in q:
        error, q = _("Bitte höchstens %(n)d Zeichen.") % {"n": Q_MAX}, ""
    results = search(user=request.user, q=q, kind=kind, page=page, size=PAGE_SIZE) if q else None
    tabs: list[dict[str, Any]] = []
    if results is not None:
        capped = any(n >= COUNT_MAX for n in results.counts.values())
        tabs = [{"type": None, "label": _("Alle"), "count": _shown(results.count, capped)}]
        tabs += [
            {"type": k.name, "label": k.label, "count": _shown(n, n >= COUNT_MAX)}
            for k in KINDS.values()
            if (n := results.counts.get(k.name, 0))
        ]
    return render(
        request,
        "frontend/search.html",
        {
            "q": q,
            "kind": kind,
            "error": error,
            "results": results,
            "tabs": tabs,
            "labels": {k.name: k.label for k in KINDS.values()},
            "page": page,
            "has_next": results is not None and page * PAGE_SIZE < results.count,
        },
        status=400 if error else 200,
    )


def _shown(count: int, capped: bool) -> str:
    """A tab's number: counts stop at COUNT_MAX (docs/search.md), shown as "1000+"."""
    return f"{count}+" if capped else str(count)
