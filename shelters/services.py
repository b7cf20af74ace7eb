"""Every write about beds and residents: admission, transfer, discharge, capacity, care plans
and the record of outings and phone use."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import CaseEvent
from cases.permissions import can_work_on
from cases.selectors import case_team
from cases.services import case_event_add
from core.dates import format_date, format_datetime
from core.domain import TransitionNotAllowed, ensure, ensure_transition
from notifications.matrix import EVENTS, Audience, announce
from referrals.models import Kind, Referral
from referrals.services import referral_complete, referral_create
from referrals.workflow import State
from sla.models import Clock, Deadline
from sla.services import deadline_cancel, deadline_close, deadline_open

from .models import (
    CarePlanItem,
    CarePlanItemChange,
    DischargeReason,
    MovementRecord,
    Placement,
    PlacementStatus,
    Shelter,
    ShelterUnit,
)
from .permissions import can_set_capacity, is_director_of, works_at
from .selectors import living_elsewhere, section_warnings
from .workflow import TRANSITIONS

# Follow-up visits after a reintegration or a repatriation (DESIGN.md §5), counted from the
# day the person left the shelter.
FOLLOW_UP_MONTHS = (3, 6, 12)


class NoBedFree(TransitionNotAllowed):
    """The section is full, perhaps because another admission took the last bed (API: 409)."""


def _active(unit_id: int) -> int:
    return Placement.objects.filter(unit_id=unit_id, status=PlacementStatus.ADMITTED).count()


@transaction.atomic
def placement_admit(
    *,
    referral_id: int,
    unit_id: int,
    actor: User,
    planned_end: dt.date | None = None,
    override_reason: str = "",
) -> Placement:
    """Admit the person of an accepted shelter referral into a section of the shelter.

    A person who does not fit the section (a child in an adult section, an adult among
    children, a section of the other sex: selectors.section_warnings) is admitted only with
    the director's `override_reason`, which goes on the timeline and to the central division.

    The section's row is locked first, so two directors admitting into the last bed at the same
    moment are served one after the other: the second finds the bed taken and is refused. A
    resident coming from another shelter leaves it (their placement there ends as transferred).

    Side effects: completes the referral, opens the care-plan deadline (7 days), a CaseEvent
    and an AuditEvent.
    """
    unit = ShelterUnit.objects.select_for_update().select_related("shelter").get(pk=unit_id)
    referral = Referral.objects.select_related("case").get(pk=referral_id)
    ensure(is_director_of(actor, unit.shelter), _("Only the shelter's director admits."))
    if referral.kind != Kind.SHELTER_PLACEMENT or referral.to_organisation_id != (
        unit.shelter.organisation_id
    ):
        raise ValidationError(_("This referral is not a placement in this shelter."))
    if referral.state != State.ACCEPTED:
        raise TransitionNotAllowed(_("Only a person whose referral was accepted is admitted."))
    _ensure_not_living_elsewhere(referral.case)
    if planned_end is not None and planned_end < timezone.localdate():
        raise ValidationError({"planned_end": _("The planned end is before the admission.")})
    misfit = _ensure_fits_or_reason(unit, referral.case.person, override_reason)
    if _active(unit.pk) >= unit.capacity:
        raise NoBedFree(_("No bed is free in %(unit)s: the section is full.") % {"unit": unit})
    now = timezone.now()
    previous = (
        Placement.objects.select_for_update()
        .filter(case=referral.case, status=PlacementStatus.ADMITTED)
        .first()
    )
    if previous is not None:
        _end(previous, actor, PlacementStatus.TRANSFERRED, DischargeReason.TRANSFERRED, now)
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                case=referral.case,
                person_id=referral.case.person_id,
                unit=unit,
                referral=referral,
                admitted_at=now,
                planned_end=planned_end,
                admitted_by=actor,
            )
    except IntegrityError:
        # Another admission of the same person (under another case) committed first.
        _ensure_not_living_elsewhere(referral.case)
        raise TransitionNotAllowed(_("This person is already placed in a shelter.")) from None
    referral_complete(referral_id=referral.pk, actor=actor, note=str(unit))
    deadline_open(
        clock=Clock.CARE_PLAN, obj=placement, organisation=unit.shelter.organisation, start=now
    )
    summary = str(unit) + _misfit_note(misfit, override_reason)
    _announce(
        "placement.admitted_outside_section" if misfit else "placement.admitted",
        placement,
        actor,
        unit=str(unit),
        reason=override_reason.strip(),
    )
    case_event_add(case=referral.case, kind=CaseEvent.Kind.ADMITTED, actor=actor, summary=summary)
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=placement,
        changes={"override": override_reason.strip()} if misfit else None,
    )
    return placement


def _misfit_note(misfit: list[str], override_reason: str) -> str:
    """What the timeline adds when the person was placed outside the section meant for them."""
    if not misfit:
        return ""
    reason = _("Reason: %(reason)s") % {"reason": override_reason.strip()}
    return f" · {' '.join(misfit)} {reason}"


def _ensure_fits_or_reason(unit: ShelterUnit, person, override_reason: str) -> list[str]:
    """The section's misfits for the person (selectors.section_warnings); refused without the
    director's reason."""
    misfit = section_warnings(unit=unit, person=person)
    if misfit and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "%(warnings)s Admit into this section only with your reason, which the "
                    "central division is told; or choose another section."
                )
                % {"warnings": " ".join(misfit)}
            }
        )
    return misfit


