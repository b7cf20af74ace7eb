"""Every write to repatriations: one service per move. Each locks the row, checks the move
against workflow.TRANSITIONS and the actor's authority, saves, writes a RepatriationEvent, a
CaseEvent and an AuditEvent, opens or closes its deadlines and tells the audiences of
notifications.matrix, all in one transaction: two people acting at once get one success and one
TransitionNotAllowed."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Province, User
from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import Case, CaseEvent, Consent, ConsentStep
from cases.permissions import can_work_on
from cases.selectors import case_team, consent_latest
from cases.services import case_event_add
from core.dates import format_date
from core.domain import TransitionNotAllowed, ensure, ensure_transition
from notifications.matrix import EVENTS, Audience, announce
from shelters.selectors import residence_staff
from sla.models import Clock
from sla.services import deadline_cancel, deadline_close, deadline_open

from .models import CounterpartAgency, DataTransfer, Kind, Repatriation, RepatriationEvent
from .permissions import can_manage
from .workflow import OPEN_STATES, TRANSITIONS, Status

STATUS_LABELS = dict(Status.choices)
CLOCKS = (Clock.REPATRIATION_ANSWER, Clock.REPATRIATION_HANDOVER, Clock.REPATRIATION_CONFIRMATION)
# What the plan sent abroad carries (the data-protection record of the transfer): stored as
# written here, shown in the reader's language ({% translate transfer.what %}).
PLAN_CONTENTS = gettext_noop("identity, travel document, family and destination, the return plan")


def _lock(repatriation_id: int, actor: User, target: str) -> Repatriation:
    """The repatriation, locked, once the move to `target` is allowed from its state (409)
    and to this actor (403)."""
    repatriation = (
        Repatriation.objects.select_for_update(of=("self",))
        .select_related("case__person", "case__owner", "counterpart", "province")
        .get(pk=repatriation_id)
    )
    ensure_transition(repatriation.status, target, TRANSITIONS, STATUS_LABELS)
    ensure(
        can_manage(actor, repatriation),
        _("Only the social workers of the office that owns the case move its repatriation."),
    )
    return repatriation


def _announce(event: str, repatriation: Repatriation, actor: User, **fields) -> None:
    """Tell the audiences of `event` (notifications.matrix) about this repatriation."""
    people = {
        Audience.CASE_TEAM: lambda: case_team(repatriation.case),
        Audience.CENTRAL: central_reviewers,
        Audience.RESIDENCE: lambda: residence_staff(repatriation.case),
    }
    announce(
        event,
        to={audience: people[audience]() for audience in EVENTS[event].tell},
        actor=actor,
        link=repatriation.get_absolute_url(),
        number=repatriation.case.number,
        **fields,
    )


def _move(repatriation, actor, target, *, note="", details=None, **fields):
    """Make the move checked by _lock, then its RepatriationEvent, CaseEvent and AuditEvent."""
    old = repatriation.status
    repatriation.status = target
    for name, value in fields.items():
        setattr(repatriation, name, value)
    repatriation.save()
    RepatriationEvent.objects.create(
        repatriation=repatriation, actor=actor, from_status=old, to_status=target, note=note
    )
    case_event_add(
        case=repatriation.case,
        kind=CaseEvent.Kind.REPATRIATION,
        actor=actor,
        summary=f"{repatriation.receiver}: {STATUS_LABELS[target]}",
    )
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=repatriation,
        changes={"status": [old, target], **({"note": note} if note else {}), **(details or {})},
    )


def _end_of(day: dt.date) -> dt.datetime:
    """The end of a day in Bangkok: a hand-over is due by the evening of its date."""
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start) - dt.timedelta(minutes=1)


@transaction.atomic
def repatriation_plan(
    *,
    actor: User,
    case_id: int,
    destination: str,
    plan: str,
    counterpart: CounterpartAgency | None = None,
    province: Province | None = None,
    travel_document: str = "",
    travel_document_number: str = "",
) -> Repatriation:
    """Start the plan of a person's return home. A foreign victim is repatriated through the
    counterpart agency of their country (a stateless person or one of unknown nationality
    through the agency the worker chooses); a Thai victim is reintegrated in a receiving
    province.

    Side effects: a RepatriationEvent (planned), a CaseEvent and an AuditEvent. No clock yet:
    the plan is the office's own until it is sent.
    """
    case = Case.objects.select_for_update().select_related("person", "owner").get(pk=case_id)
    ensure(
        can_work_on(actor, case),
        _("Only the social workers of the office that owns the case plan a return home."),
    )
    if not case.is_open:
        raise TransitionNotAllowed(_("The case is closed; reopen it before planning a return."))
    if case.repatriations.filter(status__in=OPEN_STATES).exists():
        raise TransitionNotAllowed(
            _("A repatriation or reintegration of this person is already under way.")
        )
    person = case.person
    kind = Kind.REINTEGRATION if person.nationality == "TH" else Kind.REPATRIATION
    errors = {}
    if not destination.strip():
        errors["destination"] = _("Say where the person returns to.")
    if not plan.strip():
        errors["plan"] = _("Write the plan: who accompanies the person and what help awaits.")
    if kind == Kind.REPATRIATION:
        province = None
        if counterpart is None or not counterpart.is_active:
            errors["counterpart"] = _("Choose the counterpart agency of the person's country.")
        elif person.nationality and counterpart.country != person.nationality:
            errors["counterpart"] = _(
                "%(agency)s receives nationals of %(country)s; the person is a national of "
                "%(nationality)s."
            ) % {
                "agency": counterpart.name,
                "country": counterpart.country_name,
                "nationality": person.get_nationality_display(),
            }
    else:
        counterpart = None
        travel_document, travel_document_number = "", ""
        if province is None:
            errors["province"] = _("Choose the province that receives the person.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            repatriation = Repatriation.objects.create(
                case=case,
                kind=kind,
                counterpart=counterpart,
                province=province,
                destination=destination.strip(),
                plan=plan.strip(),
                travel_document=travel_document,
                travel_document_number=travel_document_number.strip(),
                created_by=actor,
            )
    except IntegrityError:  # another worker planned one a moment ago
        raise TransitionNotAllowed(
            _("A repatriation or reintegration of this person is already under way.")
        ) from None
    RepatriationEvent.objects.create(
        repatriation=repatriation, actor=actor, to_status=Status.PLANNED
    )
    case_event_add(
        case=case,
        kind=CaseEvent.Kind.REPATRIATION,
        actor=actor,
        summary=f"{repatriation.receiver}: {STATUS_LABELS[Status.PLANNED]}",
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=repatriation)
    _announce("repatriation.planned", repatriation, actor)
    return repatriation


@transaction.atomic
def repatriation_send(*, repatriation_id: int, actor: User, note: str = "") -> Repatriation:
    """Hand the plan to the counterpart agency (or the receiving province), which assesses the
    family. Needs the person's consent to return home (Act s.33) as their latest will on record.

    Side effects: for a repatriation, a DataTransfer (the person's data handed abroad, with its
    basis and recipient); opens the clock for the counterpart's assessment; a RepatriationEvent,
    CaseEvent and AuditEvent; the central division is told.
    """
    repatriation = _lock(repatriation_id, actor, Status.SENT)
    consent = consent_latest(repatriation.case, ConsentStep.REPATRIATION)
    if consent is None or consent.decision != Consent.Decision.GIVEN:
        raise ValidationError(
            _(
                "The person's consent to return home is not on record: tell them their rights "
                "and record their consent (s.33) on the case first."
            )
        )
    if repatriation.is_abroad and not repatriation.counterpart.is_active:
        raise ValidationError(_("The counterpart agency is no longer active: plan again."))
    now = timezone.now()
    _move(repatriation, actor, Status.SENT, note=note.strip(), sent_at=now)
    if repatriation.is_abroad:
        transfer = DataTransfer.objects.create(
            case=repatriation.case,
            person=repatriation.case.person,
            repatriation=repatriation,
            recipient=repatriation.counterpart.name_en,
            country=repatriation.counterpart.country,
            basis=DataTransfer.Basis.BILATERAL_ARRANGEMENT,
            arrangement=repatriation.counterpart.arrangement_en,
            consent_recorded_at=consent.recorded_at,
            what=PLAN_CONTENTS,
            sent_by=actor,
            sent_at=now,
        )
        audit_record(
            action=AuditEvent.Action.CREATE,
            actor=actor,
            obj=transfer,
            changes={"recipient": transfer.recipient, "country": transfer.country},
        )
    deadline_open(
        clock=Clock.REPATRIATION_ANSWER,
        obj=repatriation,
        organisation=repatriation.case.owner,
        start=now,
    )
    _announce("repatriation.sent", repatriation, actor, receiver=repatriation.receiver)
    return repatriation


@transaction.atomic
def repatriation_assess(
    *, repatriation_id: int, actor: User, assessment: str, assessed_on: dt.date
) -> Repatriation:
    """Record the counterpart's family assessment (the family can receive the person safely).
    An assessment against the return is recorded by cancelling the plan with its reason.

    Side effects: closes the assessment clock; a RepatriationEvent, CaseEvent and AuditEvent.
    """
    repatriation = _lock(repatriation_id, actor, Status.ASSESSED)
    if not assessment.strip():
        raise ValidationError({"assessment": _("Write what the family assessment found.")})
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    _move(
        repatriation,
        actor,
        Status.ASSESSED,
        family_assessment=assessment.strip(),
        assessed_on=assessed_on,
    )
    deadline_close(clock=Clock.REPATRIATION_ANSWER, obj=repatriation)
    _announce("repatriation.assessed", repatriation, actor)
    return repatriation


@transaction.atomic
def repatriation_schedule(
    *,
    repatriation_id: int,
    actor: User,
    handover_on: dt.date,
    handover_place: str,
    travel_document: str = "",
    travel_document_number: str = "",
) -> Repatriation:
    """Set (or move) the hand-over's date and place, agreed with the counterpart. A person
    going abroad needs their travel document first.

    Side effects: opens (or moves) the hand-over clock, due on the evening of its date; a
    RepatriationEvent, CaseEvent and AuditEvent; the central division and the shelter where the
    person lives are told (the shelter prepares the departure).
    """
    repatriation = _lock(repatriation_id, actor, Status.SCHEDULED)
    errors = {}
    if handover_on < timezone.localdate():
        errors["handover_on"] = _("The hand-over date has passed: choose today or a later day.")
    if not handover_place.strip():
        errors["handover_place"] = _("Say where the person is handed over.")
    travel_document = travel_document or repatriation.travel_document
    travel_document_number = travel_document_number.strip() or repatriation.travel_document_number
    if repatriation.is_abroad and not (travel_document and travel_document_number):
        errors["travel_document"] = _(
            "A person returning abroad needs a travel document: record its kind and number."
        )
    if errors:
        raise ValidationError(errors)
    rescheduled = repatriation.status == Status.SCHEDULED
    _move(
        repatriation,
        actor,
        Status.SCHEDULED,
        note=f"{format_date(handover_on)} · {handover_place.strip()}",
        handover_on=handover_on,
        handover_place=handover_place.strip(),
        travel_document=travel_document,
        travel_document_number=travel_document_number,
    )
    if rescheduled:
        deadline_cancel(clock=Clock.REPATRIATION_HANDOVER, obj=repatriation)
    deadline_open(
        clock=Clock.REPATRIATION_HANDOVER,
        obj=repatriation,
        organisation=repatriation.case.owner,
        start=timezone.now(),
        due_at=_end_of(handover_on),
    )
    _announce(
        "repatriation.scheduled",
        repatriation,
        actor,
        date=format_date(handover_on),
        place=repatriation.handover_place,
    )
    return repatriation


@transaction.atomic
def repatriation_hand_over(
    *, repatriation_id: int, actor: User, note: str = "", at: dt.datetime | None = None
) -> Repatriation:
    """Record that the person was handed over to the counterpart (or the receiving province).

    Side effects: closes the hand-over clock and opens the clock for the counterpart's
    confirmation; a RepatriationEvent, CaseEvent and AuditEvent; the central division and the
    shelter where the person lived are told (its director discharges the person).
    """
    repatriation = _lock(repatriation_id, actor, Status.HANDED_OVER)
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError(_("A hand-over is recorded once it has happened."))
    _move(repatriation, actor, Status.HANDED_OVER, note=note.strip(), handed_over_at=at)
    deadline_close(clock=Clock.REPATRIATION_HANDOVER, obj=repatriation, at=at)
    deadline_open(
        clock=Clock.REPATRIATION_CONFIRMATION,
        obj=repatriation,
        organisation=repatriation.case.owner,
        start=at,
    )
    _announce("repatriation.handed_over", repatriation, actor, receiver=repatriation.receiver)
    return repatriation


@transaction.atomic
def repatriation_confirm(
    *, repatriation_id: int, actor: User, confirmed_on: dt.date, reference: str = ""
) -> Repatriation:
    """Record the counterpart's confirmation that it received the person.

    Side effects: closes the confirmation clock; a RepatriationEvent, CaseEvent and AuditEvent;
    the central division is told.
    """
    repatriation = _lock(repatriation_id, actor, Status.CONFIRMED)
    if confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": _("The confirmation date cannot be in the future.")})
    if repatriation.handed_over_at and confirmed_on < timezone.localdate(
        repatriation.handed_over_at
    ):
        raise ValidationError(
            {"confirmed_on": _("The confirmation cannot come before the hand-over.")}
        )
    _move(
        repatriation,
        actor,
        Status.CONFIRMED,
        note=reference.strip(),
        confirmed_on=confirmed_on,
        confirmation_reference=reference.strip(),
    )
    deadline_close(clock=Clock.REPATRIATION_CONFIRMATION, obj=repatriation)
    _announce("repatriation.confirmed", repatriation, actor, receiver=repatriation.receiver)
    return repatriation


@transaction.atomic
def repatriation_cancel(*, repatriation_id: int, actor: User, reason: str) -> Repatriation:
    """Stop a plan before the hand-over (the person changed their mind, the family assessment
    advised against the return, the person left), with the reason.

    Side effects: stops its running clocks; a RepatriationEvent, CaseEvent and AuditEvent; the
    central division and the shelter where the person lives are told.
    """
    repatriation = _lock(repatriation_id, actor, Status.CANCELLED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    _move(repatriation, actor, Status.CANCELLED, note=reason.strip(), cancel_reason=reason.strip())
    for clock in CLOCKS:
        deadline_cancel(clock=clock, obj=repatriation)
    _announce("repatriation.cancelled", repatriation, actor)
    return repatriation
