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


class StageSpan(models.Model):
    """One row of a stage (insights/stages.py) as its figures count it: its length, whether
    it was within its limit, the time it waited on blockers, and the groups of its case that
    the figures break down by, written beside it. Counted again from the records every few
    minutes (insights/spans.py); the stage figures and their drill-down read only this table,
    so that ten years of national figures answer in a second or two."""

    stage = models.CharField(max_length=30)
    record_id = models.BigIntegerField()
    # No constraint: a case erased after the count leaves its rows until the next count.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    seconds = models.FloatField()
    in_time = models.BooleanField(null=True)  # None: a stage without a limit
    waited = models.FloatField()  # of `seconds`, waiting on a blocker
    province = models.CharField(max_length=2)  # the case's intake province's code
    region = models.CharField(max_length=10)
    shelter = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
    )
    nationality = models.CharField(max_length=2, blank=True)
    age = models.CharField(max_length=5)  # "child" or "adult" at intake
    # The start's year and quarter in Bangkok (year * 10 + quarter), as the figures group them.
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveIntegerField()
    counted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["stage", "start"], name="stage_span_stage_start_idx")]

    def __str__(self):
        return f"{self.stage} {self.record_id}"


class StageSpanForm(models.Model):
    """A stage's row once for each form of exploitation of its case (a case may have
    several), for the figures by form of exploitation: counted with the stage's rows from
    them (insights/spans.py), with the columns that the figures filter and count."""

    stage = models.CharField(max_length=30)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    seconds = models.FloatField()
    in_time = models.BooleanField(null=True)
    waited = models.FloatField()
    province = models.CharField(max_length=2)
    region = models.CharField(max_length=10)
    exploitation = models.CharField(max_length=30)

    class Meta:
        indexes = [models.Index(fields=["stage", "start"], name="stage_form_stage_start_idx")]

    def __str__(self):
        return f"{self.stage} {self.exploitation}"