def _announce(event: str, placement: Placement, actor: User, **fields) -> None:
    """Tell the audiences of `event` (notifications.matrix) about this stay."""
    rule_audiences = {
        Audience.CENTRAL: central_reviewers,
        Audience.CASE_TEAM: lambda: case_team(placement.case),
    }
    announce(
        event,
        to={audience: rule_audiences[audience]() for audience in EVENTS[event].tell},
        actor=actor,
        link=placement.get_absolute_url(),
        subject=placement,
        number=placement.case.number,
        **fields,
    )


@transaction.atomic
def placement_move_section(
    *, placement_id: int, unit_id: int, actor: User, override_reason: str = ""
) -> Placement:
    """Move a resident to another section of the same shelter (placed in the wrong one, or
    grown out of it). The target section's row is locked first, as for an admission, so the
    move never overbooks it; a section not meant for the person needs the director's reason.

    Side effects: a CaseEvent (moved) and an AuditEvent; the central division is told of an
    override.
    """
    unit = ShelterUnit.objects.select_for_update().select_related("shelter").get(pk=unit_id)
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("unit__shelter", "case__person")
        .get(pk=placement_id)
    )
    ensure(
        is_director_of(actor, placement.unit.shelter),
        _("Only the shelter's director moves a resident."),
    )
    _ensure_still_resident(placement)
    if unit.shelter_id != placement.unit.shelter_id:
        raise ValidationError({"unit": _("A move to another shelter is a transfer referral.")})
    if unit.pk == placement.unit_id:
        raise ValidationError({"unit": _("The person is already in this section.")})
    if _active(unit.pk) >= unit.capacity:
        raise NoBedFree(_("No bed is free in %(unit)s: the section is full.") % {"unit": unit})
    misfit = _ensure_fits_or_reason(unit, placement.case.person, override_reason)
    previous = placement.unit
    placement.unit = unit
    placement.save(update_fields=["unit", "updated_at"])
    summary = f"{previous.get_section_display()} → {unit.get_section_display()}"
    summary += _misfit_note(misfit, override_reason)
    _announce(
        "placement.moved_outside_section" if misfit else "placement.moved",
        placement,
        actor,
        unit=str(unit),
        reason=override_reason.strip(),
    )
    case_event_add(case=placement.case, kind=CaseEvent.Kind.MOVED, actor=actor, summary=summary)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=placement,
        changes={
            "unit": [previous.section, unit.section],
            **({"override": override_reason.strip()} if misfit else {}),
        },
    )
    return placement


def _ensure_not_living_elsewhere(case) -> None:
    """One bed per person: refuse a stay while the person lives in a shelter under another
    of their cases, naming where (a move between shelters is a transfer from that case)."""
    where = living_elsewhere(case)
    if where:
        raise TransitionNotAllowed(where)


def _ensure_still_resident(placement: Placement) -> None:
    """A stay that has ended cannot be ended again, nor its care plan or movements kept."""
    if not TRANSITIONS[placement.status]:
        raise TransitionNotAllowed(_("This person has already left the shelter."))


def _end(placement, actor, status, reason, at, note=""):
    _ensure_still_resident(placement)
    ensure_transition(placement.status, status, TRANSITIONS, dict(PlacementStatus.choices))
    placement.status = status
    placement.discharged_at = at
    placement.discharge_reason = reason
    placement.discharge_note = note
    placement.save()
    deadline_cancel(clock=Clock.CARE_PLAN, obj=placement)
    case_event_add(
        case=placement.case,
        kind=CaseEvent.Kind.DISCHARGED,
        actor=actor,
        summary=f"{placement.unit}: {placement.get_discharge_reason_display()}",
    )
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=placement,
        changes={"status": status, "reason": reason},
    )


