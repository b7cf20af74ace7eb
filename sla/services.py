"""Opening, moving and closing deadlines. Called by the domain services inside their own
transaction, so a clock exists exactly when the step it measures does."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record

from .calendar import add_working_days
from .models import ClockPolicy, Deadline, Unit


def add_duration(start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """`start` plus (or, for a negative amount, minus) hours, calendar days, Thai working days
    or months."""
    if unit == Unit.HOURS:
        return start + dt.timedelta(hours=amount)
    if unit == Unit.DAYS:
        return start + dt.timedelta(days=amount)
    if unit == Unit.WORKING_DAYS:
        return add_working_days(timezone.localtime(start), amount)
    if unit == Unit.MONTHS:
        return start + relativedelta(months=amount)
    raise ValueError(f"unknown unit {unit!r}")


def due_at_for(*, clock: str, start: dt.datetime) -> dt.datetime:
    """When a clock started at `start` falls due, by the rule in force now."""
    policy = ClockPolicy.objects.get(clock=clock)
    return add_duration(start, policy.due_after, policy.due_unit)


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
    due_at = due_at or add_duration(start, policy.due_after, policy.due_unit)
    remind_at = add_duration(due_at, -policy.remind_before, policy.remind_unit)
    return Deadline.objects.create(
        clock=clock,
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
