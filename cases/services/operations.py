"""Operations: a raid or mass rescue that many cases link to, and the start of its persons'
identification."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Province, User
from audit.models import AuditEvent
from audit.services import audit_record
from core.dates import format_date
from core.domain import ensure

from ..models import Operation, Screening
from ..permissions import can_register, can_run_operation
from ..workflow import OPEN_CASE_STATES
from .screening import screening_start


def custody_start_problem(*, operation: Operation, moment: dt.datetime) -> str | None:
    """What is wrong with `moment` as the start of custody of the operation's persons: in the
    future, or before the day of the operation; None when it may be."""
    if moment > timezone.now():
        return _("This date is in the future.")
    if timezone.localdate(moment) < operation.started_on:
        return _("Custody cannot have started before the day of the operation (%(date)s).") % {
            "date": format_date(operation.started_on)
        }
    return None


@transaction.atomic
def operation_create(
    *,
    actor: User,
    name: str,
    province: Province,
    started_on: dt.date,
    custody_started_at: dt.datetime,
    lead_agency: str = "",
    description: str = "",
) -> Operation:
    """Record a raid or mass rescue that many cases will link to, with the moment its persons
    were taken into custody: their identification deadlines (Act s.29) count from it."""
    ensure(can_register(actor), _("Only provincial social workers record operations."))
    operation = Operation(
        name=name.strip(),
        province=province,
        started_on=started_on,
        custody_started_at=custody_started_at,
        lead_agency=lead_agency.strip(),
        description=description.strip(),
        organisation=actor.membership.organisation,
    )
    operation.full_clean()
    if problem := custody_start_problem(operation=operation, moment=custody_started_at):
        raise ValidationError({"custody_started_at": problem})
    operation.save()
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=operation)
    return operation


@transaction.atomic
def operation_screenings_start(
    *, operation_id: int, actor: User, custody_started_at: dt.datetime
) -> list[Screening]:
    """Start identification, with one custody start, for every person of the operation whose
    case (open, and held by the operation's office) has no screening yet: the cases imported
    before an import started screenings, or opened one by one. All or none; a second run starts
    nothing (the operation's row lock makes two at once run one after the other).

    Side effects, for each case: what screening_start does (the Screening, its s.29 Deadline,
    a CaseEvent, an AuditEvent).
    """
    operation = Operation.objects.select_for_update().get(pk=operation_id)
    ensure(
        can_run_operation(actor, operation),
        _("Only the provincial staff of the operation's office start its screenings."),
    )
    if problem := custody_start_problem(operation=operation, moment=custody_started_at):
        raise ValidationError({"custody_started_at": problem})
    waiting = (
        operation.cases.filter(
            owner_id=operation.organisation_id,
            status__in=OPEN_CASE_STATES,
        )
        .exclude(Exists(Screening.objects.filter(case_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        screening_start(case_id=case_id, actor=actor, custody_started_at=custody_started_at)
        for case_id in waiting
    ]
