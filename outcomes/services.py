"""Every write of outcomes: the person's situation recorded at a follow-up (which is the
follow-up: shelters' clock closes and the next opens) and at the case's closure (which closes
the case)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import Case
from cases.permissions import can_close, can_work_on
from cases.selectors import case_team
from cases.services import case_close
from cases.workflow import CASE_TRANSITIONS, CaseStatus
from core.domain import TransitionNotAllowed, ensure, ensure_transition
from notifications.matrix import EVENTS, Audience, announce
from shelters.services import follow_up_record

from .models import (
    SITUATION_FIELDS,
    Answer,
    Contact,
    Health,
    Moment,
    NotPossibleReason,
    Outcome,
    OwnView,
)
from .selectors import follow_up_due

# What each situation field may hold.
CHOICES = {
    "safe_housing": Answer,
    "income": Answer,
    "documents": Answer,
    "compensation": Answer,
    "education": Answer,
    "health": Health,
    "own_view": OwnView,
}


def _validated(answers: dict) -> dict:
    """The outcome's fields, cleaned; a ValidationError naming each missing or wrong answer.

    A person reached is asked about every part of their situation (an answer may be "not
    known"); a follow-up that could not be done says why; a sign of re-victimisation says what
    it was."""
    data = {
        "contact": answers.get("contact") or "",
        "not_possible_reason": answers.get("not_possible_reason") or "",
        "own_words": (answers.get("own_words") or "").strip(),
        "revictimised": bool(answers.get("revictimised")),
        "note": (answers.get("note") or "").strip(),
        **{field: answers.get(field) or "" for field in SITUATION_FIELDS},
    }
    errors = {}
    if data["contact"] not in Contact.values:
        errors["contact"] = _("Say whether the person was reached.")
    elif data["contact"] == Contact.REACHED:
        for field, choices in CHOICES.items():
            if data[field] not in choices.values:
                errors[field] = _("Choose an answer (or “not known”).")
        data["not_possible_reason"] = ""
    else:
        for field in SITUATION_FIELDS:  # nobody was asked
            data[field] = ""
        data["own_words"] = ""
        if data["contact"] == Contact.NOT_POSSIBLE:
            if data["not_possible_reason"] not in NotPossibleReason.values:
                errors["not_possible_reason"] = _("Say why the follow-up could not be done.")
        else:
            data["not_possible_reason"] = ""
    if data["not_possible_reason"] == NotPossibleReason.OTHER and not data["note"]:
        errors["note"] = _("Say in the note why the follow-up could not be done.")
    if data["revictimised"] and not data["note"]:
        errors["note"] = _("Describe the sign of re-victimisation in the note.")
    if errors:
        raise ValidationError(errors)
    return data


def summary(outcome: Outcome) -> str:
    """The outcome in one line, for the case's timeline (in the recorder's language)."""
    parts = [outcome.get_moment_display(), outcome.get_contact_display()]
    if outcome.contact == Contact.NOT_POSSIBLE:
        parts.append(outcome.get_not_possible_reason_display())
    for field in SITUATION_FIELDS:
        if getattr(outcome, field):
            label = Outcome._meta.get_field(field).verbose_name
            parts.append(f"{label}: {getattr(outcome, f'get_{field}_display')()}")
    if outcome.revictimised:
        parts.append(str(_("sign of re-victimisation")))
    if outcome.note:
        parts.append(outcome.note)
    return " · ".join(str(part) for part in parts)


def _announce(outcome: Outcome, actor: User) -> None:
    """A sign of re-victimisation is told to the case team and the central division; an
    outcome without one is the office's own record."""
    if not outcome.revictimised:
        announce("outcome.recorded", actor=actor)
        return
    rule_audiences = {
        Audience.CENTRAL: central_reviewers,
        Audience.CASE_TEAM: lambda: case_team(outcome.case),
    }
    announce(
        "outcome.revictimisation",
        to={
            audience: rule_audiences[audience]()
            for audience in EVENTS["outcome.revictimisation"].tell
        },
        actor=actor,
        link=outcome.case.get_absolute_url(),
        number=outcome.case.number,
        moment=outcome.get_moment_display(),
    )


@transaction.atomic
def follow_up_outcome_record(*, case_id: int, actor: User, **answers) -> Outcome:
    """Record a follow-up after a shelter stay with the person's situation, or why it could not
    be done, or that contact is lost. This is the follow-up: shelters.services.follow_up_record
    meets the running follow-up clock, opens the next (6, then 12 months after leaving) and
    writes the timeline line, here the outcome in one line.

    Side effects: closes and opens the follow-up deadlines, a CaseEvent (follow-up visit), an
    Outcome, an AuditEvent; a sign of re-victimisation is told to the case team and the
    central division after commit.
    """
    case = Case.objects.select_for_update().select_related("owner").get(pk=case_id)
    ensure(can_work_on(actor, case), _("Only the owning office records follow-up visits."))
    data = _validated(answers)
    outcome = Outcome(case=case, recorded_by=actor, **data)
    due = follow_up_due(case)
    if due is None:
        raise TransitionNotAllowed(_("No follow-up visit is due for this case."))
    outcome.placement, outcome.moment = due.placement, due.moment
    # The timeline's line is the outcome itself, in words.
    follow_up_record(case=case, actor=actor, note=summary(outcome))
    outcome.full_clean()
    outcome.save()
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=outcome)
    _announce(outcome, actor)
    return outcome


@transaction.atomic
def closure_outcome_record(*, case_id: int, actor: User, reason: str, **answers) -> Outcome:
    """Close a case with the person's outcome at closure: the closing worker is asked for it,
    and the case does not close without it. cases.services.case_close closes the case in the
    same transaction (its checks stand: nothing still running, a reason).

    Side effects: the case closed (a CaseEvent and an AuditEvent of its own), an Outcome and
    its AuditEvent; a sign of re-victimisation is told to the case team and the central
    division after commit.
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    ensure_transition(case.status, CaseStatus.CLOSED, CASE_TRANSITIONS, dict(CaseStatus.choices))
    ensure(can_close(actor, case), _("Only the lead worker or a supervisor closes a case."))
    try:
        data = _validated(answers)
    except ValidationError as error:
        missing = error.message_dict
    else:
        missing = {}
    if not reason.strip():
        missing["reason"] = [_("Give the reason for closing the case.")]
    if missing:
        raise ValidationError(
            {
                "__all__": _(
                    "Record the person's outcome at closure before closing the case: their "
                    "housing, income, documents, compensation, education, health and their "
                    "own view, or why they could not be asked."
                ),
                **missing,
            }
            if set(missing) - {"reason"}
            else missing
        )
    case = case_close(case_id=case.pk, actor=actor, reason=reason)
    outcome = Outcome(case=case, moment=Moment.CLOSURE, recorded_by=actor, **data)
    outcome.full_clean()
    outcome.save()
    audit_record(action=AuditEvent.Action.CREATE, actor=actor, obj=outcome)
    _announce(outcome, actor)
    return outcome
