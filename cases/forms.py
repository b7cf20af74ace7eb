from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Province, User
from core.forms import (
    DateInput,
    DateTimeInput,
    StyledFormMixin,
    TypeAheadSelect,
    TypeAheadSelectMultiple,
)
from core.versions import VersionField

from .models import (
    Consent,
    ConsentStep,
    ExploitationType,
    IdentityDocument,
    Indicator,
    IntakeChannel,
    InterviewTopic,
    Outcome,
    Person,
    RiskLevel,
    ScreeningMember,
    SharedPart,
)
from .reference import country_choices, language_choices
from .selectors import mdt_account_memberships, partner_memberships
from .validators import validate_phone


def blank_first(choices):
    """Choices (a list, or a function giving them) with an empty first option, computed when
    the form is shown (in the user's language), not when the module is imported."""
    return lambda: [("", "—"), *(choices() if callable(choices) else choices)]


class PersonForm(StyledFormMixin, forms.ModelForm):
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        help_text=_("Separate names with commas."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        required=False,
        widget=TypeAheadSelectMultiple,
    )
    document_kind = forms.ChoiceField(
        label=_("Identity document"),
        choices=[("", _("None"))] + IdentityDocument.Kind.choices,
        required=False,
    )
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    document_country = forms.ChoiceField(
        label=_("Issued by"), choices=blank_first(country_choices), required=False
    )

    class Meta:
        model = Person
        fields = [
            "name_th",
            "name_latin",
            "name_native",
            "sex",
            "date_of_birth",
            "estimated_age",
            "age_disputed",
            "nationality",
            "stateless",
            "phone",
        ]
        widgets = {"date_of_birth": DateInput()}

    def clean_aliases(self):
        return [name.strip() for name in self.cleaned_data["aliases"].split(",") if name.strip()]

    def clean_phone(self):
        # The model's validators run in the service (_post_clean below): this one is told here.
        phone = self.cleaned_data["phone"].strip()
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("document_kind")) != bool(cleaned.get("document_number")):
            self.add_error("document_number", _("Give both the kind and the number."))
        return cleaned

    def _post_clean(self):
        # The model's own checks run in the service, where the name key is set too.
        pass


class CaseIntakeForm(StyledFormMixin, forms.Form):
    intake_channel = forms.ChoiceField(label=_("Intake channel"), choices=IntakeChannel.choices)
    # Most persons are registered on the day they are met: today, which the user may change.
    intake_date = forms.DateField(
        label=_("Intake date"), widget=DateInput(), initial=timezone.localdate
    )
    intake_province = forms.ModelChoiceField(
        label=_("Intake province"), queryset=Province.objects.all()
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM
    )


class CloseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class ConsentForm(StyledFormMixin, forms.Form):
    # No step and no decision chosen in advance: a consent is recorded only as the person gave
    # it, never by leaving the first choice in place.
    step = forms.ChoiceField(label=_("Step"), choices=blank_first(ConsentStep.choices))
    rights_notified = forms.BooleanField(label=_("Rights explained (s.33)"), required=False)
    decision = forms.ChoiceField(label=_("Decision"), choices=blank_first(Consent.Decision.choices))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    language = forms.ChoiceField(
        label=_("Language used"),
        choices=blank_first(language_choices),
        required=False,
        widget=TypeAheadSelect,
    )


class ScreeningStartForm(StyledFormMixin, forms.Form):
    custody_started_at = forms.DateTimeField(
        label=_("Custody or screening started"),
        widget=DateTimeInput(),
        initial=timezone.now,
        help_text=_(
            "Now, unless the person was taken into custody earlier: the 24-hour deadline "
            "(Act s.29) counts from this time."
        ),
    )
    interpreter_name = forms.CharField(label=_("Interpreter"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter's language"),
        choices=blank_first(language_choices),
        required=False,
        widget=TypeAheadSelect,
    )


class OfficerChoiceField(forms.ModelChoiceField):
    """An account, named with the organisations it is listed for (officer_choices)."""

    def label_from_instance(self, obj):
        organisations = ", ".join(str(m.organisation) for m in obj.listed_memberships)
        return f"{obj.display_name} · {organisations}"


class MemberForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Not needed when you choose the member's account."),
    )
    agency = forms.ChoiceField(label=_("Agency"), choices=ScreeningMember.Agency.choices)
    position = forms.CharField(label=_("Position"), required=False, max_length=200)
    account = OfficerChoiceField(
        label=_("Their account"),
        queryset=User.objects.none(),
        required=False,
        widget=TypeAheadSelect,
        help_text=_(
            "Where the member has an account: someone of this office or an officer of a "
            "partner agency."
        ),
    )

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is not None:
            self.fields["account"].queryset = accounts


