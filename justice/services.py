"""Every write of court proceedings, hearings and compensation claims. Each function locks the
row it moves, checks the move (workflow.py) and the actor's authority (permissions.py), saves,
writes the case's timeline, the audit log and the clocks, and tells whom the notification
matrix names (after commit, by notifications.services)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import Case, CaseEvent
from cases.services import case_event_add
from core.dates import format_date, format_datetime
from core.domain import ensure, ensure_transition
from notifications.matrix import Audience, announce
from shelters.selectors import residence_shelter, residence_staff
from sla.models import Clock
from sla.services import deadline_cancel, deadline_close, deadline_move, deadline_open

from .models import CompensationClaim, Hearing, HearingKind, Prosecution, Verdict, Willingness
from .permissions import can_record
from .workflow import (
    CLAIM_TRANSITIONS,
    HEARING_TRANSITIONS,
    OPEN_PROSECUTION_STATES,
    PROSECUTION_TRANSITIONS,
    ClaimStatus,
    HearingStatus,
    ProsecutionStatus,
)

# Rendered in each recipient's language when the notification is written.
lazy_format_datetime = lazy(format_datetime, str)

NOT_YOURS = _("Only the office that owns the case records its court case and compensation.")


def _forbidden_unless(actor, case):
    ensure(can_record(actor, case), NOT_YOURS)


def _plain(changes: dict) -> dict:
    """Audit changes as JSON: dates and amounts as text."""
    return {
        key: value.isoformat()
        if isinstance(value, dt.date)
        else str(value)
        if isinstance(value, Decimal)
        else value
        for key, value in changes.items()
    }


def _not_future(day: dt.date | None, field: str, errors: dict) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = _("This date is in the future.")


def _required(values: dict, errors: dict) -> None:
    for field, value in values.items():
        if not str(value or "").strip():
            errors[field] = _("This field is required.")


def _move(obj, target, transitions, choices):
    ensure_transition(obj.status, target, transitions, dict(choices))


def _timeline(case, actor, summary):
    case_event_add(case=case, kind=CaseEvent.Kind.JUSTICE, actor=actor, summary=summary)


# --- The proceeding ------------------------------------------------------------------------


@transaction.atomic
def prosecution_record(
    *,
    case: Case,
    actor: User,
    offence: str,
    police_station: str,
    police_case_number: str,
    officer_name: str,
    reported_on: dt.date,
    officer_phone: str = "",
) -> Prosecution:
    """Record the police case opened on the person's complaint (the proceeding starts in
    investigation).

    Side effects: a CaseEvent (justice), an AuditEvent (create); tells nobody.
    """
    _forbidden_unless(actor, case)
    errors = {}
    _required(
        {
            "police_station": police_station,
            "police_case_number": police_case_number,
            "officer_name": officer_name,
        },
        errors,
    )
    _not_future(reported_on, "reported_on", errors)
    if errors:
        raise ValidationError(errors)
    prosecution = Prosecution(
        case=case,
        offence=offence,
        police_station=police_station.strip(),
        police_case_number=police_case_number.strip(),
        officer_name=officer_name.strip(),
        officer_phone=officer_phone.strip(),
        reported_on=reported_on,
        created_by=actor,
    )
    prosecution.full_clean(exclude=["case", "created_by"])
    prosecution.save()
    _timeline(
        case,
        actor,
        _("Police case %(number)s at %(station)s")
        % {"number": prosecution.police_case_number, "station": prosecution.police_station},
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=prosecution)
    announce("justice.prosecution_recorded", actor=actor)
    return prosecution


def _locked_prosecution(prosecution_id: int) -> Prosecution:
    return Prosecution.objects.select_for_update().select_related("case").get(pk=prosecution_id)


@transaction.atomic
def prosecution_charge(
    *,
    prosecution_id: int,
    actor: User,
    prosecutor_office: str,
    court: str,
    court_case_number: str,
    charged_on: dt.date,
) -> Prosecution:
    """The public prosecutor charged the offenders before a court: the proceeding is before the
    court.

    Side effects: a CaseEvent (justice), an AuditEvent (transition); tells nobody.
    """
    prosecution = _locked_prosecution(prosecution_id)
    _move(
        prosecution,
        ProsecutionStatus.BEFORE_COURT,
        PROSECUTION_TRANSITIONS,
        ProsecutionStatus.choices,
    )
    _forbidden_unless(actor, prosecution.case)
    errors = {}
    _required({"court": court, "court_case_number": court_case_number}, errors)
    _not_future(charged_on, "charged_on", errors)
    if charged_on < prosecution.reported_on:
        errors["charged_on"] = _("The charge comes after the complaint to the police.")
    if errors:
        raise ValidationError(errors)
    prosecution.prosecutor_office = prosecutor_office.strip()
    prosecution.court = court.strip()
    prosecution.court_case_number = court_case_number.strip()
    prosecution.charged_on = charged_on
    prosecution.status = ProsecutionStatus.BEFORE_COURT
    prosecution.save()
    _timeline(
        prosecution.case,
        actor,
        _("Charged before %(court)s, case %(number)s")
        % {"court": prosecution.court, "number": prosecution.court_case_number},
    )
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=prosecution,
        changes=_plain(
            {"status": prosecution.status, "court": prosecution.court, "charged_on": charged_on}
        ),
    )
    announce("justice.charged", actor=actor)
    return prosecution


WITNESS_FIELDS = (
    "witness",
    "interpreter",
    "interpreter_language",
    "protection",
    "video_testimony",
    "advance_testimony",
    "impact_statement",
    "impact_statement_on",
)


@transaction.atomic
def prosecution_witness_update(
    *,
    prosecution_id: int,
    actor: User,
    witness: str,
    interpreter: bool = False,
    interpreter_language: str = "",
    protection: bool = False,
    video_testimony: bool = False,
    advance_testimony: bool = False,
    impact_statement: str = "",
    impact_statement_on: dt.date | None = None,
) -> Prosecution:
    """Record whether the person is willing to testify, the support given (interpreter,
    protection, testimony by video or in advance) and the victim-impact statement, while the
    proceeding runs.

    Side effects: a CaseEvent (justice), an AuditEvent (update, the fields changed).
    """
    prosecution = _locked_prosecution(prosecution_id)
    _forbidden_unless(actor, prosecution.case)
    if prosecution.status not in OPEN_PROSECUTION_STATES:
        raise ValidationError(_("The proceeding has ended: its witness record is closed."))
    errors = {}
    if witness not in Willingness.values:
        errors["witness"] = _("Choose whether the person is willing to testify.")
    if interpreter and not interpreter_language.strip():
        errors["interpreter_language"] = _("Say in which language the person needs an interpreter.")
    if impact_statement.strip() and impact_statement_on is None:
        errors["impact_statement_on"] = _("Give the date of the victim-impact statement.")
    _not_future(impact_statement_on, "impact_statement_on", errors)
    if errors:
        raise ValidationError(errors)
    new = {
        "witness": witness,
        "interpreter": interpreter,
        "interpreter_language": interpreter_language.strip() if interpreter else "",
        "protection": protection,
        "video_testimony": video_testimony,
        "advance_testimony": advance_testimony,
        "impact_statement": impact_statement.strip(),
        "impact_statement_on": impact_statement_on if impact_statement.strip() else None,
    }
    changed = {field: value for field, value in new.items() if getattr(prosecution, field) != value}
    for field, value in new.items():
        setattr(prosecution, field, value)
    prosecution.save()
    summary = Willingness(witness).label
    if prosecution.support_labels:
        summary = f"{summary}: {', '.join(prosecution.support_labels)}"
    _timeline(prosecution.case, actor, summary)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=prosecution,
        changes=_plain(
            {field: value for field, value in changed.items() if field != "impact_statement"}
        )
        | ({"impact_statement": "changed"} if "impact_statement" in changed else {}),
    )
    announce("justice.witness_updated", actor=actor)
    return prosecution


def _no_hearing_scheduled(prosecution: Prosecution) -> None:
    if prosecution.hearings.filter(status=HearingStatus.SCHEDULED).exists():
        raise ValidationError(
            _("A hearing is still scheduled: record it as held, or cancel it, first.")
        )


@transaction.atomic
def prosecution_conclude(
    *, prosecution_id: int, actor: User, verdict: str, judgment_on: dt.date, sentence: str = ""
) -> Prosecution:
    """The court of first instance gave its judgment.

    Side effects: a CaseEvent (justice), an AuditEvent (transition), tells the shelter where
    the person lives.
    """
    prosecution = _locked_prosecution(prosecution_id)
    _move(
        prosecution, ProsecutionStatus.CONCLUDED, PROSECUTION_TRANSITIONS, ProsecutionStatus.choices
    )
    _forbidden_unless(actor, prosecution.case)
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choose the judgment.")
    _not_future(judgment_on, "judgment_on", errors)
    if prosecution.charged_on and judgment_on < prosecution.charged_on:
        errors["judgment_on"] = _("The judgment comes after the charge.")
    if errors:
        raise ValidationError(errors)
    _no_hearing_scheduled(prosecution)
    prosecution.verdict = verdict
    prosecution.judgment_on = judgment_on
    prosecution.sentence = sentence.strip()
    prosecution.status = ProsecutionStatus.CONCLUDED
    prosecution.save()
    label = Verdict(verdict).label
    _timeline(prosecution.case, actor, f"{label} ({format_date(judgment_on)})")
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=prosecution,
        changes=_plain(
            {"status": prosecution.status, "verdict": verdict, "judgment_on": judgment_on}
        ),
    )
    announce(
        "justice.concluded",
        to={Audience.RESIDENCE: residence_staff(prosecution.case)},
        actor=actor,
        link=prosecution.get_absolute_url(),
        number=prosecution.case.number,
        verdict=label,
    )
    return prosecution


@transaction.atomic
def prosecution_drop(*, prosecution_id: int, actor: User, reason: str) -> Prosecution:
    """The proceeding ended without a judgment (no charge, offenders not found, complaint
    withdrawn); a reason is required.

    Side effects: a CaseEvent (justice), an AuditEvent (transition); tells nobody.
    """
    prosecution = _locked_prosecution(prosecution_id)
    _move(
        prosecution, ProsecutionStatus.DROPPED, PROSECUTION_TRANSITIONS, ProsecutionStatus.choices
    )
    _forbidden_unless(actor, prosecution.case)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the proceeding ended.")})
    _no_hearing_scheduled(prosecution)
    prosecution.closed_reason = reason.strip()
    prosecution.status = ProsecutionStatus.DROPPED
    prosecution.save()
    _timeline(prosecution.case, actor, ProsecutionStatus.DROPPED.label + ": " + reason.strip())
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=prosecution,
        changes={"status": prosecution.status, "reason": prosecution.closed_reason},
    )
    announce("justice.dropped", actor=actor)
    return prosecution


# --- Hearings -------------------------------------------------------------------------------


def _end_of_day(moment: dt.datetime) -> dt.datetime:
    """The hearing's clock runs to the end of its day (Bangkok time): the office records on the
    day whether it was held, postponed or cancelled."""
    day = timezone.localtime(moment).date()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def _open_shelter_clock(hearing: Hearing, start: dt.datetime) -> None:
    shelter = residence_shelter(hearing.case)
    if shelter is not None:
        deadline_open(
            clock=Clock.HEARING_SHELTER,
            obj=hearing,
            organisation=shelter,
            start=start,
            due_at=_end_of_day(hearing.scheduled_at),
        )


def _court(hearing: Hearing) -> str:
    court = hearing.prosecution.court or hearing.prosecution.police_station
    return f"{court} {hearing.place}".strip()


@transaction.atomic
def hearing_schedule(
    *, prosecution_id: int, actor: User, kind: str, scheduled_at: dt.datetime, place: str = ""
) -> Hearing:
    """Schedule a court hearing of a running proceeding (advance testimony may come before the
    charge). The hearing's clock opens for the case's office and, when the person lives in a
    shelter under this case, one for that shelter: both remind before the day (sla rules).

    Side effects: the clocks, a CaseEvent (justice), an AuditEvent (create), tells the shelter
    where the person lives.
    """
    prosecution = _locked_prosecution(prosecution_id)
    _forbidden_unless(actor, prosecution.case)
    if prosecution.status not in OPEN_PROSECUTION_STATES:
        raise ValidationError(_("The proceeding has ended: no hearing can be scheduled."))
    errors = {}
    if kind not in HearingKind.values:
        errors["kind"] = _("Choose the kind of hearing.")
    now = timezone.now()
    if scheduled_at <= now:
        errors["scheduled_at"] = _("A hearing is scheduled for a later date and time.")
    if errors:
        raise ValidationError(errors)
    hearing = Hearing.objects.create(
        prosecution=prosecution,
        case=prosecution.case,
        kind=kind,
        scheduled_at=scheduled_at,
        place=place.strip(),
        created_by=actor,
    )
    deadline_open(
        clock=Clock.HEARING,
        obj=hearing,
        organisation=prosecution.case.owner,
        start=now,
        due_at=_end_of_day(scheduled_at),
    )
    _open_shelter_clock(hearing, now)
    _timeline(
        prosecution.case,
        actor,
        f"{hearing.get_kind_display()}: {format_datetime(scheduled_at)} {_court(hearing)}",
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=hearing,
        changes={"scheduled_at": scheduled_at.isoformat(), "kind": kind},
    )
    announce(
        "justice.hearing_scheduled",
        to={Audience.RESIDENCE: residence_staff(prosecution.case)},
        actor=actor,
        link=prosecution.get_absolute_url(),
        number=prosecution.case.number,
        when=lazy_format_datetime(scheduled_at),
        court=_court(hearing),
    )
    return hearing


def _locked_hearing(hearing_id: int) -> Hearing:
    return (
        Hearing.objects.select_for_update()
        .select_related("prosecution", "case__owner")
        .get(pk=hearing_id)
    )


@transaction.atomic
def hearing_postpone(
    *, hearing_id: int, actor: User, scheduled_at: dt.datetime, note: str = ""
) -> Hearing:
    """The court moved a scheduled hearing to another date: it stays scheduled, its clocks move
    (the shelter's to the shelter where the person lives now).

    Side effects: the clocks moved, a CaseEvent (justice), an AuditEvent (update), tells the
    shelter where the person lives.
    """
    hearing = _locked_hearing(hearing_id)
    if hearing.status != HearingStatus.SCHEDULED:
        _move(hearing, HearingStatus.SCHEDULED, HEARING_TRANSITIONS, HearingStatus.choices)
    _forbidden_unless(actor, hearing.case)
    now = timezone.now()
    if scheduled_at <= now:
        raise ValidationError({"scheduled_at": _("A hearing is moved to a later date and time.")})
    previous = hearing.scheduled_at
    hearing.scheduled_at = scheduled_at
    if note.strip():
        hearing.note = note.strip()
    hearing.save()
    deadline_move(clock=Clock.HEARING, obj=hearing, due_at=_end_of_day(scheduled_at))
    deadline_cancel(clock=Clock.HEARING_SHELTER, obj=hearing)
    _open_shelter_clock(hearing, now)
    _timeline(
        hearing.case,
        actor,
        _("Hearing moved from %(before)s to %(after)s")
        % {"before": format_datetime(previous), "after": format_datetime(scheduled_at)},
    )
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=hearing,
        changes={"scheduled_at": [previous.isoformat(), scheduled_at.isoformat()]},
    )
    announce(
        "justice.hearing_postponed",
        to={Audience.RESIDENCE: residence_staff(hearing.case)},
        actor=actor,
        link=hearing.get_absolute_url(),
        number=hearing.case.number,
        when=lazy_format_datetime(scheduled_at),
        court=_court(hearing),
    )
    return hearing


@transaction.atomic
def hearing_record_held(*, hearing_id: int, actor: User, note: str = "") -> Hearing:
    """The hearing took place (recorded on or after its day).

    Side effects: closes its clocks (met when recorded by the end of the day), a CaseEvent
    (justice), an AuditEvent (transition); tells nobody.
    """
    hearing = _locked_hearing(hearing_id)
    _move(hearing, HearingStatus.HELD, HEARING_TRANSITIONS, HearingStatus.choices)
    _forbidden_unless(actor, hearing.case)
    if timezone.localtime(hearing.scheduled_at).date() > timezone.localdate():
        raise ValidationError(_("The hearing has not taken place yet: its day has not come."))
    hearing.status = HearingStatus.HELD
    if note.strip():
        hearing.note = note.strip()
    hearing.save()
    deadline_close(clock=Clock.HEARING, obj=hearing)
    deadline_close(clock=Clock.HEARING_SHELTER, obj=hearing)
    _timeline(hearing.case, actor, f"{hearing.get_kind_display()}: {HearingStatus.HELD.label}")
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=hearing,
        changes={"status": hearing.status},
    )
    announce("justice.hearing_held", actor=actor)
    return hearing


@transaction.atomic
def hearing_cancel(*, hearing_id: int, actor: User, note: str) -> Hearing:
    """The hearing will not take place; a note says why.

    Side effects: cancels its clocks, a CaseEvent (justice), an AuditEvent (transition), tells
    the shelter where the person lives.
    """
    hearing = _locked_hearing(hearing_id)
    _move(hearing, HearingStatus.CANCELLED, HEARING_TRANSITIONS, HearingStatus.choices)
    _forbidden_unless(actor, hearing.case)
    if not note.strip():
        raise ValidationError({"note": _("Say why the hearing is cancelled.")})
    hearing.status = HearingStatus.CANCELLED
    hearing.note = note.strip()
    hearing.save()
    deadline_cancel(clock=Clock.HEARING, obj=hearing)
    deadline_cancel(clock=Clock.HEARING_SHELTER, obj=hearing)
    _timeline(hearing.case, actor, f"{hearing.get_kind_display()}: {HearingStatus.CANCELLED.label}")
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=hearing,
        changes={"status": hearing.status, "note": hearing.note},
    )
    announce(
        "justice.hearing_cancelled",
        to={Audience.RESIDENCE: residence_staff(hearing.case)},
        actor=actor,
        link=hearing.get_absolute_url(),
        number=hearing.case.number,
        when=lazy_format_datetime(hearing.scheduled_at),
    )
    return hearing


# --- Compensation claims --------------------------------------------------------------------


def _positive(amount, field: str, errors: dict) -> None:
    if amount is None or amount <= 0:
        errors[field] = _("Give an amount in baht greater than zero.")


@transaction.atomic
def claim_file(
    *,
    case: Case,
    actor: User,
    source: str,
    amount_claimed: Decimal,
    claimed_on: dt.date,
    prosecution: Prosecution | None = None,
    note: str = "",
) -> CompensationClaim:
    """Record a claim for compensation: from the offender, through the court in a proceeding of
    this case (the prosecutor claims it for the person, s.35), or from the Anti-Trafficking in
    Persons Fund.

    Side effects: a CaseEvent (justice), an AuditEvent (create); tells nobody.
    """
    _forbidden_unless(actor, case)
    errors = {}
    _positive(amount_claimed, "amount_claimed", errors)
    _not_future(claimed_on, "claimed_on", errors)
    if source == "offender" and prosecution is None:
        errors["prosecution"] = _(
            "A claim against the offender is made in a criminal proceeding: choose it."
        )
    if prosecution is not None and prosecution.case_id != case.pk:
        errors["prosecution"] = _("Choose a criminal proceeding of this case.")
    if errors:
        raise ValidationError(errors)
    claim = CompensationClaim(
        case=case,
        prosecution=prosecution if source == "offender" else None,
        source=source,
        amount_claimed=amount_claimed,
        claimed_on=claimed_on,
        note=note.strip(),
        created_by=actor,
    )
    claim.full_clean(exclude=["case", "created_by", "prosecution"])
    claim.save()
    _timeline(
        case,
        actor,
        _("Compensation claimed: %(amount)s baht, %(source)s")
        % {"amount": f"{amount_claimed:,.2f}", "source": claim.get_source_display()},
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=claim,
        changes=_plain({"source": source, "amount_claimed": amount_claimed}),
    )
    announce("justice.claim_filed", actor=actor)
    return claim


def _locked_claim(claim_id: int) -> CompensationClaim:
    return CompensationClaim.objects.select_for_update().select_related("case").get(pk=claim_id)


def _claim_moved(claim, actor, target, summary, changes):
    claim.status = target
    claim.save()
    _timeline(claim.case, actor, f"{ClaimStatus(target).label}: {summary}".rstrip(": "))
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=claim,
        changes=_plain({"status": target, **changes}),
    )


@transaction.atomic
def claim_award(
    *, claim_id: int, actor: User, amount_awarded: Decimal, decided_on: dt.date
) -> CompensationClaim:
    """The court or the Fund awarded compensation (at most the amount claimed).

    Side effects: a CaseEvent (justice), an AuditEvent (transition); tells nobody.
    """
    claim = _locked_claim(claim_id)
    _move(claim, ClaimStatus.AWARDED, CLAIM_TRANSITIONS, ClaimStatus.choices)
    _forbidden_unless(actor, claim.case)
    errors = {}
    _positive(amount_awarded, "amount_awarded", errors)
    if amount_awarded is not None and amount_awarded > claim.amount_claimed:
        errors["amount_awarded"] = _("The award cannot be more than the amount claimed.")
    _not_future(decided_on, "decided_on", errors)
    if decided_on < claim.claimed_on:
        errors["decided_on"] = _("The decision comes after the claim.")
    if errors:
        raise ValidationError(errors)
    claim.amount_awarded, claim.decided_on = amount_awarded, decided_on
    _claim_moved(
        claim,
        actor,
        ClaimStatus.AWARDED,
        f"{amount_awarded:,.2f}",
        {"amount_awarded": amount_awarded, "decided_on": decided_on},
    )
    announce("justice.claim_awarded", actor=actor)
    return claim


@transaction.atomic
def claim_reject(
    *, claim_id: int, actor: User, decided_on: dt.date, reason: str
) -> CompensationClaim:
    """The court or the Fund refused the claim; the reason is recorded.

    Side effects: a CaseEvent (justice), an AuditEvent (transition); tells nobody.
    """
    claim = _locked_claim(claim_id)
    _move(claim, ClaimStatus.REJECTED, CLAIM_TRANSITIONS, ClaimStatus.choices)
    _forbidden_unless(actor, claim.case)
    errors = {}
    _required({"reason": reason}, errors)
    _not_future(decided_on, "decided_on", errors)
    if decided_on < claim.claimed_on:
        errors["decided_on"] = _("The decision comes after the claim.")
    if errors:
        raise ValidationError(errors)
    claim.decided_on, claim.note = decided_on, reason.strip()
    _claim_moved(claim, actor, ClaimStatus.REJECTED, claim.note, {"decided_on": decided_on})
    announce("justice.claim_rejected", actor=actor)
    return claim


@transaction.atomic
def claim_withdraw(*, claim_id: int, actor: User, reason: str) -> CompensationClaim:
    """The claim is withdrawn before a decision (the person's wish, a settlement).

    Side effects: a CaseEvent (justice), an AuditEvent (transition); tells nobody.
    """
    claim = _locked_claim(claim_id)
    _move(claim, ClaimStatus.WITHDRAWN, CLAIM_TRANSITIONS, ClaimStatus.choices)
    _forbidden_unless(actor, claim.case)
    if not reason.strip():
        raise ValidationError({"reason": _("This field is required.")})
    claim.note = reason.strip()
    _claim_moved(claim, actor, ClaimStatus.WITHDRAWN, claim.note, {})
    announce("justice.claim_withdrawn", actor=actor)
    return claim


@transaction.atomic
def claim_receive(
    *, claim_id: int, actor: User, amount_received: Decimal, received_on: dt.date
) -> CompensationClaim:
    """The person actually received money of the award (at most the amount awarded).

    Side effects: a CaseEvent (justice), an AuditEvent (transition); tells nobody.
    """
    claim = _locked_claim(claim_id)
    _move(claim, ClaimStatus.RECEIVED, CLAIM_TRANSITIONS, ClaimStatus.choices)
    _forbidden_unless(actor, claim.case)
    errors = {}
    _positive(amount_received, "amount_received", errors)
    if amount_received is not None and amount_received > claim.amount_awarded:
        errors["amount_received"] = _("The amount received cannot be more than the award.")
    _not_future(received_on, "received_on", errors)
    if received_on < claim.decided_on:
        errors["received_on"] = _("The payment comes after the decision.")
    if errors:
        raise ValidationError(errors)
    claim.amount_received, claim.received_on = amount_received, received_on
    _claim_moved(
        claim,
        actor,
        ClaimStatus.RECEIVED,
        f"{amount_received:,.2f}",
        {"amount_received": amount_received, "received_on": received_on},
    )
    announce("justice.claim_received", actor=actor)
    return claim


@transaction.atomic
def claim_mark_unpaid(*, claim_id: int, actor: User, reason: str) -> CompensationClaim:
    """The award will not be paid (the offender has no assets, enforcement failed).

    Side effects: a CaseEvent (justice), an AuditEvent (transition); tells nobody.
    """
    claim = _locked_claim(claim_id)
    _move(claim, ClaimStatus.UNPAID, CLAIM_TRANSITIONS, ClaimStatus.choices)
    _forbidden_unless(actor, claim.case)
    if not reason.strip():
        raise ValidationError({"reason": _("This field is required.")})
    claim.note = reason.strip()
    _claim_moved(claim, actor, ClaimStatus.UNPAID, claim.note, {})
    announce("justice.claim_unpaid", actor=actor)
    return claim
