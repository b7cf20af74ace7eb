"""Persons, their cases, and the screening that identifies them as victims (or not)."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import BilingualName, Organisation, Province
from core.dates import format_date, format_datetime

from .reference import country_choices, language_choices
from .validators import validate_not_future, validate_thai_id
from .workflow import ACTIVE_SCREENING_STATES, CaseStatus, ScreeningStatus

CHILD_AGE = 18


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


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
        _("date of birth"), null=True, blank=True, validators=[validate_not_future]
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
    created_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

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
        return self.name_th or self.name_latin or self.name_native

    def age(self, on: dt.date | None = None) -> int | None:
        """Age in whole years from the date of birth, else from the estimate."""
        on = on or timezone.localdate()
        if self.date_of_birth:
            born = self.date_of_birth
            return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        if self.estimated_age is not None:
            estimated_on = self.age_estimated_on or self.created_at.date()
            return self.estimated_age + (on - estimated_on).days // 365
        return None

    @property
    def is_child(self) -> bool:
        """Presumption of minority: under 18, of disputed age, or of unknown age."""
        age = self.age()
        return self.age_disputed or age is None or age < CHILD_AGE


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

    def clean(self):
        self.number = "".join(self.number.split()).replace("-", "").upper()
        if self.kind == self.Kind.THAI_ID:
            validate_thai_id(self.number)
            self.issuing_country = "TH"


class Operation(models.Model):
    """A raid or mass rescue that brings many people in at once."""

    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("province"))
    started_on = models.DateField(_("date"))
    lead_agency = models.CharField(_("lead agency"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="operations", verbose_name=_("office")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")

    def __str__(self):
        return self.name


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
        FOLLOW_UP = "follow_up", _("Follow-up visit")

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


class Indicator(BilingualName):
    """An indicator of trafficking or forced labour on the screening checklist (reference data)."""

    class Group(models.TextChoices):
        FORCED_LABOUR = "forced_labour", _("ILO indicators of forced labour")
        SEXUAL = "sexual", _("Sexual exploitation")
        CHILD = "child", _("Child")
        CRIMINAL = "criminal", _("Criminal exploitation")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


class Outcome(models.TextChoices):
    VICTIM_TRAFFICKING = "victim_trafficking", _("Victim of trafficking (s.6)")
    VICTIM_FORCED_LABOUR = "victim_forced_labour", _("Victim of forced labour or services (s.6/1)")
    REASONABLE_GROUNDS = "reasonable_grounds", _("Reasonable grounds: potential victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


class Screening(models.Model):
    """Victim identification by the multidisciplinary team (MDT), within the custody limit of
    Act s.29: 24 hours from the start of custody or screening, up to 7 more days by court order."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="screenings", verbose_name=_("case")
    )
    status = models.CharField(
        _("status"),
        max_length=25,
        choices=ScreeningStatus.choices,
        default=ScreeningStatus.OPEN,
    )
    custody_started_at = models.DateTimeField(_("custody or screening started"))
    deadline_at = models.DateTimeField(_("identification deadline"))
    extension_order_reference = models.CharField(
        _("court order reference"), max_length=100, blank=True
    )
    interpreter_name = models.CharField(_("interpreter"), max_length=200, blank=True)
    interpreter_language = models.CharField(
        _("interpreter's language"), max_length=3, choices=language_choices, blank=True
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="+", verbose_name=_("indicators observed")
    )
    outcome = models.CharField(_("outcome"), max_length=25, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    second_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("second reviewer"),
    )
    second_reviewed_at = models.DateTimeField(_("second review"), null=True, blank=True)
    second_review_note = models.TextField(_("second review note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-custody_started_at", "-pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(
                    status__in=["open", "reopened", "awaiting_mdt", "pending_second_review"]
                ),
                name="one_active_screening_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline_at"], name="screening_due_idx"),
            # The clocks running now, soonest first (an office's home page): a few hundred
            # rows at most, among ten years of finished screenings.
            models.Index(
                fields=["deadline_at"],
                condition=Q(status__in=["open", "reopened"]),
                name="screening_running_idx",
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("cases:screening", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status in ACTIVE_SCREENING_STATES and timezone.now() > self.deadline_at


class ScreeningMember(models.Model):
    """A member of the multidisciplinary team on one screening."""

    class Agency(models.TextChoices):
        POLICE = "police", _("Police")
        MSDHS = "msdhs", _("Social development (MSDHS)")
        LABOUR = "labour", _("Employment / labour office")
        LABOUR_PROTECTION = "labour_protection", _("Labour protection and welfare")
        FISHERIES = "fisheries", _("Fisheries")
        HEALTH = "health", _("Public health")
        JUSTICE = "justice", _("Justice")
        IMMIGRATION = "immigration", _("Immigration")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="members", verbose_name=_("screening")
    )
    name = models.CharField(_("name"), max_length=200)
    agency = models.CharField(_("agency"), max_length=20, choices=Agency.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("MDT member")
        verbose_name_plural = _("MDT members")

    def __str__(self):
        return f"{self.name} ({self.get_agency_display()})"


class Interview(models.Model):
    """One interview, recorded so that the person is not made to tell their story again."""

    screening = models.ForeignKey(
        Screening,
        on_delete=models.CASCADE,
        related_name="interviews",
        verbose_name=_("screening"),
    )
    held_at = models.DateTimeField(_("held at"), validators=[validate_not_future])
    interviewer = models.CharField(_("interviewer"), max_length=200)
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=3, choices=language_choices, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["held_at", "pk"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self):
        return f"{format_datetime(self.held_at)} {self.interviewer}"


class IntakeBatch(models.Model):
    """One uploaded file of persons for an operation: checked row by row on upload, kept until
    the worker confirms it, then imported all at once or not at all (cases/intake.py)."""

    class Status(models.TextChoices):
        VALIDATED = "validated", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed: nothing was saved")

    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        related_name="intake_batches",
        verbose_name=_("operation"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALIDATED
    )
    # Cleaned rows: [{"row": spreadsheet row number, "raw": {column: text}, "data": {...}}].
    rows = models.JSONField(default=list, blank=True)
    # [{"row": n, "field": column, "message": text}], in the uploader's language.
    errors = models.JSONField(default=list, blank=True)
    # {"<row>": [{"person_id", "score", "reasons", "case_numbers"}]}: possible existing records.
    duplicates = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows imported"), default=0)
    case_ids = models.JSONField(default=list, blank=True)
    failure_message = models.TextField(_("reason for the failure"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("intake file")
        verbose_name_plural = _("intake files")

    def __str__(self):
        return f"{self.operation} · {self.file_name}"

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.VALIDATED and not self.errors and self.total > 0


class Permit(models.Model):
    """A foreign victim's permission to stay and work (Act s.37); its expiry must not lapse."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="permits", verbose_name=_("case")
    )
    reference = models.CharField(_("permit reference"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-expires_on", "-pk"]
        verbose_name = _("stay and work permit")
        verbose_name_plural = _("stay and work permits")

    def __str__(self):
        return f"{self.reference} ({self.expires_on})"

    def get_absolute_url(self):
        return self.case.get_absolute_url()


class AccessGrant(models.Model):
    """A named person's time-limited access to one case (an MDT police officer, say), given by
    a supervisor of the owning office for a stated purpose. The access itself is a
    django-guardian object permission on the case, revoked when the grant expires."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="access_grants", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_grants",
        verbose_name=_("person given access"),
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=Q(revoked_at__isnull=True),
                name="access_grant_live_idx",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.case} ({format_date(self.expires_at)})"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's per-case permissions with a real foreign key to the case (not the
    generic text id), so that checking a page of cases is one indexed join."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
