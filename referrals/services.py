"""Every write to referrals: one service per move. Each locks the referral's row, checks the
move against the transition table and the actor's authority, saves, writes a ReferralEvent, a
CaseEvent and an AuditEvent, opens or closes its deadlines, and notifies, all in one
transaction: two people acting at once get one success and one TransitionNotAllowed."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role, User
from accounts.selectors import central_reviewers, member_users
from audit.models import AuditEvent
from audit.services import audit_record
from cases.extensions import living_elsewhere, visibility
from cases.models import Case, CaseEvent, Consent, ConsentStep
from cases.selectors import consent_latest
from cases.services import case_event_add, case_transfer_ownership, referral_consent_given_now
from core.dates import format_date
from core.domain import TransitionNotAllowed, ensure, ensure_transition
from notifications.matrix import Audience, announce
from sla.models import Clock
from sla.services import deadline_cancel, deadline_close, deadline_open

from .models import (
    TARGET_KINDS,
    ConsentBasis,
    DeclineReason,
    Kind,
    Referral,
    ReferralEvent,
    ServiceType,
    Urgency,
)
from .permissions import can_receive, can_review, can_send
from .workflow import OPEN_STATES, REVIEW_TRANSITIONS, TRANSITIONS, ReviewState, State

STATE_LABELS = dict(State.choices)
REVIEW_LABELS = dict(ReviewState.choices)


def _lock(referral_id: int) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__person", "to_organisation", "from_organisation")
        .get(pk=referral_id)
    )


def _record(referral, actor, field, old, new, note="", details=None):
    """The move's ReferralEvent, CaseEvent and AuditEvent; `details` (what else the move
    decided, such as a reason for declining) go into the audit event."""
    ReferralEvent.objects.create(
        referral=referral, actor=actor, field=field, from_state=old, to_state=new, note=note
    )
    labels = REVIEW_LABELS if field == "review_state" else STATE_LABELS
    case_event_add(
        case=referral.case,
        kind=CaseEvent.Kind.REFERRAL,
        actor=actor,
        summary=f"{referral.to_organisation.name_th}: {labels.get(new, new)}",
    )
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=referral,
        changes={field: [old, new], **({"note": note} if note else {}), **(details or {})},
    )


def _move(referral, actor, target, note="", details=None, **fields):
    ensure_transition(referral.state, target, TRANSITIONS, STATE_LABELS)
    old = referral.state
    referral.state = target
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save()
    _record(referral, actor, "state", old, target, note, details)


def _sender_people(referral):
    people = [referral.created_by]
    if referral.case.lead_worker_id:
        people.append(referral.case.lead_worker)
    return people


def _receivers(referral):
    roles = {
        Organisation.Kind.SHELTER: [Role.SHELTER_DIRECTOR],
        Organisation.Kind.PROVINCIAL_OFFICE: [Role.SUPERVISOR, Role.SOCIAL_WORKER],
    }.get(referral.to_organisation.kind, [])
    return member_users(organisation=referral.to_organisation, roles=roles)


def _announce(event: str, referral: Referral, actor: User, reason: str = "", **to) -> None:
    """Tell the audiences of `event` (notifications.matrix) about this referral: `to` maps
    an audience's name (sender, receiver, central, central_head) to its people; `reason` is
    the words of a decline's reason."""
    announce(
        event,
        to={Audience(name): people for name, people in to.items()},
        actor=actor,
        link=referral.get_absolute_url(),
        subject=referral,
        number=referral.case.number,
        **({"reason": reason} if reason else {}),
    )


