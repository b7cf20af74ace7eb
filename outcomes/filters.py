"""The filters of the list of outcomes and its export; the dashboard's and the annual
figures count the same FilterSet (reports.statistics.outcome_figures), so that a figure is
the number of rows of the list it links to.

GET parameters:

- `moment`: closure, months_3, months_6, months_12;
- `contact`: reached, not_possible, contact_lost;
- `revictimised`: yes (an outcome with a sign of re-victimisation);
- `twelve_months`: yes / no (the case has an outcome of the 12-month follow-up);
- `retrafficked`: yes / no (selectors.retrafficked: the person identified again within 24
  months, or a sign of re-victimisation on the case);
- `from`, `to`: the day the outcome was recorded (Bangkok time), both days included;
- `province`: the 2-digit code of the case's province of intake;
- `moment`, `contact` and `province` may be given more than once (`?province=50&province=63`):
  the outcomes of any of them.

They narrow what the user may see (selectors.outcome_list_visible_to).
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from accounts.choices import province_choices
from core.forms import DateInput
from core.lists import AnyOfFilter, FilterForm, keyword_parameters

from .models import Contact, Moment, Outcome
from .selectors import has_twelve_month_outcome, retrafficked

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_or_no(condition):
    def apply(queryset, _name, value):
        if value == "yes":
            return queryset.filter(condition())
        if value == "no":
            return queryset.exclude(condition())
        return queryset

    return apply


@keyword_parameters
class OutcomeFilter(filters.FilterSet):
    moment = AnyOfFilter(label=_("When"), choices=Moment.choices)
    contact = AnyOfFilter(label=_("Contact with the person"), choices=Contact.choices)
    revictimised = filters.ChoiceFilter(
        label=_("Sign of re-victimisation"),
        choices=YES_NO,
        empty_label=_("All"),
        method=lambda queryset, _name, value: queryset.filter(revictimised=value == "yes"),
    )
    twelve_months = filters.ChoiceFilter(
        label=_("12-month follow-up recorded"),
        choices=YES_NO,
        empty_label=_("All"),
        method=_yes_or_no(has_twelve_month_outcome),
    )
    retrafficked = filters.ChoiceFilter(
        label=_("Re-trafficked within 24 months"),
        choices=YES_NO,
        empty_label=_("All"),
        method=_yes_or_no(retrafficked),
    )
    from_ = filters.DateFilter(
        label=_("Recorded from"),
        field_name="recorded_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    to = filters.DateFilter(
        label=_("Recorded until"),
        field_name="recorded_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    province = AnyOfFilter(
        label=_("Intake province"),
        field_name="case__intake_province__code",
        choices=province_choices,
    )

    class Meta:
        model = Outcome
        fields = []
        form = FilterForm
