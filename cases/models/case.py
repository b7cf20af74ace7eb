"""A person's case, its intake codes, and the counter that numbers cases."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Province

from ..validators import validate_not_future
from ..workflow import CaseStatus
from .operation import Operation
from .person import Person


class IntakeChannel(models.TextChoices):
    HOTLINE_1300 = "hotline_1300", _("1300 hotline")
    POLICE_RAID = "police_raid", _("Police raid or rescue")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    NGO = "ngo", _("NGO")
    WALK_IN = "walk_in", _("Walk-in")
    REPATRIATION = "repatriation", _("Returned from abroad")
    OTHER = "other", _("Other")


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR_FISHING = "labour_fishing", _("Forced labour: fishing")
    LABOUR_DOMESTIC = "labour_domestic", _("Forced labour: domestic work")
    LABOUR_AGRICULTURE = "labour_agriculture", _("Forced labour: agriculture")
    LABOUR_MANUFACTURING = "labour_manufacturing", _("Forced labour: manufacturing")
    LABOUR_CONSTRUCTION = "labour_construction", _("Forced labour: construction")
    LABOUR_OTHER = "labour_other", _("Forced labour: other sector")
    BEGGING = "begging", _("Forced begging")
    SCAM_COMPOUND = "scam_compound", _("Forced criminality in an online scam compound")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Case(models.Model):
    """One person's path through the NRM, owned by one provincial office at a time."""

    number = models.CharField(_("case number"), max_length=30, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("owning office"),
    )
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lead_cases",
        null=True,
        blank=True,
        verbose_name=_("lead social worker"),
    )
    intake_channel = models.CharField(
        _("intake channel"), max_length=20, choices=IntakeChannel.choices
    )
    intake_date = models.DateField(_("intake date"), validators=[validate_not_future])
    intake_province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("intake province")
    )
    exploitation_types = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name=_("operation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["owner", "status", "-created_at"], name="case_owner_status_idx"),
            # Lists newest first walk this index and stop at the page's end, whatever the
            # visibility filter (an OR of the office's own and the referred cases).
            models.Index(fields=["-created_at", "-id"], name="case_newest_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    def clean(self):
        unknown = [t for t in self.exploitation_types if t not in ExploitationType.values]
        if unknown:
            raise ValidationError(
                {
                    "exploitation_types": _("Unknown form of exploitation: %(types)s.")
                    % {"types": ", ".join(map(str, unknown))}
                }
            )

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def exploitation_type_labels(self) -> list[str]:
        labels = dict(ExploitationType.choices)
        return [str(labels.get(value, value)) for value in self.exploitation_types]


class CaseNumberCounter(models.Model):
    """The last case number handed out per Buddhist-era year and province. Incremented under
    the row's lock, so concurrent registrations never receive the same number."""

    year_be = models.PositiveSmallIntegerField()
    province_code = models.CharField(max_length=2)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year_be", "province_code"], name="case_number_counter_unique"
            )
        ]

    def __str__(self):
        return f"{self.year_be}-{self.province_code}: {self.last_value}"
