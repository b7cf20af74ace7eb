"""The filters of the case list and its export.

GET parameters (the dashboards link into the list with them):

- `q`: a case number, an identity document's number, a phone number, or a name in any script
  and spelling (cases/search.py), best match first;
- `status`: open, closed, reopened;
- `province`: the 2-digit code of the province where the case came in (`intake_province`);
- `status` and `province` may be given more than once (`?province=50&province=63`): the cases
  of any of them;
- `from`, `to`: the intake date, both days included, yyyy-mm-dd;
- `sex`: female, male, other, unknown;
- `nationality`: the person's ISO 3166 code (TH, MM, LA, KH, ...);
- `exploitation`: one of the case's forms of exploitation (sexual, labour_fishing, ...).

They narrow what the user may see (cases.selectors.case_list_visible_to); a value outside it
gives an empty list, never someone else's cases.
"""

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.translation import gettext_lazy as _

from accounts.choices import province_choices
from core.forms import DateInput
from core.lists import AnyOfFilter, FilterForm, keyword_parameters

from .models import Case, ExploitationType, Sex
from .reference import country_choices
from .search import cases_matching
from .workflow import CaseStatus


@keyword_parameters
class CaseFilter(filters.FilterSet):
    q = filters.CharFilter(
        label=_("Name, case, document or phone number"), method="search", max_length=200
    )
    status = AnyOfFilter(label=_("Status"), choices=CaseStatus.choices)
    province = AnyOfFilter(
        label=_("Intake province"), field_name="intake_province__code", choices=province_choices
    )
    from_ = filters.DateFilter(
        label=_("Intake from"), field_name="intake_date", lookup_expr="gte", widget=DateInput()
    )
    to = filters.DateFilter(
        label=_("Intake until"), field_name="intake_date", lookup_expr="lte", widget=DateInput()
    )
    sex = filters.ChoiceFilter(
        label=_("Sex"), field_name="person__sex", choices=Sex.choices, empty_label=_("All")
    )
    nationality = filters.ChoiceFilter(
        label=_("Nationality"),
        field_name="person__nationality",
        choices=country_choices,
        empty_label=_("All"),
    )
    exploitation = filters.ChoiceFilter(
        label=_("Form of exploitation"),
        choices=ExploitationType.choices,
        empty_label=_("All"),
        method="with_exploitation",
    )

    class Meta:
        model = Case
        fields = []
        form = FilterForm

    def search(self, queryset, name, value):
        try:
            return cases_matching(value, cases=queryset)
        except ValidationError as error:
            self.form.add_error("q", error)
            return queryset.none()

    def with_exploitation(self, queryset, name, value):
        if connections[queryset.db].features.supports_json_field_contains:
            # PostgreSQL: jsonb containment, which a GIN index can serve.
            return queryset.filter(exploitation_types__contains=[value])
        # SQLite stores the list as JSON text. The value is one of ExploitationType's slugs
        # (the form refuses anything else), and quoted it cannot match inside another slug.
        return queryset.filter(exploitation_types__icontains=f'"{value}"')
