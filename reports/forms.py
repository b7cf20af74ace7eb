import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Province
from core.forms import DateInput, StyledFormMixin, check_period

from .statistics import Filters
from .years import YearKind, year_label

YEARS_BACK = 10


class DashboardForm(StyledFormMixin, forms.Form):
    """The period and province of a dashboard, as GET parameters named like the lists'
    (`from`, `to`, `province`), so that the dashboard links into the list behind a figure."""

    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name_th"),
        to_field_name="code",
        required=False,
        empty_label=_("All provinces"),
    )

    def __init__(self, *args, with_province: bool, **kwargs):
        super().__init__(*args, **kwargs)
        default = Filters.last_twelve_months()
        dates = {
            "from": forms.DateField(
                label=_("From"), widget=DateInput(), initial=default.start, required=False
            ),
            "to": forms.DateField(
                label=_("To"), widget=DateInput(), initial=default.end, required=False
            ),
        }
        self.fields = dates | ({"province": self.fields["province"]} if with_province else {})
        for name in dates:
            self.fields[name].widget.attrs["class"] = "form-control"

    @classmethod
    def from_query(cls, query, *, with_province: bool) -> "DashboardForm":
        """The form bound to the query when it asks for a period or a province (a query of
        other parameters only, like a recount, shows the default period without errors)."""
        asked = any(query.get(name) for name in ("from", "to", "province"))
        return cls(query if asked else None, with_province=with_province)

    def clean(self):
        cleaned = super().clean()
        check_period(self, "from", "to")
        return cleaned

    def filters(self) -> Filters:
        """The filters asked for, or the last twelve months when the form is empty or wrong."""
        default = Filters.last_twelve_months()
        if not self.is_bound or not self.is_valid():
            return default
        return Filters(
            start=self.cleaned_data["from"] or default.start,
            end=self.cleaned_data["to"] or default.end,
            province=self.cleaned_data.get("province"),
        )


def year_choices():
    this_year = timezone.localdate().year
    language = get_language()
    return [
        (year, year_label(year, YearKind.CALENDAR, language))
        for year in range(this_year + 1, this_year - YEARS_BACK, -1)
    ]


class AnnualFiguresForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Year"), choices=YearKind.choices, initial=YearKind.FISCAL)
    year = forms.TypedChoiceField(label=_("Which year"), coerce=int, choices=year_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = YearKind.FISCAL.containing(timezone.localdate())

    def chosen(self) -> tuple[int, str]:
        """(year, kind) asked for: the current fiscal year when nothing (valid) was asked."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"], self.cleaned_data["kind"]
        return self.fields["year"].initial, YearKind.FISCAL

    def period(self) -> tuple[dt.date, dt.date, str]:
        """(first day, last day, kind) of the year asked for."""
        year, kind = self.chosen()
        return *YearKind(kind).bounds(year), kind