class IndicatorsForm(StyledFormMixin, forms.Form):
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators observed"),
        queryset=Indicator.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = VersionField()


class InterviewForm(StyledFormMixin, forms.Form):
    held_at = forms.DateTimeField(label=_("Held at"), widget=DateTimeInput(), initial=timezone.now)
    interviewer = forms.CharField(label=_("Interviewer"), max_length=200)
    interpreter = forms.CharField(label=_("Interpreter"), required=False, max_length=200)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=blank_first(language_choices),
        required=False,
        widget=TypeAheadSelect,
    )
    location = forms.CharField(label=_("Place"), required=False, max_length=200)
    topics = forms.MultipleChoiceField(
        label=_("Topics covered"),
        choices=InterviewTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    recording_reference = forms.CharField(
        label=_("Recording reference"),
        required=False,
        max_length=200,
        help_text=_("Only when the person agreed to be recorded (their consent to the interview)."),
    )


class ExtensionForm(StyledFormMixin, forms.Form):
    until = forms.DateTimeField(label=_("New deadline"), widget=DateTimeInput())
    order_reference = forms.CharField(label=_("Court order reference"), max_length=100)
    version = VersionField()


class DecisionForm(StyledFormMixin, forms.Form):
    # No outcome chosen in advance: the MDT decides it.
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose the outcome")), *Outcome.choices]
    )
    reason = forms.CharField(
        label=_("Reasons for the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()


class SecondReviewForm(StyledFormMixin, forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("Second review"),
        choices=[
            ("1", _("Confirm: not a victim")),
            ("0", _("Reopen the screening")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()


class PermitForm(StyledFormMixin, forms.Form):
    reference = forms.CharField(label=_("Permit reference"), max_length=100)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput())


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_agency_display()})"


def officer_choices(working):
    """The active users of the `working` memberships, each with those memberships' organisations
    for the label (OfficerChoiceField)."""
    return (
        User.objects.filter(is_active=True, memberships__in=working)
        .distinct()
        .order_by("first_name", "last_name", "username")
        .prefetch_related(Prefetch("memberships", working, to_attr="listed_memberships"))
    )


def partner_officers():
    """The active officers of active partner agencies, each with their agency for the label.
    Only the supervisor who shares the case is offered the list (cases.permissions.can_grant):
    nobody else learns from it who has an account."""
    return officer_choices(partner_memberships())


def mdt_member_accounts(*, case, all_partners: bool):
    """The accounts an MDT member of the case's screening may be linked to
    (selectors.mdt_account_memberships; the service checks the choice again)."""
    return officer_choices(mdt_account_memberships(case=case, all_partners=all_partners))


class AccessGrantForm(StyledFormMixin, forms.Form):
    """Share a case with a partner agency's officer: the agency and the person chosen from
    lists with type-ahead (nobody types a user name), the parts shared, why and until when."""

    organisation = PartnerChoiceField(
        label=_("Partner agency"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PARTNER, is_active=True),
        widget=TypeAheadSelect,
    )
    user = OfficerChoiceField(
        label=_("Person"), queryset=User.objects.none(), widget=TypeAheadSelect
    )
    parts = forms.MultipleChoiceField(
        label=_("Parts shared"),
        choices=SharedPart.choices,
        widget=forms.CheckboxSelectMultiple,
        # None ticked in advance: the supervisor chooses each part the partner needs.
        help_text=_("Tick only what this agency needs for its part of the work."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    expires_at = forms.DateTimeField(
        label=_("Access ends"),
        widget=DateTimeInput(day_ends=True),
        help_text=_("A date alone means the end of that day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = partner_officers()


class PersonMergeForm(StyledFormMixin, forms.Form):
    case_number = forms.CharField(
        label=_("Case number of the other record"),
        max_length=30,
        help_text=_("The person of that case is merged into this record, with all their cases."),
    )
    reason = forms.CharField(
        label=_("How you know that they are the same person"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirmed = forms.BooleanField(
        label=_("Both records are the same person. A merge cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the merge.")},
    )
    version = VersionField()
