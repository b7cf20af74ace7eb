"""Reads about shelters."""

from django.db.models import Prefetch, QuerySet, Sum

from accounts.models import Organisation

from .models import Shelter, ShelterUnit


def shelter_list_with_units() -> QuerySet[Shelter]:
    """All active shelters with their units and total beds, in two queries."""
    return (
        Shelter.objects.filter(organisation__is_active=True)
        .select_related("organisation__province")
        .prefetch_related(Prefetch("units", queryset=ShelterUnit.objects.order_by("section")))
        .annotate(total_beds=Sum("units__capacity"))
    )


def shelter_for_organisation(organisation: Organisation) -> Shelter | None:
    """The shelter an organisation of kind shelter runs, with its units."""
    return shelter_list_with_units().filter(organisation=organisation).first()
