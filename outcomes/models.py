"""What became of a person: their situation recorded when the case closes and at the 3-, 6-
and 12-month follow-ups after they left a shelter (shelters.services.FOLLOW_UP_MONTHS), the
ministry's "results, not process"."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Moment(models.TextChoices):
    CLOSURE = "closure", _("At closure")
    MONTHS_3 = "months_3", _("3-month follow-up")
    MONTHS_6 = "months_6", _("6-month follow-up")
    MONTHS_12 = "months_12", _("12-month follow-up")


# The follow-up after so many months of shelters.services.FOLLOW_UP_MONTHS.
FOLLOW_UP_MOMENTS = {3: Moment.MONTHS_3, 6: Moment.MONTHS_6, 12: Moment.MONTHS_12}


class Contact(models.TextChoices):
    REACHED = "reached", _("Met or spoken to")
    NOT_POSSIBLE = "not_possible", _("Could not be done")
    CONTACT_LOST = "contact_lost", _("Contact lost")


class NotPossibleReason(models.TextChoices):
    DECLINED = "declined", _("The person declined")
    ABROAD = "abroad", _("The person lives abroad, out of reach")
    UNSAFE = "unsafe", _("A visit would put the person at risk")
    HOSPITAL_OR_CUSTODY = "hospital_or_custody", _("The person is in hospital or in custody")
    DIED = "died", _("The person has died")
    OTHER = "other", _("Other reason (say which in the note)")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly, or in progress")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known or not applicable")


class Health(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    UNKNOWN = "unknown", _("Not known")


class OwnView(models.TextChoices):
    BETTER = "better", _("Better than before")
    SAME = "same", _("About the same")
    WORSE = "worse", _("Worse")
    UNSAID = "unsaid", _("Did not say")


# The person's situation, asked whenever the person was reached (services._validated).
SITUATION_FIELDS = (
    "safe_housing",
    "income",
    "documents",
    "compensation",
    "education",
    "health",
    "own_view",
)


class Outcome(models.Model):
    """The person's situation at one moment of a case: at its closure, or at a follow-up after
    a shelter stay (which closes that follow-up's clock: services.follow_up_outcome_record)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("case")
    )
    # The stay after which a follow-up was made; none for the outcome at closure.
    placement = models.ForeignKey(
        "shelters.Placement",
        on_delete=models.PROTECT,
        related_name="outcomes",
        null=True,
        blank=True,
        verbose_name=_("shelter stay"),
    )
    moment = models.CharField(_("when"), max_length=12, choices=Moment.choices)
    contact = models.CharField(_("contact with the person"), max_length=15, choices=Contact.choices)
    not_possible_reason = models.CharField(
        _("why it could not be done"), max_length=25, choices=NotPossibleReason.choices, blank=True
    )
    safe_housing = models.CharField(
        _("safe housing"), max_length=10, choices=Answer.choices, blank=True
    )
    income = models.CharField(
        _("income or work"), max_length=10, choices=Answer.choices, blank=True
    )
    documents = models.CharField(
        _("identity documents or permit"), max_length=10, choices=Answer.choices, blank=True
    )
    compensation = models.CharField(
        _("compensation received"), max_length=10, choices=Answer.choices, blank=True
    )
    education = models.CharField(
        _("education or training"), max_length=10, choices=Answer.choices, blank=True
    )
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, blank=True)
    own_view = models.CharField(
        _("the person's own view of their situation"),
        max_length=10,
        choices=OwnView.choices,
        blank=True,
    )
    own_words = models.TextField(_("in the person's own words"), blank=True)
    revictimised = models.BooleanField(_("sign of re-victimisation"), default=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("person's outcome")
        verbose_name_plural = _("persons' outcomes")
        constraints = [
            # One outcome per follow-up of a stay (shelters' clock is closed once).
            models.UniqueConstraint(
                fields=["placement", "moment"],
                condition=Q(placement__isnull=False),
                name="outcome_one_per_follow_up",
            ),
        ]
        indexes = [
            models.Index(fields=["moment", "recorded_at"], name="outcome_moment_idx"),
        ]

    def __str__(self):
        return f"{self.get_moment_display()} ({self.get_contact_display()})"

    def get_absolute_url(self):
        return self.case.get_absolute_url()

    @property
    def reached(self) -> bool:
        return self.contact == Contact.REACHED
