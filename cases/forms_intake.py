"""Forms of the operation and mass-intake pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin

from .models import Operation


class OperationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["name", "province", "started_on", "lead_agency", "description"]
        widgets = {"started_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        # The model's own checks run in the service (operation_create).
        pass


class IntakeUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File of persons"),
        help_text=_("CSV (UTF-8) or Excel .xlsx, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
