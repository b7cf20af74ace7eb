from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, User
from core.forms import DateTimeInput, StyledFormMixin
from core.versions import VersionField

from .models import LANGUAGES, Decision, Ground, RequestKind, Risk


class BreachForm(StyledFormMixin, forms.Form):
    summary = forms.CharField(label=pgettext_lazy("breach", "What happened"), max_length=300)
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    discovered_at = forms.DateTimeField(
        label=_("Became aware"),
        widget=DateTimeInput(),
        help_text=_("The 72 hours to tell the regulator run from this moment."),
    )
    occurred_at = forms.DateTimeField(label=_("Happened"), widget=DateTimeInput(), required=False)
    account = forms.ModelChoiceField(
        label=_("Account involved"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        to_field_name="username",
        help_text=_("The records this account opened in the period are read from the audit log."),
    )
    period_start = forms.DateTimeField(
        label=_("Misuse from"), widget=DateTimeInput(), required=False
    )
    period_end = forms.DateTimeField(
        label=_("Misuse until"), widget=DateTimeInput(), required=False
    )
    affected_elsewhere = forms.IntegerField(
        label=_("Persons affected outside the system"), min_value=0, initial=0
    )


class AssessForm(StyledFormMixin, forms.Form):
    risk = forms.ChoiceField(label=_("Risk"), choices=Risk.choices)
    risk_assessment = forms.CharField(
        label=_("Risk assessment"), widget=forms.Textarea(attrs={"rows": 3})
    )
    measures = forms.CharField(
        label=_("Measures taken"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()


class ReportForm(StyledFormMixin, forms.Form):
    reported_at = forms.DateTimeField(
        label=_("Reported to the regulator"), widget=DateTimeInput(), initial=timezone.now
    )
    regulator_reference = forms.CharField(
        label=_("Regulator's reference"), max_length=100, required=False
    )
    version = VersionField()


class ToldForm(StyledFormMixin, forms.Form):
    told_at = forms.DateTimeField(label=_("Persons told"), widget=DateTimeInput())
    version = VersionField()


class CloseForm(StyledFormMixin, forms.Form):
    measures = forms.CharField(
        label=_("Measures taken"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()


class RequestForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    case_number = forms.CharField(
        label=_("Case number"), max_length=30, help_text=_("One of the person's case numbers.")
    )
    requester = forms.CharField(
        label=_("Requester"),
        max_length=200,
        help_text=_("The person, or who asks on their behalf (a guardian, a lawyer)."),
    )
    received_at = forms.DateTimeField(
        label=_("Received"),
        widget=DateTimeInput(),
        help_text=_("The 30 days to answer run from this moment."),
    )
    received_by = forms.ModelChoiceField(
        label=_("Received by"),
        queryset=Organisation.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
    )
    language = forms.ChoiceField(label=_("Language of the answer"), choices=LANGUAGES)
    details = forms.CharField(
        label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class VerifyForm(StyledFormMixin, forms.Form):
    evidence = forms.CharField(
        label=_("Identity checked against"),
        max_length=300,
        help_text=_("The document seen, and the authority of a representative."),
    )
    version = VersionField()


class DecideForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    ground = forms.ChoiceField(label=_("Legal ground"), choices=Ground.choices)
    note = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()


class ReleaseForm(StyledFormMixin, forms.Form):
    reviewed = forms.BooleanField(
        label=_("I have read the copy: it holds nothing of another person or kept back by law."),
        required=False,
    )
    version = VersionField()


class BreakGlassForm(StyledFormMixin, forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=30)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The emergency: the central division and the case's office will read it."),
    )


class ReviewForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Review"), max_length=300)
    version = VersionField()
