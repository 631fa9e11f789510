"""The authorization matrix covers the whole site: every URL pattern with each of its
methods has a row, every row names a URL that exists, and every websocket frame type
the consumer handles has a row. A new endpoint or frame type fails here until its
expected answers for every role are written into tests/authz/matrix.py."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from rooms.consumers import ProtocolConsumer
from tests.authz.matrix import NOT_IN_MATRIX, PAGES, REST, WEBSOCKET
from tests.authz.world import ROLES

# Function views take any method; these are the ones the matrix tries for each.
FUNCTION_VIEW_METHODS = {
    "healthz": {"GET"},
    "readyz": {"GET"},
    "home": {"GET"},
    "logout": {"GET", "POST"},
    "register": {"GET", "POST"},
    "set_language": {"POST"},
    "english-path": {"GET"},
    "email-confirm": {"GET"},
    "profile": {"GET", "POST"},
    "email-confirm-resend": {"POST"},
    "notifications": {"GET"},
    "notification-open": {"POST"},
    "notifications-read": {"POST"},
    "initiative-list": {"GET"},
    "initiative-detail": {"GET"},
    "initiative-create": {"GET", "POST"},
    "initiative-edit": {"GET", "POST"},
    "initiative-join": {"POST"},
    "initiative-follow": {"POST"},
    "initiative-leave": {"POST"},
    "room-create": {"POST"},
    "member-role": {"POST"},
    "room": {"GET"},
    "room-settings": {"POST"},
    "moderation-console": {"GET"},
    "moderation-guide": {"GET"},
    "appeal": {"GET", "POST"},
    "event-calendar": {"GET"},
    "event-page": {"GET"},
    "event-rsvp-page": {"POST"},
    "shift-signup-page": {"POST"},
    "my-events": {"GET"},
    "feed-renew": {"POST"},
    "feed-events": {"GET"},
    "feed-initiative": {"GET"},
    "feed-personal": {"GET"},
    "feed-news": {"GET"},
    "feed-initiative-news": {"GET"},
    "news-list-page": {"GET"},
    "news-create": {"GET", "POST"},
    "news-page": {"GET"},
    "lifehack-list-page": {"GET"},
    "lifehack-create": {"POST"},
    "lifehack-page": {"GET"},
    "lifehack-adopt-page": {"POST"},
    "offer-list-page": {"GET"},
    "offer-create": {"GET", "POST"},
    "offer-page": {"GET"},
    "need-list-page": {"GET"},
    "need-create": {"GET", "POST"},
    "need-page": {"GET"},
    "need-mark": {"POST"},
    "verification-request": {"POST"},
    "moderation-organisations-page": {"GET", "POST"},
    "moderation-content-page": {"GET", "POST"},
    "report-content": {"GET", "POST"},
    "media": {"GET"},
    "person": {"GET"},
    "search-page": {"GET"},
    "notification-mails-stop": {"GET", "POST"},
    "notification-settings": {"POST"},
    "memo-archive": {"GET"},
    "memo-issue": {"GET"},
    "memo-unsubscribe": {"GET", "POST"},
    "memo-resubscribe": {"POST"},
    "feed-memo": {"GET"},
}


def _endpoints(patterns: list[URLPattern | URLResolver]) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in NOT_IN_MATRIX:
                continue
            yield from _endpoints(pattern.url_patterns)
            continue
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if actions:
            methods = {method.upper() for method in actions}
        elif view is not None:
            methods = {
                m.upper()
                for m in view.http_method_names
                if hasattr(view, m) and m not in ("options", "head")
            }
        else:
            methods = FUNCTION_VIEW_METHODS[str(pattern.name)]
        for method in methods - {"HEAD", "OPTIONS"}:  # what GET answers; DRF's metadata
            yield str(pattern.name), method


def test_every_url_and_method_has_a_row_and_every_row_a_url() -> None:
    endpoints = set(_endpoints(get_resolver().url_patterns))
    rows = {(row.name, row.method) for row in [*REST, *PAGES]}

    assert endpoints - rows == set(), "endpoints without a row in tests/authz/matrix.py"
    assert rows - endpoints == set(), "rows of endpoints that do not exist"


def test_every_frame_type_has_a_row() -> None:
    assert {row.type for row in WEBSOCKET} == set(ProtocolConsumer.handlers)


def test_every_row_has_a_cell_for_every_role() -> None:
    for row in [*REST, *PAGES, *WEBSOCKET]:
        assert set(row.cells) == set(ROLES), row
