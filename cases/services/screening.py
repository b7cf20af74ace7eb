"""Victim identification (Act s.29): start, the MDT's work, extension, decision and second
review."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from core.domain import TransitionNotAllowed, ensure, ensure_transition
from notifications.matrix import Audience, announce
from sla.models import Clock
from sla.services import deadline_close, deadline_move, deadline_open, due_at_for

from ..models import (
    Case,
    CaseEvent,
    Consent,
    ConsentStep,
    Indicator,
    Interview,
    InterviewTopic,
    Outcome,
    Screening,
    ScreeningMember,
)
from ..permissions import can_grant, can_second_review, can_work_on
from ..selectors import case_team, consent_latest, mdt_account_memberships
from ..workflow import (
    ACTIVE_SCREENING_STATES,
    OPEN_SCREENING_STATES,
    SCREENING_TRANSITIONS,
    WORKING_SCREENING_STATES,
    ScreeningStatus,
)
from .cases import case_event_add

# Act s.29: custody for identification may be extended by the court by up to 7 days.
MAX_COURT_EXTENSION = dt.timedelta(days=7)


@dataclass(frozen=True)
class MemberInput:
    agency: str
    name: str = ""  # the account's name when blank
    position: str = ""
    account: User | None = None  # the member's own account, where they have one


# The one refusal of an account, also for one that does not exist (the API's).
MEMBER_ACCOUNT_REFUSED = gettext_lazy(
    "This account cannot be linked: choose an active account of a partner agency of the "
    "member's agency, or of this office for social development."
)

# The partner agency type each MDT agency's account must come from. A social development
# member's account is one of the case's own office; for the agencies without a partner type
# of their own (fisheries, justice, other) any partner agency fits.
_PARTNER_AGENCY = {
    ScreeningMember.Agency.POLICE: Organisation.Agency.POLICE,
    ScreeningMember.Agency.LABOUR: Organisation.Agency.LABOUR,
    ScreeningMember.Agency.LABOUR_PROTECTION: Organisation.Agency.LABOUR,
    ScreeningMember.Agency.IMMIGRATION: Organisation.Agency.IMMIGRATION,
    ScreeningMember.Agency.HEALTH: Organisation.Agency.HEALTH,
    ScreeningMember.Agency.NGO: Organisation.Agency.NGO,
}


def member_account_organisation(
    *, case: Case, actor: User, agency: str, account: User
) -> Organisation:
    """The organisation through which `account` may sit on the case's MDT as a member of
    `agency`, as `actor` may link it (selectors.mdt_account_memberships): an active partner
    agency of that type (a partner officer), or the case's own office for its social
    development member. Raises ValidationError otherwise, with one message for an inactive,
    unknown or unsuitable account (it tells nobody which)."""
    working = mdt_account_memberships(case=case, all_partners=can_grant(actor, case)).filter(
        user=account
    )
    if agency == ScreeningMember.Agency.MSDHS:
        working = working.filter(organisation=case.owner)
    else:
        working = working.filter(organisation__kind=Organisation.Kind.PARTNER)
        if agency in _PARTNER_AGENCY:
            working = working.filter(organisation__agency=_PARTNER_AGENCY[agency])
    membership = working.first() if account.is_active else None
    if membership is None:
        raise ValidationError({"account": str(MEMBER_ACCOUNT_REFUSED)})
    return membership.organisation


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
    screening = new_screening(
        case=case,
        custody_started_at=custody_started_at,
        deadline_at=due_at_for(clock=Clock.IDENTIFICATION, start=custody_started_at),
        interpreter_name=interpreter_name,
        interpreter_language=interpreter_language,
    )
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
    announce("screening.started", actor=actor)
    return screening


def new_screening(
    *,
    case: Case,
    custody_started_at: dt.datetime,
    deadline_at: dt.datetime,
    interpreter_name: str = "",
    interpreter_language: str = "",
) -> Screening:
    """The Screening screening_start saves, due at `deadline_at` (due_at_for the
    identification clock), checked, not saved yet (also for a mass intake, which saves many at
    once; the caller has made sure the case has no screening under way). Raises
    ValidationError for a bad field."""
    screening = Screening(
        case=case,
        custody_started_at=custody_started_at,
        deadline_at=deadline_at,
        interpreter_name=interpreter_name.strip(),
        interpreter_language=interpreter_language,
    )
    # The caller holds the case: its existence and its open screenings are checked already.
    screening.full_clean(exclude=["case"], validate_constraints=False)
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
    """Add one MDT member, linked to their own account where one is given (it must fit:
    member_account_organisation; once per screening), named after it when no name is typed.
    The caller holds the screening's lock and records the audit event."""
    ensure(can_work_on(actor, screening.case), _("Only the owning office screens this case."))
    record = ScreeningMember(
        screening=screening,
        name=member.name.strip(),
        agency=member.agency,
        position=member.position.strip(),
    )
    if member.account is not None:
        record.organisation = member_account_organisation(
            case=screening.case, actor=actor, agency=member.agency, account=member.account
        )
        record.account = member.account
        record.name = record.name or member.account.display_name
        if screening.members.filter(account=member.account).exists():
            raise ValidationError(
                {"account": _("This account is already a member of this screening's MDT.")}
            )
    elif not record.name:
        raise ValidationError({"name": _("Give the member's name or choose their account.")})
    record.full_clean(exclude=["screening", "account", "organisation"])
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
        added = screening_member_add(screening=screening, actor=actor, member=member)
        changes.setdefault("members_added", []).append(added.name)
        if added.account_id:
            changes.setdefault("member_accounts", []).append(
                {"account": added.account_id, "organisation": added.organisation_id}
            )
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
    screening.save(update_fields=["deadline_at", "extension_order_reference", "updated_at"])
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
    announce("screening.extended", actor=actor)
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
    topics: list[str] | None = None,
    recording_reference: str = "",
) -> Interview:
    """Record one interview, so that the person need not tell their story again: who asked,
    the interpreter and language, the topics covered, and the recording's reference, kept
    only when the person's latest will on being interviewed is a consent.

    Side effects: an Interview row, the case's timeline (CaseEvent), an AuditEvent."""
    screening = _lock_screening(screening_id)
    ensure(can_work_on(actor, screening.case), _("Only the owning office screens this case."))
    topics = sorted(set(topics or []))
    if set(topics) - set(InterviewTopic.values):
        raise ValidationError({"topics": _("Unknown topic.")})
    if recording_reference.strip():
        consent = consent_latest(screening.case, ConsentStep.INTERVIEW)
        if consent is None or consent.decision != Consent.Decision.GIVEN:
            raise ValidationError(
                {
                    "recording_reference": _(
                        "Record the person's consent to the interview before you keep a "
                        "reference to its recording."
                    )
                }
            )
    if held_at > timezone.now():
        raise ValidationError({"held_at": _("This date is in the future.")})
    if held_at < screening.custody_started_at:
        raise ValidationError(
            {"held_at": _("The interview cannot be before the person was taken into custody.")}
        )
    interview = Interview(
        screening=screening,
        held_at=held_at,
        interviewer=interviewer.strip(),
        summary=summary.strip(),
        interpreter=interpreter.strip(),
        language=language,
        location=location.strip(),
        topics=topics,
        recording_reference=recording_reference.strip(),
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


def decision_missing(screening: Screening, *, outcome: str | None = None) -> dict[str, str]:
    """What the screening still lacks before the MDT may decide (all of it at once, so the page
    shows one checklist before anyone tries): the members, the s.33 rights notice, and for a
    victim outcome (or any, when `outcome` is None) the indicators."""
    missing = {}
    if not screening.members.exists():
        missing["members"] = _("Record the MDT members who took the decision.")
    if not screening.case.consents.filter(
        step=ConsentStep.SCREENING, rights_notified=True
    ).exists():
        missing["consent"] = _(
            "Record that the person was told their rights (s.33) before the decision."
        )
    if (outcome is None or outcome in POSITIVE_OUTCOMES) and not screening.indicators.exists():
        missing["indicators"] = _("Mark the indicators that support the decision.")
    return missing


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
    errors.update(decision_missing(screening, outcome=outcome))
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
    if outcome == Outcome.NOT_VICTIM:
        announce(
            "screening.awaiting_second_review",
            to={Audience.CENTRAL: central_reviewers()},
            actor=actor,
            link=screening.get_absolute_url(),
            subject=screening,
            number=case.number,
        )
    else:
        announce("screening.decided", actor=actor, subject=screening)
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
    announce(
        "screening.confirmed" if confirm else "screening.reopened",
        to={Audience.CASE_TEAM: case_team(screening.case)},
        actor=actor,
        link=screening.get_absolute_url(),
        number=screening.case.number,
    )
    return screening
