"""Absolute links for what leaves the site without a request to take the host from
(mails, feeds, the memo's text to paste): `KLIMA_SITE_URL` + a path."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    return str(settings.KLIMA_SITE_URL)


def absolute(path: str) -> str:
    return site_url() + path if path.startswith("/") else path
