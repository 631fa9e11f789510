"""Every write about news, lifehacks, offers and needs: the only place that changes them.

Each checks community/permissions.py, cleans its input, renders Markdown through the
one renderer (common/markup.py) and stores. "Mach ich auch" is once per person: the
unique constraint decides under parallel requests.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import DomainError, forbidden, not_found
from common.images import clean_image
from common.markup import render_markdown
from common.validation import clean_id, clean_text
from community import permissions
from community.models import Adoption, Lifehack, Need, News, Offer, OfferKind
from initiatives.following import tell_followers
from initiatives.models import Category, District, Initiative

TITLE_MAX = 120
TEASER_MAX = 300
IMAGE_ALT_MAX = 200
TEXT_MAX = 20_000
LIFEHACK_MAX = 2_000
OFFER_DAYS_MAX = 366

ContributionModel = type[News] | type[Lifehack] | type[Offer] | type[Need]


def _kind(value: Any) -> str:
    if value not in OfferKind.values:
        raise DomainError(
            "invalid",
            _("`kind` muss einer dieser Werte sein: %(values)s")
            % {"values": ", ".join(OfferKind.values)},
        )
    return str(value)


def _signed_in(user: User) -> None:
    if not permissions.is_member(user):
        raise forbidden()


@transaction.atomic
def news_create(
    *,
    user: User,
    title: Any,
    teaser: Any,
    body: Any = "",
    initiative: Initiative | None = None,
    image: Any = None,
    image_alt: Any = "",
) -> News:
    """News of an initiative (its leads) or city-wide (the site moderators), with a
    picture if one is given (an upload; common/images.py checks and redraws it)."""
    if not permissions.can_post_news(user, initiative):
        raise forbidden(
            _("Neuigkeiten schreibt die Leitung der Initiative; stadtweite die Moderation.")
        )
    body = clean_text(body, field="body", maximum=TEXT_MAX, required=False)
    picture = clean_image(image) if image is not None else None
    news = News.objects.create(
        initiative=initiative,
        title=clean_text(title, field="title", maximum=TITLE_MAX),
        teaser=clean_text(teaser, field="teaser", maximum=TEASER_MAX),
        body=body,
        body_html=render_markdown(body),
        image_alt=clean_text(image_alt, field="alt", maximum=IMAGE_ALT_MAX, required=False),
        author=user,
    )
    if initiative is not None:
        _tell_followers(news, initiative, user, gettext_lazy("Neuigkeit"), "news-page")
    if picture is not None:  # last: nothing after it can undo the row and leave the file
        news.image.save(str(picture.name), picture, save=True)
    return news


def _tell_followers(
    item: News | Need, initiative: Initiative, author: User, what: Promise, page: str
) -> None:
    tell_followers(
        initiative=initiative,
        author=author,
        what=what,
        title=item.title,
        url=reverse(page, args=[item.pk]),
        subject=(type(item).__name__.lower(), item.pk),
    )


@transaction.atomic
def news_picture_set(*, user: User, news_id: Any, image: Any, alt: Any = "") -> News:
    """Put a picture on a news item (or another in its place), with its description."""
    news = news_for_picture(user=user, news_id=news_id, lock=True)
    picture = clean_image(image)
    old = news.image.name
    news.image.save(str(picture.name), picture, save=False)
    news.image_alt = clean_text(alt, field="alt", maximum=IMAGE_ALT_MAX, required=False)
    news.save(update_fields=["image", "image_alt"])
    _delete_file_after_commit(news, old)
    return news


@transaction.atomic
def news_picture_remove(*, user: User, news_id: Any) -> News:
    """Take a news item's picture away (no picture: nothing changes)."""
    news = news_for_picture(user=user, news_id=news_id, lock=True)
    old = news.image.name
    news.image = None
    news.image_alt = ""
    news.save(update_fields=["image", "image_alt"])
    _delete_file_after_commit(news, old)
    return news


def news_for_picture(*, user: User, news_id: Any, lock: bool = False) -> News:
    """The news item whose picture `user` may change (`not_found`, `forbidden`); the REST
    view asks first, so that a refusal comes before an upload is read. `lock`: inside
    `transaction.atomic()`, the row locked."""
    rows = News.objects.select_for_update(of=("self",)) if lock else News.objects.all()
    news = rows.filter(pk=clean_id(news_id, field="id"), hidden_at__isnull=True).first()
    if news is None:
        raise not_found()
    if not permissions.can_remove(user, news):
        raise forbidden(_("Das Bild ändert, wer die Neuigkeit geschrieben hat, oder die Leitung."))
    return news


def _delete_file_after_commit(news: News, name: str | None) -> None:
    if name:
        storage = news.image.storage
        transaction.on_commit(lambda: storage.delete(name))


def forget_picture(sender: Any, instance: News, **kwargs: Any) -> None:
    """post_delete of News: its picture file goes too (whatever deleted the row)."""
    _delete_file_after_commit(instance, instance.image.name)


