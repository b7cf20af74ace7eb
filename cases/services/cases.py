"""A case's life: open, transfer, close, reopen, and the timeline every app writes to."""

import datetime as dt
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Province, User
from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from core.dates import format_datetime
from core.domain import ensure, ensure_transition
from notifications.matrix import Audience, announce
from sla.models import Deadline
from sla.services import deadline_reassign

from ..extensions import linked_rows, running_work_reasons
from ..models import Case, CaseEvent, CaseNumberCounter, Operation, Person
from ..permissions import can_close, can_register
from ..workflow import CASE_TRANSITIONS, OPEN_SCREENING_STATES, CaseStatus


def case_event_add(*, case: Case, kind: str, actor: User | None, summary: str = "") -> CaseEvent:
    """One line on the case's timeline. Every app that acts on a case writes its timeline
    through this (a referral's move, an admission, a follow-up visit)."""
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, summary=summary[:300])


def next_case_numbers(*, province_code: str, on: dt.date, count: int = 1) -> list[str]:
    """The next `count` numbers NRM-<Buddhist-era year>-<province code>-<sequence>, the sequence
    counted per year and province. The UPDATE takes the counter row's lock until the
    transaction ends, so two registrations at the same moment get different numbers; a
    rolled-back one may leave a gap, which is allowed."""
    year_be = on.year + 543
    counter, _created = CaseNumberCounter.objects.get_or_create(
        year_be=year_be, province_code=province_code
    )
    CaseNumberCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + count)
    last = CaseNumberCounter.objects.values_list("last_value", flat=True).get(pk=counter.pk)
    return [
        f"NRM-{year_be}-{province_code}-{value:06d}" for value in range(last - count + 1, last + 1)
    ]


@transaction.atomic
def case_open(
    *,
    actor: User,
    person: Person,
    intake_channel: str,
    intake_date: dt.date,
    intake_province: Province,
    exploitation_types: Sequence[str] = (),
    risk_level: str = "medium",
    operation: Operation | None = None,
    lead_worker: User | None = None,
) -> Case:
    """Open a case for a person in the actor's office, with the next case number.

    Side effects: a CaseEvent (opened) and an AuditEvent.
    """
    ensure(can_register(actor), _("Only provincial social workers open cases."))
    case = new_case(
        actor=actor,
        person=person,
        intake_channel=intake_channel,
        intake_date=intake_date,
        intake_province=intake_province,
        exploitation_types=exploitation_types,
        risk_level=risk_level,
        operation=operation,
        lead_worker=lead_worker,
    )
    [case.number] = next_case_numbers(
        province_code=case.owner.province.code, on=timezone.localdate()
    )
    case.save()
    case_event_add(case=case, kind=CaseEvent.Kind.OPENED, actor=actor, summary=case.number)
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=case)
    announce("case.opened", actor=actor)
    return case


def new_case(
    *,
    actor: User,
    person: Person,
    intake_channel: str,
    intake_date: dt.date,
    intake_province: Province,
    exploitation_types: Sequence[str] = (),
    risk_level: str = "medium",
    operation: Operation | None = None,
    lead_worker: User | None = None,
) -> Case:
    """The Case case_open saves, in the actor's office, checked, not numbered nor saved yet
    (also for a mass intake, which numbers and saves many at once). Raises ValidationError for
    a bad field."""
    case = Case(
        person=person,
        owner=actor.membership.organisation,
        lead_worker=lead_worker or actor,
        intake_channel=intake_channel,
        intake_date=intake_date,
        intake_province=intake_province,
        exploitation_types=list(dict.fromkeys(exploitation_types)),
        risk_level=risk_level,
        operation=operation,
        created_by=actor,
    )
    case.full_clean(
        exclude=[
            "number",
            "person",
            "owner",
            "lead_worker",
            "intake_province",
            "operation",
            "created_by",
        ]
    )
    return case


def possible_duplicate_report(*, case: Case, actor: User, persons) -> None:
    """The worker registered `case`'s person although they may be `persons` of other offices,
    whom the worker was not shown: the central division, which sees every record, is told
    (with the case numbers only) to check whether they are one person.

    Side effects: a notification to the central reviewers, an AuditEvent on the case."""
    numbers = list(
        Case.objects.filter(person__in=persons).order_by("number").values_list("number", flat=True)
    )
    announce(
        "case.possible_duplicate_elsewhere",
        to={Audience.CENTRAL: central_reviewers()},
        actor=actor,
        link=case.get_absolute_url(),
        number=case.number,
        others=", ".join(numbers[:10]) + (" …" if len(numbers) > 10 else ""),
    )
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=case,
        changes={"possible_duplicate_of": numbers},
    )


