"""Who is told of what: the notification matrix (docs/NOTIFICATIONS.md is written from it by
`manage.py notification_matrix`; a test keeps the two the same).

Every workflow event the services record is a row of `EVENTS`: the audiences told, in which
words, and whether by e-mail as well as in the inbox; or, deliberately, nobody, and why. The
services call `announce` (or `compose`, to send a batch at once) with the event's name and the
people of each audience it names: an event missing from the table, or an audience given that
the table does not name (or named and not given), raises, so the code and the table cannot
drift apart.

Words name the case by its number, never the person: an e-mail leaves the system.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.dispatch import Signal
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .services import Message, notify_many

# Sent for every event of the table, whoever is told (nobody included): the test suite walks
# the matrix with it, and it is where another system would listen.
workflow_event = Signal()


class Audience(models.TextChoices):
    CASE_TEAM = (
        "case_team",
        _("The case's lead social worker and the supervisors of the office that owns it"),
    )
    SENDER = "sender", _("Who made the referral, and the case's lead social worker")
    RECEIVER = (
        "receiver",
        _(
            "The receiving organisation: a shelter's director, an office's supervisors and "
            "social workers"
        ),
    )
    CENTRAL = "central", _("The central division's reviewers")
    CENTRAL_HEAD = (
        "central_head",
        _("The head of the central division (its reviewers, until the head has a role of its own)"),
    )
    RESIDENCE = (
        "residence",
        _("The director and staff of the shelter where the person lives now, if any"),
    )
    GRANTEE = "grantee", _("The person given access to the case")
    TASK_OWNERS = (
        "task_owners",
        _(
            "The organisation that owns a task on the plan: its officers with live access to "
            "the case, or the case's team when it is the case's own office"
        ),
    )
    UPLOADER = "uploader", _("Who uploaded the intake file")
    REQUESTER = "requester", _("Who asked for the file")
    DATA_PROTECTION = (
        "data_protection",
        _("The data protection officers of the central division"),
    )
    LESSON_RAISERS = (
        "lesson_raisers",
        _(
            "Who raised an item of the lessons-learned register, and who added that they face "
            "it too"
        ),
    )
    ACTION_OWNERS = (
        "action_owners",
        _(
            "The organisation that owns an action on the lessons-learned register: its members "
            "who act on the action's clock (sla.models.CLOCK_ACTORS)"
        ),
    )
    CLOCK_HOLDERS = (
        "clock_holders",
        _("Who acts on the clock in the organisation that holds it (sla.models.CLOCK_ACTORS)"),
    )
    ESCALATION = (
        "escalation",
        _("Whom the clock's rule escalates to (sla.sweep.ESCALATION_TARGETS)"),
    )


class Topic(models.TextChoices):
    """What an event is about: a user turns e-mail off per topic."""

    SCREENING = "screening", _("Screenings")
    CASE = "case", _("Cases")
    REFERRAL = "referral", _("Referrals")
    REVIEW = "review", _("Central review")
    PLACEMENT = "placement", _("Shelter stays")
    REPATRIATION = "repatriation", _("Repatriation and reintegration")
    ACCESS = "access", _("Access to cases")
    INTAKE = "intake", _("Mass intake")
    DEADLINE = "deadline", _("Deadlines")
    OUTCOME = "outcome", _("Outcomes after closure and follow-ups")
    JUSTICE = "justice", _("Court cases and compensation")
    PLAN = "plan", _("Plans across agencies")
    BLOCKER = "blocker", _("Records waiting, and why")
    PRIVACY = "privacy", _("Personal data protection")
    LESSON = "lesson", _("Lessons learned")


@dataclass(frozen=True)
class Rule:
    tell: tuple[Audience, ...] = ()
    words: Promise | None = None
    email: bool = True
    why_nobody: Promise | None = None

    def __post_init__(self):
        if bool(self.tell) != bool(self.words) or bool(self.tell) == bool(self.why_nobody):
            raise ValueError("a rule tells someone in words, or says why it tells nobody")


def nobody(why) -> Rule:
    return Rule(why_nobody=why)


A = Audience
EVENTS: dict[str, Rule] = {
    # Screening (s.29 identification)
    "screening.started": nobody(_("The worker who starts it sees the clock on the case.")),
    "screening.extended": nobody(_("The court's order is on the screening and its clock.")),
    "screening.decided": nobody(_("The deciding office refers the person next itself.")),
    "screening.awaiting_second_review": Rule(
        (A.CENTRAL,), _("A not-a-victim decision on case {number} waits for your second review")
    ),
    "screening.confirmed": Rule(
        (A.CASE_TEAM,),
        _("The central division confirmed the not-a-victim decision on case {number}"),
    ),
    "screening.reopened": Rule(
        (A.CASE_TEAM,),
        _("The central division reopened the screening of case {number}: decide it again"),
    ),
    # Cases
    "case.opened": nobody(_("The office that opens the case works on it.")),
    "case.closed": nobody(_("Only the lead worker or a supervisor closes it.")),
    "case.reopened": nobody(_("Only the lead worker or a supervisor reopens it.")),
    "case.transferred": nobody(_("The accepted transfer referral tells the sender.")),
    "case.possible_duplicate_elsewhere": Rule(
        (A.CENTRAL,),
        _("Case {number} may be the same person as case {others} of another office: check"),
    ),
    # Referrals
    "referral.drafted": nobody(_("A draft is the sender's own until it is submitted.")),
    "referral.submitted": Rule((A.RECEIVER, A.CENTRAL), _("New referral of case {number}")),
    "referral.acknowledged": Rule((A.SENDER,), _("Referral of case {number} acknowledged")),
    "referral.accepted": Rule((A.SENDER,), _("Referral of case {number} accepted")),
    "referral.declined": Rule(
        (A.SENDER, A.CENTRAL), _("Referral of case {number} declined: {reason}")
    ),
    "referral.completed": Rule((A.SENDER,), _("Referral of case {number} completed")),
    "referral.withdrawn": Rule((A.RECEIVER,), _("Referral of case {number} withdrawn")),
    "referral.withdrawn_draft": nobody(_("Nobody else had seen the draft.")),
    "referral.redirected": Rule(
        (A.SENDER,),
        _("The central division redirected the declined referral of case {number}"),
    ),
    # Central review
    "review.endorsed": Rule(
        (A.SENDER,), _("The central division endorsed the referral of case {number}")
    ),
    "review.queried": Rule(
        (A.SENDER,),
        _("The central division has a question on the referral of case {number}"),
    ),
    "review.escalated": Rule(
        (A.CENTRAL_HEAD,), _("The referral of case {number} was escalated to you")
    ),
    "review.answered": Rule((A.CENTRAL,), _("The sender answered on case {number}")),
    # Shelter stays
    "placement.admitted": nobody(_("The referral's completion tells the sender.")),
    "placement.admitted_outside_section": Rule(
        (A.CENTRAL,),
        _("Case {number}: admitted into {unit}, a section not meant for the person: {reason}"),
    ),
    "placement.moved": nobody(_("A move within the shelter is the shelter's own.")),
    "placement.moved_outside_section": Rule(
        (A.CENTRAL,),
        _("Case {number}: moved into {unit}, a section not meant for the person: {reason}"),
    ),
    "placement.discharged": Rule(
        (A.CASE_TEAM,), _("Case {number}: the person left the shelter ({reason})")
    ),
    "placement.capacity_changed": nobody(_("The bed board shows it to everyone who refers.")),
    # Repatriation and reintegration (repatriation)
    "repatriation.planned": nobody(
        _("The plan is the office's own until it is sent to the counterpart.")
    ),
    "repatriation.sent": Rule(
        (A.CENTRAL,), _("Case {number}: the return plan was sent to {receiver}")
    ),
    "repatriation.assessed": nobody(
        _("The office that records the family assessment schedules the hand-over next.")
    ),
    "repatriation.scheduled": Rule(
        (A.CENTRAL, A.RESIDENCE), _("Case {number}: the person is handed over on {date} at {place}")
    ),
    "repatriation.handed_over": Rule(
        (A.CASE_TEAM, A.CENTRAL, A.RESIDENCE),
        _("Case {number}: the person was handed over to {receiver}"),
    ),
    "repatriation.confirmed": Rule(
        (A.CASE_TEAM, A.CENTRAL),
        _("Case {number}: {receiver} confirmed that it received the person"),
    ),
    "repatriation.cancelled": Rule(
        (A.CASE_TEAM, A.CENTRAL, A.RESIDENCE), _("Case {number}: the return plan was cancelled")
    ),
    # Access to a case
    "access.granted": Rule((A.GRANTEE,), _("You were given access to case {number} until {until}")),
    "access.revoked": Rule((A.GRANTEE,), _("Your access to case {number} was ended")),
    "access.expired": nobody(_("The person was told the end date when access was given.")),
    # One plan across agencies (partners)
    "plan.assigned": Rule(
        (A.TASK_OWNERS,),
        _("Case {number}: a task for {organisation} on the plan across agencies, due {due}"),
    ),
    "plan.started": nobody(_("The plan on the case shows it to everyone on the case.")),
    "plan.done": Rule((A.CASE_TEAM,), _("Case {number}: {organisation} finished its task")),
    "plan.cancelled": Rule(
        (A.TASK_OWNERS,), _("Case {number}: a task of {organisation} on the plan was cancelled")
    ),
    "plan.share_ended": Rule(
        (A.CASE_TEAM,),
        _(
            "Case {number}: the case is no longer shared with {organisation}; its {count} "
            "open tasks on the plan are cancelled"
        ),
    ),
    # Mass intake
    "intake.imported": Rule(
        (A.UPLOADER,), _("The intake file {file} is imported: {count} cases opened")
    ),
    "intake.matches_elsewhere": Rule(
        (A.CENTRAL,),
        _(
            "The intake file {file}: {count} persons may also be known to other offices "
            "(cases {numbers}): check"
        ),
    ),
    "intake.failed": Rule(
        (A.UPLOADER,), _("The intake file {file} could not be imported; nothing was saved")
    ),
    # Outcomes (outcomes.services): recorded at closure and at the follow-ups
    "outcome.recorded": nobody(_("The owning office records it; the figures count it.")),
    "outcome.revictimisation": Rule(
        (A.CASE_TEAM, A.CENTRAL),
        _("Case {number}: a sign of re-victimisation was recorded ({moment})"),
    ),
    # Deadlines (sla.sweep)
    "deadline.reminder": Rule((A.CLOCK_HOLDERS,), _("Reminder: {clock} for {record}: {left} left")),
    "deadline.missed": Rule((A.CLOCK_HOLDERS,), _("Deadline missed: {clock} for {record}")),
    "deadline.escalated": Rule(
        (A.ESCALATION,), _("Escalated to you: {clock} for {record} is overdue")
    ),
    # Court cases and compensation (justice)
    "justice.prosecution_recorded": nobody(_("The office that records it follows the case.")),
    "justice.charged": nobody(_("The office that follows the case records it.")),
    "justice.witness_updated": nobody(_("The office that follows the case records it.")),
    "justice.concluded": Rule(
        (A.RESIDENCE,), _("Case {number}: the court gave its judgment ({verdict})")
    ),
    "justice.dropped": nobody(_("The office that follows the case records it.")),
    "justice.hearing_scheduled": Rule(
        (A.RESIDENCE,),
        _("Case {number}: a court hearing on {when} at {court}; the person is expected there"),
    ),
    "justice.hearing_postponed": Rule(
        (A.RESIDENCE,), _("Case {number}: the court hearing moved to {when} at {court}")
    ),
    "justice.hearing_cancelled": Rule(
        (A.RESIDENCE,), _("Case {number}: the court hearing of {when} is cancelled")
    ),
    "justice.hearing_held": nobody(_("The office that follows the case records it.")),
    "justice.claim_filed": nobody(_("The office that follows the case records it.")),
    "justice.claim_awarded": nobody(_("The office that follows the case records it.")),
    "justice.claim_rejected": nobody(_("The office that follows the case records it.")),
    "justice.claim_withdrawn": nobody(_("The office that follows the case records it.")),
    "justice.claim_received": nobody(_("The office that follows the case records it.")),
    "justice.claim_unpaid": nobody(_("The office that follows the case records it.")),
    # Blockers (insights): "waiting because ..." on a screening, a referral or a stay
    "blocker.started": Rule((A.CASE_TEAM,), _("Case {number} waits: {reason}")),
    "blocker.ended": nobody(_("Whoever waited records it; the figures count the time.")),
    # Personal data protection (privacy): breaches, requests, break-glass access
    "privacy.breach_recorded": Rule(
        (A.DATA_PROTECTION, A.CENTRAL_HEAD),
        _("Personal data breach {number} recorded: the regulator must be told by {due}"),
    ),
    "privacy.breach_assessed": nobody(_("The officer who assesses it reports it next.")),
    "privacy.breach_reported": Rule(
        (A.CENTRAL_HEAD,), _("Personal data breach {number} was reported to the regulator")
    ),
    "privacy.breach_not_reportable": Rule(
        (A.CENTRAL_HEAD,),
        _("Personal data breach {number} is unlikely to harm anyone: not reported"),
    ),
    "privacy.breach_persons_told": nobody(_("The officer records it on the breach.")),
    "privacy.breach_closed": nobody(_("The officer closes it once the measures are taken.")),
    "privacy.request_received": Rule(
        (A.DATA_PROTECTION,),
        _("Data subject's request {number} received: answer by {due}"),
    ),
    "privacy.request_verified": nobody(_("The officer who checks the identity decides next.")),
    "privacy.request_decided": nobody(_("The officer answers the person.")),
    "privacy.copy_prepared": nobody(_("The officer who decided reviews the copy.")),
    "privacy.request_answered": nobody(_("The officer answers the person.")),
    "privacy.break_glass": Rule(
        (A.CENTRAL, A.CASE_TEAM),
        _("{user} opened case {number} in an emergency until {until}; the reason is on the list"),
    ),
    "privacy.break_glass_reviewed": nobody(_("The officer records the review on the list.")),
    "privacy.retention_anonymised": nobody(
        _("A scheduled job; its runs are listed for the data protection officer.")
    ),
    # The lessons-learned register (lessons): the offices' issues and the centre's answers
    "lesson.raised": Rule(
        (A.CENTRAL,), _("Lessons learned: issue {number} was raised and waits for your answer")
    ),
    "lesson.endorsed": nobody(_("The item shows who faces it too; the centre reads it there.")),
    "lesson.considered": Rule(
        (A.LESSON_RAISERS,),
        _("Lessons learned: the central division is considering issue {number}"),
    ),
    "lesson.answered": Rule(
        (A.LESSON_RAISERS,), _("Lessons learned: the central division answered issue {number}")
    ),
    "lesson.action_assigned": Rule(
        (A.ACTION_OWNERS,),
        _("Lessons learned: an action on issue {number} for your organisation, due {due}"),
    ),
    "lesson.action_done": Rule(
        (A.CENTRAL,), _("Lessons learned: an action on issue {number} is done")
    ),
    "lesson.closed": Rule(
        (A.LESSON_RAISERS,), _("Lessons learned: issue {number} is closed, its actions done")
    ),
    # Export files prepared in the background (exports): in the inbox, where the download is
    "export.ready": Rule(
        (A.REQUESTER,),
        _("The file you asked for is ready: {rows} rows, kept for {hours} hours"),
        email=False,
    ),
    "export.failed": Rule(
        (A.REQUESTER,), _("The file you asked for could not be prepared"), email=False
    ),
}


def compose(
    event: str,
    *,
    to: Mapping[Audience, Iterable] | None = None,
    actor=None,
    link: str = "",
    subject=None,
    **fields,
) -> Message | None:
    """The message `event` sends to the people of each audience in `to` (its author left
    out: they know), or None when the table tells nobody. Signals `workflow_event` with the
    event's `subject`, the record it is about (webhooks tells other systems of it)."""
    rule = EVENTS[event]
    to = dict(to or {})
    if set(to) != set(rule.tell):
        raise ValueError(f"{event} tells {sorted(rule.tell)}, not {sorted(to)}")
    recipients = {
        user.pk: user
        for audience in rule.tell
        for user in to[audience]
        if actor is None or user.pk != actor.pk
    }
    workflow_event.send(
        sender=None, event=event, recipients=list(recipients.values()), subject=subject
    )
    if not rule.tell:
        return None
    return Message(
        recipients=list(recipients.values()),
        text=format_lazy(rule.words, **fields),
        link=link,
        topic=event.split(".")[0],
        email=rule.email,
    )


def announce(event: str, **kwargs) -> list:
    """Compose `event`'s message and send it (in the caller's transaction); see compose."""
    message = compose(event, **kwargs)
    return notify_many([message]) if message else []


def as_markdown() -> str:
    """The table for people: docs/NOTIFICATIONS.md."""
    lines = [
        "# Who is told of what",
        "",
        "Written by `manage.py notification_matrix > docs/NOTIFICATIONS.md` from",
        "`notifications/matrix.py`; a test fails when the two differ. Every message goes to the",
        'in-app inbox in the recipient\'s language; "e-mail" also sends it by e-mail to those',
        "who keep e-mail on for its topic. Messages name the case by its number, never the person.",
        "",
        "| event | told | words | e-mail |",
        "|---|---|---|---|",
    ]
    for event, rule in EVENTS.items():
        told = ", ".join(f"{a.value}" for a in rule.tell) or "nobody: " + str(rule.why_nobody)
        words = str(rule.words) if rule.words else ""
        lines.append(
            f"| `{event}` | {told} | {words} | {'yes' if rule.tell and rule.email else ''} |"
        )
    lines += ["", "## Audiences", ""]
    lines += [f"- `{a.value}`: {a.label}" for a in Audience]
    return "\n".join(lines) + "\n"
