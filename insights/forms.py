import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Province, Region, Role
from accounts.permissions import has_role
from cases.reference import language_choices
from core.forms import DateInput, StyledFormMixin, check_period

from .dimensions import DIMENSIONS
from .figures import Filters
from .models import Reason
from .selectors import figure_places


def last_twelve_months() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today.replace(year=today.year - 1) + dt.timedelta(days=1), today


class StageFiltersForm(StyledFormMixin, forms.Form):
    """The period (stages begun in it), place and breakdown of the stage figures, as GET
    parameters. The province choices are offered to the viewers whose figures span more than
    one province (selectors.figure_places), the regions to the central division."""

    start = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("To"), widget=DateInput(), required=False)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All provinces"),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("All regions")), *Region.choices],
        required=False,
    )
    by = forms.ChoiceField(
        label=_("Break down by"),
        choices=[(d.key, d.label) for d in DIMENSIONS],
        required=False,
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        start, end = last_twelve_months()
        self.fields["start"].initial, self.fields["end"].initial = start, end
        places = figure_places(user)
        if places is None:
            del self.fields["province"], self.fields["region"]
            return
        self.fields["province"].queryset = places
        if not has_role(user, Role.CENTRAL_REVIEWER):
            del self.fields["region"]  # a regional office's provinces are one region of its own

    @classmethod
    def from_query(cls, query, *, user) -> "StageFiltersForm":
        """Bound to the query when it asks for anything this form knows."""
        asked = any(query.get(name) for name in cls.base_fields)
        return cls(query if asked else None, user=user)

    def clean(self):
        cleaned = super().clean()
        check_period(self, "start", "end")
        return cleaned

    def filters(self) -> Filters:
        """The filters asked for, or the last twelve months nationally when the form is empty
        or wrong (its errors are shown beside it)."""
        start, end = last_twelve_months()
        if not self.is_bound or not self.is_valid():
            return Filters(start=start, end=end)
        data = self.cleaned_data
        return Filters(
            start=data["start"] or start,
            end=data["end"] or end,
            province=data.get("province"),
            region=data.get("region") or "",
            by=data["by"] or "all",
        )


class BlockerForm(StyledFormMixin, forms.Form):
    """Waiting because ...: the reason, the language for a missing interpreter, a note."""

    reason = forms.ChoiceField(label=_("Waiting because"), choices=Reason.choices)
    language = forms.ChoiceField(
        label=_("Language (for an interpreter)"),
        choices=lambda: [("", "—"), *language_choices()],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.NO_INTERPRETER and not cleaned.get("language"):
            self.add_error("language", _("Say which language needs an interpreter."))
        return cleaned
