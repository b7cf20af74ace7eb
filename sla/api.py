"""GET /api/v1/deadlines/board/: the deadline board for other systems, the same rows and
filters as its page (sla.selectors.deadline_board, sla.filters.DeadlineBoardFilter)."""

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import CursorPagination

from accounts.permissions import has_role

from .filters import DeadlineBoardFilter
from .models import Clock, ClockStatus, Deadline, EscalationLevel
from .selectors import BOARD_ROLES, board_rows, deadline_board, running_deadlines_of


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
