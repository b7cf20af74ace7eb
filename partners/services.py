"""Writes of the plan across agencies: tasks added by the case's office, moved by their owner."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import Case
from cases.selectors import case_shared_with_agency, case_team
from core.dates import format_date
from core.domain import ensure, ensure_transition
from notifications.matrix import Audience, announce
from sla.models import Clock
from sla.services import deadline_cancel, deadline_close, deadline_open, end_of_day

from .models import PlanTask
from .permissions import can_plan, can_update_task
from .selectors import task_owners
from .workflow import OPEN_TASK_STATES, TASK_TRANSITIONS, TaskStatus

# Rendered in each recipient's language when the notification is written.
lazy_format_date = lazy(format_date, str)
lazy_name = lazy(lambda organisation: organisation.name, str)


def _on_the_case(case: Case, organisation: Organisation) -> bool:
    """The case's own office, or a partner agency someone of which sees the case now."""
    if organisation.pk == case.owner_id:
        return True
    return case_shared_with_agency(case_id=case.pk, organisation_id=organisation.pk)


@transaction.atomic
def plan_task_add(
    *, case: Case, actor: User, organisation: Organisation, title: str, due_on: dt.date
) -> PlanTask:
    """Add a task to the case's plan across agencies, owned by `organisation` (the case's
    office, or a partner agency the case is shared with now), due by the end of `due_on`.

    Side effects: the task's clock (sla Clock.PLAN_TASK) for the owning organisation, an
    AuditEvent, the owning organisation told (plan.assigned).
    """
    ensure(can_plan(actor, case), _("Only the case's own office sets its plan."))
    errors = {}
    if not title.strip():
        errors["title"] = _("Say what is to be done.")
    if due_on < timezone.localdate():
        errors["due_on"] = _("This date is in the past.")
    if not _on_the_case(case, organisation):
        errors["organisation"] = _(
            "Share the case with this agency first: a task goes to an agency on the case."
        )
    elif case.plan_tasks.filter(
        organisation=organisation, title__iexact=title.strip(), status__in=OPEN_TASK_STATES
    ).exists():
        errors["title"] = _("This agency already has this task open on the plan.")
    if errors:
        raise ValidationError(errors)
    task = PlanTask.objects.create(
        case=case, organisation=organisation, title=title.strip(), due_on=due_on, created_by=actor
    )
    deadline_open(
        clock=Clock.PLAN_TASK,
        obj=task,
        organisation=organisation,
        start=timezone.now(),
        due_at=end_of_day(due_on),
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=task,
        changes={"case": case.number, "organisation": organisation.code, "due_on": str(due_on)},
    )
    announce(
        "plan.assigned",
        to={Audience.TASK_OWNERS: task_owners(task)},
        actor=actor,
        link=task.deadline_url(),
        number=case.number,
        organisation=lazy_name(organisation),
        due=lazy_format_date(due_on),
    )
    return task


@transaction.atomic
def plan_task_move(*, task_id: int, actor: User, to: str, note: str = "") -> PlanTask:
    """Move a task on: started, done or cancelled, with a note of what was done.

    Side effects: the task's clock closed when it is done (met, or breached if late) or
    cancelled, an AuditEvent, the case's team told when it is done (plan.done) and the owning
    agency when it is cancelled (plan.cancelled).
    """
    task = (
        PlanTask.objects.select_for_update().select_related("case", "organisation").get(pk=task_id)
    )
    ensure(can_update_task(actor, task), _("Only the organisation that owns the task updates it."))
    ensure_transition(task.status, to, TASK_TRANSITIONS, dict(TaskStatus.choices))
    before = task.status
    task.status = to
    task.note = note.strip() or task.note
    task.updated_by = actor
    task.save(update_fields=["status", "note", "updated_by", "updated_at"])
    if to == TaskStatus.DONE:
        deadline_close(clock=Clock.PLAN_TASK, obj=task)
    elif to == TaskStatus.CANCELLED:
        deadline_cancel(clock=Clock.PLAN_TASK, obj=task)
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=task,
        changes={"status": [before, to], **({"note": task.note} if note.strip() else {})},
    )
    words = {
        "actor": actor,
        "number": task.case.number,
        "organisation": lazy_name(task.organisation),
    }
    if to == TaskStatus.DONE:
        team = case_team(task.case)
        announce("plan.done", to={Audience.CASE_TEAM: team}, link=task.get_absolute_url(), **words)
    elif to == TaskStatus.CANCELLED:
        owners = task_owners(task)
        announce(
            "plan.cancelled", to={Audience.TASK_OWNERS: owners}, link=task.deadline_url(), **words
        )
    else:
        announce("plan.started", **words)
    return task


def plan_tasks_share_ended(case: Case, organisation: Organisation, actor: User | None) -> int:
    """The partner agency's last live share of the case ended (cases.extensions): nobody of
    it may see the case now, so its open tasks on the plan are cancelled and their clocks with
    them, and the case's team is told, who may give the work to another agency. In the
    transaction that ends the share. Returns how many tasks were cancelled."""
    tasks = list(
        PlanTask.objects.select_for_update().filter(
            case=case, organisation=organisation, status__in=OPEN_TASK_STATES
        )
    )
    for task in tasks:
        before = task.status
        task.status = TaskStatus.CANCELLED
        task.note = _("Cancelled: the case is no longer shared with the agency.")
        task.updated_by = actor
        task.save(update_fields=["status", "note", "updated_by", "updated_at"])
        deadline_cancel(clock=Clock.PLAN_TASK, obj=task)
        audit_record(
            action=AuditEvent.Action.TRANSITION,
            actor=actor,
            username="" if actor else "system",
            obj=task,
            changes={"status": [before, TaskStatus.CANCELLED], "share_ended": True},
        )
    if tasks:
        announce(
            "plan.share_ended",
            to={Audience.CASE_TEAM: case_team(case)},
            actor=actor,
            link=case.get_absolute_url(),
            number=case.number,
            organisation=lazy_name(organisation),
            count=len(tasks),
        )
    return len(tasks)
