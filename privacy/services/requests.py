"""A data subject's request, from its receipt to its answer: record (the 30-day clock starts,
calendar days, PDPA s.30), check the requester's identity, decide with a legal ground (a
refusal names its exemption), and for a copy of the data (access, portability) prepare the copy
in the person's language and release it only after the officer has reviewed it. Every step
locks the row, checks the move (workflow.REQUEST_TRANSITIONS) and the actor, writes a
RequestEvent and an AuditEvent, in one transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import Case
from core.domain import TransitionNotAllowed, ensure, ensure_transition
from notifications.matrix import Audience, announce
from sla.models import Clock
from sla.services import deadline_close, deadline_open

from ..copies import person_copy
from ..models import COPY_KINDS, Decision, Ground, RequestEvent, SubjectRequest
from ..permissions import is_officer
from ..workflow import REQUEST_TRANSITIONS, RequestStatus
from ._common import central_division, data_protection_officers, lazy_format_datetime

LABELS = dict(RequestStatus.choices)


def _officer(actor: User) -> None:
    ensure(is_officer(actor), _("Only the data protection officer handles these requests."))


def _move(request: SubjectRequest, actor: User, target: str, note: str = "", **changes) -> None:
    """Save the request in `target` (already checked), with its RequestEvent and AuditEvent."""
    old = request.status
    request.status = target
    request.save()
    RequestEvent.objects.create(
        request=request, actor=actor, from_status=old, to_status=target, note=note[:300]
    )
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=request,
        changes={"status": target, **changes},
    )


def _lock(request_id: int, actor: User, target: str) -> SubjectRequest:
    request = SubjectRequest.objects.select_for_update().get(pk=request_id)
    ensure_transition(request.status, target, REQUEST_TRANSITIONS, LABELS)
    _officer(actor)
    return request


@transaction.atomic
def request_record(
    *,
    actor: User,
    kind: str,
    case_number: str,
    requester: str,
    received_at: dt.datetime,
    received_by: Organisation,
    language: str = "th",
    details: str = "",
) -> SubjectRequest:
    """Log a request as the organisation that received it did, naming the person by one of
    their case numbers.

    Side effects: the 30-day clock (sla.Clock.SUBJECT_REQUEST) starts at `received_at`; a
    RequestEvent and an AuditEvent; the data protection officers are told.
    """
    _officer(actor)
    errors = {}
    case = Case.objects.filter(number=case_number.strip().upper()).select_related("person").first()
    if case is None:
        errors["case_number"] = _("No case has this number.")
    if not requester.strip():
        errors["requester"] = _("Name who makes the request.")
    if received_at > timezone.now():
        errors["received_at"] = _("A request cannot be received in the future.")
    if errors:
        raise ValidationError(errors)
    request = SubjectRequest.objects.create(
        kind=kind,
        person=case.person,
        requester=requester.strip(),
        received_at=received_at,
        received_by=received_by,
        language=language,
        details=details,
        recorded_by=actor,
    )
    RequestEvent.objects.create(request=request, actor=actor, to_status=request.status)
    deadline = deadline_open(
        clock=Clock.SUBJECT_REQUEST,
        obj=request,
        organisation=central_division(),
        start=received_at,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=request,
        changes={"kind": kind, "case": case.number, "received_by": received_by.code},
    )
    announce(
        "privacy.request_received",
        to={Audience.DATA_PROTECTION: data_protection_officers()},
        actor=actor,
        link=request.get_absolute_url(),
        number=request.number,
        due=lazy_format_datetime(deadline.due_at),
    )
    return request


@transaction.atomic
def request_verify(*, request_id: int, actor: User, evidence: str) -> SubjectRequest:
    """Record that the requester's identity (and authority to act for the person) was checked,
    and against what. Side effects: a RequestEvent and an AuditEvent."""
    request = _lock(request_id, actor, RequestStatus.VERIFIED)
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what the identity was checked against.")})
    request.identity_evidence = evidence.strip()
    request.identity_checked_at = timezone.now()
    _move(request, actor, RequestStatus.VERIFIED, note=request.identity_evidence)
    announce("privacy.request_verified")
    return request


@transaction.atomic
def request_decide(
    *, request_id: int, actor: User, decision: str, ground: str, note: str = ""
) -> SubjectRequest:
    """Decide the request with its legal ground. A grant rests on the person's right; a refusal
    or a partial grant names the exemption. A request whose identity was not checked can only
    be refused for that reason.

    Side effects: a granted or partly granted copy request gets its copy, written in the
    person's language, and waits for the officer's review (the clock keeps running until it
    is released); any other decision answers the request and closes the 30-day clock (met, or
    breached if late). A RequestEvent and an AuditEvent.
    """
    request = SubjectRequest.objects.select_for_update().get(pk=request_id)
    _officer(actor)
    errors = {}
    if decision == Decision.GRANTED and ground != Ground.RIGHT:
        errors["ground"] = _("A granted request rests on the person's right.")
    if decision != Decision.GRANTED and ground == Ground.RIGHT:
        errors["ground"] = _("Name the exemption that a refusal or a partial grant rests on.")
    if decision != Decision.GRANTED and not note.strip():
        errors["note"] = _("Give the reasons the person will read.")
    if request.status == RequestStatus.RECEIVED and not (
        decision == Decision.REFUSED and ground == Ground.IDENTITY
    ):
        errors["decision"] = _("Check the requester's identity before deciding.")
    if errors:
        raise ValidationError(errors)
    copy = request.kind in COPY_KINDS and decision != Decision.REFUSED
    target = RequestStatus.AWAITING_RELEASE if copy else RequestStatus.ANSWERED
    ensure_transition(request.status, target, REQUEST_TRANSITIONS, LABELS)
    now = timezone.now()
    request.decision, request.ground = decision, ground
    request.decision_note, request.decided_at = note.strip(), now
    if copy:
        request.copy = person_copy(request.person, language=request.language)
    _move(request, actor, target, note=note, decision=decision, ground=ground)
    if copy:
        announce("privacy.copy_prepared")
    else:
        deadline_close(clock=Clock.SUBJECT_REQUEST, obj=request, at=now)
        announce("privacy.request_decided")
    return request


@transaction.atomic
def request_release(*, request_id: int, actor: User, reviewed: bool) -> SubjectRequest:
    """Release the prepared copy to the person, once the officer says they read it (nothing
    of another person in it, nothing an exemption keeps back).

    Side effects: the 30-day clock closes (met, or breached if late); a RequestEvent and an
    AuditEvent.
    """
    request = _lock(request_id, actor, RequestStatus.ANSWERED)
    # Answered is reachable from other states (a refusal); a release only from a prepared copy.
    if request.status != RequestStatus.AWAITING_RELEASE:
        raise TransitionNotAllowed(_("There is no prepared copy to release."))
    if not reviewed:
        raise ValidationError({"reviewed": _("Read the copy through before releasing it.")})
    request.released_at = timezone.now()
    _move(request, actor, RequestStatus.ANSWERED, released=True)
    deadline_close(clock=Clock.SUBJECT_REQUEST, obj=request, at=request.released_at)
    announce("privacy.request_answered")
    return request
