from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Province
from core.forms import DateInput, StyledFormMixin
from core.versions import VersionField

from .models import CounterpartAgency, TravelDocument

TRAVEL_DOCUMENTS = [("", _("Not yet issued")), *TravelDocument.choices]


class PlanForm(StyledFormMixin, forms.Form):
    """The plan of a return home: the counterpart (abroad) or the receiving province (Thai)."""

    counterpart = forms.ModelChoiceField(
        label=_("Counterpart agency"),
        queryset=CounterpartAgency.objects.filter(is_active=True),
        required=False,
        help_text=_("For a foreign victim: the agency of their country under the agreement."),
    )
    province = forms.ModelChoiceField(
        label=_("Receiving province"),
        queryset=Province.objects.all(),
        required=False,
        help_text=_("For a Thai victim: the province where they return."),
    )
    destination = forms.CharField(label=_("Destination"), max_length=300)
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 4}))
    travel_document = forms.ChoiceField(
        label=_("Travel document"), choices=TRAVEL_DOCUMENTS, required=False
    )
    travel_document_number = forms.CharField(
        label=_("Travel document number"), max_length=50, required=False
    )

    def __init__(self, *args, abroad: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if abroad:
            del self.fields["province"]
        else:
            for name in ("counterpart", "travel_document", "travel_document_number"):
                del self.fields[name]


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()


class AssessForm(StyledFormMixin, forms.Form):
    assessment = forms.CharField(
        label=_("What the family assessment found"), widget=forms.Textarea(attrs={"rows": 3})
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    version = VersionField()


class ScheduleForm(StyledFormMixin, forms.Form):
    handover_on = forms.DateField(label=_("Hand-over date"), widget=DateInput())
    handover_place = forms.CharField(label=_("Hand-over place"), max_length=300)
    travel_document = forms.ChoiceField(
        label=_("Travel document"), choices=TRAVEL_DOCUMENTS, required=False
    )
    travel_document_number = forms.CharField(
        label=_("Travel document number"), max_length=50, required=False
    )
    version = VersionField()


class ConfirmForm(StyledFormMixin, forms.Form):
    confirmed_on = forms.DateField(label=_("Confirmed on"), widget=DateInput())
    reference = forms.CharField(label=_("Counterpart's reference"), max_length=100, required=False)
    version = VersionField()


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()
