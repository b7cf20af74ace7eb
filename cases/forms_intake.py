"""Forms of the operation and mass-intake pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput, StyledFormMixin

from .models import Operation


class OperationForm(StyledFormMixin, forms.ModelForm):
    custody_started_at = forms.DateTimeField(
        label=_("Custody started"),
        help_text=_(
            "When the persons were taken into custody: each one's 24-hour identification "
            "deadline (Act s.29) counts from it. A row of an intake file may give its own."
        ),
        widget=DateTimeInput(),
    )

    class Meta:
        model = Operation
        fields = [
            "name",
            "province",
            "started_on",
            "custody_started_at",
            "lead_agency",
            "description",
        ]
        widgets = {"started_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An operation is mostly registered on the day it starts: today, which may be changed.
        # The custody start is left for the user to give: the s.29 clocks count from it.
        self.fields["started_on"].initial = timezone.localdate

    def _post_clean(self):
        # The model's own checks run in the service (operation_create).
        pass


class OperationScreeningsForm(StyledFormMixin, forms.Form):
    custody_started_at = forms.DateTimeField(
        label=_("Custody started"),
        help_text=_(
            "When these persons were taken into custody: each one's 24-hour identification "
            "deadline (Act s.29) counts from it."
        ),
        widget=DateTimeInput(),
    )


class IntakeUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File of persons"),
        help_text=_("CSV (UTF-8) or Excel .xlsx, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
