"""After identification: the criminal proceeding against the offenders (police case,
prosecution, court hearings, the person as a witness, the judgment) and the person's
compensation claims (Act s.33, s.34, s.35; the Anti-Trafficking in Persons Fund)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Case

from .workflow import ClaimStatus, HearingStatus, ProsecutionStatus


class Offence(models.TextChoices):
    TRAFFICKING = "trafficking", _("Trafficking in persons (s.6)")
    FORCED_LABOUR = "forced_labour", _("Forced labour or services (s.6/1)")
    OTHER = "other", _("Another offence")


class Willingness(models.TextChoices):
    UNDECIDED = "undecided", pgettext_lazy("witness", "Not decided yet")
    WILLING = "willing", _("Willing to testify")
    UNWILLING = "unwilling", _("Not willing to testify")


class Verdict(models.TextChoices):
    CONVICTED = "convicted", _("Offenders convicted")
    PARTLY_CONVICTED = "partly_convicted", _("Some offenders convicted")
    ACQUITTED = "acquitted", _("Offenders acquitted")


class Prosecution(models.Model):
    """One criminal proceeding on a case: the police case, then the prosecutor's charge before
    a court, its hearings, and the judgment; with the person's part as a witness."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="prosecutions", verbose_name=_("case")
    )
    offence = models.CharField(_("offence"), max_length=20, choices=Offence.choices)
    police_station = models.CharField(_("police station"), max_length=200)
    police_case_number = models.CharField(_("police case number"), max_length=100)
    officer_name = models.CharField(_("investigating officer"), max_length=200)
    officer_phone = models.CharField(_("officer's telephone"), max_length=30, blank=True)
    reported_on = models.DateField(_("complaint filed on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProsecutionStatus.choices,
        default=ProsecutionStatus.INVESTIGATION,
    )
    prosecutor_office = models.CharField(
        _("public prosecutor's office"), max_length=200, blank=True
    )
    court = models.CharField(_("court"), max_length=200, blank=True)
    court_case_number = models.CharField(_("court case number"), max_length=100, blank=True)
    charged_on = models.DateField(_("charged on"), null=True, blank=True)
    # The person as a witness, and the support that makes testifying bearable.
    witness = models.CharField(
        _("willing to be a witness"),
        max_length=20,
        choices=Willingness.choices,
        default=Willingness.UNDECIDED,
    )
    interpreter = models.BooleanField(_("interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter's language"), max_length=50, blank=True)
    protection = models.BooleanField(_("witness protection"), default=False)
    video_testimony = models.BooleanField(_("testimony by video link"), default=False)
    advance_testimony = models.BooleanField(_("testimony taken in advance"), default=False)
    impact_statement = models.TextField(_("victim-impact statement"), blank=True)
    impact_statement_on = models.DateField(
        _("victim-impact statement given on"), null=True, blank=True
    )
    verdict = models.CharField(_("judgment"), max_length=20, choices=Verdict.choices, blank=True)
    judgment_on = models.DateField(_("judgment given on"), null=True, blank=True)
    sentence = models.TextField(_("sentence"), blank=True)
    closed_reason = models.TextField(_("reason for closing without judgment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("criminal proceeding")
        verbose_name_plural = _("criminal proceedings")
        indexes = [models.Index(fields=["status", "reported_on"], name="prosecution_status_idx")]

    def __str__(self):
        return f"{self.police_station} {self.police_case_number}"

    def get_absolute_url(self):
        return reverse("justice:prosecution", args=[self.pk])

    @property
    def support_labels(self) -> list[str]:
        """The witness support given, in words."""
        support = [
            (self.interpreter, _("interpreter")),
            (self.protection, _("witness protection")),
            (self.video_testimony, _("testimony by video link")),
            (self.advance_testimony, _("testimony taken in advance")),
        ]
        return [str(label) for given, label in support if given]


class HearingKind(models.TextChoices):
    WITNESS = "witness", _("Witness examination")
    ADVANCE_TESTIMONY = "advance_testimony", _("Advance testimony")
    JUDGMENT = "judgment", _("Reading of the judgment")
    OTHER = "other", _("Other hearing")


class Hearing(models.Model):
    """A court date of a proceeding. While it is scheduled, it has a clock for the case's office
    and one for the shelter where the person lives (sla.models.Clock.HEARING*)."""

    prosecution = models.ForeignKey(
        Prosecution, on_delete=models.CASCADE, related_name="hearings", verbose_name=_("proceeding")
    )
    # The proceeding's case, kept here because a deadline's object names its case by `case`
    # (sla.selectors.deadline_subjects) and a case's clocks are found through it.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("hearing"), max_length=20, choices=HearingKind.choices)
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("courtroom"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["scheduled_at", "pk"]
        verbose_name = _("court hearing")
        verbose_name_plural = _("court hearings")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.scheduled_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("justice:prosecution", args=[self.prosecution_id])


class ClaimSource(models.TextChoices):
    OFFENDER = "offender", _("From the offender, through the court (s.35)")
    FUND = "fund", _("From the Anti-Trafficking in Persons Fund")


AMOUNT = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class CompensationClaim(models.Model):
    """A claim for compensation for the person, in baht: claimed, awarded, actually received."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="compensation_claims",
        verbose_name=_("case"),
    )
    prosecution = models.ForeignKey(
        Prosecution,
        on_delete=models.PROTECT,
        related_name="claims",
        null=True,
        blank=True,
        verbose_name=_("criminal proceeding"),
    )
    source = models.CharField(_("claimed from"), max_length=20, choices=ClaimSource.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.FILED
    )
    amount_claimed = models.DecimalField(_("amount claimed (baht)"), **AMOUNT)
    claimed_on = models.DateField(_("claimed on"))
    amount_awarded = models.DecimalField(
        _("amount awarded (baht)"), null=True, blank=True, **AMOUNT
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    amount_received = models.DecimalField(
        _("amount received (baht)"), null=True, blank=True, **AMOUNT
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-claimed_on", "-pk"]
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")

    def __str__(self):
        return f"{self.get_source_display()} · {self.amount_claimed}"

    def get_absolute_url(self):
        return reverse("justice:claim", args=[self.pk])
