"""The web pages. German paths are the stable ones; the English ones redirect."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from frontend.views import (
    accounts,
    community,
    english,
    events,
    home,
    initiative_forms,
    initiatives,
    lead_tools,
    memo,
    moderation,
    notifications,
    people,
    rooms,
    search,
)

urlpatterns = [
    path("", home.home, name="home"),
    # Signing in and out, registering, the profile and passwords
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("register/", accounts.register, name="register"),
    path(
        "register/bestaetigen/<str:uidb64>/<str:token>/",
        accounts.email_confirm,
        name="email-confirm",
    ),
    path("profil/", accounts.profile, name="profile"),
    path("personen/<str:username>/", people.person, name="person"),
    path("suche/", search.search_page, name="search-page"),
    path("profil/bestaetigung/", accounts.email_confirmation_resend, name="email-confirm-resend"),
    path("profil/organisation/", accounts.verification_request_page, name="verification-request"),
    path("profil/passwort/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("passwort-vergessen/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort-vergessen/gesendet/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<str:uidb64>/<str:token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/fertig/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Initiatives
    path("initiativen/", initiatives.directory, name="initiative-list"),
    path("initiativen/neu/", initiative_forms.create, name="initiative-create"),
    path("initiativen/<slug:slug>/", initiatives.detail, name="initiative-detail"),
    path("initiativen/<slug:slug>/bearbeiten/", initiative_forms.edit, name="initiative-edit"),
    path("initiativen/<slug:slug>/mitmachen/", initiatives.join, name="initiative-join"),
    path("initiativen/<slug:slug>/folgen/", initiatives.follow, name="initiative-follow"),
    path("initiativen/<slug:slug>/verlassen/", initiatives.leave, name="initiative-leave"),
    path("initiativen/<slug:slug>/raeume/", lead_tools.room_create, name="room-create"),
    path(
        "initiativen/<slug:slug>/mitglieder/<int:user_id>/",
        lead_tools.member_role,
        name="member-role",
    ),
    # Rooms
    path("raeume/<int:room_id>/", rooms.room, name="room"),
    path("raeume/<int:room_id>/einstellungen/", lead_tools.room_settings, name="room-settings"),
    # Events and shifts
    path("veranstaltungen/", events.event_list, name="event-calendar"),
    path("veranstaltungen/<int:event_id>/", events.event_page, name="event-page"),
    path("veranstaltungen/<int:event_id>/zusage/", events.event_rsvp, name="event-rsvp-page"),
    path("schichten/<int:shift_id>/anmeldung/", events.shift_signup, name="shift-signup-page"),
    path("meine-termine/", events.my_events, name="my-events"),
    path("meine-termine/kalender/", events.feed_renew, name="feed-renew"),
    # Community: news, lifehacks, offers and needs
    path("neuigkeiten/", community.news_list, name="news-list-page"),
    path("neuigkeiten/neu/", community.news_create, name="news-create"),
    path("neuigkeiten/<int:news_id>/", community.news_page, name="news-page"),
    path("lifehacks/", community.lifehack_list, name="lifehack-list-page"),
    path("lifehacks/neu/", community.lifehack_create, name="lifehack-create"),
    path("lifehacks/<int:lifehack_id>/", community.lifehack_page, name="lifehack-page"),
    path(
        "lifehacks/<int:lifehack_id>/mach-ich-auch/",
        community.lifehack_adopt,
        name="lifehack-adopt-page",
    ),
    path("angebote/", community.offer_list, name="offer-list-page"),
    path("angebote/neu/", community.offer_create, name="offer-create"),
    path("angebote/<int:offer_id>/", community.offer_page, name="offer-page"),
    path("gesucht/", community.need_list, name="need-list-page"),
    path("gesucht/neu/", community.need_create, name="need-create"),
    path("gesucht/<int:need_id>/", community.need_page, name="need-page"),
    path("gesucht/<int:need_id>/erledigt/", community.need_mark, name="need-mark"),
    # The weekly Mach-Mit-Memo
    path("memo/", memo.archive, name="memo-archive"),
    path("memo/<str:label>/", memo.issue, name="memo-issue"),
    path("memo/abbestellen/<str:token>/", memo.unsubscribe, name="memo-unsubscribe"),
    path("memo/abbestellen/<str:token>/wieder/", memo.resubscribe, name="memo-resubscribe"),
    # Moderation: the console, the guide, and a member's appeal
    path("moderation/", moderation.console, name="moderation-console"),
    path("moderation/leitfaden/", moderation.guide, name="moderation-guide"),
    path(
        "moderation/organisationen/",
        moderation.organisations,
        name="moderation-organisations-page",
    ),
    path("moderation/beitraege/", moderation.content_reports, name="moderation-content-page"),
    path("einspruch/<int:action_id>/", moderation.appeal, name="appeal"),
    path("melden/<slug:kind>/<int:content_id>/", moderation.report_content, name="report-content"),
    # Notifications
    path("benachrichtigungen/", notifications.notification_list, name="notifications"),
    path(
        "benachrichtigungen/<int:notification_id>/",
        notifications.open_notification,
        name="notification-open",
    ),
    path("benachrichtigungen/gelesen/", notifications.mark_all_read, name="notifications-read"),
    path(
        "benachrichtigungen/abbestellen/<str:token>/",
        notifications.stop_mails,
        name="notification-mails-stop",
    ),
    path(
        "profil/benachrichtigungen/",
        accounts.notification_settings,
        name="notification-settings",
    ),
    # The JavaScript's translations (django.gettext in the browser)
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # English paths
    path("initiatives/", english.redirect_to("initiative-list"), name="english-path"),
    path("initiatives/<slug:slug>/", english.redirect_to("initiative-detail"), name="english-path"),
    path("rooms/<int:room_id>/", english.redirect_to("room"), name="english-path"),
    path("profile/", english.redirect_to("profile"), name="english-path"),
    path("notifications/", english.redirect_to("notifications"), name="english-path"),
]
