"""Persons and their identity documents. Names are kept in every script they come in."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from ..reference import country_choices, language_choices
from ..validators import (
    validate_not_future,
    validate_phone,
    validate_plausible_birth,
    validate_thai_id,
)

CHILD_AGE = 18


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


def display_name(name_th: str, name_latin: str, name_native: str) -> str:
    """The name pages show: the Thai spelling when there is one, else the Latin, else the
    native script's."""
    return name_th or name_latin or name_native


def age_on(
    on: dt.date,
    *,
    date_of_birth: dt.date | None,
    estimated_age: int | None,
    age_estimated_on: dt.date | None,
    created_at: dt.datetime | None,
) -> int | None:
    """A person's age in whole years on the day `on` from their fields' values (Person.age;
    a list read as plain rows calls it without making a Person): from the date of birth,
    else from the estimate, made on `age_estimated_on` or when the person was registered."""
    if date_of_birth:
        return (
            on.year
            - date_of_birth.year
            - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
        )
    if estimated_age is not None:
        estimated_on = age_estimated_on or created_at.date()
        return estimated_age + (on - estimated_on).days // 365
    return None


def presumed_child(age: int | None, *, age_disputed: bool) -> bool:
    """Presumption of minority: under 18, of disputed age, or of unknown age."""
    return age_disputed or age is None or age < CHILD_AGE


class Person(models.Model):
    """Someone the system holds a record of. Names are kept in each script they come in, so a
    Myanmar worker can be found by their Thai, Latin or Burmese spelling."""

    name_th = models.CharField(_("name in Thai"), max_length=200, blank=True)
    name_latin = models.CharField(_("name in Latin script"), max_length=200, blank=True)
    name_native = models.CharField(_("name in native script"), max_length=200, blank=True)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    # All names in one comparable Latin form (cases/names.py), kept by the services.
    name_key = models.CharField(max_length=1000, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        validators=[validate_not_future, validate_plausible_birth],
    )
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    age_disputed = models.BooleanField(
        _("age disputed"),
        default=False,
        help_text=_("A person whose age is disputed is treated as a child until decided."),
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, choices=country_choices, blank=True
    )
    stateless = models.BooleanField(_("stateless"), default=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Digits only, after a "+" for an international number (validators.normalise_phone).
    phone = models.CharField(
        _("phone number"), max_length=20, blank=True, validators=[validate_phone]
    )
    created_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_th="", name_latin="", name_native=""),
                name="person_has_a_name",
            ),
            models.CheckConstraint(
                condition=Q(stateless=False) | Q(nationality=""),
                name="person_stateless_has_no_nationality",
            ),
        ]
        # The duplicate finder fetches everyone born on the day of each person it looks for.
        indexes = [models.Index(fields=["date_of_birth"], name="person_birth_date_idx")]

    def __str__(self):
        return self.display_name

    def clean(self):
        errors = {}
        if not (self.name_th or self.name_latin or self.name_native):
            errors["name_th"] = _("Give at least one name, in any script.")
        if self.stateless and self.nationality:
            errors["nationality"] = _("A stateless person has no nationality.")
        known = {code for code, _name in language_choices()}
        unknown = [code for code in self.languages if code not in known]
        if unknown:
            errors["languages"] = _("Unknown language code: %(codes)s.") % {
                "codes": ", ".join(map(str, unknown))
            }
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return display_name(self.name_th, self.name_latin, self.name_native)

    def age(self, on: dt.date | None = None) -> int | None:
        """Age in whole years from the date of birth, else from the estimate."""
        return age_on(
            on or timezone.localdate(),
            date_of_birth=self.date_of_birth,
            estimated_age=self.estimated_age,
            age_estimated_on=self.age_estimated_on,
            created_at=self.created_at,
        )

    @property
    def is_child(self) -> bool:
        """Presumption of minority: under 18, of disputed age, or of unknown age."""
        return presumed_child(self.age(), age_disputed=self.age_disputed)


class IdentityDocument(models.Model):
    class Kind(models.TextChoices):
        THAI_ID = "thai_id", _("Thai national ID card")
        PASSPORT = "passport", _("Passport")
        CERTIFICATE_OF_IDENTITY = "certificate_of_identity", _("Certificate of identity")
        MIGRANT_WORKER_CARD = "migrant_worker_card", _("Migrant worker card (pink card)")
        BORDER_PASS = "border_pass", _("Border pass")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    issuing_country = models.CharField(
        _("issuing country"), max_length=2, choices=country_choices, blank=True
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            # One document belongs to one person: a second registration must link instead.
            models.UniqueConstraint(
                fields=["kind", "issuing_country", "number"], name="identity_document_unique"
            ),
        ]
        indexes = [models.Index(fields=["number"], name="identity_document_number_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @staticmethod
    def normalise_number(number: str) -> str:
        """A document number as it is stored and compared: no spaces or dashes, capitals."""
        return "".join(number.split()).replace("-", "").upper()

    def clean(self):
        self.number = self.normalise_number(self.number)
        if self.kind == self.Kind.THAI_ID:
            validate_thai_id(self.number)
            self.issuing_country = "TH"
