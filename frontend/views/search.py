"""The search page /suche/ (and the header's search box, which sends here): one box,
a tab per type with its count, the hits newest first with their snippets."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from search.api import Q_MAX
from search.kinds import KINDS
from search.selectors import search

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
    tabs = []
    if results is not None:
        tabs = [{"type": None, "label": _("Alle"), "count": results.count}] + [
            {"type": k.name, "label": k.label, "count": results.counts.get(k.name)}
            for k in KINDS.values()
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