@transaction.atomic
def lifehack_create(*, user: User, title: Any, body: Any, category: Category) -> Lifehack:
    """Anyone signed in shares a small everyday idea."""
    _signed_in(user)
    body = clean_text(body, field="body", maximum=LIFEHACK_MAX)
    return Lifehack.objects.create(
        title=clean_text(title, field="title", maximum=TITLE_MAX),
        body=body,
        body_html=render_markdown(body),
        category=category,
        author=user,
    )


def _visible_lifehack(lifehack_id: Any) -> Lifehack:
    lifehack = (
        Lifehack.objects.filter(pk=clean_id(lifehack_id, field="id"), hidden_at__isnull=True)
        .select_related("category")
        .first()
    )
    if lifehack is None:
        raise not_found()
    return lifehack


def lifehack_adopt(*, user: User, lifehack_id: Any) -> int:
    """ "Mach ich auch": once per person (again: nothing changes). The new count."""
    _signed_in(user)
    lifehack = _visible_lifehack(lifehack_id)
    try:
        with transaction.atomic():
            Adoption.objects.create(lifehack=lifehack, user=user)
    except IntegrityError:  # adopted already, perhaps a moment ago in another request
        pass
    return lifehack.adoptions.count()


def lifehack_unadopt(*, user: User, lifehack_id: Any) -> int:
    _signed_in(user)
    lifehack = _visible_lifehack(lifehack_id)
    Adoption.objects.filter(lifehack=lifehack, user=user).delete()
    return lifehack.adoptions.count()


def _valid_until(value: Any) -> date:
    today = timezone.localdate()
    if not isinstance(value, date) or not today <= value <= today + timedelta(days=OFFER_DAYS_MAX):
        raise DomainError(
            "invalid",
            _("`valid_until` ist ein Tag (JJJJ-MM-TT) von heute bis in einem Jahr."),
        )
    return value


@transaction.atomic
def offer_create(
    *,
    user: User,
    kind: Any,
    title: Any,
    valid_until: Any,
    description: Any = "",
    category: Category | None = None,
    district: District | None = None,
) -> Offer:
    """Only organisations a moderator has verified publish offers."""
    if not permissions.can_post_offer(user):
        raise forbidden(
            _("Angebote veröffentlichen Organisationen, die die Moderation bestätigt hat.")
        )
    description = clean_text(description, field="description", maximum=TEXT_MAX, required=False)
    return Offer.objects.create(
        kind=_kind(kind),
        title=clean_text(title, field="title", maximum=TITLE_MAX),
        description=description,
        description_html=render_markdown(description),
        category=category,
        district=district,
        valid_until=_valid_until(valid_until),
        author=user,
    )


@transaction.atomic
def need_create(
    *,
    user: User,
    initiative: Initiative,
    kind: Any,
    title: Any,
    category: Category,
    district: District | None = None,
    description: Any = "",
) -> Need:
    """What an initiative is looking for; its district defaults to the initiative's."""
    if not permissions.can_post_need(user, initiative):
        raise forbidden(_("Gesuche stellt die Leitung der Initiative ein."))
    district = district or initiative.district
    if district is None:
        raise DomainError("invalid", _("Bitte gib einen Stadtbezirk an."))
    description = clean_text(description, field="description", maximum=TEXT_MAX, required=False)
    need = Need.objects.create(
        initiative=initiative,
        kind=_kind(kind),
        title=clean_text(title, field="title", maximum=TITLE_MAX),
        description=description,
        description_html=render_markdown(description),
        category=category,
        district=district,
        author=user,
    )
    _tell_followers(need, initiative, user, gettext_lazy("Gesuch"), "need-page")
    return need


@transaction.atomic
def need_mark(*, user: User, need_id: Any, met: Any) -> Need:
    """Leads mark a need met (it leaves the lists) or open again (None: as it is)."""
    if met is not None and not isinstance(met, bool):
        raise DomainError("invalid", _("`met` muss true oder false sein."))
    need = (
        Need.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .filter(pk=clean_id(need_id, field="id"), hidden_at__isnull=True)
        .first()
    )
    if need is None:
        raise not_found()
    if not permissions.can_post_need(user, need.initiative):
        raise forbidden(_("Das entscheidet die Leitung der Initiative."))
    if met is not None and met != (need.met_at is not None):
        need.met_at = timezone.now() if met else None
        need.save(update_fields=["met_at"])
    return need


@transaction.atomic
def remove(
    *, user: User, model: type[News] | type[Lifehack] | type[Offer] | type[Need], item_id: Any
) -> None:
    """Take one's own contribution down (or, for leads and moderators, one in their care).
    Gone for good; hiding (moderation) is what keeps a record."""
    item = model.objects.filter(pk=clean_id(item_id, field="id"), hidden_at__isnull=True).first()
    if item is None:
        raise not_found()
    if not permissions.can_remove(user, item):
        raise forbidden()
    item.delete()
