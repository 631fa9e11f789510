"""Reporting news, lifehacks, offers and needs into the moderation queue, and deciding
the reports: who may report (not one's own, not what is hidden), who reviews (site
moderators everything, leads their initiative's, passing on what they may not decide),
and what each decision does (hidden content leaves the lists; dismissed reports stay in
the log). The same by the pages: the report form and /moderation/beitraege/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Notification
from community.models import News
from moderation.models import ContentReport, ModerationAction
from tests.community.conftest import People
from tests.factories import ApiAs, MakeUser

pytestmark = pytest.mark.django_db


def _post(api_as: ApiAs, user: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return api_as(user).post(path, body or {}, format="json")


def _news(api_as: ApiAs, people: People) -> dict[str, Any]:
    body = {"title": "Tauschbörse", "teaser": "Samstag", "initiative": people.initiative.slug}
    response = _post(api_as, people.lena, "/api/news/", body)
    assert response.status_code == 201
    return dict(response.json())


def _signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_members_report_content_once_and_never_their_own(api_as: ApiAs, people: People) -> None:
    news = _news(api_as, people)
    report = f"/api/moderation/content/news/{news['id']}/report/"

    first = _post(api_as, people.jonas, report, {"reason": "spam", "text": "Werbung"})
    again = _post(api_as, people.jonas, report, {"reason": "other"})
    own = _post(api_as, people.lena, report, {"reason": "spam"})

    assert first.status_code == 201
    assert first.json()["content"] == {"kind": "news", "id": news["id"], "title": "Tauschbörse"}
    assert first.json()["status"] == "open"
    assert again.status_code == 409
    assert own.status_code == 403
    assert _post(api_as, None, report, {"reason": "spam"}).status_code == 401
    assert ContentReport.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/api/moderation/content/news/{id}/report/", {"reason": "bad"}, 400, "invalid"),
        ("/api/moderation/content/news/{id}/report/", {}, 400, "invalid"),
        (
            "/api/moderation/content/news/{id}/report/",
            {"reason": "spam", "text": 5},
            400,
            "invalid",
        ),
        ("/api/moderation/content/news/999999/report/", {"reason": "spam"}, 404, "not_found"),
        ("/api/moderation/content/uhren/{id}/report/", {"reason": "spam"}, 404, "not_found"),
    ],
)
def test_a_bad_report_gets_a_clear_error_and_changes_nothing(
    api_as: ApiAs, people: People, path: str, body: dict[str, Any], status: int, code: str
) -> None:
    news = _news(api_as, people)

    response = _post(api_as, people.jonas, path.format(id=news["id"]), body)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert ContentReport.objects.count() == 0


def test_the_queue_shows_each_reviewer_their_part_most_reported_first(
    api_as: ApiAs, people: People, make_user: MakeUser
) -> None:
    news = _news(api_as, people)
    tip = _post(
        api_as,
        people.jonas,
        "/api/lifehacks/",
        {"title": "Uhren!", "body": "Kauft", "category": "energie"},
    ).json()
    for name in ("anna", "ben"):
        reporter = make_user(username=name)
        _post(
            api_as,
            reporter,
            f"/api/moderation/content/lifehack/{tip['id']}/report/",
            {"reason": "spam"},
        )
    _post(
        api_as,
        people.jonas,
        f"/api/moderation/content/news/{news['id']}/report/",
        {"reason": "off_topic"},
    )

    moderators = api_as(people.mira).get("/api/moderation/content/queue/").json()
    leads = api_as(people.lena).get("/api/moderation/content/queue/").json()

    assert [i["content"]["kind"] for i in moderators["results"]] == ["lifehack", "news"]
    first = moderators["results"][0]
    assert first["reporters"] == 2 and first["reasons"] == {"spam": 2}
    assert first["decidable"] is True
    assert {r["reporter"]["username"] for r in first["reports"]} == {"anna", "ben"}
    # The lifehack belongs to no initiative: only the site moderators review it. lena sees
    # her initiative's news, without who reported it, and may not decide on her own post.
    assert [i["content"]["id"] for i in leads["results"]] == [news["id"]]
    assert leads["results"][0]["reports"][0]["reporter"] is None
    assert leads["results"][0]["decidable"] is False
    assert api_as(people.jonas).get("/api/moderation/content/queue/").status_code == 403
    assert api_as(people.other_lead).get("/api/moderation/content/queue/").json()["count"] == 0


def test_hiding_from_the_queue_takes_it_out_of_the_lists_and_tells_the_author(
    api_as: ApiAs, people: People
) -> None:
    tip = _post(
        api_as,
        people.jonas,
        "/api/lifehacks/",
        {"title": "Uhren!", "body": "Kauft", "category": "energie"},
    ).json()
    _post(
        api_as,
        people.lena,
        f"/api/moderation/content/lifehack/{tip['id']}/report/",
        {"reason": "spam"},
    )
    resolve = f"/api/moderation/content/lifehack/{tip['id']}/resolve/"

    assert _post(api_as, people.lena, resolve, {"action": "hide"}).status_code == 403
    decided = _post(api_as, people.mira, resolve, {"action": "hide"})

    assert decided.status_code == 200
    assert decided.json()["hidden"] is True
    assert decided.json()["hidden_reason"] == "Nach Meldungen ausgeblendet: Spam"
    assert api_as(None).get("/api/lifehacks/").json()["count"] == 0
    assert ContentReport.objects.get().status == "actioned"
    assert api_as(people.mira).get("/api/moderation/content/queue/").json()["count"] == 0
    assert Notification.objects.filter(user=people.jonas, text__contains="Uhren!").exists()
    # Decided: nothing is left to decide, and nobody reports what is hidden.
    assert _post(api_as, people.mira, resolve, {"action": "dismiss"}).status_code == 404
    again = f"/api/moderation/content/lifehack/{tip['id']}/report/"
    assert _post(api_as, people.mira, again, {"reason": "spam"}).status_code == 404


def test_dismissing_keeps_the_content_and_logs_it_and_a_new_report_brings_it_back(
    api_as: ApiAs, people: People, make_user: MakeUser
) -> None:
    news = _news(api_as, people)
    report = f"/api/moderation/content/news/{news['id']}/report/"
    resolve = f"/api/moderation/content/news/{news['id']}/resolve/"
    _post(api_as, people.jonas, report, {"reason": "misinformation"})

    decided = _post(api_as, people.mira, resolve, {"action": "dismiss", "reason": "stimmt so"})

    assert decided.status_code == 200 and decided.json()["hidden"] is False
    assert api_as(None).get(f"/api/news/{news['id']}/").status_code == 200
    entry = ModerationAction.objects.get(kind=ModerationAction.Kind.REPORTS_DISMISSED)
    assert (entry.content_kind, entry.content_id, entry.reason) == ("news", news["id"], "stimmt so")
    assert entry.initiative == people.initiative  # lena reads it in her part of the log
    _post(api_as, make_user(username="carla"), report, {"reason": "spam"})
    assert api_as(people.mira).get("/api/moderation/content/queue/").json()["count"] == 1


def test_a_lead_passes_on_what_she_may_not_decide_and_the_moderators_are_told(
    api_as: ApiAs, people: People
) -> None:
    news = _news(api_as, people)
    _post(
        api_as,
        people.jonas,
        f"/api/moderation/content/news/{news['id']}/report/",
        {"reason": "spam"},
    )
    resolve = f"/api/moderation/content/news/{news['id']}/resolve/"

    assert _post(api_as, people.lena, resolve, {"action": "dismiss"}).status_code == 403
    assert _post(api_as, people.other_lead, resolve, {"action": "escalate"}).status_code == 403
    assert _post(api_as, people.lena, resolve, {"action": "escalate"}).status_code == 200
    assert _post(api_as, people.lena, resolve, {"action": "burn"}).status_code == 400

    assert ContentReport.objects.get().status == "escalated"
    assert Notification.objects.filter(user=people.mira, url="/moderation/beitraege/").exists()
    [item] = api_as(people.mira).get("/api/moderation/content/queue/").json()["results"]
    assert item["escalated"] is True


def test_content_deleted_by_its_author_leaves_the_queue(api_as: ApiAs, people: People) -> None:
    news = _news(api_as, people)
    _post(
        api_as,
        people.jonas,
        f"/api/moderation/content/news/{news['id']}/report/",
        {"reason": "spam"},
    )

    assert api_as(people.lena).delete(f"/api/news/{news['id']}/").status_code == 204

    assert ContentReport.objects.count() == 0
    assert api_as(people.mira).get("/api/moderation/content/queue/").json()["count"] == 0


def test_a_citizen_reports_by_the_page_and_a_moderator_decides_on_the_queue_page(
    api_as: ApiAs, people: People
) -> None:
    news = _news(api_as, people)
    jonas, mira = _signed_in(people.jonas), _signed_in(people.mira)
    page = jonas.get(f"/neuigkeiten/{news['id']}/")
    assert f'href="/melden/news/{news["id"]}/"' in page.content.decode()
    assert (
        "/melden/"
        not in _signed_in(people.lena).get(f"/neuigkeiten/{news['id']}/").content.decode()
    )

    refused = jonas.post(f"/melden/news/{news['id']}/", {"reason": ""})
    assert refused.status_code == 200 and "field--error" in refused.content.decode()
    sent = jonas.post(
        f"/melden/news/{news['id']}/", {"reason": "spam", "text": "Werbung"}, follow=True
    )
    assert sent.redirect_chain[-1][0] == f"/neuigkeiten/{news['id']}/"
    assert "Danke! Die Moderation sieht sich den Beitrag an." in sent.content.decode()
    twice = jonas.post(f"/melden/news/{news['id']}/", {"reason": "spam"})
    assert "schon gemeldet" in twice.content.decode()

    console = mira.get("/moderation/").content.decode()
    assert (
        'href="/moderation/beitraege/">Gemeldete Beiträge <span class="badge">1</span>' in console
    )
    queue = mira.get("/moderation/beitraege/").content.decode()
    assert "Tauschbörse" in queue and "Werbung" in queue and "jonas" in queue.lower()
    done = mira.post(
        "/moderation/beitraege/",
        {"kind": "news", "id": str(news["id"]), "action": "hide"},
        follow=True,
    )
    assert "Ausgeblendet" in done.content.decode()
    assert News.objects.get(pk=news["id"]).hidden_at is not None
    assert jonas.get(f"/melden/news/{news['id']}/").status_code == 404
    bad = mira.post(
        "/moderation/beitraege/", {"kind": "news", "id": "x", "action": "hide"}, follow=True
    )
    assert bad.status_code == 200 and "flash--error" in bad.content.decode()
    assert jonas.get("/moderation/beitraege/").status_code == 403


def test_an_event_is_reported_from_its_page(people: People) -> None:
    from events.models import Event

    start = timezone.now() + timedelta(days=3)
    event = Event.objects.create(
        initiative=people.initiative,
        title="Kochtag",
        start=start,
        end=start + timedelta(hours=2),
        created_by=people.lena,
    )
    jonas = _signed_in(people.jonas)

    assert (
        f'href="/melden/event/{event.pk}/"'
        in jonas.get(f"/veranstaltungen/{event.pk}/").content.decode()
    )
    jonas.post(f"/melden/event/{event.pk}/", {"reason": "off_topic"})

    assert ContentReport.objects.get().initiative == people.initiative
