"""What a case's file holds: its timeline, notes, documents and consents."""

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..reference import language_choices
from .case import Case


class CaseEvent(models.Model):
    """One line of a case's timeline: everything that happened, in order."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        CLOSED = "closed", _("Case closed")
        REOPENED = "reopened", _("Case reopened")
        UPDATED = "updated", _("Case details changed")
        NOTE = "note", _("Note added")
        DOCUMENT = "document", _("Document added")
        CONSENT = "consent", _("Consent recorded")
        SCREENING_STARTED = "screening_started", _("Screening started")
        SCREENING_EXTENDED = "screening_extended", _("Screening extended by court order")
        INTERVIEW = "interview", _("Interview recorded")
        SCREENING_DECIDED = "screening_decided", _("Identification decided")
        SECOND_REVIEW = "second_review", _("Second review")
        REFERRAL = "referral", _("Referral")
        PERMIT = "permit", _("Stay and work permit recorded")
        ADMITTED = "admitted", _("Admitted to a shelter")
        DISCHARGED = "discharged", _("Left the shelter")
        MOVED = "moved", _("Moved to another section")
        FOLLOW_UP = "follow_up", _("Follow-up visit")
        REPATRIATION = "repatriation", _("Repatriation or reintegration")
        JUSTICE = "justice", _("Court case or compensation")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("by"),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "-created_at"], name="case_event_case_idx")]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()}"


class CaseNote(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return self.text[:60]


DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "txt"]


def document_path(instance, filename):
    # A random name: the original (often a person's name) never reaches the file system.
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}"


class CaseDocument(models.Model):
    """An uploaded file, served only through a view that checks the case's visibility."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="files", verbose_name=_("case")
    )
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.original_name


class ConsentStep(models.TextChoices):
    SCREENING = "screening", _("Screening and identification")
    INTERVIEW = "interview", _("Interview")
    REFERRAL = "referral", _("Referral")
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    DATA_SHARING = "data_sharing", _("Sharing information with partners")
    REPATRIATION = "repatriation", _("Return home")


class Consent(models.Model):
    """The person was told their rights (Act s.33) and gave or refused consent, for one step."""

    class Decision(models.TextChoices):
        GIVEN = "given", _("Consent given")
        REFUSED = "refused", _("Consent refused")
        NOT_REQUIRED = "not_required", _("Consent not required")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="consents", verbose_name=_("case")
    )
    step = models.CharField(_("step"), max_length=20, choices=ConsentStep.choices)
    rights_notified = models.BooleanField(_("rights explained (s.33)"), default=False)
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    language = models.CharField(
        _("language used"), max_length=3, choices=language_choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="not_required") | ~Q(reason=""),
                name="consent_not_required_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.get_step_display()}: {self.get_decision_display()}"
