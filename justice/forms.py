"""The justice pages' forms: each posts to one service (views.py), whose refusals come back as
messages on the page (core.actions.perform)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput, StyledFormMixin
from core.versions import VersionField, version_of

from .models import ClaimSource, HearingKind, Offence, Prosecution, Verdict, Willingness

AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def _note(label, required=True):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


class ProsecutionForm(StyledFormMixin, forms.Form):
    offence = forms.ChoiceField(label=_("Offence"), choices=Offence.choices)
    police_station = forms.CharField(label=_("Police station"), max_length=200)
    police_case_number = forms.CharField(label=_("Police case number"), max_length=100)
    officer_name = forms.CharField(label=_("Investigating officer"), max_length=200)
    officer_phone = forms.CharField(label=_("Officer's telephone"), max_length=30, required=False)
    reported_on = forms.DateField(label=_("Complaint filed on"), widget=DateInput())


class ChargeForm(StyledFormMixin, forms.Form):
    prosecutor_office = forms.CharField(
        label=_("Public prosecutor's office"), max_length=200, required=False
    )
    court = forms.CharField(label=_("Court"), max_length=200)
    court_case_number = forms.CharField(label=_("Court case number"), max_length=100)
    charged_on = forms.DateField(label=_("Charged on"), widget=DateInput())
    version = VersionField()


class WitnessForm(StyledFormMixin, forms.Form):
    witness = forms.ChoiceField(label=_("Willing to be a witness"), choices=Willingness.choices)
    interpreter = forms.BooleanField(label=_("Interpreter"), required=False)
    interpreter_language = forms.CharField(
        label=_("Interpreter's language"), max_length=50, required=False
    )
    protection = forms.BooleanField(label=_("Witness protection"), required=False)
    video_testimony = forms.BooleanField(label=_("Testimony by video link"), required=False)
    advance_testimony = forms.BooleanField(label=_("Testimony taken in advance"), required=False)
    impact_statement = _note(_("Victim-impact statement"), required=False)
    impact_statement_on = forms.DateField(
        label=_("Victim-impact statement given on"), required=False, widget=DateInput()
    )
    version = VersionField()

    @classmethod
    def of(cls, prosecution: Prosecution):
        """The form filled with what is recorded now."""
        recorded = {f: getattr(prosecution, f) for f in cls.base_fields if f != "version"}
        recorded["version"] = version_of(prosecution)
        return cls(initial=recorded, auto_id="witness_%s")


class ConcludeForm(StyledFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("Judgment"), choices=[("", _("Choose the judgment")), *Verdict.choices]
    )
    judgment_on = forms.DateField(label=_("Judgment given on"), widget=DateInput())
    sentence = _note(_("Sentence"), required=False)
    version = VersionField()


class ReasonForm(StyledFormMixin, forms.Form):
    reason = _note(_("Reason"))
    version = VersionField()


class HearingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hearing"), choices=HearingKind.choices)
    scheduled_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("Courtroom"), max_length=200, required=False)


class PostponeForm(StyledFormMixin, forms.Form):
    scheduled_at = forms.DateTimeField(label=_("New date and time"), widget=DateTimeInput())
    note = _note(_("Note"), required=False)
    version = VersionField()


class HeldForm(StyledFormMixin, forms.Form):
    note = _note(_("What happened"), required=False)
    version = VersionField()


class CancelHearingForm(StyledFormMixin, forms.Form):
    note = _note(_("Why it is cancelled"))
    version = VersionField()


class ClaimForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("Claimed from"), choices=ClaimSource.choices)
    prosecution = forms.ModelChoiceField(
        label=_("Criminal proceeding"),
        queryset=Prosecution.objects.none(),
        required=False,
        help_text=_("For a claim against the offender, made in the criminal trial."),
    )
    amount_claimed = forms.DecimalField(label=_("Amount claimed (baht)"), **AMOUNT)
    claimed_on = forms.DateField(label=_("Claimed on"), widget=DateInput())
    note = _note(_("Note"), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["prosecution"].queryset = case.prosecutions.all()


class AwardForm(StyledFormMixin, forms.Form):
    amount_awarded = forms.DecimalField(label=_("Amount awarded (baht)"), **AMOUNT)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    version = VersionField()


class RejectForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    reason = _note(_("Reason"))
    version = VersionField()


class ReceiveForm(StyledFormMixin, forms.Form):
    amount_received = forms.DecimalField(label=_("Amount received (baht)"), **AMOUNT)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    version = VersionField()
