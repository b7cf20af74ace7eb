"""GET /api/v1/deadlines/board/: the deadline board for other systems, the same rows and
filters as its page (sla.selectors.deadline_board, sla.filters.DeadlineBoardFilter); "My
deadlines" (/api/v1/deadlines/mine/); the holiday calendar of the working-day clocks
(/api/v1/deadlines/holidays/), kept by a system administrator."""

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import has_role, role_permission
from core.api import VersionedMixin
from core.dates import is_thai

from . import services
from .filters import DeadlineBoardFilter
from .models import Clock, ClockStatus, Deadline, EscalationLevel, HolidayChange
from .selectors import (
    BOARD_ROLES,
    board_rows,
    calendar_year,
    deadline_board,
    holiday_calendar,
    holiday_changes_withdrawn,
    running_deadlines_of,
)


class BoardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deadline.pk")
    clock = serializers.ChoiceField(source="deadline.clock", choices=Clock.choices)
    clock_label = serializers.CharField(source="deadline.get_clock_display")
    object_type = serializers.CharField(
        help_text="What the clock runs on: screening, referral, placement or permit"
    )
    object_id = serializers.IntegerField(source="deadline.object_id")
    case_number = serializers.CharField()
    link = serializers.CharField(help_text="The web page of the object (path)")
    organisation = serializers.CharField(
        source="deadline.organisation.code", help_text="The organisation answering for it"
    )
    organisation_name = serializers.CharField(source="deadline.organisation.name")
    province = serializers.CharField(
        source="deadline.organisation.province.code",
        default=None,
        help_text="2-digit code of the organisation's province; null for a partner without one",
    )
    started_at = serializers.DateTimeField(source="deadline.started_at")
    due_at = serializers.DateTimeField(source="deadline.due_at")
    status = serializers.ChoiceField(
        choices=ClockStatus.choices,
        help_text="running, due_soon (within 6 hours) or breached (past its deadline)",
    )
    state = serializers.ChoiceField(
        source="deadline.state",
        choices=Deadline.State.choices,
        help_text="As the sweep last marked it: pending, or breached once it has run out",
    )
    escalation_level = serializers.ChoiceField(
        source="deadline.escalation_level", choices=EscalationLevel.choices
    )
    escalation = serializers.CharField(source="deadline.escalation_label")
    escalated_to = serializers.CharField(help_text="Whom the escalation reached; empty before")


class SoonestDuePagination(CursorPagination):
    """Cursor pagination in the board's order: past their deadline first, then soonest due."""

    ordering = ("due_at", "pk")
    page_size = 50


@extend_schema(
    summary="The deadline board: running clocks the user oversees, overdue first",
    responses=BoardRowSerializer(many=True),
)
class DeadlineBoardView(generics.ListAPIView):
    """Every running clock nationwide for the central division; a supervisor's office's and
    those on its cases; a shelter director's shelter's. 403 for other roles (their own clocks
    are on their "My deadlines" page)."""

    serializer_class = BoardRowSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DeadlineBoardFilter
    pagination_class = SoonestDuePagination

    def get_queryset(self):
        return deadline_board(user=self.request.user)

    def list(self, request, *args, **kwargs):
        if not has_role(request.user, *BOARD_ROLES):
            raise PermissionDenied
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = board_rows(page, now=timezone.now())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema(
    summary="My deadlines: the clocks running that my organisation answers for, soonest first",
    responses=BoardRowSerializer(many=True),
)
class MyDeadlinesView(generics.ListAPIView):
    """The "My deadlines" page (sla.selectors.running_deadlines_of): every role, each their
    organisation's clocks that their role acts on; none for a sysadmin."""

    serializer_class = BoardRowSerializer
    pagination_class = SoonestDuePagination

    def get_queryset(self):
        return running_deadlines_of(user=self.request.user).select_related("organisation__province")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = board_rows(page, now=timezone.now())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class HolidayChangeSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    withdrawn_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kind = serializers.ChoiceField(
        choices=HolidayChange.Kind.choices,
        help_text="added: the day becomes a holiday (declared by the cabinet); removed: a "
        "public holiday is worked this year",
    )

    class Meta:
        model = HolidayChange
        fields = [
            "id",
            "date",
            "kind",
            "note",
            "created_by",
            "created_at",
            "withdrawn_by",
            "withdrawn_at",
        ]
        read_only_fields = ["created_at", "withdrawn_at"]
        # The service says what is wrong with a note, in the page's words.
        extra_kwargs = {"note": {"allow_blank": True}}


class HolidayRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField(help_text="The public holiday's name; empty for a day added")
    is_holiday = serializers.BooleanField(help_text="False: a public holiday worked this year")
    change = HolidayChangeSerializer(allow_null=True, help_text="The change in force that day")


class HolidayCalendarSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    days = HolidayRowSerializer(many=True)
    withdrawn = HolidayChangeSerializer(many=True, help_text="The year's changes deleted")


YEAR = OpenApiParameter(
    "year", int, description="The year, Gregorian or Buddhist-era (2026 or 2569); this year else"
)
HOLIDAY_ERRORS = {
    400: OpenApiResponse(description="Invalid input: a message per field"),
    403: OpenApiResponse(description="Not a system administrator"),
    404: OpenApiResponse(description="No such change"),
}


@extend_schema_view(
    list=extend_schema(
        summary="The year's public holidays as the working-day clocks count them, with the "
        "system administrator's changes",
        parameters=[YEAR],
        responses={200: HolidayCalendarSerializer, **HOLIDAY_ERRORS},
    ),
    retrieve=extend_schema(responses={200: HolidayChangeSerializer, **HOLIDAY_ERRORS}),
    create=extend_schema(
        summary="Change the calendar for a day: working-day clocks opened from now on count "
        "with it",
        responses={201: HolidayChangeSerializer, **HOLIDAY_ERRORS},
    ),
)
class HolidayViewSet(
    VersionedMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The holiday calendar (the page /deadlines/holidays/): reference data kept by a system
    administrator, through sla.services."""

    serializer_class = HolidayChangeSerializer
    permission_classes = [role_permission(Role.SYSADMIN)]
    pagination_class = None

    def get_queryset(self):
        return HolidayChange.objects.select_related("created_by", "withdrawn_by")

    def list(self, request):
        year = calendar_year(request.query_params.get("year", ""))
        calendar = {
            "year": year,
            "days": holiday_calendar(year=year, language="th" if is_thai() else "en"),
            "withdrawn": holiday_changes_withdrawn(year=year),
        }
        return Response(HolidayCalendarSerializer(calendar).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.holiday_change_add(
            actor=self.request.user, day=data["date"], kind=data["kind"], note=data["note"]
        )

    @extend_schema(
        summary="Delete a change: the day is again as the public holiday calendar has it",
        request=None,
        responses={200: HolidayChangeSerializer, **HOLIDAY_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        change = services.holiday_change_withdraw(
            change_id=self.get_object().pk, actor=request.user
        )
        return Response(self.get_serializer(change).data)
