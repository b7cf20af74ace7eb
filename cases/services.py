"""Every write to persons, cases and screenings. The web pages, the API, the admin and the
mass intake all come through here, so each rule is enforced once."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Organisation, Province, Role, User
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import TransitionNotAllowed, ensure, ensure_transition
from sla.models import Clock, Deadline
from sla.services import (
    deadline_close,
    deadline_move,
    deadline_open,
    deadline_reassign,
    due_at_for,
)

from .extensions import linked_rows, running_work
from .models import (
    AccessGrant,
    Case,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseNumberCounter,
    Consent,
    IdentityDocument,
    Indicator,
    Interview,
    Operation,
    Outcome,
    Permit,
    Person,
    Screening,
    ScreeningMember,
)
from .names import name_key
from .permissions import can_close, can_grant, can_register, can_second_review, can_work_on
from .workflow import (
    ACTIVE_SCREENING_STATES,
    CASE_TRANSITIONS,
    OPEN_SCREENING_STATES,
    SCREENING_TRANSITIONS,
    WORKING_SCREENING_STATES,
    CaseStatus,
    ScreeningStatus,
)

# Act s.29: custody for identification may be extended by the court by up to 7 days.
MAX_COURT_EXTENSION = dt.timedelta(days=7)
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_CONTENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    number: str
    issuing_country: str = ""
    expires_on: dt.date | None = None


def case_event_add(*, case: Case, kind: str, actor: User | None, summary: str = "") -> CaseEvent:
    """One line on the case's timeline. Every app that acts on a case writes its timeline
    through this (a referral's move, an admission, a follow-up visit)."""
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, summary=summary[:300])


# --- Persons and cases -----------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor: User,
    sex: str,
    name_th: str = "",
    name_latin: str = "",
    name_native: str = "",
    aliases: Sequence[str] = (),
    date_of_birth: dt.date | None = None,
    estimated_age: int | None = None,
    age_disputed: bool = False,
    nationality: str = "",
    stateless: bool = False,
    languages: Sequence[str] = (),
    documents: Iterable[DocumentInput] = (),
) -> Person:
    """Register a person with their identity documents.

    Side effects: an AuditEvent. Raises ValidationError (nothing saved) for a bad field, an
    invalid Thai ID or a document already on another person's record.
    """
    ensure(can_register(actor), _("Only provincial social workers register persons."))
    person = Person(
        name_th=name_th.strip(),
        name_latin=name_latin.strip(),
        name_native=name_native.strip(),
        aliases=[alias.strip() for alias in aliases if alias.strip()],
        sex=sex,
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        age_estimated_on=timezone.localdate() if estimated_age is not None else None,
        age_disputed=age_disputed,
        nationality="" if stateless else nationality,
        stateless=stateless,
        languages=list(languages),
        created_by_organisation=actor.membership.organisation,
    )
    person.name_key = name_key(
        person.name_th, person.name_latin, person.name_native, *person.aliases
    )
    # The related rows are given as instances and the constraints are checked in clean(), with
    # the database as the backstop: skipping their re-checks saves queries on a mass intake.
    person.full_clean(exclude=["created_by_organisation"], validate_constraints=False)
    person.save()
    for document in documents:
        identity_document_add(person=person, document=document)
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=person)
    return person


def identity_document_add(*, person: Person, document: DocumentInput) -> IdentityDocument:
    """Add an identity document; its errors are reported on `document_number`, the name the
    registration form and the API give it."""
    record = IdentityDocument(
        person=person,
        kind=document.kind,
        number=document.number,
        issuing_country=document.issuing_country,
        expires_on=document.expires_on,
    )
    try:
        record.clean()
        if IdentityDocument.objects.filter(
            kind=record.kind, issuing_country=record.issuing_country, number=record.number
        ).exists():
            raise ValidationError(
                _("This document is already on another person's record: link to that person.")
            )
        record.full_clean(exclude=["person"], validate_constraints=False)
        try:
            with transaction.atomic():  # another registration may take it this very moment
                record.save()
        except IntegrityError:
            raise ValidationError(
                _("This document is already on another person's record: link to that person.")
            ) from None
    except ValidationError as error:
        raise ValidationError({"document_number": error.messages}) from error
    return record


