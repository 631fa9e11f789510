"""The one way a web page runs a service: a refusal becomes a message beside the page,
never a 500, and a form gets the service's field errors beside its fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from common.errors import DomainError

T = TypeVar("T")


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a page behind `login_required`."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied
    return user


def attempt(request: HttpRequest, action: Callable[[], T], *, done: str = "") -> T | None:
    """Run `action`; on a domain refusal show its reason and return None."""
    try:
        result = action()
    except DomainError as error:
        messages.error(request, error.detail)
        return None
    if done:
        messages.success(request, done)
    return result


def attempt_form(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run `action` for a valid form; a refusal becomes an error of the form (beside the
    field it names, or at the top)."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            for message in exc.messages:
                form.add_error(None, message)
    except DomainError as error:
        form.add_error(None, error.detail)
    return None


def is_local_path(url: str) -> bool:
    """A path on this site ("/raeume/3/"), never another host ("//evil.example/", a
    scheme): the only places a page sends people back to after a form."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def form_problem(request: HttpRequest, form: forms.Form) -> None:
    """A small form posted from a page's tools: its errors as messages on that page."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else str(message))
