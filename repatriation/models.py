"""Repatriation of foreign victims to their country of origin and reintegration of Thai victims
in their home province (Act s.33: return home), with each hand-over of a person's data abroad."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import BilingualName
from cases.reference import country_choices, country_name
from sla.models import deadlines_relation

from .workflow import OPEN_STATES, Status


class CounterpartAgency(BilingualName):
    """The agency of a country of origin that receives its nationals under the bilateral
    arrangement with Thailand (reference data: repatriation/reference_data.py, then the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    arrangement_th = models.CharField(
        _("bilateral arrangement in Thai"),
        max_length=300,
        help_text=_("The agreement under which the person and their data are handed over."),
    )
    arrangement_en = models.CharField(_("bilateral arrangement in English"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("counterpart agency")
        verbose_name_plural = _("counterpart agencies")

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def arrangement(self) -> str:
        return (
            self.arrangement_en
            if (get_language() or "th").startswith("en")
            else self.arrangement_th
        )


class Kind(models.TextChoices):
    REPATRIATION = "repatriation", _("Repatriation to the country of origin")
    REINTEGRATION = "reintegration", _("Reintegration in Thailand")


class TravelDocument(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    CERTIFICATE_OF_IDENTITY = "certificate_of_identity", _("Certificate of identity")
    EMERGENCY = "emergency", _("Emergency travel document")
    BORDER_PASS = "border_pass", _("Border pass")


class Repatriation(models.Model):
    """A person's return home: for a foreign victim, the plan handed to the counterpart agency
    of their country, the family assessment there, the travel document, the hand-over and the
    counterpart's confirmation; for a Thai victim, the same steps with the receiving province.
    Its states and moves are in workflow.py; only the services write them."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="repatriations",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PLANNED
    )
    counterpart = models.ForeignKey(
        CounterpartAgency,
        on_delete=models.PROTECT,
        related_name="repatriations",
        null=True,
        blank=True,
        verbose_name=_("counterpart agency"),
    )
    province = models.ForeignKey(
        "accounts.Province",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("receiving province"),
    )
    destination = models.CharField(
        _("destination"), max_length=300, help_text=_("Town or village, and the family there.")
    )
    plan = models.TextField(_("plan"))
    travel_document = models.CharField(
        _("travel document"), max_length=30, choices=TravelDocument.choices, blank=True
    )
    travel_document_number = models.CharField(
        _("travel document number"), max_length=50, blank=True
    )
    family_assessment = models.TextField(_("family assessment"), blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    handover_on = models.DateField(_("hand-over date"), null=True, blank=True)
    handover_place = models.CharField(_("hand-over place"), max_length=300, blank=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    confirmation_reference = models.CharField(
        _("counterpart's reference"), max_length=100, blank=True
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("planned"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    deadlines = deadlines_relation()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("repatriation")
        verbose_name_plural = _("repatriations")
        constraints = [
            # One return home under way per case at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=sorted(OPEN_STATES)),
                name="one_open_repatriation_per_case",
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("repatriation:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_abroad(self) -> bool:
        return self.kind == Kind.REPATRIATION

    @property
    def receiver(self) -> str:
        """Who receives the person: the counterpart agency, or the receiving province."""
        if self.counterpart_id:
            return self.counterpart.name
        return self.province.name if self.province_id else ""


class RepatriationEvent(models.Model):
    """Every move of a repatriation: who, when, from, to, with a note."""

    repatriation = models.ForeignKey(
        Repatriation,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("repatriation"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from"), max_length=15, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=15, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("repatriation event")
        verbose_name_plural = _("repatriation events")

    def __str__(self):
        return f"{self.repatriation_id}: {self.get_to_status_display()}"


class DataTransfer(models.Model):
    """One hand-over of a person's data to a recipient abroad (a repatriation plan sent to the
    counterpart agency), with its basis: the record a data-protection officer reads."""

    class Basis(models.TextChoices):
        BILATERAL_ARRANGEMENT = (
            "bilateral_arrangement",
            _("Bilateral arrangement, with the person's consent to return home"),
        )

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    repatriation = models.ForeignKey(
        Repatriation,
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("repatriation"),
    )
    recipient = models.CharField(_("recipient"), max_length=300)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    basis = models.CharField(_("basis"), max_length=30, choices=Basis.choices)
    arrangement = models.CharField(_("bilateral arrangement"), max_length=300)
    consent_recorded_at = models.DateTimeField(_("consent recorded"))
    what = models.CharField(_("data handed over"), max_length=300)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("transfer of data abroad")
        verbose_name_plural = _("transfers of data abroad")

    def __str__(self):
        return f"{self.recipient} · {self.sent_at:%Y-%m-%d}"
