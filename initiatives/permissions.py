"""Who may do what with an initiative: the one place these rules live.

Each rule is a plain predicate `(user, initiative) -> bool`, used by services
(which raise the domain error), by the API (to show `my_role`) and by templates.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from accounts.selectors import is_moderator
from initiatives.models import Initiative, Membership

AnyUser = User | AnonymousUser


def role_in(user: AnyUser, initiative: Initiative) -> str | None:
    """The user's role in the initiative (`lead`, `member`) or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(initiative=initiative, user=user)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user: AnyUser, initiative: Initiative) -> bool:
    return role_in(user, initiative) is not None


def is_lead(user: AnyUser, initiative: Initiative) -> bool:
    return role_in(user, initiative) == Membership.Role.LEAD


def can_create_initiative(user: AnyUser) -> bool:
    return user.is_authenticated and user.is_active


def can_moderate_in(user: AnyUser, initiative: Initiative | None) -> bool:
    """The one rule of who looks after an initiative and its rooms: site moderators
    everywhere, leads in their own initiative (a city-wide room has none). Editing an
    initiative, managing its members and rooms, and moderating its rooms (rooms and
    moderation) all ask this."""
    if is_moderator(user):
        return True
    return initiative is not None and is_lead(user, initiative)


def can_edit_initiative(user: AnyUser, initiative: Initiative) -> bool:
    """Leads edit their initiative; site moderators may fix anything."""
    return can_moderate_in(user, initiative)


def can_manage_members(user: AnyUser, initiative: Initiative) -> bool:
    return can_edit_initiative(user, initiative)


def can_follow(user: AnyUser, initiative: Initiative) -> bool:
    """Following is open to anyone signed in, as joining is (not archived ones)."""
    return can_join(user, initiative)


def can_join(user: AnyUser, initiative: Initiative) -> bool:
    """Joining is open, except for archived initiatives."""
    return (
        user.is_authenticated and user.is_active and initiative.status != Initiative.Status.ARCHIVED
    )
