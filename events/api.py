"""REST: events with RSVPs, an initiative's shifts with sign-ups, and the leads'
attendance list (DESIGN.md). Thin: every rule is in events/services.py."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import public_user
from common.auth import current_user
from common.errors import forbidden
from common.schema import CONFLICT
from common.serializers import (
    SlugReferenceField,
    StrictBooleanField,
    StrictIntegerField,
    TextField,
    id_field,
)
from events import permissions as rules
from events import selectors, services
from events.filters import EventFilter
from events.models import Event, SeatStatus, Shift
from events.rendering import event_data, shift_data
from events.services import CAPACITY_MAX, PLACE_MAX, TITLE_MAX
from initiatives.models import District
from initiatives.selectors import access_initiative

SEAT_STATUSES = SeatStatus.choices


class EventOut(serializers.Serializer):
    """For the schema: what `events.rendering.event_data` gives."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    description_html = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    place = serializers.CharField()
    district = serializers.CharField(allow_null=True)
    district_name = serializers.CharField(allow_null=True)
    initiative = serializers.DictField(allow_null=True)
    capacity = serializers.IntegerField(min_value=0)
    action_day = serializers.BooleanField()
    going = serializers.IntegerField(min_value=0)
    waitlist = serializers.IntegerField(min_value=0)
    free = serializers.IntegerField(min_value=0, allow_null=True)


class ShiftOut(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = serializers.CharField()
    event = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=0)
    going = serializers.IntegerField(min_value=0)
    waitlist = serializers.IntegerField(min_value=0)
    free = serializers.IntegerField(min_value=0, allow_null=True)


class SeatOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=SEAT_STATUSES, allow_null=True)


class EventIn(serializers.Serializer):
    title = TextField(max_length=TITLE_MAX)
    description = TextField(required=False, allow_blank=True, max_length=20_000)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    place = TextField(max_length=PLACE_MAX)
    capacity = StrictIntegerField(min_value=0, max_value=CAPACITY_MAX, required=False)
    # A slug (the schema cannot list every initiative); one that names none is a 404.
    initiative = TextField(max_length=140, required=False, allow_null=True)
    district = SlugReferenceField(
        slug_field="slug", queryset=District.objects.all(), required=False, allow_null=True
    )
    action_day = StrictBooleanField(required=False)


class ShiftIn(serializers.Serializer):
    title = TextField(max_length=TITLE_MAX)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = StrictIntegerField(min_value=0, max_value=CAPACITY_MAX, required=False)
    event = id_field(required=False, allow_null=True)


class AttendanceIn(serializers.Serializer):
    user = id_field()
    attended = StrictBooleanField(allow_null=True)


class AttendanceOut(serializers.Serializer):
    user = serializers.DictField()
    status = serializers.ChoiceField(choices=SEAT_STATUSES)
    attended = serializers.BooleanField(allow_null=True)


def _seat_answer(status_value: str | None) -> Response:
    return Response({"status": status_value})


