"""The notification list; the header's bell counts the unread ones live (js/site.js)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts import notification_mails, notifications
from accounts.models import Notification
from frontend.web import attempt, is_local_path, signed_in

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    page = Paginator(notifications.notification_list(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The sentence as the list shows it: quoting only what the reader may still read.
    shown = notifications.notifications_data(user=user, items=page.object_list)
    rows = [(item, data["text"]) for item, data in zip(page.object_list, shown, strict=True)]
    return render(request, "frontend/notifications.html", {"page": page, "rows": rows})


@login_required
@require_POST
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read, then go where it points (a path on this site only)."""
    notification = attempt(
        request,
        lambda: notifications.notification_mark_read(
            user=signed_in(request), notification_id=notification_id
        ),
    )
    if notification is not None and is_local_path(notification.url):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications.notification_mark_all_read(user=signed_in(request))
    if count:
        messages.success(request, _("Alle als gelesen markiert."))
    return redirect("notifications")


@csrf_exempt  # the mail program's one click (RFC 8058) has no session: the token proves
@require_http_methods(["GET", "POST"])
def stop_mails(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a notification mail: GET asks (link checkers in mail programs open
    links), POST stops those mails, no sign-in needed."""
    found = (
        notification_mails.stop(token)
        if request.method == "POST"
        else notification_mails.stop_request(token)
    )
    if found is None:
        raise Http404(_("Dieser Link ist ungültig."))
    _user, kinds = found
    return render(
        request,
        "frontend/mails_stopped.html",
        {
            "kinds": [Notification.Kind(kind).label for kind in kinds],
            "done": request.method == "POST",
            "token": token,
        },
    )
