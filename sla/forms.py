from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin

from .models import HolidayChange
from .services import NOTE_REQUIRED


class HolidayChangeForm(StyledFormMixin, forms.Form):
    """A sysadmin's change to the holiday calendar (sla.services.holiday_change_add checks it)."""

    date = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date to change.")},
    )
    kind = forms.ChoiceField(
        label=_("Change"),
        choices=[
            (HolidayChange.Kind.ADDED, _("Make this day a holiday (declared by the cabinet)")),
            (
                HolidayChange.Kind.REMOVED,
                _("Make this public holiday a working day (it is worked this year)"),
            ),
        ],
        initial=HolidayChange.Kind.ADDED,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        help_text=_("The reason, for example the cabinet resolution and its date."),
        error_messages={"required": NOTE_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