def case_running_deadlines(case: Case):
    """Every clock still running on the case: its screenings and permits, and the rows other
    apps hang off it (referrals, stays: cases/extensions.py)."""
    condition = Q(pk__in=[])
    for rows in (case.screenings.all(), case.permits.all(), *linked_rows(case)):
        condition |= Q(
            object_type=ContentType.objects.get_for_model(rows.model),
            object_id__in=rows.values("pk"),
        )
    return Deadline.objects.filter(condition, closed_at__isnull=True)


def case_close_blockers(case: Case) -> list[str]:
    """What keeps the case from closing, one sentence each in the user's language: an open
    screening, the other apps' running work (cases/extensions.py), and, once those are done, each
    clock still running on it. Empty when the case may close."""
    blockers = [
        _("The screening is still open (%(status)s): decide it first.")
        % {"status": screening.get_status_display()}
        for screening in case.screenings.filter(status__in=OPEN_SCREENING_STATES)
    ]
    blockers += running_work_reasons(case)
    if blockers:
        return blockers
    return [
        _("The clock “%(clock)s” still runs on the case, due %(due)s: meet or close it first.")
        % {"clock": deadline.get_clock_display(), "due": format_datetime(deadline.due_at)}
        for deadline in case_running_deadlines(case).order_by("due_at")
    ]


@transaction.atomic
def case_transfer_ownership(
    *, case_id: int, to_organisation: Organisation, lead_worker: User | None, actor: User
) -> Case:
    """The case moves to another office (an accepted transfer referral): the new owner, its
    lead worker (or none yet), and the case's running clocks that fell to the old office.

    Side effects: moves those deadlines to the new office, an AuditEvent.
    """
    case = Case.objects.select_for_update().select_related("owner").get(pk=case_id)
    previous = case.owner
    case.owner = to_organisation
    case.lead_worker = lead_worker
    case.save(update_fields=["owner", "lead_worker", "updated_at"])
    deadline_reassign(
        deadlines=case_running_deadlines(case),
        from_organisation=previous,
        to_organisation=to_organisation,
    )
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=case,
        changes={"owner": [previous.code, to_organisation.code]},
    )
    announce("case.transferred", actor=actor)
    return case


@transaction.atomic
def case_close(*, case_id: int, actor: User, reason: str) -> Case:
    """Close a case. Needs a reason, and no screening or deadline still running.

    Side effects: a CaseEvent (closed) and an AuditEvent.
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    ensure_transition(case.status, CaseStatus.CLOSED, CASE_TRANSITIONS, dict(CaseStatus.choices))
    ensure(can_close(actor, case), _("Only the lead worker or a supervisor closes a case."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the case.")})
    if blockers := case_close_blockers(case):
        raise ValidationError(blockers)
    case.status = CaseStatus.CLOSED
    case.closed_reason = reason.strip()
    case.save(update_fields=["status", "closed_reason", "updated_at"])
    case_event_add(case=case, kind=CaseEvent.Kind.CLOSED, actor=actor, summary=case.closed_reason)
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=case,
        changes={"status": CaseStatus.CLOSED},
    )
    announce("case.closed", actor=actor)
    return case


@transaction.atomic
def case_reopen(*, case_id: int, actor: User, reason: str) -> Case:
    """Reopen a closed case (the person came back, new facts).

    Side effects: a CaseEvent (reopened) and an AuditEvent.
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    ensure_transition(case.status, CaseStatus.REOPENED, CASE_TRANSITIONS, dict(CaseStatus.choices))
    ensure(can_close(actor, case), _("Only the lead worker or a supervisor reopens a case."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the case.")})
    case.status = CaseStatus.REOPENED
    case.closed_reason = ""
    case.save(update_fields=["status", "closed_reason", "updated_at"])
    case_event_add(case=case, kind=CaseEvent.Kind.REOPENED, actor=actor, summary=reason.strip())
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=case,
        changes={"status": CaseStatus.REOPENED},
    )
    announce("case.reopened", actor=actor)
    return case