@transaction.atomic
def placement_discharge(
    *, placement_id: int, actor: User, reason: str, note: str = ""
) -> Placement:
    """A resident leaves the shelter, with the reason. Side effects: frees the bed, stops the
    care-plan clock; after a reintegration or a repatriation, opens the follow-up clock for
    the owning office."""
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("unit__shelter", "case")
        .get(pk=placement_id)
    )
    ensure(
        is_director_of(actor, placement.unit.shelter), _("Only the shelter's director discharges.")
    )
    _ensure_still_resident(placement)
    if reason not in DischargeReason.values or reason == DischargeReason.TRANSFERRED:
        raise ValidationError(
            {"reason": _("Choose why the person leaves (a transfer goes through a referral).")}
        )
    if reason == DischargeReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say why the person leaves.")})
    now = timezone.now()
    _end(placement, actor, PlacementStatus.DISCHARGED, reason, now, note.strip())
    _announce(
        "placement.discharged", placement, actor, reason=placement.get_discharge_reason_display()
    )
    if reason in (DischargeReason.REINTEGRATED, DischargeReason.REPATRIATED):
        deadline_open(
            clock=Clock.FOLLOW_UP,
            obj=placement,
            organisation=placement.case.owner,
            start=now,
            due_at=now + relativedelta(months=FOLLOW_UP_MONTHS[0]),
        )
    return placement


@transaction.atomic
def placement_transfer(
    *,
    placement_id: int,
    actor: User,
    to_shelter: Shelter,
    reason: str,
    consent: str,
    consent_note: str = "",
    consent_now: bool = False,
) -> Referral:
    """Ask another shelter to take a resident: a shelter-placement referral from this shelter,
    submitted at once, so that the receiving director decides. The resident stays here until
    they are admitted there."""
    placement = Placement.objects.select_related("unit__shelter__organisation", "case").get(
        pk=placement_id
    )
    ensure(
        is_director_of(actor, placement.unit.shelter), _("Only the shelter's director transfers.")
    )
    _ensure_still_resident(placement)
    return referral_create(
        actor=actor,
        case_id=placement.case_id,
        from_organisation=placement.unit.shelter.organisation,
        to_organisation=to_shelter.organisation,
        kind=Kind.SHELTER_PLACEMENT,
        reason=reason,
        consent=consent,
        consent_note=consent_note,
        consent_now=consent_now,
        services_requested=["shelter"],
        submit=True,
    )


@transaction.atomic
def unit_set_capacity(*, unit_id: int, actor: User, capacity: int) -> ShelterUnit:
    """Change the number of beds of a section; never below the residents it holds now."""
    unit = ShelterUnit.objects.select_for_update().select_related("shelter").get(pk=unit_id)
    ensure(can_set_capacity(actor, unit.shelter), _("Only the shelter's director sets capacity."))
    occupied = _active(unit.pk)
    if capacity < occupied:
        raise ValidationError(
            {
                "capacity": _(
                    "%(unit)s holds %(occupied)d residents now: it cannot have fewer beds."
                )
                % {"unit": unit, "occupied": occupied}
            }
        )
    old = unit.capacity
    unit.capacity = capacity
    unit.full_clean()
    unit.save(update_fields=["capacity", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=unit,
        changes={"capacity": [old, capacity]},
    )
    announce("placement.capacity_changed", actor=actor)
    return unit


def _resident(placement_id: int, actor: User) -> Placement:
    placement = Placement.objects.select_related("unit__shelter").get(pk=placement_id)
    ensure(works_at(actor, placement.unit.shelter), _("Only the shelter's staff do this."))
    _ensure_still_resident(placement)
    return placement


@transaction.atomic
def care_plan_item_add(
    *,
    placement_id: int,
    actor: User,
    service: str,
    status: str = CarePlanItem.Status.PLANNED,
    due_on: dt.date | None = None,
    note: str = "",
) -> CarePlanItem:
    """Add a service to a resident's care plan. The first item closes the care-plan deadline.

    Side effects: the item's first version in its history, an AuditEvent.
    """
    placement = _resident(placement_id, actor)
    item = CarePlanItem(placement=placement, service=service)
    _care_plan_item_apply(item, actor, status=status, due_on=due_on, note=note)
    deadline_close(clock=Clock.CARE_PLAN, obj=placement)
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=item)
    return item


@transaction.atomic
def care_plan_item_update(
    *, item_id: int, actor: User, status: str, due_on: dt.date | None = None, note: str = ""
) -> CarePlanItem:
    """Change an item's status, due date or note (the service is what the item is: a new
    service is a new item). The earlier versions stay in its history.

    Side effects: a version in the item's history, an AuditEvent with what changed.
    """
    item = CarePlanItem.objects.select_for_update().get(pk=item_id)
    _resident(item.placement_id, actor)
    before = {"status": item.status, "due_on": item.due_on, "note": item.note}
    _care_plan_item_apply(item, actor, status=status, due_on=due_on, note=note)
    after = {"status": item.status, "due_on": item.due_on, "note": item.note}
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=item,
        changes={
            field: [str(before[field] or ""), str(after[field] or "")]
            for field in before
            if before[field] != after[field]
        },
    )
    return item


