from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput, StyledFormMixin
from core.versions import VersionField
from referrals.forms import ConsentForm

from .models import CarePlanItem, DischargeReason, MovementRecord, Shelter, ShelterUnit


def override_reason_field() -> forms.CharField:
    """The director's reason to place a person in a section not meant for them (admission and
    move alike; the service refuses the misfit without it)."""
    return forms.CharField(
        label=_("Reason to admit into a section not meant for this person"),
        required=False,
        help_text=_("Only when the section does not fit (a child, an adult, the other sex)."),
    )


class AdmitForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Section"), queryset=ShelterUnit.objects.none())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())
    override_reason = override_reason_field()

    def __init__(self, *args, shelter=None, units=None, **kwargs):
        """`units`: the shelter's sections already read by the page (the bed board's), offered
        as they are instead of each form of the page reading them again."""
        super().__init__(*args, **kwargs)
        if shelter is not None:
            field = self.fields["unit"]
            field.queryset = shelter.units.all()
            if units is not None:
                field.choices = [("", field.empty_label), *((unit.pk, str(unit)) for unit in units)]


class MoveSectionForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Move to the section"), queryset=ShelterUnit.objects.none()
    )
    override_reason = override_reason_field()
    version = VersionField()

    def __init__(self, *args, placement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if placement is not None:
            self.fields["unit"].queryset = placement.unit.shelter.units.exclude(
                pk=placement.unit_id
            )


class CapacityForm(StyledFormMixin, forms.Form):
    capacity = forms.IntegerField(label=_("Beds"), min_value=0, max_value=1000)
    version = VersionField()


class DischargeForm(StyledFormMixin, forms.Form):
    # No reason chosen in advance: the director says why the person leaves, and confirms.
    reason = forms.ChoiceField(
        label=_("Reason for leaving"),
        choices=[
            ("", _("Choose the reason")),
            *(c for c in DischargeReason.choices if c[0] != DischargeReason.TRANSFERRED),
        ],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(label=_("The person leaves the shelter now: I confirm."))
    version = VersionField()


class MovementEndForm(StyledFormMixin, forms.Form):
    # Usually recorded as the resident comes back: now, which the user may change.
    ended_at = forms.DateTimeField(label=_("Back at"), widget=DateTimeInput(), initial=timezone.now)
    version = VersionField()


class TransferForm(StyledFormMixin, ConsentForm):
    to_shelter = forms.ModelChoiceField(
        label=_("Transfer to"), queryset=Shelter.objects.select_related("organisation")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()

    field_order = ["to_shelter", "reason", "consent", "consent_note", "consent_now"]


class CarePlanItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CarePlanItem
        fields = ["service", "status", "due_on", "note"]
        widgets = {"due_on": DateInput()}


class CarePlanItemUpdateForm(CarePlanItemForm):
    """An item's status, due date and note; its service is what the item is."""

    version = VersionField()

    class Meta(CarePlanItemForm.Meta):
        fields = ["status", "due_on", "note"]


class MovementForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = MovementRecord
        fields = ["kind", "started_at", "ended_at", "accompanied", "note"]
        widgets = {"started_at": DateTimeInput(), "ended_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Usually recorded as the resident goes out: now, which the user may change.
        self.fields["started_at"].initial = timezone.now