def _next_case_number(*, province_code: str, on: dt.date) -> str:
    """NRM-<Buddhist-era year>-<province code>-<sequence>, the sequence counted per year and
    province. The UPDATE takes the counter row's lock until the transaction ends, so two
    registrations at the same moment get different numbers; a rolled-back one may leave a gap,
    which is allowed."""
    year_be = on.year + 543
    counter, _created = CaseNumberCounter.objects.get_or_create(
        year_be=year_be, province_code=province_code
    )
    CaseNumberCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    value = CaseNumberCounter.objects.values_list("last_value", flat=True).get(pk=counter.pk)
    return f"NRM-{year_be}-{province_code}-{value:06d}"


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
    owner = actor.membership.organisation
    case = Case(
        person=person,
        owner=owner,
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
    case.number = _next_case_number(province_code=owner.province.code, on=timezone.localdate())
    case.save()
    case_event_add(case=case, kind=CaseEvent.Kind.OPENED, actor=actor, summary=case.number)
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=case)
    return case


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
    if (
        case.screenings.filter(status__in=OPEN_SCREENING_STATES).exists()
        or running_work(case)
        or case_running_deadlines(case).exists()
    ):
        raise ValidationError(
            _(
                "The case still has a screening, a referral, a shelter stay or a deadline "
                "running; finish it first."
            )
        )
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
        action=AuditEvent.Action.TRANSITION, actor=actor, obj=case, changes={"status": "reopened"}
    )
    return case


@transaction.atomic
def case_note_add(*, case: Case, actor: User, text: str) -> CaseNote:
    ensure(can_work_on(actor, case), _("Only the owning office writes notes on this case."))
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    note = CaseNote.objects.create(case=case, author=actor, text=text.strip())
    case_event_add(case=case, kind=CaseEvent.Kind.NOTE, actor=actor, summary=text.strip()[:120])
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=note)
    return note


@transaction.atomic
def case_document_add(
    *, case: Case, actor: User, uploaded_file, description: str = ""
) -> CaseDocument:
    """Store an uploaded file on a case, refusing files too large or of the wrong type."""
    ensure(can_work_on(actor, case), _("Only the owning office adds documents to this case."))
    if uploaded_file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB.") % {"mb": DOCUMENT_MAX_BYTES >> 20}}
        )
    if uploaded_file.content_type not in DOCUMENT_CONTENT_TYPES:
        raise ValidationError(
            {"file": _("Only PDF, JPEG, PNG, text, Word and Excel files can be added.")}
        )
    document = CaseDocument(
        case=case,
        file=uploaded_file,
        original_name=uploaded_file.name[:255],
        content_type=uploaded_file.content_type,
        size=uploaded_file.size,
        description=description.strip(),
        uploaded_by=actor,
    )
    document.full_clean()
    document.save()
    case_event_add(
        case=case, kind=CaseEvent.Kind.DOCUMENT, actor=actor, summary=document.original_name
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=document)
    return document


@transaction.atomic
def consent_record(
    *,
    case: Case,
    actor: User,
    step: str,
    decision: str,
    rights_notified: bool = False,
    reason: str = "",
    language: str = "",
) -> Consent:
    """Record that the person was told their rights (s.33) and consented, refused, or need
    not consent (a child, say: then the reason is required)."""
    ensure(can_work_on(actor, case), _("Only the owning office records consent on this case."))
    consent = Consent(
        case=case,
        step=step,
        decision=decision,
        rights_notified=rights_notified,
        reason=reason.strip(),
        language=language,
        recorded_by=actor,
    )
    if decision == Consent.Decision.NOT_REQUIRED and not consent.reason:
        raise ValidationError({"reason": _("Say why no consent is needed.")})
    consent.full_clean()
    consent.save()
    case_event_add(
        case=case,
        kind=CaseEvent.Kind.CONSENT,
        actor=actor,
        summary=f"{consent.get_step_display()}: {consent.get_decision_display()}",
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=consent)
    return consent