def is_urgent(case: Case, services: Sequence[str], asked: bool) -> bool:
    """Urgent: the sender says so, the person is a child, or needs medical care now."""
    return asked or case.person.is_child or ServiceType.MEDICAL in services


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case_id: int,
    to_organisation: Organisation,
    kind: str,
    reason: str,
    consent: str,
    consent_note: str = "",
    consent_now: bool = False,
    services_requested: Sequence[str] = (),
    urgent: bool = False,
    submit: bool = False,
    redirected_from: Referral | None = None,
    from_organisation: Organisation | None = None,
    idempotency_key: str = "",
) -> Referral:
    """Draft a referral of a case (and submit it at once when `submit`). It is sent by the
    office that owns the case, or by a shelter for its own resident (`from_organisation`).

    The person's recorded will governs the consent basis (Act s.33): "given" needs the latest
    referral consent on record to be a "given", or `consent_now` (the sender told the person
    their rights and they consent now: recorded with the referral); a refusal on record
    stands unless the person now consents or a lawful exemption is given with its reason.

    The same request twice makes one referral: with an `idempotency_key` the sender used
    before, the referral it made is returned as it is (its `replayed` set); a second open
    referral of the case to the same organisation is refused (a database rule, so concurrent
    requests cannot pass it either).

    Raises ValidationError when the receiver does not fit the kind of referral, the case is
    closed, the case already has an open referral to the receiver, or consent is neither given
    nor excused with a reason.
    """
    key = idempotency_key.strip()[:64]
    if key:
        earlier = Referral.objects.filter(created_by=actor, idempotency_key=key).first()
        if earlier is not None:
            earlier.replayed = True
            return earlier
    case = Case.objects.select_related("person", "owner").get(pk=case_id)
    sender = from_organisation or case.owner
    # A shelter's staff see exactly its present residents (registered by shelters in
    # cases.extensions): the one sender besides the owning office.
    if (
        sender.pk != case.owner_id
        and not Case.objects.filter(visibility(Role.SHELTER_STAFF, sender.pk), pk=case.pk).exists()
    ):
        raise ValidationError(
            {"from_organisation": _("Only the owning office or the person's shelter refers.")}
        )
    referral = Referral(
        case=case,
        from_organisation=sender,
        to_organisation=to_organisation,
        kind=kind,
        reason=reason.strip(),
        consent=consent,
        # A note explains an exemption; with the person's consent there is none to explain.
        consent_note="" if consent == ConsentBasis.GIVEN else consent_note.strip(),
        services_requested=list(dict.fromkeys(services_requested)),
        urgency=Urgency.URGENT if is_urgent(case, services_requested, urgent) else Urgency.NORMAL,
        created_by=actor,
        redirected_from=redirected_from,
        idempotency_key=key,
    )
    if redirected_from is None:
        ensure(can_send(actor, referral), _("Only the office that owns the case refers it."))
    errors = {}
    if not case.is_open:
        errors["case"] = _("The case is closed.")
    if to_organisation.kind not in TARGET_KINDS.get(kind, ()):
        errors["to_organisation"] = _("This organisation cannot receive this kind of referral.")
    if to_organisation.pk == sender.pk:
        errors["to_organisation"] = _("A person cannot be referred to where they already are.")
    if not referral.reason:
        errors["reason"] = _("Say why the person is referred.")
    if consent == ConsentBasis.NOT_REQUIRED and not referral.consent_note:
        errors["consent_note"] = _("Say why no consent is needed (for example: a child).")
    if consent == ConsentBasis.GIVEN:
        error = _consent_error(consent_latest(case, ConsentStep.REFERRAL), consent_now)
        if error:
            errors["consent"] = error
    unknown = [s for s in referral.services_requested if s not in ServiceType.values]
    if unknown:
        errors["services_requested"] = _("Unknown service.")
    open_already = _open_referral_to(case, to_organisation)
    if open_already:
        errors["to_organisation"] = open_already
    if errors:
        raise ValidationError(errors)
    referral.full_clean(validate_constraints=False)  # the database checks them, race-free
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        # The same request, or another for the same case and receiver, committed first.
        if key:
            earlier = Referral.objects.filter(created_by=actor, idempotency_key=key).first()
            if earlier is not None:
                earlier.replayed = True
                return earlier
        raise ValidationError(
            {"to_organisation": _open_referral_to(case, to_organisation) or _("Try again.")}
        ) from None
    if consent == ConsentBasis.GIVEN and consent_now:
        referral_consent_given_now(case=case, actor=actor)
    ReferralEvent.objects.create(referral=referral, actor=actor, to_state=State.DRAFT)
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=referral)
    if submit:
        _submit(referral, actor)
    else:
        _announce("referral.drafted", referral, actor)
    return referral


