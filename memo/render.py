"""One memo's content (memo.compose) as a page, a mail (HTML and plain text) and the text
to paste into a LinkedIn post, in the active language; links absolute to the site."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.links import site_url
from initiatives.city import city_name
from memo.compose import SECTIONS, is_empty
from memo.weeks import Week


def context(content: dict[str, Any], *, absolute: bool = True, **extra: Any) -> dict[str, Any]:
    """Times as datetimes (for |date), and links absolute (mails, the text to paste,
    the feed) or, for the site's own page, paths (right whatever KLIMA_SITE_URL says)."""
    base = site_url() if absolute else ""
    sections: dict[str, list[dict[str, Any]]] = {}
    for name in SECTIONS:
        sections[name] = [
            {**item, "url": base + item["url"], "start": parse_datetime(item["start"])}
            if "start" in item
            else {**item, "url": base + item["url"]}
            for item in content[name]
        ]
    week = Week.parse(content["week"])
    return {
        **sections,
        "week": week,
        "city": city_name(),
        "empty": is_empty(content),
        "page_url": base + f"/memo/{week.label}/",
        "site_url": base,
        **extra,
    }


def subject(content: dict[str, Any]) -> str:
    week = Week.parse(content["week"])
    if is_empty(content):
        return _("Mach-Mit-Memo KW %(week)d: eine ruhige Woche") % {"week": week.week}
    n = len(content["events"]) + len(content["shifts"]) + len(content["needs"])
    return ngettext(
        "Mach-Mit-Memo KW %(week)d: %(n)d Gelegenheit mitzumachen",
        "Mach-Mit-Memo KW %(week)d: %(n)d Gelegenheiten mitzumachen",
        n,
    ) % {"week": week.week, "n": n}


def text(content: dict[str, Any], **extra: Any) -> str:
    """Plain text: the mail's text part and the text to paste into a post."""
    return render_to_string("memo/memo.txt", context(content, **extra)).strip() + "\n"


def html(content: dict[str, Any], **extra: Any) -> str:
    return render_to_string("memo/memo_email.html", context(content, **extra))


def html_sections(content: dict[str, Any]) -> str:
    """Just the sections (the feed's entries)."""
    return render_to_string("memo/_sections.html", context(content))
