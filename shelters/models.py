"""The six government shelters for victims of trafficking and their beds."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.dates import format_datetime
from sla.models import deadlines_relation

from .workflow import PlacementStatus


class TargetGroup(models.TextChoices):
    WOMEN_AND_GIRLS = "women_and_girls", _("Women and girls")
    WOMEN_AND_CHILDREN = "women_and_children", _("Women and children")
    MEN = "men", _("Men")
    MEN_AND_BOYS = "men_and_boys", _("Men and boys aged 15 and over")


class Section(models.TextChoices):
    WOMEN = "women", _("Women")
    GIRLS = "girls", _("Girls")
    MEN = "men", _("Men")
    BOYS = "boys", _("Boys")
    FAMILIES = "families", _("Families")
    ACCESSIBLE = "accessible", _("Accessible")
    LGBTQI = "lgbtqi", _("LGBTQI+")


class Shelter(models.Model):
    """A shelter is an organisation of kind shelter, with the group of people it takes in."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shelter",
        limit_choices_to={"kind": Organisation.Kind.SHELTER},
        verbose_name=_("organisation"),
    )
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)

    class Meta:
        ordering = ["organisation__code"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")

    def __str__(self):
        return str(self.organisation)


class ShelterUnit(models.Model):
    """A section of a shelter with its number of beds (published figures do not exist: the
    seeded capacities are estimates that the shelter director keeps true)."""

    shelter = models.ForeignKey(
        Shelter, on_delete=models.CASCADE, related_name="units", verbose_name=_("shelter")
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    capacity = models.PositiveSmallIntegerField(_("beds"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["shelter", "section"]
        verbose_name = _("shelter unit")
        verbose_name_plural = _("shelter units")
        constraints = [
            models.UniqueConstraint(fields=["shelter", "section"], name="one_unit_per_section"),
        ]

    def __str__(self):
        return f"{self.shelter} · {self.get_section_display()}"


class DischargeReason(models.TextChoices):
    REINTEGRATED = "reintegrated", _("Reintegrated with family")
    REPATRIATED = "repatriated", _("Repatriated")
    TRANSFERRED = "transferred", _("Transferred")
    LEFT = "left", _("Left of own will")
    OTHER = "other", _("Other")


class Placement(models.Model):
    """A person's stay in one section of a shelter. Occupancy is counted from these rows,
    never stored a second time."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="placements", verbose_name=_("case")
    )
    # The case's person, kept on the stay so that the database itself refuses a second bed for
    # one person who has two cases (a constraint cannot look through the case).
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("person"),
        editable=False,
    )
    unit = models.ForeignKey(
        ShelterUnit, on_delete=models.PROTECT, related_name="placements", verbose_name=_("section")
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("referral"),
    )
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=PlacementStatus.choices,
        default=PlacementStatus.ADMITTED,
    )
    admitted_at = models.DateTimeField(_("admitted"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    discharged_at = models.DateTimeField(_("discharged"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=15, choices=DischargeReason.choices, blank=True
    )
    discharge_note = models.TextField(_("note"), blank=True)
    # The version of the stay (core/versions.py): every save moves it.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    admitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("admitted by")
    )

    deadlines = deadlines_relation()

    class Meta:
        ordering = ["-admitted_at", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            # One bed per person, across all their cases.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status=PlacementStatus.ADMITTED),
                name="one_active_placement_per_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit"],
                condition=models.Q(status=PlacementStatus.ADMITTED),
                name="placement_active_idx",
            )
        ]

    def __str__(self):
        return f"{self.case} · {self.unit}"

    def get_absolute_url(self):
        return reverse("shelters:resident", args=[self.pk])

    def deadline_url(self):
        """Where a clock on the stay is answered: the stay's page while the person lives
        there (the care plan, the shelter's), the case's page once they left (the follow-ups,
        the owning office's, who may not open a stay's page)."""
        if self.status == PlacementStatus.ADMITTED:
            return self.get_absolute_url()
        return self.case.get_absolute_url()


class CarePlanItem(models.Model):
    """One service in a resident's care plan (Act s.33), with its status and due date."""

    class Service(models.TextChoices):
        HEALTH = "health", _("Health care")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
        LEGAL_AID = "legal_aid", _("Legal aid")
        EDUCATION = "education", _("Education and training")
        WORK_PERMIT = "work_permit", _("Work permit")
        COMPENSATION = "compensation", _("Compensation claim")
        REPATRIATION = "repatriation", _("Repatriation")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="care_plan", verbose_name=_("placement")
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PLANNED
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("care plan item")
        verbose_name_plural = _("care plan items")

    def __str__(self):
        return f"{self.get_service_display()}: {self.get_status_display()}"


class CarePlanItemChange(models.Model):
    """One version of a care-plan item, as it was saved (the first is its creation): the
    item's history on the stay's page."""

    item = models.ForeignKey(
        CarePlanItem, on_delete=models.CASCADE, related_name="history", verbose_name=_("item")
    )
    status = models.CharField(_("status"), max_length=15, choices=CarePlanItem.Status.choices)
    due_on = models.DateField(_("due"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("care plan change")
        verbose_name_plural = _("care plan changes")

    def __str__(self):
        return f"{self.item_id}: {self.get_status_display()}"


class MovementRecord(models.Model):
    """A resident's outing or phone use: evidence of freedom of movement and communication,
    which the US TIP report asks about. Visible to the central division."""

    class Kind(models.TextChoices):
        OUTING = "outing", _("Outing")
        PHONE = "phone", _("Phone access")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="movements", verbose_name=_("placement")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    accompanied = models.BooleanField(_("accompanied by staff"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("outing or phone use")
        verbose_name_plural = _("outings and phone use")

    def __str__(self):
        return f"{self.get_kind_display()} {format_datetime(self.started_at)}"