def _open_referral_to(case: Case, organisation: Organisation) -> str:
    """Why the case cannot be referred to `organisation` again now, or ""."""
    open_one = (
        Referral.objects.filter(case=case, to_organisation=organisation, state__in=OPEN_STATES)
        .only("pk", "state")
        .first()
    )
    if open_one is None:
        return ""
    return _(
        "The case already has an open referral to %(organisation)s (%(state)s): answer or "
        "withdraw it first."
    ) % {"organisation": organisation.name, "state": open_one.get_state_display()}


def _consent_error(latest: Consent | None, consent_now: bool) -> str:
    """Why "the person consented" cannot stand, or "" when it can: the latest referral consent
    on record must be a "given", unless the person consents now (recorded with the referral)."""
    if consent_now or (latest is not None and latest.decision == Consent.Decision.GIVEN):
        return ""
    if latest is not None and latest.decision == Consent.Decision.REFUSED:
        return _(
            "The person refused referral (recorded on %(date)s). If they now agree, tell them "
            "their rights (s.33) and tick that they consent now; otherwise give the lawful "
            "reason no consent is needed."
        ) % {"date": format_date(latest.recorded_at)}
    return _(
        "No consent to referral is on record. Tell the person their rights (s.33) and tick "
        "that they consent now, or record their consent on the case first."
    )


def _submit(referral: Referral, actor: User) -> None:
    now = timezone.now()
    urgent = referral.urgency == Urgency.URGENT
    _move(
        referral,
        actor,
        State.SUBMITTED,
        submitted_at=now,
        review_state=ReviewState.PENDING,
    )
    deadline_open(
        clock=Clock.REFERRAL_ACK_URGENT if urgent else Clock.REFERRAL_ACK_NORMAL,
        obj=referral,
        organisation=referral.to_organisation,
        start=now,
    )
    deadline_open(
        clock=Clock.REFERRAL_DECISION_URGENT if urgent else Clock.REFERRAL_DECISION_NORMAL,
        obj=referral,
        organisation=referral.to_organisation,
        start=now,
    )
    deadline_open(
        clock=Clock.CENTRAL_REVIEW,
        obj=referral,
        organisation=Organisation.objects.get(kind=Organisation.Kind.CENTRAL),
        start=now,
    )
    _announce(
        "referral.submitted",
        referral,
        actor,
        receiver=_receivers(referral),
        central=central_reviewers(),
    )


@transaction.atomic
def referral_submit(*, referral_id: int, actor: User) -> Referral:
    """Send a draft. Side effects: opens the acknowledgement, decision and central-review
    deadlines; notifies the receiver and the central reviewers."""
    referral = _lock(referral_id)
    ensure_transition(referral.state, State.SUBMITTED, TRANSITIONS, STATE_LABELS)
    ensure(can_send(actor, referral), _("Only the sending office submits this referral."))
    _submit(referral, actor)
    return referral


def _ack_clock(referral):
    urgent = referral.urgency == Urgency.URGENT
    return Clock.REFERRAL_ACK_URGENT if urgent else Clock.REFERRAL_ACK_NORMAL


def _decision_clock(referral):
    urgent = referral.urgency == Urgency.URGENT
    return Clock.REFERRAL_DECISION_URGENT if urgent else Clock.REFERRAL_DECISION_NORMAL


@transaction.atomic
def referral_acknowledge(*, referral_id: int, actor: User, note: str = "") -> Referral:
    """The receiver has seen the referral. Side effects: closes the acknowledgement deadline;
    notifies the sender."""
    referral = _lock(referral_id)
    ensure_transition(referral.state, State.ACKNOWLEDGED, TRANSITIONS, STATE_LABELS)
    ensure(can_receive(actor, referral), _("Only the receiving organisation answers."))
    _move(referral, actor, State.ACKNOWLEDGED, note.strip())
    deadline_close(clock=_ack_clock(referral), obj=referral)
    _announce("referral.acknowledged", referral, actor, sender=_sender_people(referral))
    return referral


