"""The data protection officer's records (PDPA B.E. 2562): personal data breaches and their
72-hour report (s.37(4)), data subjects' requests and their 30-day answer (s.30), the
retention rules and what the retention runs anonymised, and break-glass access to a case."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .workflow import BreachStatus, RequestStatus

LANGUAGES = [("th", _("Thai")), ("en", _("English"))]


class Risk(models.TextChoices):
    """The risk a breach poses to the persons' rights and freedoms (s.37(4))."""

    UNLIKELY = "unlikely", _("Unlikely to result in a risk")
    RISK = "risk", _("A risk to the persons")
    HIGH = "high", _("A high risk: the persons must be told")


class Breach(models.Model):
    """A personal data breach, from the moment the organisation became aware of it: the
    regulator is told within 72 hours (sla.Clock.BREACH_REPORT) unless it is unlikely to harm
    anyone; the persons are told without delay when the risk is high."""

    status = models.CharField(
        _("status"), max_length=20, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )
    summary = models.CharField(_("what happened"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    discovered_at = models.DateTimeField(_("became aware"))
    occurred_at = models.DateTimeField(_("happened"), null=True, blank=True)
    # Whose account was misused (a lost laptop, a shared password) and when: the records it
    # opened are read from the audit log.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account involved"),
    )
    period_start = models.DateTimeField(_("misuse from"), null=True, blank=True)
    period_end = models.DateTimeField(_("misuse until"), null=True, blank=True)
    affected_persons = models.ManyToManyField(
        "cases.Person", blank=True, related_name="+", verbose_name=_("persons affected")
    )
    affected_elsewhere = models.PositiveIntegerField(
        _("persons affected outside the system"),
        default=0,
        help_text=_("Paper files, e-mails: persons the audit log cannot know."),
    )
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, blank=True)
    risk_assessment = models.TextField(_("risk assessment"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    reported_at = models.DateTimeField(_("reported to the regulator"), null=True, blank=True)
    regulator_reference = models.CharField(_("regulator's reference"), max_length=100, blank=True)
    persons_told_at = models.DateTimeField(_("persons told"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # The version an API change (If-Match) or a form is based on (core/versions.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-discovered_at", "-pk"]
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")

    def __str__(self):
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("privacy:breach", args=[self.pk])

    @property
    def number(self) -> str:
        """How the register, the clocks and the notifications name it."""
        return f"PDPA-B-{self.pk}"

    @property
    def persons_must_be_told(self) -> bool:
        return self.risk == Risk.HIGH


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to a copy of their data (s.30)")
    PORTABILITY = "portability", _("Their data in a readable form (s.31)")
    OBJECTION = "objection", _("Objection to processing (s.32)")
    ERASURE = "erasure", _("Erasure or anonymisation (s.33)")
    RESTRICTION = "restriction", _("Restriction of processing (s.34)")
    RECTIFICATION = "rectification", _("Rectification (s.35, s.36)")


# The kinds answered with a copy of the data, reviewed by the officer before it is released.
COPY_KINDS = frozenset({RequestKind.ACCESS, RequestKind.PORTABILITY})


class Decision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Granted in part")
    REFUSED = "refused", _("Refused")


class Ground(models.TextChoices):
    """The legal ground of a decision: the right itself, or the exemption a refusal rests on."""

    RIGHT = "right", _("The person's right under the section of the request")
    IDENTITY = "identity", _("The requester's identity could not be confirmed")
    LAW_OR_COURT = "law_or_court", _("Refusal required by law or a court order (s.30)")
    RIGHTS_OF_OTHERS = (
        "rights_of_others",
        _("Disclosure would harm the rights and freedoms of others (s.30)"),
    )
    LEGAL_DUTY = (
        "legal_duty",
        _("Kept to comply with the Anti-Trafficking in Persons Act (s.24(6), s.33)"),
    )
    LEGAL_CLAIMS = (
        "legal_claims",
        _("Needed for legal claims: a prosecution or compensation (s.32, s.33)"),
    )


class SubjectRequest(models.Model):
    """A person's request about their own data, answered within 30 days of its receipt
    (sla.Clock.SUBJECT_REQUEST, calendar days), after a check of the requester's identity."""

    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    requester = models.CharField(
        _("requester"),
        max_length=200,
        help_text=_("The person, or who asks on their behalf (a guardian, a lawyer)."),
    )
    received_at = models.DateTimeField(_("received"))
    received_by = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    details = models.TextField(_("what is asked"), blank=True)
    language = models.CharField(
        _("language of the answer"), max_length=2, choices=LANGUAGES, default="th"
    )
    identity_evidence = models.CharField(_("identity checked against"), max_length=300, blank=True)
    identity_checked_at = models.DateTimeField(_("identity checked"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    ground = models.CharField(_("legal ground"), max_length=20, choices=Ground.choices, blank=True)
    decision_note = models.TextField(_("reasons"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The copy of the person's data, written in their language when the request is granted;
    # released only after the officer has read it.
    copy = models.TextField(_("copy of the data"), blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # The version an API change (If-Match) or a form is based on (core/versions.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("data subject's request")
        verbose_name_plural = _("data subjects' requests")

    def __str__(self):
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("privacy:request", args=[self.pk])

    @property
    def number(self) -> str:
        return f"PDPA-R-{self.pk}"


class RequestEvent(models.Model):
    """Every step of a request: who, when, from which state to which."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.request} → {self.to_status}"


class RecordKind(models.TextChoices):
    """What a retention rule keeps for a time after a case closes, then erases."""

    NOTES_AND_DOCUMENTS = (
        "notes_documents",
        _("Case notes and uploaded documents"),
    )
    IDENTITY = (
        "identity",
        _("The person's names, telephone and identity documents"),
    )


class RetentionRule(models.Model):
    """How long one kind of record is kept after the case closes (editable by a sysadmin in
    the admin; defaults loaded by migration). The statistics' fields (sex, date of birth,
    nationality, the case's dates, statuses and outcomes) are never erased."""

    kind = models.CharField(
        _("kind of record"), max_length=20, choices=RecordKind.choices, unique=True
    )
    years_after_closure = models.PositiveSmallIntegerField(_("years kept after the case closes"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self):
        return self.get_kind_display()


class RetentionRun(models.Model):
    """One pass of the retention job: a dry run lists what it would erase and what a legal
    hold keeps; a real run erases it."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    dry_run = models.BooleanField(_("dry run"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    # {"erase": [[case number, kind], ...], "held": [[case number, kind, reason], ...]}
    plan = models.JSONField(_("what it did or would do"), default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class Erasure(models.Model):
    """One kind of record of one case erased by a retention run: never erased twice."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="erasures")
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="one_erasure_per_case_and_kind")
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind}"


class BreakGlass(models.Model):
    """Emergency access to one case by a supervisor of another office or by the data
    protection officer, given to themself for a named reason for a few hours: an
    `cases.AccessGrant` (so the case's visibility and the grant's expiry work as for any
    grant), told to the central division and the case's team, listed for review."""

    grant = models.OneToOneField(
        "cases.AccessGrant", on_delete=models.PROTECT, related_name="+", verbose_name=_("access")
    )
    reason = models.TextField(_("reason"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review"), max_length=300, blank=True)
    # The version an API review (If-Match) is based on (core/versions.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")

    def __str__(self):
        return str(self.grant)
