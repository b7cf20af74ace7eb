"""The filters of the audit log's page and its export.

GET parameters:

- `case`: part of a case number: the entries about those cases, their persons and every record
  of theirs (screenings, referrals, stays, notes, ...), and the lists that showed them;
- `person`: a name in any script, found as the case list finds it (`cases.filters.CaseFilter`),
  with the same entries as `case` for the cases found;
- `username`: a user name, or the user's first or last name (every word must match);
- `action`: one of `AuditEvent.Action` (view, list, export, ...);
- `organisation`: the code of an organisation: the entries of its members;
- `from`, `to`: the day of the entry (Bangkok time), both days included.

Cases are found through the viewer's visibility (`cases.selectors.case_list_visible_to`).
"""

import datetime as dt

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import organisation_choices
from accounts.models import Membership
from audit.models import AuditEvent
from cases.filters import CaseFilter
from cases.models import Case
from cases.selectors import case_list_visible_to
from core.forms import DateInput
from core.lists import FilterForm, filtered, keyword_parameters

from .records import events_about_cases

# A search that matches more cases than this finds their records, but not the lists that
# showed them: a list is found by the ids of its rows, one condition per id.
LISTED_CASES = 100


class AuditLogForm(FilterForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end of the period comes before its start."))
        return cleaned


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@keyword_parameters
class AuditLogFilter(filters.FilterSet):
    case = filters.CharFilter(label=_("Case number"), method="about_case_number", max_length=40)
    person = filters.CharFilter(
        label=_("Person"),
        method="about_person",
        max_length=200,
        help_text=_("A name in any script."),
    )
    username = filters.CharFilter(
        label=_("User"),
        method="by_user",
        max_length=150,
        help_text=_("User name or full name."),
    )
    action = filters.ChoiceFilter(
        label=_("Action"), choices=AuditEvent.Action.choices, empty_label=_("All")
    )
    organisation = filters.ChoiceFilter(
        label=_("Organisation of the user"),
        choices=organisation_choices,
        method="by_organisation",
        empty_label=_("All"),
    )
    from_ = filters.DateFilter(label=_("From"), method="since", widget=DateInput())
    to = filters.DateFilter(label=_("Until"), method="until", widget=DateInput())

    class Meta:
        model = AuditEvent
        fields = []
        form = AuditLogForm

    # Whether a search by case or person matched too many cases to find the lists that
    # showed them (the page says so).
    lists_unsearched = False
    lists_unsearched_above = LISTED_CASES

    def _about(self, queryset, cases: QuerySet[Case]):
        listed = list(cases.order_by().values_list("pk", "person_id")[: LISTED_CASES + 1])
        if len(listed) > LISTED_CASES:
            self.lists_unsearched, listed = True, None
        return queryset.filter(events_about_cases(cases, listed=listed))

    def _visible_cases(self) -> QuerySet[Case]:
        return case_list_visible_to(user=self.request.user)

    def about_case_number(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return self._about(queryset, self._visible_cases().filter(number__icontains=text))

    def about_person(self, queryset, name, value):
        if not value.strip():
            return queryset
        cases = filtered(CaseFilter({"q": value}, queryset=self._visible_cases()))
        return self._about(queryset, cases)

    def by_user(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
            )
        return queryset

    def by_organisation(self, queryset, name, value: str):  # a code (typed for the API schema)
        members = Membership.objects.filter(user_id=OuterRef("actor_id"), organisation__code=value)
        return queryset.filter(Exists(members))

    def since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of(value + dt.timedelta(days=1)))
