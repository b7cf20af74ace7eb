"""Opening, moving and closing deadlines. Called by the domain services inside their own
transaction, so a clock exists exactly when the step it measures does. Also the sysadmin's
writes to the deadline rules and to the holiday calendar."""

import datetime as dt
from collections.abc import Iterable, Sequence

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Role
from accounts.permissions import has_role
from audit.models import AuditEvent
from audit.services import audit_record
from core.dates import format_date, is_thai
from core.domain import ensure

from .calendar import (
    WorkingCalendar,
    holiday_changes,
    is_package_holiday,
    package_holidays,
    working_calendar,
)
from .models import ClockPolicy, Deadline, HolidayChange, Unit


def add_duration(
    start: dt.datetime, amount: int, unit: str, *, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """`start` plus (or, for a negative amount, minus) hours, calendar days, Thai working days
    (by `calendar`, the one in force now when not given) or months."""
    if unit == Unit.HOURS:
        return start + dt.timedelta(hours=amount)
    if unit == Unit.DAYS:
        return start + dt.timedelta(days=amount)
    if unit == Unit.WORKING_DAYS:
        calendar = calendar or working_calendar()
        return calendar.add_working_days(timezone.localtime(start), amount)
    if unit == Unit.MONTHS:
        return start + relativedelta(months=amount)
    raise ValueError(f"unknown unit {unit!r}")


def end_of_day(day: dt.date) -> dt.datetime:
    """The end of `day` in Thailand's time: when a task given with a due date falls due."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def due_at_for(*, clock: str, start: dt.datetime) -> dt.datetime:
    """When a clock started at `start` falls due, by the rule in force now."""
    policy = ClockPolicy.objects.get(clock=clock)
    return add_duration(start, policy.due_after, policy.due_unit)


def due_times_for(*, clock: str, starts: Sequence[dt.datetime]) -> list[dt.datetime]:
    """due_at_for for many starts at once (a mass intake's screenings): one query for the rule
    and, for working days, one for the calendar."""
    policy = ClockPolicy.objects.get(clock=clock)
    calendar = _calendar_for(policy)
    return [
        add_duration(start, policy.due_after, policy.due_unit, calendar=calendar)
        for start in starts
    ]


def _running(clock: str, obj: models.Model):
    return Deadline.objects.filter(
        clock=clock,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        closed_at__isnull=True,
    )


def deadline_open(
    *,
    clock: str,
    obj: models.Model,
    organisation,
    start: dt.datetime,
    due_at: dt.datetime | None = None,
) -> Deadline:
    """Start a clock on `obj`, due by the rule in force now for `clock` unless `due_at` is
    given (an expiry date, a court's limit). A later change of the rule does not move it."""
    policy = ClockPolicy.objects.get(clock=clock)
    deadline = _new_deadline(policy, obj, organisation, start, due_at)
    deadline.save()
    return deadline


def deadlines_open(
    *,
    clock: str,
    starting: Iterable[tuple[models.Model, Organisation, dt.datetime, dt.datetime | None]],
) -> list[Deadline]:
    """deadline_open for many objects at once, each given as (obj, organisation, start,
    due_at): one query for the rule and one insert (a mass intake's screenings)."""
    policy = ClockPolicy.objects.get(clock=clock)
    calendar = _calendar_for(policy)
    return Deadline.objects.bulk_create(
        [_new_deadline(policy, *arguments, calendar=calendar) for arguments in starting]
    )


def _calendar_for(policy: ClockPolicy) -> WorkingCalendar | None:
    """The calendar in force, when the rule counts working days: one for a bulk caller."""
    if Unit.WORKING_DAYS in (policy.due_unit, policy.remind_unit):
        return working_calendar()
    return None


def _new_deadline(
    policy: ClockPolicy,
    obj: models.Model,
    organisation,
    start: dt.datetime,
    due_at: dt.datetime | None,
    *,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    due_at = due_at or add_duration(start, policy.due_after, policy.due_unit, calendar=calendar)
    remind_at = add_duration(due_at, -policy.remind_before, policy.remind_unit, calendar=calendar)
    return Deadline(
        clock=policy.clock,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        organisation=organisation,
        started_at=start,
        due_at=due_at,
        remind_at=remind_at,
        # A reminder that would fall before the clock starts is skipped: the sweep's next
        # look is then the deadline itself.
        next_action_at=remind_at if remind_at > start else due_at,
    )


def deadline_move(*, clock: str, obj: models.Model, due_at: dt.datetime) -> int:
    """Move a running clock's due time (a court extension). A clock already breached runs
    again, with a fresh reminder."""
    moved = 0
    for deadline in _running(clock, obj).select_for_update():
        policy = ClockPolicy.objects.get(clock=clock)
        deadline.due_at = due_at
        deadline.remind_at = add_duration(due_at, -policy.remind_before, policy.remind_unit)
        deadline.reminded_at = None
        deadline.state = Deadline.State.PENDING
        deadline.escalation_level = 0
        now = timezone.now()
        deadline.next_action_at = deadline.remind_at if deadline.remind_at > now else due_at
        deadline.save()
        moved += 1
    return moved


def deadline_reassign(*, deadlines, from_organisation, to_organisation) -> int:
    """The running clocks among `deadlines` that fell to `from_organisation` now fall to
    `to_organisation` (a case transferred to another office); their reminders go there."""
    return deadlines.filter(closed_at__isnull=True, organisation=from_organisation).update(
        organisation=to_organisation
    )


def deadline_close(*, clock: str, obj: models.Model, at: dt.datetime | None = None) -> int:
    """Stop a running clock: met if stopped in time, breached if late."""
    at = at or timezone.now()
    running = _running(clock, obj)
    late = running.filter(due_at__lt=at).update(
        state=Deadline.State.BREACHED, closed_at=at, next_action_at=None
    )
    met = running.update(state=Deadline.State.MET, closed_at=at, next_action_at=None)
    return late + met


def deadline_cancel(*, clock: str, obj: models.Model) -> int:
    """Stop a clock whose step no longer happens (a withdrawn referral, say). A clock that had
    already run out stays breached: withdrawing the referral does not undo the late answer."""
    now = timezone.now()
    running = _running(clock, obj)
    late = running.filter(due_at__lt=now).update(
        state=Deadline.State.BREACHED, closed_at=now, next_action_at=None
    )
    cancelled = running.update(state=Deadline.State.CANCELLED, closed_at=now, next_action_at=None)
    return late + cancelled


@transaction.atomic
def clock_policy_update(*, policy: ClockPolicy, actor, changed: list[str]) -> ClockPolicy:
    """Save a deadline rule edited by a sysadmin (`policy` holds the new values): refused
    beyond the law's limits (ClockPolicy.clean); clocks already running keep their due time.

    Side effects: an AuditEvent with the old and new values of the changed fields.
    """
    policy.full_clean()
    old = ClockPolicy.objects.select_for_update().get(pk=policy.pk)
    policy.save()
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=policy,
        changes={field: [getattr(old, field), getattr(policy, field)] for field in changed},
    )
    return policy


NOTE_REQUIRED = gettext_lazy(
    "Write why the calendar changes, for example the cabinet resolution and its date."
)


def _date_refused(*, day: dt.date, kind: str) -> str:
    """Why `day` cannot take a change of `kind`, or "" when it can."""
    when = format_date(day)
    if day < timezone.localdate():
        return _("%(date)s has passed: only today or a later day can be changed.") % {"date": when}
    if day.weekday() >= 5:
        return _(
            "%(date)s is a Saturday or a Sunday: a weekend is never a working day, so there is "
            "nothing to change."
        ) % {"date": when}
    existing = holiday_changes().get(day)
    if existing is not None:
        return _(
            "%(date)s already has a change (%(change)s). Delete that change first if it is wrong."
        ) % {"date": when, "change": HolidayChange.Kind(existing).label}
    holiday = package_holidays(day.year, "th" if is_thai() else "en").get(day)
    if kind == HolidayChange.Kind.ADDED and holiday:
        return _("%(date)s is already a public holiday (%(name)s).") % {
            "date": when,
            "name": holiday,
        }
    if kind == HolidayChange.Kind.REMOVED and not is_package_holiday(day):
        return _(
            "%(date)s is not a public holiday in the calendar, so it is already a working day."
        ) % {"date": when}
    return ""


@transaction.atomic
def holiday_change_add(*, actor, day: dt.date, kind: str, note: str) -> HolidayChange:
    """Record a sysadmin's change to the holiday calendar: `day` becomes a holiday (ADDED, a day
    the cabinet declared) or a package holiday becomes a working day (REMOVED).

    Refused (ValidationError, in the user's language) without a note, on a weekend, on a day
    already past, on a day that already has a change, when adding a day already a holiday or
    removing one that is not. Working-day clocks opened from now on count with the change;
    those already running keep their due time.

    Side effects: an AuditEvent (create) with the date, the kind and the note.
    """
    ensure(has_role(actor, Role.SYSADMIN), _("Only a system administrator changes holidays."))
    errors = {}
    note = note.strip()
    if not note:
        errors["note"] = str(NOTE_REQUIRED)
    if kind not in HolidayChange.Kind.values:
        errors["kind"] = _("Choose whether the day becomes a holiday or a working day.")
    elif refused := _date_refused(day=day, kind=kind):
        errors["date"] = refused
    if errors:
        raise ValidationError(errors)
    change = HolidayChange(date=day, kind=kind, note=note, created_by=actor)
    change.full_clean()
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as error:  # another sysadmin changed the same day a moment ago
        refused = _date_refused(day=day, kind=kind) or _("This day was changed a moment ago.")
        raise ValidationError({"date": refused}) from error
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=change,
        changes={"date": day.isoformat(), "kind": kind, "note": note},
    )
    return change


@transaction.atomic
def holiday_change_withdraw(*, change_id: int, actor) -> HolidayChange:
    """Delete a sysadmin's change from the calendar (the row stays, withdrawn, for the record):
    the day is again as the `holidays` package has it for the clocks opened from now on.

    Side effects: an AuditEvent (update) naming the date and the kind withdrawn.
    """
    ensure(has_role(actor, Role.SYSADMIN), _("Only a system administrator changes holidays."))
    change = HolidayChange.objects.select_for_update().get(pk=change_id)
    if change.withdrawn_at is not None:
        raise ValidationError(_("This change was already deleted."))
    change.withdrawn_at = timezone.now()
    change.withdrawn_by = actor
    change.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=change,
        changes={"withdrawn": True, "date": change.date.isoformat(), "kind": change.kind},
    )
    return change
