"""Who someone is and where they work: provinces, organisations, users and their roles."""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A name kept in Thai and English; `name` follows the active language."""

    name_th = models.CharField(_("name in Thai"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "th").startswith("en") else self.name_th


class Region(models.TextChoices):
    NORTH = "north", _("North")
    NORTHEAST = "northeast", _("Northeast")
    CENTRAL = "central", _("Central")
    EAST = "east", _("East")
    WEST = "west", _("West")
    SOUTH = "south", _("South")


class Province(BilingualName):
    """One of Thailand's 77 provinces (76 and Bangkok), with its official 2-digit code."""

    code = models.CharField(
        _("code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("A province code is two digits."))],
    )
    region = models.CharField(_("region"), max_length=10, choices=Region.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class Organisation(BilingualName):
    """An office that holds or receives cases: the central division, a provincial office, a
    shelter, a regional office or a partner agency."""

    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central division")
        PROVINCIAL_OFFICE = "provincial_office", _("Provincial office")
        SHELTER = "shelter", _("Shelter")
        REGIONAL_OFFICE = "regional_office", _("Regional office")
        PARTNER = "partner", _("Partner agency")

    class Agency(models.TextChoices):
        """What a partner agency does on a multidisciplinary team (the 2022 NRM)."""

        POLICE = "police", _("Police")
        LABOUR = "labour", _("Labour")
        IMMIGRATION = "immigration", _("Immigration")
        HEALTH = "health", _("Health")
        NGO = "ngo", _("NGO")
        INTERPRETER = "interpreter", _("Interpreter service")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    agency = models.CharField(
        _("agency type"),
        max_length=20,
        choices=Agency.choices,
        blank=True,
        help_text=_("For a partner agency: what it does on the multidisciplinary team."),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("province"),
        null=True,
        blank=True,
    )
    # A regional academic support office coaches the provincial offices of several provinces:
    # which ones is reference data (accounts/reference_data.py), kept current in the admin.
    covered_provinces = models.ManyToManyField(
        Province,
        related_name="regional_offices",
        blank=True,
        verbose_name=_("provinces covered"),
        help_text=_("For a regional office: the provinces whose figures it sees."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            # Every government office sits in a province; only a partner may have none.
            models.CheckConstraint(
                condition=Q(kind="partner") | Q(province__isnull=False),
                name="organisation_province_required",
            ),
            # Only a partner agency has an agency type (clean() asks a new one for it).
            models.CheckConstraint(
                condition=Q(kind="partner") | Q(agency=""),
                name="organisation_agency_for_partners",
            ),
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(kind="provincial_office"),
                name="one_provincial_office_per_province",
            ),
        ]

    def clean(self):
        if self.kind == self.Kind.PARTNER and not self.agency:
            raise ValidationError({"agency": _("Say what the partner agency does.")})
        if self.kind != self.Kind.PARTNER and self.agency:
            raise ValidationError({"agency": _("Only a partner agency has an agency type.")})


class User(AbstractUser):
    """A person who signs in. Their work is defined by their memberships."""

    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Raised to end every session of the user at once (a new role, "sign out everywhere"):
    # it is part of the hash each session keeps, as the password is.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def _get_session_auth_hash(self, secret=None):
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "accounts.User.session_epoch"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def save(self, *args, **kwargs):
        # Whatever changed the password (the admin, a command, the user), the API tokens
        # issued under the old one end with it, as the sessions do.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from knox.models import AuthToken  # knox's models load after this app's

            AuthToken.objects.filter(user=self).delete()

    @cached_property
    def membership(self) -> "Membership | None":
        """The user's working membership (the oldest active one), loaded once per instance.
        The request's own user gets it from the cache instead (accounts.state)."""
        return self.memberships.working().first()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    SHELTER_DIRECTOR = "shelter_director", _("Shelter director")
    SHELTER_STAFF = "shelter_staff", _("Shelter staff")
    CENTRAL_REVIEWER = "central_reviewer", _("Central reviewer")
    SYSADMIN = "sysadmin", _("System administrator")
    PARTNER = "partner", _("Partner agency officer")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    REGIONAL_OFFICER = "regional_officer", _("Regional officer")


# Which kind of organisation each role works in (DESIGN.md §1, §6).
ROLE_ORGANISATION_KINDS = {
    Role.SOCIAL_WORKER: Organisation.Kind.PROVINCIAL_OFFICE,
    Role.SUPERVISOR: Organisation.Kind.PROVINCIAL_OFFICE,
    Role.SHELTER_DIRECTOR: Organisation.Kind.SHELTER,
    Role.SHELTER_STAFF: Organisation.Kind.SHELTER,
    Role.CENTRAL_REVIEWER: Organisation.Kind.CENTRAL,
    Role.SYSADMIN: Organisation.Kind.CENTRAL,
    Role.PARTNER: Organisation.Kind.PARTNER,
    Role.DATA_PROTECTION_OFFICER: Organisation.Kind.CENTRAL,
    Role.REGIONAL_OFFICER: Organisation.Kind.REGIONAL_OFFICE,
}


class MembershipQuerySet(models.QuerySet):
    def working(self) -> "MembershipQuerySet":
        """Active memberships in active organisations, oldest first (a user's first one is
        their working membership), with the organisation and province the pages show."""
        return (
            self.filter(is_active=True, organisation__is_active=True)
            .select_related("organisation__province")
            .order_by("pk")
        )


class Membership(models.Model):
    """A user's role in one organisation."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    def clean(self):
        expected = ROLE_ORGANISATION_KINDS.get(self.role)
        if expected and self.organisation_id and self.organisation.kind != expected:
            raise ValidationError(
                {
                    "role": _("A %(role)s must belong to a %(kind)s.")
                    % {
                        "role": self.get_role_display(),
                        "kind": Organisation.Kind(expected).label,
                    }
                }
            )


class EnrolmentCode(models.Model):
    """A one-time code an administrator hands a person (in person or by phone) to set up their
    authenticator app: whoever knows only the password cannot enrol their own phone first.
    Only a hash is kept; it expires, and a few wrong tries burn it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enrolment_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used or burnt"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("two-factor enrolment code")
        verbose_name_plural = _("two-factor enrolment codes")

    def __str__(self):
        return f"{self.user} {self.issued_at:%Y-%m-%d}"
