"""News, lifehacks, offers and needs as the REST API (and the pages) show them."""

from __future__ import annotations

from typing import Any

from accounts.selectors import PublicUser, public_user
from common.times import iso
from community.models import Lifehack, Need, News, Offer
from initiatives.models import Category, District, Initiative


def _term(term: Category | District | None) -> dict[str, str] | None:
    return {"slug": term.slug, "name": term.localized_name} if term is not None else None


def _initiative(initiative: Initiative | None) -> dict[str, str] | None:
    return {"slug": initiative.slug, "title": initiative.title} if initiative else None


def _author(item: Any) -> PublicUser | None:
    return public_user(item.author) if item.author is not None else None


def news_data(news: News) -> dict[str, Any]:
    return {
        "id": news.pk,
        "initiative": _initiative(news.initiative),
        "title": news.title,
        "teaser": news.teaser,
        "body": news.body,
        "body_html": news.body_html,
        "image": news.image.url if news.image else None,
        "image_alt": news.image_alt,
        "author": _author(news),
        "created_at": iso(news.created_at),
    }


def lifehack_data(lifehack: Lifehack) -> dict[str, Any]:
    """`lifehack` from community.selectors (with `adoption_count` annotated)."""
    return {
        "id": lifehack.pk,
        "title": lifehack.title,
        "body": lifehack.body,
        "body_html": lifehack.body_html,
        "category": _term(lifehack.category),
        "author": _author(lifehack),
        "adoptions": int(getattr(lifehack, "adoption_count", 0)),
        "created_at": iso(lifehack.created_at),
    }


def offer_data(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "kind": offer.kind,
        "kind_name": offer.get_kind_display(),
        "title": offer.title,
        "description": offer.description,
        "description_html": offer.description_html,
        "category": _term(offer.category),
        "district": _term(offer.district),
        "valid_until": offer.valid_until.isoformat(),
        "organisation": _author(offer),
        "created_at": iso(offer.created_at),
    }


def need_data(need: Need) -> dict[str, Any]:
    return {
        "id": need.pk,
        "initiative": _initiative(need.initiative),
        "kind": need.kind,
        "kind_name": need.get_kind_display(),
        "title": need.title,
        "description": need.description,
        "description_html": need.description_html,
        "category": _term(need.category),
        "district": _term(need.district),
        "met": need.met_at is not None,
        "author": _author(need),
        "created_at": iso(need.created_at),
    }
