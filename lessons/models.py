"""The lessons-learned register (issue 20): issues the offices and shelters raise with the
central division all year round, who else faces them, the division's decision and the actions
it gives, each with an owner and a due date ("you said, we did")."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.models import Case

from .workflow import ActionStatus, LessonStatus


class Topic(models.TextChoices):
    """Where in the journey, or in the work around it, the issue arises."""

    IDENTIFICATION = "identification", _("Screening and identification")
    REFERRAL = "referral", _("Referrals between organisations")
    SHELTER = "shelter", _("Shelter care")
    REPATRIATION = "repatriation", _("Repatriation and reintegration")
    JUSTICE = "justice", _("Police, courts and compensation")
    FOLLOW_UP = "follow_up", _("Follow-up after care")
    INTERPRETERS = "interpreters", _("Interpreters and languages")
    DOCUMENTS = "documents", _("Documents and permits")
    COORDINATION = "coordination", _("Coordination between agencies")
    SYSTEM = "system", _("This system")
    OTHER = "other", _("Other")


class Lesson(models.Model):
    """One issue on the register, raised by a provincial office, a regional office or a shelter:
    what happened, the cases that show it, the time it costs, what they propose; answered by
    the central division with a decision and actions."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("raised by organisation"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by"),
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    title = models.CharField(_("issue"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    what_happened = models.TextField(_("what happened"))
    days_lost = models.PositiveIntegerField(
        _("time it costs (days)"),
        null=True,
        blank=True,
        help_text=_("About how many days a case waits because of it, if known."),
    )
    proposal = models.TextField(_("what we propose"), blank=True)
    cases = models.ManyToManyField(
        Case, related_name="lessons", blank=True, verbose_name=_("cases that show it")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LessonStatus.choices, default=LessonStatus.RAISED
    )
    decision = models.TextField(_("decision of the central division"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("lessons-learned item")
        verbose_name_plural = _("lessons-learned register")
        indexes = [models.Index(fields=["status", "topic"], name="lesson_status_topic_idx")]

    def __str__(self):
        return f"{self.number} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", args=[self.pk])

    @property
    def number(self) -> str:
        """How the register, the clocks and the notifications name it."""
        return f"LL-{self.pk}"


class Endorsement(models.Model):
    """Another organisation says it faces the issue too: one per organisation."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    endorsed_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["endorsed_at", "pk"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "organisation"], name="one_endorsement_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.number} · {self.organisation}"

    @property
    def number(self) -> str:
        """The item's number, read without loading the item (the audit log names it so)."""
        return f"LL-{self.lesson_id}"


class LessonAction(models.Model):
    """What the central division decided someone does about the issue: owned by one
    organisation, due by a date (its clock, sla Clock.LESSON_ACTION, reminds the owner and
    escalates to the head of the central division), marked done by the owner with a note."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lesson_actions",
        verbose_name=_("owning organisation"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    note = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action on a lesson learned")
        verbose_name_plural = _("actions on lessons learned")
        indexes = [models.Index(fields=["organisation", "status"], name="lesson_action_owner_idx")]

    def __str__(self):
        return f"{self.number} · {self.title}"

    def get_absolute_url(self) -> str:
        return self.lesson.get_absolute_url() + f"#action-{self.pk}"

    @property
    def number(self) -> str:
        """The item's number: the deadline pages name the action's clock by it."""
        return f"LL-{self.lesson_id}"
