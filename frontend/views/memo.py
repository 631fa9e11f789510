"""The Mach-Mit-Memo in the browser: each week's issue as a public page with the text to
paste into a LinkedIn post, the archive, and the unsubscribe link of the mails (no
sign-in: the signed token is the proof)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.errors import DomainError
from memo import render as memo_render
from memo import services
from memo.models import MemoIssue
from memo.weeks import Week


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    issues = MemoIssue.objects.all()[:104]  # two years
    current = Week.current()
    return render(
        request,
        "frontend/memo/archive.html",
        {"issues": [Week(i.year, i.week) for i in issues], "current": current},
    )


@require_safe
def issue(request: HttpRequest, label: str) -> HttpResponse:
    """A kept issue; this week's is composed (and kept) on its first view."""
    try:
        week = Week.parse(label)
    except DomainError:
        raise Http404 from None
    stored = MemoIssue.objects.filter(year=week.year, week=week.week).first()
    if stored is None and week != Week.current():
        raise Http404(_("Für diese Woche gibt es kein Memo."))
    content = (stored or services.issue_of(week)).content
    return render(
        request,
        "frontend/memo/issue.html",
        {
            **memo_render.context(content, absolute=False),
            "post_text": memo_render.text(content),
            "previous": week.previous(),
        },
    )


# A mail client's one-click unsubscribe (RFC 8058) POSTs without a CSRF token; the
# signed token in the URL is what proves the person, and all it can do is opt out.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = services.subscription_set(token=token, subscribed=False)
    if user is None:
        raise Http404(_("Dieser Link ist ungültig."))
    return render(request, "frontend/memo/unsubscribed.html", {"token": token, "subscribed": False})


@require_POST
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if services.subscription_set(token=token, subscribed=True) is None:
        raise Http404(_("Dieser Link ist ungültig."))
    return render(request, "frontend/memo/unsubscribed.html", {"token": token, "subscribed": True})