class EventListView(GenericAPIView):
    """Upcoming events, soonest first (filters: initiative, district, category, from,
    to); signed-in leads and moderators create them."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_class = EventFilter
    serializer_class = EventOut

    def get_queryset(self) -> QuerySet[Event]:
        if "from" in self.request.query_params:
            return selectors.events_listed()
        return selectors.upcoming_events()

    @extend_schema(responses=EventOut(many=True))
    def get(self, request: Request) -> Response:
        events = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(events)
        return self.get_paginated_response([event_data(e) for e in page or []])

    @extend_schema(request=EventIn, responses={201: EventOut})
    def post(self, request: Request) -> Response:
        user = current_user(request)
        serializer = EventIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        slug = data.pop("initiative", None)
        initiative = access_initiative(slug=slug) if slug is not None else None
        event = services.event_create(user=user, initiative=initiative, **data)
        return Response(
            event_data(selectors.access_event(event_id=event.pk)), status=status.HTTP_201_CREATED
        )


class EventDetailView(APIView):
    """One event; leads and moderators cancel it (DELETE): it leaves lists and feeds."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses={200: EventOut})
    def get(self, request: Request, event_id: int) -> Response:
        return Response(event_data(selectors.access_event(event_id=event_id)))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, event_id: int) -> Response:
        event = selectors.access_event(event_id=event_id)
        services.event_cancel(user=current_user(request), event_id=event.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EventRsvpView(APIView):
    """My RSVP: GET it, POST to go (or join the waiting list when full), DELETE to give
    the place up (the first waiting moves up)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SeatOut})
    def get(self, request: Request, event_id: int) -> Response:
        event = selectors.access_event(event_id=event_id)
        return _seat_answer(selectors.rsvp_status(user=current_user(request), event=event))

    @extend_schema(request=None, responses={200: SeatOut, 409: CONFLICT})
    def post(self, request: Request, event_id: int) -> Response:
        event = selectors.access_event(event_id=event_id)
        return _seat_answer(services.rsvp_take(user=current_user(request), event_id=event.pk))

    @extend_schema(responses={200: SeatOut, 409: CONFLICT})
    def delete(self, request: Request, event_id: int) -> Response:
        event = selectors.access_event(event_id=event_id)
        services.rsvp_release(user=current_user(request), event_id=event.pk)
        return _seat_answer(None)


class InitiativeShiftsView(GenericAPIView):
    """An initiative's open shifts with their counters; its leads add shifts."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = ShiftOut
    queryset = Shift.objects.none()  # for the schema; the list comes from the selector

    @extend_schema(responses=ShiftOut(many=True))
    def get(self, request: Request, slug: str) -> Response:
        initiative = access_initiative(slug=slug)
        page = self.paginate_queryset(selectors.open_shifts(initiative=initiative))
        return self.get_paginated_response([shift_data(s) for s in page or []])

    @extend_schema(request=ShiftIn, responses={201: ShiftOut})
    def post(self, request: Request, slug: str) -> Response:
        user = current_user(request)
        initiative = access_initiative(slug=slug)
        serializer = ShiftIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        event_id = data.pop("event", None)
        event = selectors.access_event(event_id=event_id) if event_id is not None else None
        shift = services.shift_create(user=user, initiative=initiative, event=event, **data)
        return Response(
            shift_data(selectors.access_shift(shift_id=shift.pk)), status=status.HTTP_201_CREATED
        )


class ShiftSignupView(APIView):
    """My sign-up for a shift: the same rules as an RSVP."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SeatOut})
    def get(self, request: Request, shift_id: int) -> Response:
        shift = selectors.access_shift(shift_id=shift_id)
        return _seat_answer(selectors.signup_status(user=current_user(request), shift=shift))

    @extend_schema(request=None, responses={200: SeatOut, 409: CONFLICT})
    def post(self, request: Request, shift_id: int) -> Response:
        shift = selectors.access_shift(shift_id=shift_id)
        return _seat_answer(services.signup_take(user=current_user(request), shift_id=shift.pk))

    @extend_schema(responses={200: SeatOut, 409: CONFLICT})
    def delete(self, request: Request, shift_id: int) -> Response:
        shift = selectors.access_shift(shift_id=shift_id)
        services.signup_release(user=current_user(request), shift_id=shift.pk)
        return _seat_answer(None)


def _attendance_row(seat: Any) -> dict[str, Any]:
    return {"user": dict(public_user(seat.user)), "status": seat.status, "attended": seat.attended}


class ShiftAttendanceView(APIView):
    """For the leads: who comes (display names, never emails) and, on the day, who came."""

    permission_classes = [permissions.IsAuthenticated]

    def _shift(self, request: Request, shift_id: int) -> Any:
        shift = selectors.access_shift(shift_id=shift_id)
        if not rules.can_see_attendees(current_user(request), shift):
            raise forbidden(_("Wer kommt, sieht die Leitung der Initiative."))
        return shift

    @extend_schema(responses={200: AttendanceOut(many=True)})
    def get(self, request: Request, shift_id: int) -> Response:
        shift = self._shift(request, shift_id)
        return Response([_attendance_row(s) for s in selectors.shift_people(shift=shift)])

    @extend_schema(request=AttendanceIn, responses={200: AttendanceOut})
    def post(self, request: Request, shift_id: int) -> Response:
        shift = self._shift(request, shift_id)
        serializer = AttendanceIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        seat = services.attendance_set(
            actor=current_user(request),
            shift_id=shift.pk,
            user_id=serializer.validated_data["user"],
            attended=serializer.validated_data["attended"],
        )
        return Response(_attendance_row(seat))
