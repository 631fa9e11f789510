"""Every write about initiatives and memberships: the only place that changes them."""

from __future__ import annotations

import unicodedata

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.errors import DomainError, forbidden
from common.markup import render_markdown
from initiatives import permissions, selectors
from initiatives.lifecycle import listener
from initiatives.models import Category, District, Follow, Initiative, Membership

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
EDITABLE_FIELDS = frozenset({"title", "summary", "description", "category", "district", "status"})


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    # NFC first: an umlaut typed as "o" + combining diaeresis must become "oe" too.
    composed = unicodedata.normalize("NFC", title)
    base = slugify(composed.translate(GERMAN_TRANSLITERATION))[:120] or "initiative"
    slug, n = base, 1
    others = Initiative.objects.exclude(pk=exclude_pk) if exclude_pk else Initiative.objects
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def initiative_create(
    *,
    user: User,
    title: str,
    summary: str,
    description: str = "",
    category: Category,
    district: District | None = None,
    status: str = Initiative.Status.IDEA,
) -> Initiative:
    """Create an initiative; its creator becomes its first lead (and rooms gives it its
    room "Allgemein": initiatives.lifecycle)."""
    if not permissions.can_create_initiative(user):
        raise forbidden()
    if status == Initiative.Status.ARCHIVED:
        raise DomainError("invalid", _("Eine neue Initiative kann nicht archiviert sein."))
    for attempt in range(3):
        try:
            with transaction.atomic():
                initiative = Initiative.objects.create(
                    title=title.strip(),
                    slug=_unique_slug(title),
                    summary=summary.strip(),
                    description=description,
                    description_html=render_markdown(description),
                    category=category,
                    district=district,
                    status=status,
                    created_by=user,
                )
            break
        except IntegrityError:  # a concurrent create took the same slug: try the next one
            if attempt == 2:
                raise
    Membership.objects.create(initiative=initiative, user=user, role=Membership.Role.LEAD)
    Follow.objects.create(initiative=initiative, user=user)
    listener.get().initiative_created(initiative)
    return initiative


@transaction.atomic
def initiative_update(*, user: User, initiative: Initiative, **fields: object) -> Initiative:
    """Leads (and moderators) change an initiative. The slug stays: links keep working."""
    if not permissions.can_edit_initiative(user, initiative):
        raise forbidden(_("Nur die Leitung der Initiative darf sie bearbeiten."))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise DomainError("invalid", _("Unbekannte Felder: %s") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        setattr(
            initiative,
            name,
            value.strip() if isinstance(value, str) and name != "description" else value,
        )
    if "description" in fields:
        initiative.description_html = render_markdown(initiative.description)
    initiative.save()
    return initiative


@transaction.atomic
def initiative_archive(*, user: User, initiative: Initiative) -> Initiative:
    """Deleting is archiving: the initiative and its rooms stay readable, nothing new is posted."""
    if not permissions.can_edit_initiative(user, initiative):
        raise forbidden(_("Nur die Leitung der Initiative darf sie archivieren."))
    initiative.status = Initiative.Status.ARCHIVED
    initiative.save(update_fields=["status", "updated_at"])
    listener.get().initiative_archived(initiative)
    return initiative


def initiative_join(*, user: User, initiative: Initiative) -> Membership:
    """Join as a member; joining twice keeps the existing membership."""
    if not permissions.can_join(user, initiative):
        raise forbidden(_("Dieser Initiative kann man nicht mehr beitreten."))
    membership, created = Membership.objects.get_or_create(
        initiative=initiative, user=user, defaults={"role": Membership.Role.MEMBER}
    )
    if created:  # members follow from joining (and may unfollow)
        Follow.objects.get_or_create(initiative=initiative, user=user)
    return membership


def _ensure_a_lead_remains(initiative: Initiative, membership: Membership) -> None:
    """Precondition: called inside a transaction, with the initiative's leads locked."""
    if membership.role == Membership.Role.LEAD and selectors.lead_count(initiative=initiative) <= 1:
        raise DomainError(
            "conflict",
            _("Die letzte Leitung kann nicht gehen: übergib die Leitung zuerst an ein Mitglied."),
        )


def _locked_membership(initiative: Initiative, user_id: int) -> Membership:
    # Lock every lead row so two leads cannot both step down at once.
    list(
        Membership.objects.select_for_update()
        .filter(initiative=initiative, role=Membership.Role.LEAD)
        .values_list("pk", flat=True)
    )
    return selectors.access_membership(initiative=initiative, user_id=user_id)


@transaction.atomic
def initiative_leave(*, user: User, initiative: Initiative) -> None:
    membership = _locked_membership(initiative, user.pk)
    _ensure_a_lead_remains(initiative, membership)
    membership.delete()
    Follow.objects.filter(initiative=initiative, user=user).delete()
    listener.get().membership_ended(initiative, user.pk)


@transaction.atomic
def member_set_role(
    *, actor: User, initiative: Initiative, user_id: int, role: str | None
) -> Membership:
    """A lead promotes a member to lead or demotes a lead; one lead always remains.
    Without a role (a PATCH that names none) nothing changes."""
    if not permissions.can_manage_members(actor, initiative):
        raise forbidden(_("Nur die Leitung darf Rollen vergeben."))
    if role is not None and role not in Membership.Role.values:
        raise DomainError("invalid", _("Unbekannte Rolle."))
    membership = _locked_membership(initiative, user_id)
    if role is None:
        return membership
    if role == Membership.Role.MEMBER:
        _ensure_a_lead_remains(initiative, membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, actor: User, initiative: Initiative, user_id: int) -> None:
    """A lead removes a member; a member removing themself is leaving."""
    if actor.pk != user_id and not permissions.can_manage_members(actor, initiative):
        raise forbidden(_("Nur die Leitung darf Mitglieder entfernen."))
    membership = _locked_membership(initiative, user_id)
    _ensure_a_lead_remains(initiative, membership)
    membership.delete()
    Follow.objects.filter(initiative=initiative, user_id=user_id).delete()
    listener.get().membership_ended(initiative, user_id)


def initiative_follow(*, user: User, initiative: Initiative, following: bool) -> bool:
    """Follow (or stop following) an initiative's new events, news and needs: anyone
    signed in, member or not, any number of times. Returns whether they follow now."""
    if following and not permissions.can_follow(user, initiative):
        raise forbidden(_("Einer archivierten Initiative kann man nicht mehr folgen."))
    if following:
        Follow.objects.get_or_create(initiative=initiative, user=user)
    else:
        Follow.objects.filter(initiative=initiative, user=user).delete()
    return following