# --- Screening -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    name: str
    agency: str
    position: str = ""


@transaction.atomic
def screening_start(
    *,
    case_id: int,
    actor: User,
    custody_started_at: dt.datetime,
    members: Iterable[MemberInput] = (),
    interpreter_name: str = "",
    interpreter_language: str = "",
) -> Screening:
    """Start identification. The s.29 clock runs from the start of custody or screening,
    not from when the record is typed, so a late entry may already be close to its limit.

    Side effects: opens the identification Deadline, a CaseEvent and an AuditEvent.
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    ensure(can_work_on(actor, case), _("Only the owning office screens this case."))
    if not case.is_open:
        raise ValidationError(_("The case is closed; reopen it before screening."))
    if custody_started_at > timezone.now():
        raise ValidationError({"custody_started_at": _("This date is in the future.")})
    if case.screenings.filter(status__in=OPEN_SCREENING_STATES).exists():
        raise ValidationError(_("This case already has a screening under way."))
    screening = Screening(
        case=case,
        custody_started_at=custody_started_at,
        deadline_at=due_at_for(clock=Clock.IDENTIFICATION, start=custody_started_at),
        interpreter_name=interpreter_name.strip(),
        interpreter_language=interpreter_language,
    )
    screening.full_clean()
    screening.save()
    for member in members:
        screening_member_add(screening=screening, actor=actor, member=member)
    deadline_open(
        clock=Clock.IDENTIFICATION,
        obj=screening,
        organisation=case.owner,
        start=custody_started_at,
        due_at=screening.deadline_at,
    )
    case_event_add(case=case, kind=CaseEvent.Kind.SCREENING_STARTED, actor=actor)
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=screening)
    return screening


def _lock_screening(screening_id: int) -> Screening:
    return Screening.objects.select_for_update().select_related("case").get(pk=screening_id)


def _ensure_active(screening: Screening) -> None:
    if screening.status not in WORKING_SCREENING_STATES:
        raise TransitionNotAllowed(
            _("The screening is %(status)s; it can no longer be changed.")
            % {"status": screening.get_status_display()}
        )


def screening_member_add(*, screening: Screening, actor: User, member: MemberInput):
    ensure(can_work_on(actor, screening.case), _("Only the owning office screens this case."))
    record = ScreeningMember(
        screening=screening,
        name=member.name.strip(),
        agency=member.agency,
        position=member.position.strip(),
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def screening_update(
    *,
    screening_id: int,
    actor: User,
    indicator_codes: Iterable[str] | None = None,
    members: Iterable[MemberInput] = (),
    interpreter_name: str | None = None,
    interpreter_language: str | None = None,
) -> Screening:
    """Record the MDT's checklist, new MDT members and the interpreter while the screening
    is under way. Side effects: an AuditEvent listing what changed."""
    screening = _lock_screening(screening_id)
    ensure(can_work_on(actor, screening.case), _("Only the owning office screens this case."))
    _ensure_active(screening)
    changes = {}
    if indicator_codes is not None:
        codes = set(indicator_codes)
        indicators = list(Indicator.objects.filter(code__in=codes))
        if len(indicators) != len(codes):
            raise ValidationError({"indicators": _("Unknown indicator.")})
        screening.indicators.set(indicators)
        changes["indicators"] = sorted(codes)
    if interpreter_name is not None:
        screening.interpreter_name = interpreter_name.strip()
        changes["interpreter_name"] = screening.interpreter_name
    if interpreter_language is not None:
        screening.interpreter_language = interpreter_language
        changes["interpreter_language"] = interpreter_language
    screening.full_clean()
    screening.save()
    for member in members:
        screening_member_add(screening=screening, actor=actor, member=member)
        changes.setdefault("members_added", []).append(member.name)
    audit_record(action=AuditEvent.Action.UPDATE, actor=actor, obj=screening, changes=changes)
    return screening


@transaction.atomic
def screening_extend(
    *, screening_id: int, actor: User, until: dt.datetime, order_reference: str
) -> Screening:
    """Move the identification deadline by court order, at most 7 days past the first 24 hours.

    Side effects: moves the identification Deadline, a CaseEvent and an AuditEvent.
    """
    screening = _lock_screening(screening_id)
    ensure(can_work_on(actor, screening.case), _("Only the owning office screens this case."))
    if screening.status not in ACTIVE_SCREENING_STATES:
        raise TransitionNotAllowed(_("The identification clock is no longer running."))
    if not order_reference.strip():
        raise ValidationError({"order_reference": _("Give the court order's reference.")})
    first_limit = due_at_for(clock=Clock.IDENTIFICATION, start=screening.custody_started_at)
    if until <= screening.deadline_at:
        raise ValidationError({"until": _("An extension must move the deadline later.")})
    if until > first_limit + MAX_COURT_EXTENSION:
        raise ValidationError(
            {"until": _("A court may extend custody by at most 7 days (Act s.29).")}
        )
    screening.deadline_at = until
    screening.extension_order_reference = order_reference.strip()
    screening.save(update_fields=["deadline_at", "extension_order_reference"])
    deadline_move(clock=Clock.IDENTIFICATION, obj=screening, due_at=until)
    case_event_add(
        case=screening.case,
        kind=CaseEvent.Kind.SCREENING_EXTENDED,
        actor=actor,
        summary=order_reference.strip(),
    )
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=screening,
        changes={"deadline_at": until.isoformat(), "order": order_reference.strip()},
    )
    return screening


@transaction.atomic
def interview_record(
    *,
    screening_id: int,
    actor: User,
    held_at: dt.datetime,
    interviewer: str,
    summary: str,
    interpreter: str = "",
    language: str = "",
    location: str = "",
) -> Interview:
    """Record one interview, so that the person need not tell their story again."""
    screening = _lock_screening(screening_id)
    ensure(can_work_on(actor, screening.case), _("Only the owning office screens this case."))
    interview = Interview(
        screening=screening,
        held_at=held_at,
        interviewer=interviewer.strip(),
        summary=summary.strip(),
        interpreter=interpreter.strip(),
        language=language,
        location=location.strip(),
        recorded_by=actor,
    )
    interview.full_clean()
    interview.save()
    case_event_add(
        case=screening.case,
        kind=CaseEvent.Kind.INTERVIEW,
        actor=actor,
        summary=interview.interviewer,
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=interview)
    return interview


POSITIVE_OUTCOMES = {Outcome.VICTIM_TRAFFICKING, Outcome.VICTIM_FORCED_LABOUR}


@transaction.atomic
def screening_decide(*, screening_id: int, actor: User, outcome: str, reason: str) -> Screening:
    """Record the MDT's identification outcome.

    Requires: at least one MDT member, the s.33 rights notification for screening, reasons,
    and for a victim outcome at least one indicator. A `not_victim` outcome is not final: it
    waits for a central reviewer's second review (four eyes).

    Side effects: closes the identification Deadline; opens the MDT-interview Deadline for
    `reasonable_grounds` or the second-review Deadline (central division) for `not_victim`;
    a CaseEvent and an AuditEvent.
    """
    screening = _lock_screening(screening_id)
    case = screening.case
    target = {
        Outcome.NOT_VICTIM: ScreeningStatus.PENDING_SECOND_REVIEW,
        Outcome.REASONABLE_GROUNDS: ScreeningStatus.AWAITING_MDT,
    }.get(outcome, ScreeningStatus.DECIDED)
    after_mdt_interview = screening.status == ScreeningStatus.AWAITING_MDT
    ensure_transition(
        screening.status, target, SCREENING_TRANSITIONS, dict(ScreeningStatus.choices)
    )
    ensure(can_work_on(actor, case), _("Only the owning office decides this screening."))
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose an outcome.")
    if not reason.strip():
        errors["reason"] = _("Give the reasons for the decision.")
    if not screening.members.exists():
        errors["members"] = _("Record the MDT members who took the decision.")
    if outcome in POSITIVE_OUTCOMES and not screening.indicators.exists():
        errors["indicators"] = _("Mark the indicators that support the decision.")
    if not case.consents.filter(step="screening", rights_notified=True).exists():
        errors["consent"] = _(
            "Record that the person was told their rights (s.33) before the decision."
        )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    screening.status = target
    screening.outcome = outcome
    screening.outcome_reason = reason.strip()
    screening.decided_by = actor
    screening.decided_at = now
    screening.save()
    deadline_close(clock=Clock.IDENTIFICATION, obj=screening, at=now)
    if after_mdt_interview:
        deadline_close(clock=Clock.MDT_INTERVIEW, obj=screening, at=now)
    if outcome == Outcome.REASONABLE_GROUNDS:
        deadline_open(clock=Clock.MDT_INTERVIEW, obj=screening, organisation=case.owner, start=now)
    if outcome == Outcome.NOT_VICTIM:
        deadline_open(
            clock=Clock.SECOND_REVIEW,
            obj=screening,
            organisation=Organisation.objects.get(kind=Organisation.Kind.CENTRAL),
            start=now,
        )
    case_event_add(
        case=case,
        kind=CaseEvent.Kind.SCREENING_DECIDED,
        actor=actor,
        summary=screening.get_outcome_display(),
    )
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=screening,
        changes={"status": target, "outcome": outcome},
    )
    return screening


@transaction.atomic
def screening_second_review(
    *, screening_id: int, actor: User, confirm: bool, note: str
) -> Screening:
    """A central reviewer confirms a not-a-victim decision, or reopens the screening.

    Side effects: closes the second-review Deadline; on reopening, restarts the identification
    clock up to the screening's legal deadline; a CaseEvent and an AuditEvent.
    """
    screening = _lock_screening(screening_id)
    target = ScreeningStatus.CONFIRMED if confirm else ScreeningStatus.REOPENED
    ensure_transition(
        screening.status, target, SCREENING_TRANSITIONS, dict(ScreeningStatus.choices)
    )
    ensure(
        can_second_review(actor, screening),
        _("A central reviewer other than the decision's author gives the second review."),
    )
    if not note.strip():
        raise ValidationError({"note": _("Give the reasons for the second review.")})
    now = timezone.now()
    screening.status = target
    screening.second_reviewer = actor
    screening.second_reviewed_at = now
    screening.second_review_note = note.strip()
    if not confirm:
        screening.outcome = ""
        screening.decided_by = None
        screening.decided_at = None
    screening.save()
    deadline_close(clock=Clock.SECOND_REVIEW, obj=screening, at=now)
    if not confirm:
        deadline_open(
            clock=Clock.IDENTIFICATION,
            obj=screening,
            organisation=screening.case.owner,
            start=now,
            due_at=max(screening.deadline_at, now),
        )
    case_event_add(
        case=screening.case,
        kind=CaseEvent.Kind.SECOND_REVIEW,
        actor=actor,
        summary=screening.get_status_display(),
    )
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=screening,
        changes={"status": target},
    )
    return screening


@transaction.atomic
def operation_create(
    *,
    actor: User,
    name: str,
    province: Province,
    started_on: dt.date,
    lead_agency: str = "",
    description: str = "",
) -> Operation:
    """Record a raid or mass rescue that many cases will link to."""
    ensure(can_register(actor), _("Only provincial social workers record operations."))
    operation = Operation(
        name=name.strip(),
        province=province,
        started_on=started_on,
        lead_agency=lead_agency.strip(),
        description=description.strip(),
        organisation=actor.membership.organisation,
    )
    operation.full_clean()
    operation.save()
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=operation)
    return operation


@transaction.atomic
def permit_record(
    *, case: Case, actor: User, reference: str, issued_on: dt.date, expires_on: dt.date
) -> Permit:
    """Record a stay-and-work permit (Act s.37). Its expiry is a deadline of the owning office,
    with a reminder 30 days before; a renewal replaces the previous permit's clock.

    Side effects: closes the previous permit's clock, opens the new one, a CaseEvent and an
    AuditEvent.
    """
    ensure(can_work_on(actor, case), _("Only the owning office records permits."))
    if expires_on <= issued_on:
        raise ValidationError({"expires_on": _("A permit expires after it is issued.")})
    for previous in case.permits.all():
        deadline_close(clock=Clock.PERMIT_EXPIRY, obj=previous)
    permit = Permit(
        case=case,
        reference=reference.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    permit.full_clean(exclude=["case", "recorded_by"])
    permit.save()
    end_of_validity = timezone.make_aware(dt.datetime.combine(expires_on, dt.time(23, 59)))
    deadline_open(
        clock=Clock.PERMIT_EXPIRY,
        obj=permit,
        organisation=case.owner,
        start=timezone.now(),
        due_at=end_of_validity,
    )
    case_event_add(
        case=case,
        kind=CaseEvent.Kind.PERMIT,
        actor=actor,
        summary=f"{permit.reference} → {expires_on}",
    )
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=permit)
    return permit


# A grant is for one task (an MDT interview, a court hearing): never open-ended.
MAX_GRANT = dt.timedelta(days=90)


@transaction.atomic
def access_grant_give(
    *, case: Case, actor: User, user: User, purpose: str, expires_at: dt.datetime
) -> AccessGrant:
    """Give a named person read access to one case until `expires_at` (at most 90 days).

    Side effects: a django-guardian object permission (view_case) for that user on that case,
    an AuditEvent.
    """
    ensure(can_grant(actor, case), _("Only a supervisor of the owning office gives access."))
    errors = {}
    if not purpose.strip():
        errors["purpose"] = _("Say why this person needs the case.")
    now = timezone.now()
    if not now < expires_at <= now + MAX_GRANT:
        errors["expires_at"] = _("Access ends in the future, within 90 days.")
    if not user.is_active or (user.membership and user.membership.role == Role.SYSADMIN):
        errors["user"] = _("This account cannot be given access to a case.")
    if errors:
        raise ValidationError(errors)
    grant = AccessGrant.objects.create(
        case=case, user=user, purpose=purpose.strip(), granted_by=actor, expires_at=expires_at
    )
    assign_perm("cases.view_case", user, case)
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=grant,
        changes={"user": user.username, "case": case.number, "expires_at": expires_at.isoformat()},
    )
    return grant


def _revoke(grant: AccessGrant, actor: User | None, at: dt.datetime) -> None:
    grant.revoked_at = at
    grant.save(update_fields=["revoked_at"])
    still_granted = AccessGrant.objects.filter(
        case_id=grant.case_id, user_id=grant.user_id, revoked_at__isnull=True, expires_at__gt=at
    ).exists()
    if not still_granted:
        remove_perm("cases.view_case", grant.user, grant.case)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        username="" if actor else "system",
        obj=grant,
        changes={"revoked": True, "expired": actor is None},
    )


@transaction.atomic
def access_grant_revoke(*, grant_id: int, actor: User) -> AccessGrant:
    """End a grant now. Side effects: removes the object permission, an AuditEvent."""
    grant = AccessGrant.objects.select_for_update().select_related("case", "user").get(pk=grant_id)
    ensure(can_grant(actor, grant.case), _("Only a supervisor of the owning office revokes."))
    if grant.revoked_at is None:
        _revoke(grant, actor, timezone.now())
    return grant


@transaction.atomic
def access_grants_expire(*, now: dt.datetime | None = None) -> int:
    """Revoke every grant past its expiry (the periodic task); returns how many."""
    now = now or timezone.now()
    expired = list(
        AccessGrant.objects.select_for_update(skip_locked=True)
        .filter(revoked_at__isnull=True, expires_at__lte=now)
        .select_related("case", "user")
    )
    for grant in expired:
        _revoke(grant, None, now)
    return len(expired)
