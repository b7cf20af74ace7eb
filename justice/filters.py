"""The filters of the lists of criminal proceedings and of compensation claims, and of their
exports. GET parameters: `status`; `offence` or `source`; `from`, `to` (the day of the
complaint, or of the claim), yyyy-mm-dd. They narrow what the user may see (selectors)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.lists import FilterForm, keyword_parameters

from .models import ClaimSource, CompensationClaim, Offence, Prosecution
from .workflow import ClaimStatus, ProsecutionStatus


@keyword_parameters
class ProsecutionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        label=_("Status"), choices=ProsecutionStatus.choices, empty_label=_("All")
    )
    offence = filters.ChoiceFilter(
        label=_("Offence"), choices=Offence.choices, empty_label=_("All")
    )
    from_ = filters.DateFilter(
        label=_("Complaint filed from"),
        field_name="reported_on",
        lookup_expr="gte",
        widget=DateInput(),
    )
    to = filters.DateFilter(
        label=_("Complaint filed until"),
        field_name="reported_on",
        lookup_expr="lte",
        widget=DateInput(),
    )

    class Meta:
        model = Prosecution
        fields = []
        form = FilterForm


@keyword_parameters
class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        label=_("Status"), choices=ClaimStatus.choices, empty_label=_("All")
    )
    source = filters.ChoiceFilter(
        label=_("Claimed from"), choices=ClaimSource.choices, empty_label=_("All")
    )
    from_ = filters.DateFilter(
        label=_("Claimed on or after"),
        field_name="claimed_on",
        lookup_expr="gte",
        widget=DateInput(),
    )
    to = filters.DateFilter(
        label=_("Claimed on or before"),
        field_name="claimed_on",
        lookup_expr="lte",
        widget=DateInput(),
    )

    class Meta:
        model = CompensationClaim
        fields = []
        form = FilterForm
