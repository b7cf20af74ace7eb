"""Deadline rules (DESIGN.md §5) and the holiday calendar's changes. Each clock's defaults are
reference data a sysadmin may edit, as are the holidays on top of the `holidays` package; a
change applies to clocks opened after it, never to those already running."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.dates import format_date, format_datetime


class Clock(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification (Act s.29)")
    MDT_INTERVIEW = "mdt_interview", _("Potential-victim MDT interview")
    REFERRAL_ACK_URGENT = "referral_ack_urgent", _("Referral acknowledgement, urgent")
    REFERRAL_ACK_NORMAL = "referral_ack_normal", _("Referral acknowledgement, normal")
    REFERRAL_DECISION_URGENT = "referral_decision_urgent", _("Referral decision, urgent")
    REFERRAL_DECISION_NORMAL = "referral_decision_normal", _("Referral decision, normal")
    CENTRAL_REVIEW = "central_review", _("Central review of a referral")
    SECOND_REVIEW = "second_review", _("Second review of a not-a-victim decision")
    CARE_PLAN = "care_plan", _("Care plan after admission")
    PERMIT_EXPIRY = "permit_expiry", _("Stay and work permit expiry (s.37)")
    FOLLOW_UP = "follow_up", _("Follow-up after reintegration")
    REPATRIATION_ANSWER = "repatriation_answer", _("Counterpart's family assessment")
    REPATRIATION_HANDOVER = "repatriation_handover", _("Repatriation hand-over")
    REPATRIATION_CONFIRMATION = (
        "repatriation_confirmation",
        _("Counterpart's confirmation of a hand-over"),
    )
    HEARING = "hearing", _("Court hearing")
    HEARING_SHELTER = "hearing_shelter", _("Court hearing of a resident")
    PLAN_TASK = "plan_task", _("Task on a case's plan across agencies")
    BREACH_REPORT = "breach_report", _("Report of a personal data breach (PDPA s.37(4))")
    SUBJECT_REQUEST = "subject_request", _("Answer to a data subject's request (PDPA s.30)")
    LESSON_ACTION = "lesson_action", _("Action on a lesson learned")


_PROVINCIAL = (Role.SOCIAL_WORKER, Role.SUPERVISOR)
_RECEIVERS = (Role.SHELTER_DIRECTOR, Role.SUPERVISOR, Role.SOCIAL_WORKER)
# Who acts on each clock in its responsible organisation: they get its reminder and see it
# among their deadlines (shelter staff, say, the care plans, not who is being referred).
CLOCK_ACTORS = {
    Clock.IDENTIFICATION: _PROVINCIAL,
    Clock.MDT_INTERVIEW: _PROVINCIAL,
    Clock.REFERRAL_ACK_URGENT: _RECEIVERS,
    Clock.REFERRAL_ACK_NORMAL: _RECEIVERS,
    Clock.REFERRAL_DECISION_URGENT: _RECEIVERS,
    Clock.REFERRAL_DECISION_NORMAL: _RECEIVERS,
    Clock.CENTRAL_REVIEW: (Role.CENTRAL_REVIEWER,),
    Clock.SECOND_REVIEW: (Role.CENTRAL_REVIEWER,),
    Clock.CARE_PLAN: (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF),
    Clock.PERMIT_EXPIRY: _PROVINCIAL,
    Clock.FOLLOW_UP: _PROVINCIAL,
    Clock.REPATRIATION_ANSWER: _PROVINCIAL,
    Clock.REPATRIATION_HANDOVER: _PROVINCIAL,
    Clock.REPATRIATION_CONFIRMATION: _PROVINCIAL,
    # justice: the case's office prepares the person for court, the shelter takes them there.
    Clock.HEARING: _PROVINCIAL,
    Clock.HEARING_SHELTER: (Role.SHELTER_DIRECTOR, Role.SHELTER_STAFF),
    # partners: the organisation that owns the task, a partner agency or the case's office.
    Clock.PLAN_TASK: (Role.PARTNER, *_PROVINCIAL),
    # privacy: the data protection officer of the central division answers both.
    Clock.BREACH_REPORT: (Role.DATA_PROTECTION_OFFICER,),
    Clock.SUBJECT_REQUEST: (Role.DATA_PROTECTION_OFFICER,),
    # lessons: the organisation that owns an action the central division gave on the register.
    Clock.LESSON_ACTION: (
        *_PROVINCIAL,
        Role.SHELTER_DIRECTOR,
        Role.SHELTER_STAFF,
        Role.CENTRAL_REVIEWER,
        Role.REGIONAL_OFFICER,
    ),
}


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days")
    MONTHS = "months", _("months")


class Escalation(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor of the case owner")
    RECEIVER_DIRECTOR = "receiver_director", _("Director of the receiving organisation")
    SHELTER_DIRECTOR = "shelter_director", _("Shelter director")
    CENTRAL = "central", _("Central division")
    CENTRAL_HEAD = "central_head", _("Head of the central division")


class EscalationLevel(models.IntegerChoices):
    """How far a missed deadline has gone up (Deadline.escalation_level; the sweep raises it)."""

    NONE = 0, _("Not escalated")
    FIRST = 1, _("Escalated once")
    SECOND = 2, _("Escalated twice")


# A running clock this close to its deadline is due soon: the deadline boards show it apart.
DUE_SOON = dt.timedelta(hours=6)


class ClockStatus(models.TextChoices):
    """Where a running clock stands now: time enough, due soon, or past its deadline (whether
    or not the sweep has marked the breach yet)."""

    RUNNING = "running", _("Running")
    DUE_SOON = "due_soon", _("Due within 6 hours")
    BREACHED = "breached", _("Breached")

    @classmethod
    def at(cls, due_at: dt.datetime, now: dt.datetime) -> "ClockStatus":
        """The status at `now` of a running clock due at `due_at`."""
        if due_at <= now:
            return cls.BREACHED
        return cls.DUE_SOON if due_at <= now + DUE_SOON else cls.RUNNING

    def condition(self, now: dt.datetime) -> models.Q:
        """The running clocks in this status at `now`: a filter over Deadline."""
        if self == ClockStatus.BREACHED:
            return models.Q(due_at__lte=now)
        if self == ClockStatus.DUE_SOON:
            return models.Q(due_at__gt=now, due_at__lte=now + DUE_SOON)
        return models.Q(due_at__gt=now + DUE_SOON)


# Clocks whose length the law sets: a rule may be shorter, never longer.
LEGAL_LIMITS = {
    Clock.IDENTIFICATION: (dt.timedelta(hours=24), _("Act s.29 allows at most 24 hours.")),
    # Real hours and calendar days: a working-day rule would let the legal limit pass.
    Clock.BREACH_REPORT: (dt.timedelta(hours=72), _("PDPA s.37(4) allows at most 72 hours.")),
    Clock.SUBJECT_REQUEST: (dt.timedelta(days=30), _("PDPA s.30 allows at most 30 days.")),
}
LENGTHS = {Unit.HOURS: dt.timedelta(hours=1), Unit.DAYS: dt.timedelta(days=1)}


class ClockPolicy(models.Model):
    """How long one kind of deadline runs, when to remind, and whom to escalate to."""

    clock = models.CharField(_("clock"), max_length=30, choices=Clock.choices, unique=True)
    due_after = models.PositiveIntegerField(
        _("due after"), help_text=_("Zero when the record itself gives the date (an expiry).")
    )
    due_unit = models.CharField(_("unit"), max_length=15, choices=Unit.choices)
    remind_before = models.PositiveIntegerField(_("remind before the deadline"))
    remind_unit = models.CharField(_("reminder unit"), max_length=15, choices=Unit.choices)
    escalate_first = models.CharField(
        _("first escalation"), max_length=20, choices=Escalation.choices
    )
    escalate_second = models.CharField(
        _("second escalation"), max_length=20, choices=Escalation.choices, blank=True
    )
    escalate_again_after_hours = models.PositiveIntegerField(
        _("hours from the first escalation to the second"), default=24
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["clock"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self):
        return self.get_clock_display()

    def clean(self):
        limit = LEGAL_LIMITS.get(self.clock)
        if limit is None:
            return
        longest, law = limit
        length = LENGTHS.get(self.due_unit)
        if length is None:
            raise ValidationError({"due_unit": _("Set this clock in hours or days.") + " " + law})
        if self.due_after * length > longest or self.due_after == 0:
            raise ValidationError({"due_after": law})


class Deadline(models.Model):
    """One running or finished clock on one object (a screening, a referral, a placement).

    Opened and closed by the domain services in the same transaction as the change that
    starts or stops it. The sweep reads only pending rows whose time has (nearly) come.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Running")
        MET = "met", _("Met")
        BREACHED = "breached", _("Breached")
        CANCELLED = "cancelled", _("No longer needed")

    clock = models.CharField(_("clock"), max_length=30, choices=Clock.choices)
    object_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("responsible organisation"),
    )
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    remind_at = models.DateTimeField(_("reminder"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    # When the sweep must next look at this row (reminder, breach, second escalation); None
    # once nothing more will happen. The sweep reads only rows whose time has come, through a
    # partial index, so its cost grows with what is due, not with what exists.
    next_action_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "object_type", "object_id"],
                condition=models.Q(closed_at__isnull=True),
                name="one_running_clock_per_object",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_action_at"],
                condition=models.Q(next_action_at__isnull=False),
                name="deadline_next_action_idx",
            ),
            models.Index(
                fields=["organisation", "due_at"],
                condition=models.Q(closed_at__isnull=True),
                name="deadline_running_idx",
            ),
            models.Index(fields=["object_type", "object_id"], name="deadline_object_idx"),
            # The dashboards' share of deadlines met, over the clocks due in a period: read from
            # the index alone.
            models.Index(
                fields=["due_at"],
                include=["state", "clock", "organisation"],
                name="deadline_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_clock_display()} · {format_datetime(self.due_at)}"

    @property
    def escalation_label(self) -> str:
        """The escalation level in words ("Escalated once"), for pages and the API."""
        return EscalationLevel(self.escalation_level).label


def deadlines_relation() -> GenericRelation:
    """A record's clocks, for the queries that join them (a stage's end and whether it was
    in time: insights/stages.py). Declared on the records that clocks run on."""
    return GenericRelation(Deadline, content_type_field="object_type", object_id_field="object_id")


class HolidayChange(models.Model):
    """A sysadmin's change to the Thai calendar of the `holidays` package for one date: a
    holiday the cabinet declared (added), or a package holiday worked this year (removed).

    Working-day clocks opened after the change count with it (sla/calendar.py); a clock already
    running keeps the due time it was given when it opened (Deadline.due_at). A change is
    withdrawn, never deleted, so that the calendar a clock was counted with stays on record.
    """

    class Kind(models.TextChoices):
        ADDED = "added", _("Holiday added")
        REMOVED = "removed", _("Holiday removed: a working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    note = models.CharField(
        _("note"),
        max_length=500,
        help_text=_("The reason, for example the cabinet resolution and its date."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date", "created_at"]
        verbose_name = _("holiday change")
        verbose_name_plural = _("holiday changes")
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_holiday_change_per_date",
            )
        ]

    def __str__(self):
        return f"{format_date(self.date)} · {self.get_kind_display()}"
