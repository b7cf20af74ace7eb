"""The filters of the repatriation list and its export.

GET parameters:

- `status`: planned, sent, assessed, scheduled, handed_over, confirmed, cancelled;
- `kind`: repatriation, reintegration;
- `country`: the ISO code of the counterpart's country (MM, KH, LA, VN, ...);
- `from`, `to`: the hand-over date, both days included, yyyy-mm-dd.

They narrow what the user may see (repatriation.selectors.repatriation_list_visible_to).
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.lists import FilterForm, keyword_parameters

from .models import CounterpartAgency, Kind, Repatriation
from .workflow import Status


def _countries():
    """The countries that have a counterpart agency, by name in the user's language."""
    agencies = CounterpartAgency.objects.all()
    return sorted(
        {(agency.country, agency.country_name) for agency in agencies}, key=lambda c: c[1]
    )


@keyword_parameters
class RepatriationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All"))
    kind = filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    country = filters.ChoiceFilter(
        label=_("Country"),
        field_name="counterpart__country",
        choices=_countries,
        empty_label=_("All"),
    )
    from_ = filters.DateFilter(
        label=_("Hand-over from"), field_name="handover_on", lookup_expr="gte", widget=DateInput()
    )
    to = filters.DateFilter(
        label=_("Hand-over until"), field_name="handover_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Repatriation
        fields = []
        form = FilterForm