def _care_plan_item_apply(item, actor, *, status, due_on, note) -> None:
    """Validate and save the item's new version, and keep it in the item's history."""
    placement = item.placement
    if due_on is not None and due_on < timezone.localdate(placement.admitted_at):
        raise ValidationError(
            {
                "due_on": _("The due date cannot be before the admission (%(date)s).")
                % {"date": format_date(placement.admitted_at)}
            }
        )
    item.status, item.due_on, item.note, item.updated_by = status, due_on, note.strip(), actor
    item.full_clean()
    item.save()
    CarePlanItemChange.objects.create(
        item=item, status=item.status, due_on=item.due_on, note=item.note, changed_by=actor
    )


def _ensure_during_stay(placement, *, started_at, ended_at) -> None:
    """An outing or a call happens during the stay, and not in the future."""
    now = timezone.now()
    if started_at < placement.admitted_at:
        raise ValidationError(
            {
                "started_at": _("This is before the person was admitted (%(admitted)s).")
                % {"admitted": format_datetime(placement.admitted_at)}
            }
        )
    if started_at > now:
        raise ValidationError({"started_at": _("This date is in the future.")})
    if ended_at is not None and ended_at < started_at:
        raise ValidationError({"ended_at": _("The end is before the start.")})
    if ended_at is not None and ended_at > now:
        raise ValidationError({"ended_at": _("This date is in the future.")})


@transaction.atomic
def movement_end(*, movement_id: int, actor: User, ended_at: dt.datetime) -> MovementRecord:
    """The person is back from an outing (or the call ended): its end is recorded once.

    Side effects: an AuditEvent with the end.
    """
    record = MovementRecord.objects.select_for_update().get(pk=movement_id)
    placement = _resident(record.placement_id, actor)
    if record.ended_at is not None:
        raise TransitionNotAllowed(_("The end of this outing is already recorded."))
    _ensure_during_stay(placement, started_at=record.started_at, ended_at=ended_at)
    record.ended_at = ended_at
    record.save(update_fields=["ended_at", "updated_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=record,
        changes={"ended_at": ended_at.isoformat()},
    )
    return record


@transaction.atomic
def movement_record(
    *,
    placement_id: int,
    actor: User,
    kind: str,
    started_at: dt.datetime,
    ended_at: dt.datetime | None = None,
    accompanied: bool = False,
    note: str = "",
) -> MovementRecord:
    """Record an outing or a phone call of a resident."""
    placement = _resident(placement_id, actor)
    _ensure_during_stay(placement, started_at=started_at, ended_at=ended_at)
    record = MovementRecord(
        placement=placement,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        accompanied=accompanied,
        note=note.strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=record)
    return record


@transaction.atomic
def follow_up_record(*, case, actor: User, note: str) -> Placement:
    """The owning office records a follow-up visit after the person left the shelter: the
    running follow-up clock is met, and the next one opens (6, then 12 months after leaving).

    Side effects: closes and opens the follow-up deadlines, a CaseEvent and an AuditEvent.
    """
    ensure(can_work_on(actor, case), _("Only the owning office records follow-up visits."))
    if not note.strip():
        raise ValidationError({"note": _("Write what the visit found.")})
    placement = (
        Placement.objects.select_for_update()
        .filter(case=case, discharged_at__isnull=False)
        .order_by("-discharged_at")
        .first()
    )
    if placement is None or not deadline_close(clock=Clock.FOLLOW_UP, obj=placement):
        raise TransitionNotAllowed(_("No follow-up visit is due for this case."))
    done = Deadline.objects.filter(
        clock=Clock.FOLLOW_UP, object_id=placement.pk, closed_at__isnull=False
    ).count()
    if done < len(FOLLOW_UP_MONTHS):
        deadline_open(
            clock=Clock.FOLLOW_UP,
            obj=placement,
            organisation=case.owner,
            start=timezone.now(),
            due_at=placement.discharged_at + relativedelta(months=FOLLOW_UP_MONTHS[done]),
        )
    case_event_add(case=case, kind=CaseEvent.Kind.FOLLOW_UP, actor=actor, summary=note.strip())
    audit_record(
        action=AuditEvent.Action.UPDATE, actor=actor, obj=placement, changes={"follow_up": done}
    )
    return placement
