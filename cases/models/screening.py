"""Victim identification: the screening, its MDT members, indicators and interviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import BilingualName
from core.dates import format_datetime
from sla.models import deadlines_relation

from ..reference import language_choices
from ..validators import validate_not_future
from ..workflow import ACTIVE_SCREENING_STATES, ScreeningStatus
from .case import Case


class Indicator(BilingualName):
    """An indicator of trafficking or forced labour on the screening checklist (reference data)."""

    class Group(models.TextChoices):
        FORCED_LABOUR = "forced_labour", _("ILO indicators of forced labour")
        SEXUAL = "sexual", _("Sexual exploitation")
        CHILD = "child", _("Child")
        CRIMINAL = "criminal", _("Criminal exploitation")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


class Outcome(models.TextChoices):
    VICTIM_TRAFFICKING = "victim_trafficking", _("Victim of trafficking (s.6)")
    VICTIM_FORCED_LABOUR = "victim_forced_labour", _("Victim of forced labour or services (s.6/1)")
    REASONABLE_GROUNDS = "reasonable_grounds", _("Reasonable grounds: potential victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


class Screening(models.Model):
    """Victim identification by the multidisciplinary team (MDT), within the custody limit of
    Act s.29: 24 hours from the start of custody or screening, up to 7 more days by court order."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="screenings", verbose_name=_("case")
    )
    status = models.CharField(
        _("status"),
        max_length=25,
        choices=ScreeningStatus.choices,
        default=ScreeningStatus.OPEN,
    )
    custody_started_at = models.DateTimeField(_("custody or screening started"))
    deadline_at = models.DateTimeField(_("identification deadline"))
    extension_order_reference = models.CharField(
        _("court order reference"), max_length=100, blank=True
    )
    interpreter_name = models.CharField(_("interpreter"), max_length=200, blank=True)
    interpreter_language = models.CharField(
        _("interpreter's language"), max_length=3, choices=language_choices, blank=True
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="+", verbose_name=_("indicators observed")
    )
    outcome = models.CharField(_("outcome"), max_length=25, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    second_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("second reviewer"),
    )
    second_reviewed_at = models.DateTimeField(_("second review"), null=True, blank=True)
    second_review_note = models.TextField(_("second review note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The version of the screening (core/versions.py): every save moves it.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    deadlines = deadlines_relation()

    class Meta:
        ordering = ["-custody_started_at", "-pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                # OPEN_SCREENING_STATES, in the order the migration wrote them.
                condition=Q(
                    status__in=[
                        ScreeningStatus.OPEN,
                        ScreeningStatus.REOPENED,
                        ScreeningStatus.AWAITING_MDT,
                        ScreeningStatus.PENDING_SECOND_REVIEW,
                    ]
                ),
                name="one_active_screening_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline_at"], name="screening_due_idx"),
            # The clocks running now, soonest first (an office's home page): a few hundred
            # rows at most, among ten years of finished screenings.
            models.Index(
                fields=["deadline_at"],
                condition=Q(status__in=[ScreeningStatus.OPEN, ScreeningStatus.REOPENED]),
                name="screening_running_idx",
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("cases:screening", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status in ACTIVE_SCREENING_STATES and timezone.now() > self.deadline_at


class ScreeningMember(models.Model):
    """A member of the multidisciplinary team on one screening."""

    class Agency(models.TextChoices):
        POLICE = "police", _("Police")
        MSDHS = "msdhs", _("Social development (MSDHS)")
        LABOUR = "labour", _("Employment / labour office")
        LABOUR_PROTECTION = "labour_protection", _("Labour protection and welfare")
        FISHERIES = "fisheries", _("Fisheries")
        HEALTH = "health", _("Public health")
        JUSTICE = "justice", _("Justice")
        IMMIGRATION = "immigration", _("Immigration")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="members", verbose_name=_("screening")
    )
    name = models.CharField(_("name"), max_length=200)
    agency = models.CharField(_("agency"), max_length=20, choices=Agency.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    # The member's own account, where they have one (cases.services.screening checks that it
    # fits), and the organisation it was chosen through, named on the MDT lists.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mdt_memberships",
        verbose_name=_("account"),
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("MDT member")
        verbose_name_plural = _("MDT members")
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "account"],
                condition=Q(account__isnull=False),
                name="screening_member_account_once",
            ),
            models.CheckConstraint(
                condition=Q(account__isnull=True, organisation__isnull=True)
                | Q(account__isnull=False, organisation__isnull=False),
                name="screening_member_account_with_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_agency_display()})"


class InterviewTopic(models.TextChoices):
    """What an interview covered, so that the next agency asks only what is still missing."""

    RECRUITMENT = "recruitment", _("Recruitment")
    JOURNEY = "journey", _("Journey and border crossing")
    WORK = "work", _("Work and living conditions")
    EXPLOITATION = "exploitation", _("Exploitation and control")
    DEBT = "debt", _("Debts and pay")
    DOCUMENTS = "documents", _("Identity documents")
    OFFENDERS = "offenders", _("Offenders")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family")
    WISHES = "wishes", _("The person's wishes")


class Interview(models.Model):
    """One interview, recorded so that the person is not made to tell their story again: who
    asked, through which interpreter, what it covered, and where its recording is (only when
    the person agreed to be recorded)."""

    screening = models.ForeignKey(
        Screening,
        on_delete=models.CASCADE,
        related_name="interviews",
        verbose_name=_("screening"),
    )
    held_at = models.DateTimeField(_("held at"), validators=[validate_not_future])
    interviewer = models.CharField(_("interviewer"), max_length=200)
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=3, choices=language_choices, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    topics = models.JSONField(_("topics covered"), default=list, blank=True)  # InterviewTopic
    summary = models.TextField(_("summary"))
    recording_reference = models.CharField(
        _("recording reference"),
        max_length=200,
        blank=True,
        help_text=_("Where the recording is kept; only when the person agreed to be recorded."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["held_at", "pk"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self):
        return f"{format_datetime(self.held_at)} {self.interviewer}"

    def get_topics_display(self) -> str:
        return ", ".join(str(InterviewTopic(topic).label) for topic in self.topics)
