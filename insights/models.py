from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.reference import language_choices, language_name


class Reason(models.TextChoices):
    NO_INTERPRETER = "no_interpreter", _("No interpreter for the language")
    NO_BED = "no_bed", _("No bed in the fitting section")
    POLICE = "police", _("Waiting for the police")
    DOCUMENTS = "documents", _("Waiting for documents")
    UNREACHABLE = "unreachable", _("The person cannot be reached")
    COURT_ORDER = "court_order", _("A court order is pending")
    OTHER = "other", _("Other")


# The records a blocker can hold up, by the name of its field.
RECORDS = ("screening", "referral", "placement")


class Blocker(models.Model):
    """ "Waiting because ...": why a screening, a referral or a shelter stay does not move on,
    from when to when. Its time shows in the stage figures (insights/figures.py)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="blockers", verbose_name=_("case")
    )
    screening = models.ForeignKey(
        "cases.Screening",
        on_delete=models.PROTECT,
        related_name="blockers",
        null=True,
        blank=True,
        verbose_name=_("screening"),
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        related_name="blockers",
        null=True,
        blank=True,
        verbose_name=_("referral"),
    )
    placement = models.ForeignKey(
        "shelters.Placement",
        on_delete=models.PROTECT,
        related_name="blockers",
        null=True,
        blank=True,
        verbose_name=_("shelter stay"),
    )
    reason = models.CharField(_("waiting because"), max_length=20, choices=Reason.choices)
    language = models.CharField(_("language"), max_length=10, blank=True, choices=language_choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who waits"),
    )
    started_at = models.DateTimeField(_("since"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # The version the API gives as the ETag (core/versions.py): its end is its one change.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(screening__isnull=False, referral__isnull=True, placement__isnull=True)
                    | Q(screening__isnull=True, referral__isnull=False, placement__isnull=True)
                    | Q(screening__isnull=True, referral__isnull=True, placement__isnull=False)
                ),
                name="blocker_holds_up_one_record",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(note=""), name="blocker_other_has_note"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="blocker_ends_after_it_starts",
            ),
            *(
                models.UniqueConstraint(
                    fields=[record],
                    condition=Q(ended_at__isnull=True, **{f"{record}__isnull": False}),
                    name=f"one_open_blocker_per_{record}",
                )
                for record in RECORDS
            ),
        ]
        indexes = [models.Index(fields=["started_at"], name="blocker_started_idx")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The reason in words, with the language for a missing interpreter or the note."""
        if self.reason == Reason.NO_INTERPRETER and self.language:
            return f"{self.get_reason_display()} ({language_name(self.language)})"
        if self.reason == Reason.OTHER:
            return f"{self.get_reason_display()}: {self.note}"
        return str(self.get_reason_display())

    @property
    def record(self) -> str:
        """Which kind of record it holds up: "screening", "referral" or "placement"."""
        return next(name for name in RECORDS if getattr(self, f"{name}_id"))
