"""The filters of the list of shelter stays (placements) and its export.

GET parameters:

- `status`: admitted (in the shelter), discharged, transferred;
- `shelter`: the code of the shelter's organisation (shelter-kredtrakarn, ...);
- `status` and `shelter` may be given more than once: the stays of any of them;
- `from`, `to`: the day of admission (Bangkok time), both days included, yyyy-mm-dd.

They narrow what the user may see (shelters.selectors.placement_list_visible_to).
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.lists import AnyOfFilter, FilterForm, keyword_parameters

from .models import Placement, PlacementStatus, Shelter


def shelter_choices() -> list[tuple[str, str]]:
    shelters = Shelter.objects.select_related("organisation")
    return [(shelter.organisation.code, shelter.organisation.name) for shelter in shelters]


@keyword_parameters
class PlacementFilter(filters.FilterSet):
    status = AnyOfFilter(label=_("Status"), choices=PlacementStatus.choices)
    shelter = AnyOfFilter(
        label=_("Shelter"), field_name="unit__shelter__organisation__code", choices=shelter_choices
    )
    from_ = filters.DateFilter(
        label=_("Admitted from"),
        field_name="admitted_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    to = filters.DateFilter(
        label=_("Admitted until"),
        field_name="admitted_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )

    class Meta:
        model = Placement
        fields = []
        form = FilterForm
