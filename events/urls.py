from django.urls import path

import common.converters  # noqa: F401 - registers <id:...>
from events import api

urlpatterns = [
    path("events/", api.EventListView.as_view(), name="event-list"),
    path("events/<id:event_id>/", api.EventDetailView.as_view(), name="event-detail"),
    path("events/<id:event_id>/rsvp/", api.EventRsvpView.as_view(), name="event-rsvp"),
    path(
        "initiatives/<slug:slug>/shifts/",
        api.InitiativeShiftsView.as_view(),
        name="initiative-shifts",
    ),
    path("shifts/<id:shift_id>/signup/", api.ShiftSignupView.as_view(), name="shift-signup"),
    path(
        "shifts/<id:shift_id>/attendance/",
        api.ShiftAttendanceView.as_view(),
        name="shift-attendance",
    ),
]
