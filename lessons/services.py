"""Writes of the lessons-learned register: an office raises an issue, others say they face it
too, the central division considers it, answers with a decision and gives actions, the owners
mark them done, the division closes the item. Each write is audited."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.selectors import central_reviewers
from audit.models import AuditEvent
from audit.services import audit_record
from core.dates import format_date
from core.domain import TransitionNotAllowed, ensure, ensure_transition
from notifications.matrix import Audience, announce
from sla.models import Clock
from sla.services import deadline_close, deadline_open, end_of_day

from .models import Endorsement, Lesson, LessonAction, Topic
from .permissions import RAISING_KINDS, can_answer, can_complete, can_endorse, can_raise
from .selectors import action_owners, cases_by_number_visible_to, raiser_and_endorsers
from .workflow import (
    ACTION_TRANSITIONS,
    ACTIONABLE_STATES,
    ENDORSABLE_STATES,
    LESSON_TRANSITIONS,
    ActionStatus,
    LessonStatus,
)

# Rendered in each recipient's language when the notification is written.
lazy_format_date = lazy(format_date, str)

LESSON_LABELS = dict(LessonStatus.choices)
ACTION_LABELS = dict(ActionStatus.choices)


def _locked(lesson_id: int) -> Lesson:
    return Lesson.objects.select_for_update().select_related("raised_by").get(pk=lesson_id)


def _linked_cases(actor: User, case_numbers: Iterable[str]):
    """The cases of `case_numbers`, each of which the actor must see: a number the actor
    cannot see is refused as if it did not exist (the register widens no one's view)."""
    numbers = sorted({number.strip().upper() for number in case_numbers if number.strip()})
    cases = list(cases_by_number_visible_to(user=actor, numbers=numbers))
    unknown = sorted(set(numbers) - {case.number for case in cases})
    if unknown:
        raise ValidationError(
            {
                "case_numbers": _("No case of yours has the number %(numbers)s.")
                % {"numbers": ", ".join(unknown)}
            }
        )
    return cases


@transaction.atomic
def lesson_raise(
    *,
    actor: User,
    title: str,
    topic: str,
    what_happened: str,
    days_lost: int | None = None,
    proposal: str = "",
    case_numbers: Iterable[str] = (),
) -> Lesson:
    """Raise an issue on the register on behalf of the actor's office or shelter: what
    happened, the cases that show it (only cases the actor sees), the time it costs, what
    they propose.

    Side effects: an AuditEvent, the central division told (lesson.raised).
    """
    ensure(
        can_raise(actor),
        _("Only a provincial office, a regional office or a shelter raises an issue."),
    )
    errors = {}
    if not title.strip():
        errors["title"] = _("Name the issue in a few words.")
    if not what_happened.strip():
        errors["what_happened"] = _("Say what happened.")
    if topic not in Topic.values:
        errors["topic"] = _("Choose the topic.")
    if errors:
        raise ValidationError(errors)
    cases = _linked_cases(actor, case_numbers)
    lesson = Lesson.objects.create(
        organisation=actor.membership.organisation,
        raised_by=actor,
        title=title.strip(),
        topic=topic,
        what_happened=what_happened.strip(),
        days_lost=days_lost,
        proposal=proposal.strip(),
    )
    lesson.cases.set(cases)
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=lesson,
        changes={"topic": topic, "cases": [case.number for case in cases]},
    )
    announce(
        "lesson.raised",
        to={Audience.CENTRAL: central_reviewers()},
        actor=actor,
        link=lesson.get_absolute_url(),
        subject=lesson,
        number=lesson.number,
    )
    return lesson


@transaction.atomic
def lesson_endorse(*, actor: User, lesson_id: int, comment: str = "") -> Endorsement:
    """Say, for the actor's office or shelter, that it faces the issue too (once each).

    Side effects: an AuditEvent.
    """
    lesson = _locked(lesson_id)
    ensure(
        can_endorse(actor, lesson),
        _("Another provincial office, regional office or shelter adds that it faces this."),
    )
    if lesson.status not in ENDORSABLE_STATES:
        raise TransitionNotAllowed(_("This item is closed."))
    organisation = actor.membership.organisation
    if lesson.endorsements.filter(organisation=organisation).exists():
        raise ValidationError(_("Your organisation has already said it faces this issue."))
    endorsement = Endorsement.objects.create(
        lesson=lesson, organisation=organisation, endorsed_by=actor, comment=comment.strip()
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=endorsement,
        changes={"lesson": lesson.number, "organisation": organisation.code},
    )
    announce("lesson.endorsed", actor=actor, subject=lesson)
    return endorsement


def _move(lesson: Lesson, actor: User, to: str) -> None:
    ensure(can_answer(actor), _("Only the central division answers the register."))
    ensure_transition(lesson.status, to, LESSON_TRANSITIONS, LESSON_LABELS)
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=lesson,
        changes={"status": [lesson.status, to]},
    )
    lesson.status = to


def _announce(event: str, lesson: Lesson, actor: User) -> None:
    """Tell who raised the item and who face it too (Audience.LESSON_RAISERS) of `event`."""
    announce(
        event,
        to={Audience.LESSON_RAISERS: raiser_and_endorsers(lesson)},
        actor=actor,
        link=lesson.get_absolute_url(),
        subject=lesson,
        number=lesson.number,
    )