@transaction.atomic
def referral_accept(*, referral_id: int, actor: User, note: str = "") -> Referral:
    """The receiver takes the person. A transfer moves the case to the receiving office.
    Side effects: closes the decision deadline; notifies the sender."""
    referral = _lock(referral_id)
    ensure_transition(referral.state, State.ACCEPTED, TRANSITIONS, STATE_LABELS)
    ensure(can_receive(actor, referral), _("Only the receiving organisation decides."))
    if referral.kind == Kind.SHELTER_PLACEMENT:
        # One bed per person: not while they live in a shelter under another of their cases.
        where = living_elsewhere(referral.case)
        if where:
            raise TransitionNotAllowed(where)
    _move(referral, actor, State.ACCEPTED, note.strip())
    deadline_close(clock=_decision_clock(referral), obj=referral)
    if referral.kind == Kind.TRANSFER:
        receiver = referral.to_organisation
        case_transfer_ownership(
            case_id=referral.case_id,
            to_organisation=receiver,
            lead_worker=actor if actor.membership.organisation_id == receiver.pk else None,
            actor=actor,
        )
    _announce("referral.accepted", referral, actor, sender=_sender_people(referral))
    return referral


def unknown_decline_reason(reason: str) -> str:
    """What the receiver is told when `reason` is none of DeclineReason's codes."""
    return _("“%(reason)s” is not a reason for declining: choose one of %(reasons)s.") % {
        "reason": reason,
        "reasons": ", ".join(DeclineReason.values),
    }


@transaction.atomic
def referral_decline(*, referral_id: int, actor: User, reason: str, note: str = "") -> Referral:
    """The receiver cannot take the person, for one of the DeclineReason reasons (the
    dashboard counts them); the note says more, and is required when the reason is "other".
    The decline lands in the central queue for a redirect. Side effects: closes the decision
    deadline; notifies the sender and the central reviewers, with the reason in words."""
    referral = _lock(referral_id)
    ensure_transition(referral.state, State.DECLINED, TRANSITIONS, STATE_LABELS)
    ensure(can_receive(actor, referral), _("Only the receiving organisation decides."))
    note = note.strip()
    if not reason:
        raise ValidationError({"reason": _("Choose the reason for declining.")})
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": unknown_decline_reason(reason)})
    if reason == DeclineReason.OTHER and not note:
        raise ValidationError({"note": _("Say why you decline: the reason chosen is “Other”.")})
    _move(
        referral,
        actor,
        State.DECLINED,
        note,
        details={"decline_reason": reason},
        decline_reason=reason,
        decline_note=note,
    )
    deadline_close(clock=_decision_clock(referral), obj=referral)
    _announce(
        "referral.declined",
        referral,
        actor,
        sender=_sender_people(referral),
        central=central_reviewers(),
        # The label, not its text in the decider's language: each recipient reads their own.
        reason=DeclineReason(reason).label,
    )
    return referral


@transaction.atomic
def referral_complete(*, referral_id: int, actor: User, note: str = "") -> Referral:
    """The person arrived, or the service was delivered. Notifies the sender."""
    referral = _lock(referral_id)
    ensure_transition(referral.state, State.COMPLETED, TRANSITIONS, STATE_LABELS)
    allowed = can_receive(actor, referral) or (
        referral.kind == Kind.SERVICE and can_send(actor, referral)
    )
    ensure(allowed, _("Only the receiving organisation confirms the person arrived."))
    _move(referral, actor, State.COMPLETED, note.strip())
    _announce("referral.completed", referral, actor, sender=_sender_people(referral))
    return referral


