from django.urls import path

import common.converters  # noqa: F401 - registers <id:...>
from moderation.api import appeals, content, organisations, queue, restrictions

urlpatterns = [
    path("moderation/reports/", queue.ReportCreateView.as_view(), name="moderation-reports"),
    path("moderation/queue/", queue.QueueView.as_view(), name="moderation-queue"),
    path(
        "moderation/queue/<id:message_id>/resolve/",
        queue.QueueResolveView.as_view(),
        name="moderation-resolve",
    ),
    path(
        "moderation/messages/<id:message_id>/hide/",
        queue.MessageHideView.as_view(),
        name="moderation-hide",
    ),
    path(
        "moderation/messages/<id:message_id>/unhide/",
        queue.MessageUnhideView.as_view(),
        name="moderation-unhide",
    ),
    path(
        "moderation/content/queue/",
        content.ContentQueueView.as_view(),
        name="moderation-content-queue",
    ),
    path(
        "moderation/content/<slug:kind>/<id:content_id>/report/",
        content.ContentReportView.as_view(),
        name="moderation-content-report",
    ),
    path(
        "moderation/content/<slug:kind>/<id:content_id>/resolve/",
        content.ContentResolveView.as_view(),
        name="moderation-content-resolve",
    ),
    path(
        "moderation/content/<slug:kind>/<id:content_id>/hide/",
        content.ContentHideView.as_view(),
        name="moderation-content-hide",
    ),
    path(
        "moderation/content/<slug:kind>/<id:content_id>/unhide/",
        content.ContentUnhideView.as_view(),
        name="moderation-content-unhide",
    ),
    path("moderation/mutes/", restrictions.MuteListView.as_view(), name="moderation-mutes"),
    path(
        "moderation/mutes/<id:item_id>/",
        restrictions.MuteDetailView.as_view(),
        name="moderation-mute",
    ),
    path("moderation/bans/", restrictions.BanListView.as_view(), name="moderation-bans"),
    path(
        "moderation/bans/<id:item_id>/",
        restrictions.BanDetailView.as_view(),
        name="moderation-ban",
    ),
    path("moderation/log/", queue.LogView.as_view(), name="moderation-log"),
    path(
        "moderation/organisations/",
        organisations.OrganisationListView.as_view(),
        name="moderation-organisations",
    ),
    path(
        "moderation/organisations/<id:user_id>/verification/",
        organisations.OrganisationVerificationView.as_view(),
        name="moderation-verification",
    ),
    path("moderation/appeals/", appeals.AppealListView.as_view(), name="moderation-appeals"),
    path(
        "moderation/appeals/<id:appeal_id>/decide/",
        appeals.AppealDecideView.as_view(),
        name="moderation-appeal-decide",
    ),
]
