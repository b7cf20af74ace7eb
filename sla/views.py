from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import role_required
from core.lists import Column, list_page

from .filters import DeadlineBoardFilter
from .models import ClockStatus
from .selectors import (
    BOARD_ROLES,
    BoardRow,
    board_rows,
    deadline_board,
    deadline_subjects,
    running_deadlines_of,
)
from .templatetags.deadlines import time_left

PAGE = 200
BADGES = {
    ClockStatus.RUNNING: "text-bg-secondary",
    ClockStatus.DUE_SOON: "text-bg-warning",
    ClockStatus.BREACHED: "text-bg-danger",
}


@login_required
def mine(request):
    """My deadlines: every clock running that my organisation answers for, soonest first,
    overdue ones highlighted."""
    deadlines = list(running_deadlines_of(user=request.user)[:PAGE])
    subjects = deadline_subjects(deadlines)
    rows = [(d, *subjects.get((d.object_type_id, d.object_id), ("—", ""))) for d in deadlines]
    return render(request, "sla/mine.html", {"rows": rows})


def _case(row: BoardRow) -> str:
    if not row.link:
        return row.case_number
    return format_html('<a href="{}">{}</a>', row.link, row.case_number)


def _time_left(row: BoardRow) -> str:
    left = time_left(row.deadline.due_at)
    return format_html("<strong>{}</strong>", left) if row.status == ClockStatus.BREACHED else left


def _escalation(row: BoardRow) -> str:
    if not row.escalated_to:
        return row.deadline.escalation_label
    return format_html(
        '{}<br><small class="text-body-secondary">{}</small>',
        row.deadline.escalation_label,
        row.escalated_to,
    )


def _status(row: BoardRow) -> str:
    return format_html(
        '<span class="badge {}" data-testid="status">{}</span>',
        BADGES[row.status],
        row.status.label,
    )


def board_columns() -> list[Column]:
    """The columns of the deadline board, in the active language."""
    return [
        Column(_("Deadline"), ("clock",), lambda row: row.deadline.get_clock_display()),
        Column(_("Case"), ("object_id",), lambda row: row.case_number, html=_case, nowrap=True),
        Column(
            _("Responsible organisation"),
            ("organisation__name_th", "organisation__name_en"),
            lambda row: row.deadline.organisation.name,
        ),
        Column(
            _("Province"),
            ("organisation__province__name_th", "organisation__province__name_en"),
            lambda row: row.deadline.organisation.province,
        ),
        Column(_("Due"), ("due_at",), lambda row: row.deadline.due_at, nowrap=True),
        Column(
            _("Time left"), ("due_at",), lambda row: time_left(row.deadline.due_at), html=_time_left
        ),
        Column(
            _("Escalation level"),
            ("escalation_level",),
            lambda row: row.deadline.escalation_label,
            html=_escalation,
        ),
        Column(_("Status"), ("due_at",), lambda row: row.status.label, html=_status),
    ]


def _scope(user) -> str:
    return {Role.CENTRAL_REVIEWER: "national", Role.SHELTER_DIRECTOR: "shelter"}.get(
        user.membership.role, "provincial"
    )


@role_required(*BOARD_ROLES)
def board(request):
    """The deadline board: every running clock the user oversees (nationwide for the central
    division), past their deadline first, then the soonest due; filtered by clock, province,
    organisation, escalation level and status (sla/filters.py)."""
    deadlines = DeadlineBoardFilter(request.GET, queryset=deadline_board(user=request.user))
    return list_page(
        request,
        deadlines,
        "sla/board.html",
        columns=board_columns(),
        prepare=partial(board_rows, now=timezone.now()),
        live_count=True,
        scope=_scope(request.user),
        Status=ClockStatus,
    )