@transaction.atomic
def referral_withdraw(*, referral_id: int, actor: User, reason: str) -> Referral:
    """The sender takes the referral back from any open state. Side effects: cancels every
    running deadline of the referral; notifies the receiver if it had been submitted."""
    referral = _lock(referral_id)
    ensure_transition(referral.state, State.WITHDRAWN, TRANSITIONS, STATE_LABELS)
    ensure(can_send(actor, referral), _("Only the sending office withdraws a referral."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing.")})
    was_submitted = referral.state != State.DRAFT
    _move(referral, actor, State.WITHDRAWN, reason.strip())
    for clock in (_ack_clock(referral), _decision_clock(referral), Clock.CENTRAL_REVIEW):
        deadline_cancel(clock=clock, obj=referral)
    if was_submitted:
        _announce("referral.withdrawn", referral, actor, receiver=_receivers(referral))
    else:
        _announce("referral.withdrawn_draft", referral, actor)
    return referral


REVIEW_DECISIONS = {
    "endorse": ReviewState.ENDORSED,
    "query": ReviewState.QUERIED,
    "escalate": ReviewState.ESCALATED,
}


@transaction.atomic
def referral_review(*, referral_id: int, actor: User, decision: str, note: str = "") -> Referral:
    """The central review beside the receiver's steps: endorse, query the sender (who must
    answer), or escalate. A query or an escalation needs a note. Side effects: an endorsement
    closes the central-review deadline; a query notifies the sender."""
    referral = _lock(referral_id)
    target = REVIEW_DECISIONS.get(decision)
    if target is None:
        raise ValidationError({"decision": _("Choose endorse, query or escalate.")})
    ensure_transition(referral.review_state, target, REVIEW_TRANSITIONS, REVIEW_LABELS)
    ensure(can_review(actor), _("Only a central reviewer reviews referrals."))
    if target != ReviewState.ENDORSED and not note.strip():
        raise ValidationError({"note": _("Say what the sender must answer or why you escalate.")})
    old = referral.review_state
    referral.review_state = target
    referral.save(update_fields=["review_state", "updated_at"])
    _record(referral, actor, "review_state", old, target, note.strip())
    if target == ReviewState.ENDORSED:
        deadline_close(clock=Clock.CENTRAL_REVIEW, obj=referral)
        _announce("review.endorsed", referral, actor, sender=_sender_people(referral))
    elif target == ReviewState.QUERIED:
        _announce("review.queried", referral, actor, sender=_sender_people(referral))
    else:
        _announce("review.escalated", referral, actor, central_head=central_reviewers())
    return referral


@transaction.atomic
def referral_answer_query(*, referral_id: int, actor: User, answer: str) -> Referral:
    """The sender answers a central query; the referral returns to the review queue."""
    referral = _lock(referral_id)
    ensure_transition(referral.review_state, ReviewState.PENDING, REVIEW_TRANSITIONS, REVIEW_LABELS)
    ensure(can_send(actor, referral), _("Only the sending office answers the query."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    old = referral.review_state
    referral.review_state = ReviewState.PENDING
    referral.save(update_fields=["review_state", "updated_at"])
    _record(referral, actor, "review_state", old, ReviewState.PENDING, answer.strip())
    _announce("review.answered", referral, actor, central=central_reviewers())
    return referral


@transaction.atomic
def referral_redirect(
    *, referral_id: int, actor: User, to_organisation: Organisation, note: str
) -> Referral:
    """A central reviewer sends a declined person elsewhere: a new referral, submitted at
    once on the sending office's behalf and linked to the declined one."""
    declined = _lock(referral_id)
    ensure(can_review(actor), _("Only a central reviewer redirects a referral."))
    if declined.state != State.DECLINED:
        raise TransitionNotAllowed(_("Only a declined referral can be redirected."))
    if declined.redirects.exists():
        raise TransitionNotAllowed(_("This referral has already been redirected."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the person is redirected there.")})
    redirect = referral_create(
        actor=actor,
        case_id=declined.case_id,
        to_organisation=to_organisation,
        kind=declined.kind,
        reason=f"{declined.reason}\n\n{note.strip()}",
        consent=declined.consent,
        consent_note=declined.consent_note,
        services_requested=declined.services_requested,
        urgent=declined.urgency == Urgency.URGENT,
        submit=True,
        redirected_from=declined,
    )
    if declined.review_state != ReviewState.ENDORSED:
        old = declined.review_state
        declined.review_state = ReviewState.ENDORSED
        declined.save(update_fields=["review_state", "updated_at"])
        # The redirect is the review's outcome: the timeline says so, not a bare "endorsed".
        outcome = _("Redirected to %(organisation)s: %(note)s") % {
            "organisation": to_organisation.name,
            "note": note.strip(),
        }
        _record(declined, actor, "review_state", old, ReviewState.ENDORSED, outcome)
        deadline_close(clock=Clock.CENTRAL_REVIEW, obj=declined)
    _announce("referral.redirected", declined, actor, sender=_sender_people(declined))
    return redirect
