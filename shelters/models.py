"""The six government shelters for victims of trafficking and their beds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


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

    class Meta:
        ordering = ["shelter", "section"]
        verbose_name = _("shelter unit")
        verbose_name_plural = _("shelter units")
        constraints = [
            models.UniqueConstraint(fields=["shelter", "section"], name="one_unit_per_section"),
        ]

    def __str__(self):
        return f"{self.shelter} · {self.get_section_display()}"
