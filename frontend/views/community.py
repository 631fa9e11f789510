"""The community's contributions in the browser: news (/neuigkeiten/), lifehacks with
"Mach ich auch" (/lifehacks/), offers of verified organisations (/angebote/) and needs
of initiatives (/gesucht/), each need with its matching offers and each offer with the
needs it may serve. Lists filter like the API (the same FilterSets); posting is a plain
form through community/services.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from community import permissions, selectors, services
from community.filters import LifehackFilter, NeedFilter, NewsFilter, OfferFilter
from community.models import OfferKind
from frontend.forms import LifehackForm, NeedForm, NewsForm, OfferForm
from frontend.pages import initiative_or_404, item_or_error
from frontend.web import attempt, attempt_form, signed_in
from initiatives import selectors as initiative_selectors
from initiatives.models import Initiative

PER_PAGE = 12


def _listing(request: HttpRequest, filterset_class: Any, queryset: Any) -> dict[str, Any]:
    """The filtered page of a list, with what its filter form needs."""
    data = {key: str(value) for key, value in request.GET.items() if str(value).strip()}
    data.pop("seite", None)
    filterset = filterset_class(data, queryset=queryset)
    items = filterset.qs if filterset.is_valid() else queryset.none()
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("seite"))
    return {
        "page": page,
        "filters": data,
        "errors": filterset.errors,
        "categories": initiative_selectors.category_list(),
        "districts": initiative_selectors.district_list(),
        "kinds": OfferKind.choices,
    }


# --- news ---------------------------------------------------------------------------
@require_safe
def news_list(request: HttpRequest) -> HttpResponse:
    context = _listing(request, NewsFilter, selectors.news_listed())
    context["can_post_city_news"] = permissions.can_post_news(request.user, None)
    return render(request, "frontend/community/news_list.html", context)


@require_safe
def news_page(request: HttpRequest, news_id: int) -> HttpResponse:
    news = item_or_error(lambda: selectors.access_news(news_id=news_id))
    return render(request, "frontend/community/news_page.html", {"news": news})


# --- lifehacks ----------------------------------------------------------------------
@require_safe
def lifehack_list(request: HttpRequest) -> HttpResponse:
    return _lifehacks(request, LifehackForm())


def _lifehacks(request: HttpRequest, form: LifehackForm, status: int = 200) -> HttpResponse:
    """The list with its filters, and the form to share one (with its errors after a
    refused post)."""
    queryset = selectors.lifehacks_listed().order_by("-created_at", "-pk")
    context = _listing(request, LifehackFilter, queryset)
    context["adopted"] = _adopted(request, [h.pk for h in context["page"]])
    context["form"] = form
    return render(request, "frontend/community/lifehack_list.html", context, status=status)


@require_safe
def lifehack_page(request: HttpRequest, lifehack_id: int) -> HttpResponse:
    lifehack = item_or_error(lambda: selectors.access_lifehack(lifehack_id=lifehack_id))
    return render(
        request,
        "frontend/community/lifehack_page.html",
        {"lifehack": lifehack, "adopted": _adopted(request, [lifehack.pk])},
    )


def _adopted(request: HttpRequest, ids: list[int]) -> set[int]:
    if not request.user.is_authenticated:
        return set()
    return selectors.adopted_among(user=request.user, lifehack_ids=ids)


@login_required
@require_POST
def lifehack_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = LifehackForm(request.POST)
    if form.is_valid():
        created = attempt_form(
            form, lambda: services.lifehack_create(user=user, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, _("Danke fürs Teilen! Dein Lifehack steht jetzt oben."))
            return redirect("lifehack-list-page")
    return _lifehacks(request, form, status=400)


@login_required
@require_POST
def lifehack_adopt(request: HttpRequest, lifehack_id: int) -> HttpResponse:
    user = signed_in(request)
    if request.POST.get("action") == "undo":
        attempt(request, lambda: services.lifehack_unadopt(user=user, lifehack_id=lifehack_id))
    else:
        attempt(
            request,
            lambda: services.lifehack_adopt(user=user, lifehack_id=lifehack_id),
            done=_("Schön! Du machst mit."),
        )
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/lifehacks/") else reverse("lifehack-list-page"))


# --- offers -------------------------------------------------------------------------
@require_safe
def offer_list(request: HttpRequest) -> HttpResponse:
    context = _listing(request, OfferFilter, selectors.offers_valid())
    context["can_post"] = permissions.can_post_offer(request.user)
    return render(request, "frontend/community/offer_list.html", context)


@require_safe
def offer_page(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = item_or_error(lambda: selectors.access_offer(offer_id=offer_id))
    return render(
        request,
        "frontend/community/offer_page.html",
        {"offer": offer, "needs": selectors.needs_for_offer(offer)},
    )


# --- needs --------------------------------------------------------------------------
@require_safe
def need_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontend/community/need_list.html",
        _listing(request, NeedFilter, selectors.needs_open()),
    )


@require_safe
def need_page(request: HttpRequest, need_id: int) -> HttpResponse:
    need = item_or_error(lambda: selectors.access_need(need_id=need_id))
    return render(
        request,
        "frontend/community/need_page.html",
        {
            "need": need,
            "offers": selectors.offers_for_need(need) if need.met_at is None else [],
            "manages": permissions.can_post_need(request.user, need.initiative),
        },
    )


@login_required
@require_POST
def need_mark(request: HttpRequest, need_id: int) -> HttpResponse:
    user, met = signed_in(request), request.POST.get("met") == "true"
    attempt(
        request,
        lambda: services.need_mark(user=user, need_id=need_id, met=met),
        done=_("Erledigt: das Gesuch ist aus den Listen.") if met else _("Wieder offen."),
    )
    return redirect("need-page", need_id=need_id)


# --- the forms to post --------------------------------------------------------------
def _post_page(
    request: HttpRequest,
    form: forms.Form,
    create: Callable[[dict[str, Any]], Any],
    *,
    heading: str,
    lead: str,
    back: str,
    done: str,
    page: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        created = attempt_form(form, lambda: create(form.cleaned_data))
        if created is not None:
            messages.success(request, done)
            return redirect(page, created.pk)
    return render(
        request,
        "frontend/community/post_form.html",
        {"form": form, "heading": heading, "lead": lead, "back": back},
        status=400 if request.method == "POST" else 200,
    )


def _initiative_of(request: HttpRequest) -> Initiative | None:
    slug = request.GET.get("initiative", "")
    return initiative_or_404(slug) if slug else None


@login_required
@require_http_methods(["GET", "POST"])
def news_create(request: HttpRequest) -> HttpResponse:
    user, initiative = signed_in(request), _initiative_of(request)
    if not permissions.can_post_news(user, initiative):
        raise PermissionDenied(
            _("Neuigkeiten schreibt die Leitung der Initiative; stadtweite die Moderation.")
        )
    return _post_page(
        request,
        NewsForm(request.POST or None, request.FILES or None),
        lambda data: services.news_create(user=user, initiative=initiative, **data),
        heading=_("Neuigkeit schreiben"),
        lead=initiative.title if initiative else _("Stadtweit, für alle sichtbar."),
        back=reverse("initiative-detail", args=[initiative.slug])
        if initiative
        else reverse("news-list-page"),
        done=_("Veröffentlicht."),
        page="news-page",
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not permissions.can_post_offer(user):
        raise PermissionDenied(
            _("Angebote veröffentlichen Organisationen, die die Moderation bestätigt hat.")
        )
    return _post_page(
        request,
        OfferForm(request.POST or None),
        lambda data: services.offer_create(user=user, **data),
        heading=_("Angebot einstellen"),
        lead=_("Förderung, Beratung, Rabatte, Material oder Räume für Klima-Initiativen."),
        back=reverse("offer-list-page"),
        done=_("Dein Angebot ist online."),
        page="offer-page",
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    user, initiative = signed_in(request), _initiative_of(request)
    if initiative is None or not permissions.can_post_need(user, initiative):
        raise PermissionDenied(_("Gesuche stellt die Leitung der Initiative ein."))
    return _post_page(
        request,
        NeedForm(request.POST or None),
        lambda data: services.need_create(user=user, initiative=initiative, **data),
        heading=_("Was sucht ihr?"),
        lead=initiative.title,
        back=reverse("initiative-detail", args=[initiative.slug]),
        done=_("Euer Gesuch ist online. Passende Angebote stehen darunter."),
        page="need-page",
    )