@transaction.atomic
def lesson_consider(*, actor: User, lesson_id: int) -> Lesson:
    """The central division takes the item up: under consideration.

    Side effects: an AuditEvent, who raised it and who face it too told (lesson.considered).
    """
    lesson = _locked(lesson_id)
    _move(lesson, actor, LessonStatus.UNDER_CONSIDERATION)
    lesson.save(update_fields=["status", "updated_at"])
    _announce("lesson.considered", lesson, actor)
    return lesson


def _action_add(
    lesson: Lesson, actor: User, organisation: Organisation, title: str, due_on: dt.date
) -> LessonAction:
    errors = {}
    if not title.strip():
        errors["title"] = _("Say what is to be done.")
    if due_on < timezone.localdate():
        errors["due_on"] = _("This date is in the past.")
    if organisation.kind not in RAISING_KINDS | {Organisation.Kind.CENTRAL}:
        errors["organisation"] = _(
            "An action goes to the central division, an office or a shelter."
        )
    if errors:
        raise ValidationError(errors)
    action = LessonAction.objects.create(
        lesson=lesson,
        organisation=organisation,
        title=title.strip(),
        due_on=due_on,
        created_by=actor,
    )
    deadline_open(
        clock=Clock.LESSON_ACTION,
        obj=action,
        organisation=organisation,
        start=timezone.now(),
        due_at=end_of_day(due_on),
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=action,
        changes={
            "lesson": lesson.number,
            "organisation": organisation.code,
            "due_on": str(due_on),
        },
    )
    announce(
        "lesson.action_assigned",
        to={Audience.ACTION_OWNERS: action_owners(action)},
        actor=actor,
        link=action.get_absolute_url(),
        subject=action,
        number=lesson.number,
        due=lazy_format_date(due_on),
    )
    return action


@transaction.atomic
def lesson_answer(
    *, actor: User, lesson_id: int, decision: str, actions: Iterable[dict] = ()
) -> Lesson:
    """The central division's answer: its decision, and the actions it gives (each a dict of
    `organisation`, `title`, `due_on`), as lesson_action_add adds them.

    Side effects: an AuditEvent, who raised it and who face it too told (lesson.answered);
    for each action its clock and its owner told (as lesson_action_add).
    """
    lesson = _locked(lesson_id)
    ensure(can_answer(actor), _("Only the central division answers the register."))
    if not decision.strip():
        raise ValidationError({"decision": _("Write the decision before answering.")})
    _move(lesson, actor, LessonStatus.ANSWERED)
    lesson.decision = decision.strip()
    lesson.decided_by = actor
    lesson.decided_at = timezone.now()
    lesson.save(update_fields=["status", "decision", "decided_by", "decided_at", "updated_at"])
    for action in actions:
        _action_add(lesson, actor, **action)
    _announce("lesson.answered", lesson, actor)
    return lesson


@transaction.atomic
def lesson_action_add(
    *, actor: User, lesson_id: int, organisation: Organisation, title: str, due_on: dt.date
) -> LessonAction:
    """An action the central division gives on an item it considers or has answered: owned by
    `organisation`, due by the end of `due_on`.

    Side effects: the action's clock (sla Clock.LESSON_ACTION) for the owning organisation,
    an AuditEvent, the owning organisation told (lesson.action_assigned).
    """
    lesson = _locked(lesson_id)
    ensure(can_answer(actor), _("Only the central division gives actions."))
    if lesson.status not in ACTIONABLE_STATES:
        raise TransitionNotAllowed(
            _("Actions are given while the item is considered or answered, not when it is %s.")
            % LESSON_LABELS[lesson.status]
        )
    return _action_add(lesson, actor, organisation, title, due_on)


@transaction.atomic
def lesson_action_done(*, actor: User, action_id: int, note: str) -> LessonAction:
    """The owning organisation marks its action done, saying what was done.

    Side effects: the action's clock closed (met, or breached if late), an AuditEvent, the
    central division told (lesson.action_done).
    """
    action = (
        LessonAction.objects.select_for_update()
        .select_related("lesson", "organisation")
        .get(pk=action_id)
    )
    ensure(
        can_complete(actor, action), _("Only the organisation that owns the action marks it done.")
    )
    ensure_transition(action.status, ActionStatus.DONE, ACTION_TRANSITIONS, ACTION_LABELS)
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    action.status = ActionStatus.DONE
    action.note = note.strip()
    action.done_by = actor
    action.done_at = timezone.now()
    action.save(update_fields=["status", "note", "done_by", "done_at"])
    deadline_close(clock=Clock.LESSON_ACTION, obj=action, at=action.done_at)
    audit_record(
        action=AuditEvent.Action.TRANSITION,
        actor=actor,
        obj=action,
        changes={"status": [ActionStatus.OPEN, ActionStatus.DONE], "note": action.note},
    )
    announce(
        "lesson.action_done",
        to={Audience.CENTRAL: central_reviewers()},
        actor=actor,
        link=action.get_absolute_url(),
        subject=action,
        number=action.lesson.number,
    )
    return action


@transaction.atomic
def lesson_close(*, actor: User, lesson_id: int) -> Lesson:
    """The central division closes an answered item once every action is done.

    Side effects: an AuditEvent, who raised it and who face it too told (lesson.closed).
    """
    lesson = _locked(lesson_id)
    ensure(can_answer(actor), _("Only the central division answers the register."))
    if lesson.actions.filter(status=ActionStatus.OPEN).exists():
        raise TransitionNotAllowed(_("Some actions are still to do: close the item after them."))
    _move(lesson, actor, LessonStatus.CLOSED)
    lesson.closed_at = timezone.now()
    lesson.save(update_fields=["status", "closed_at", "updated_at"])
    _announce("lesson.closed", lesson, actor)
    return lesson
