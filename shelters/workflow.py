"""The states of a shelter stay and the moves allowed (DESIGN.md §4): a stay ends once, by a
discharge or by a transfer to another shelter."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementStatus(models.TextChoices):
    ADMITTED = "admitted", _("In the shelter")
    DISCHARGED = "discharged", _("Discharged")
    TRANSFERRED = "transferred", _("Transferred to another shelter")


TRANSITIONS = {
    PlacementStatus.ADMITTED: {PlacementStatus.DISCHARGED, PlacementStatus.TRANSFERRED},
    PlacementStatus.DISCHARGED: set(),
    PlacementStatus.TRANSFERRED: set(),
}
