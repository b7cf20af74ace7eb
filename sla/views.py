from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from core.dates import BUDDHIST_ERA_OFFSET, format_date, is_thai
from core.domain import ActionForbidden, StaleVersion
from core.forms import add_service_errors
from core.lists import Column, list_page
from core.versions import form_versions, version_checked

from . import services
from .filters import DeadlineBoardFilter
from .forms import HolidayChangeForm
from .models import ClockPolicy, ClockStatus, HolidayChange, Unit
from .selectors import (
    BOARD_ROLES,
    BoardRow,
    board_rows,
    calendar_year,
    deadline_board,
    holiday_calendar,
    holiday_changes_withdrawn,
    running_deadlines_of,
)
from .templatetags.deadlines import escalation_in_words, time_left

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
    deadlines = running_deadlines_of(user=request.user)[:PAGE]
    rows = board_rows(deadlines, now=timezone.now())
    return render(request, "sla/mine.html", {"rows": rows})


def _case(row: BoardRow) -> str:
    if not row.link:
        return row.case_number
    return format_html('<a href="{}">{}</a>', row.link, row.case_number)


def _time_left(row: BoardRow) -> str:
    left = time_left(row.deadline.due_at)
    return format_html("<strong>{}</strong>", left) if row.status == ClockStatus.BREACHED else left


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
        Column(
            _("Case"),
            ("object_type", "object_id"),
            lambda row: row.case_number,
            html=_case,
            nowrap=True,
        ),
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
            _("Reminder and escalation"),
            ("escalation_level", "reminded_at"),
            escalation_in_words,
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


def _year(request) -> int:
    """The year asked for (?year=2026, or its Buddhist-era 2569), this year otherwise."""
    return calendar_year(request.GET.get("year", ""))


def _holidays_url(year: int) -> str:
    return f"{reverse('sla:holidays')}?year={year}"


@role_required(Role.SYSADMIN)
def holidays(request):
    """The year's public holidays as the working-day clocks count them (the `holidays`
    package's, with the sysadmin's changes), and the form to add a holiday the cabinet declared
    or to make a package holiday a working day."""
    year = _year(request)
    form = HolidayChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.holiday_change_add(
                actor=request.user, day=data["date"], kind=data["kind"], note=data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(
                request,
                _("%(date)s: %(change)s. Working-day clocks opened from now on count with it.")
                % {"date": format_date(change.date), "change": change.get_kind_display()},
            )
            return redirect(_holidays_url(change.date.year))
    working_day_clocks = ClockPolicy.objects.filter(due_unit=Unit.WORKING_DAYS)
    return render(
        request,
        "sla/holidays.html",
        {
            "form": form,
            "year": year,
            "year_label": year + BUDDHIST_ERA_OFFSET if is_thai() else year,
            "rows": holiday_calendar(year=year, language="th" if is_thai() else "en"),
            "withdrawn": holiday_changes_withdrawn(year=year),
            "working_day_clocks": [policy.get_clock_display() for policy in working_day_clocks],
        },
    )


@require_POST
@role_required(Role.SYSADMIN)
def holiday_withdraw(request, change_id: int):
    """Delete a sysadmin's change from the calendar: the day is again as the package has it."""
    change = get_object_or_404(HolidayChange, pk=change_id)
    # The button's form carries the change's version: changed since, nothing is deleted.
    try:
        with version_checked(HolidayChange, change.pk, form_versions(request.POST.get("version"))):
            change = services.holiday_change_withdraw(change_id=change.pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StaleVersion as error:
        messages.error(request, str(error))
    except ActionForbidden as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(
            request,
            _(
                "%(date)s: the change is deleted; the day is again as the public holiday "
                "calendar has it."
            )
            % {"date": format_date(change.date)},
        )
    return redirect(_holidays_url(change.date.year))
