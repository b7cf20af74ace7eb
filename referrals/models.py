"""Referrals of a person from one organisation to another, with their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.models import Case
from sla.models import deadlines_relation

from .workflow import OPEN_STATES, ReviewState, State


class Kind(models.TextChoices):
    SHELTER_PLACEMENT = "shelter_placement", _("Shelter placement")
    SERVICE = "service", _("Service")
    TRANSFER = "transfer", _("Transfer of the case to another office")


# The kinds of organisation that receive each kind of referral.
TARGET_KINDS = {
    Kind.SHELTER_PLACEMENT: {Organisation.Kind.SHELTER},
    Kind.TRANSFER: {Organisation.Kind.PROVINCIAL_OFFICE},
    Kind.SERVICE: {
        Organisation.Kind.PROVINCIAL_OFFICE,
        Organisation.Kind.PARTNER,
        Organisation.Kind.SHELTER,
    },
}


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class ServiceType(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    REPATRIATION = "repatriation", _("Repatriation")
    EMPLOYMENT = "employment", _("Employment and training")
    EDUCATION = "education", _("Education")
    COMPENSATION = "compensation", _("Compensation claim")


class DeclineReason(models.TextChoices):
    """Why a receiver declines, in the words a shelter director uses: counted on the national
    dashboard. "Other" needs the receiver's note; every reason may have one."""

    NO_BED = "no_bed", _("No free bed in a section that fits the person")
    TARGET_GROUP = (
        "target_group",
        _("Outside the target group (sex, age or form of exploitation)"),
    )
    SECURITY = "security", _("A security risk to the person, the residents or the staff")
    MEDICAL_CARE = "medical_care", _("Needs medical or psychiatric care first")
    PERSON_REFUSED = "person_refused", _("The person refused")
    DUPLICATE = "duplicate", _("A duplicate, or the person is already served")
    SERVICE_NOT_OFFERED = "service_not_offered", _("The service asked for is not offered here")
    OTHER = "other", _("Other")


class ConsentBasis(models.TextChoices):
    GIVEN = "given", _("The person consents")
    NOT_REQUIRED = "not_required", _("No consent needed (reason recorded)")


class Referral(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("from"),
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    services_requested = models.JSONField(_("services requested"), default=list, blank=True)
    reason = models.TextField(_("reason for the referral"))
    consent = models.CharField(_("consent"), max_length=15, choices=ConsentBasis.choices)
    consent_note = models.CharField(_("why no consent is needed"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.DRAFT)
    review_state = models.CharField(
        _("central review"), max_length=10, choices=ReviewState.choices, blank=True, default=""
    )
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("note on the decline"), blank=True)
    redirected_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="redirects",
        null=True,
        blank=True,
        verbose_name=_("redirected from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The sender's key for this referral (the API's Idempotency-Key, the web form's hidden
    # token): the same request sent twice makes one referral.
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    deadlines = deadlines_relation()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(consent="not_required") | ~Q(consent_note=""),
                name="referral_no_consent_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="referral_to_another_organisation",
            ),
            # Every decline is counted by its reason on the dashboard.
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            # One open referral of a case to one organisation: a double click, or twenty
            # concurrent API calls, cannot send the person twice.
            models.UniqueConstraint(
                fields=["case", "to_organisation"],
                condition=Q(state__in=["draft", "submitted", "acknowledged", "accepted"]),
                name="referral_one_open_per_receiver",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="referral_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["to_organisation", "state", "-submitted_at"], name="referral_inbox_idx"
            ),
            models.Index(fields=["from_organisation", "-created_at"], name="referral_sent_idx"),
            models.Index(fields=["review_state", "-submitted_at"], name="referral_review_idx"),
            # The central queue's order (urgent first, then newest), read a page at a time.
            models.Index(fields=["-urgency", "-submitted_at"], name="referral_queue_idx"),
        ]

    def __str__(self):
        return f"{self.case} → {self.to_organisation}"

    def get_absolute_url(self):
        return reverse("referrals:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def service_labels(self) -> list[str]:
        labels = dict(ServiceType.choices)
        return [str(labels.get(value, value)) for value in self.services_requested]


class ReferralEvent(models.Model):
    """Every move of a referral or of its review: who, when, from, to, and why."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name=_("referral")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    field = models.CharField(max_length=15, default="state")  # "state" or "review_state"
    from_state = models.CharField(_("from"), max_length=15, blank=True)
    to_state = models.CharField(_("to"), max_length=15)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self):
        return f"{self.referral_id}: {self.from_state} → {self.to_state}"

    def label(self) -> str:
        choices = dict(ReviewState.choices if self.field == "review_state" else State.choices)
        return str(choices.get(self.to_state, self.to_state))
