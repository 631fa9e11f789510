"""A member's public profile (/personen/<username>/): where a mention in a room links.

For people signed in (as the rooms are): the name, whether it is a verified
organisation, the district, the initiatives they lead or belong to, and the lifehacks
they shared. Never an email address or anything from their own profile settings.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from community import selectors as community_selectors
from initiatives.models import Initiative, Membership


@login_required
@require_safe
def person(request: HttpRequest, username: str) -> HttpResponse:
    user = User.objects.filter(username=username, is_active=True).select_related("profile").first()
    if user is None:
        raise Http404
    memberships = (
        Membership.objects.filter(user=user)
        .exclude(initiative__status=Initiative.Status.ARCHIVED)
        .select_related("initiative")
        .order_by("role", "initiative__title")  # "lead" before "member"
    )
    return render(
        request,
        "frontend/person.html",
        {
            "person": user,
            "memberships": memberships,
            "lifehacks": community_selectors.lifehacks_listed().filter(author=user)[:10],
        },
    )
