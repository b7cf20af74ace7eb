from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import province_choices
from accounts.models import Organisation
from core.forms import StyledFormMixin
from core.versions import VersionField

from .models import ConsentBasis, DeclineReason, Kind, ServiceType, Urgency
from .selectors import QUEUE_ALL
from .workflow import ReviewState, State


class ConsentForm(forms.Form):
    """The person's consent to being referred (or transferred): the basis, the lawful reason
    where none is needed, and their consent given now after being told their rights."""

    consent = forms.ChoiceField(
        label=_("Consent"), choices=ConsentBasis.choices, widget=forms.RadioSelect
    )
    consent_note = forms.CharField(label=_("Why no consent is needed"), required=False)
    consent_now = forms.BooleanField(
        label=_("I told the person their rights (s.33) and they consent to this referral now"),
        required=False,
        help_text=_(
            "Recorded on the case with the referral. Not needed when their consent "
            "to referral is already on record."
        ),
    )


class ReferralForm(StyledFormMixin, ConsentForm):
    kind = forms.ChoiceField(label=_("Kind of referral"), choices=Kind.choices)
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"),
        queryset=Organisation.objects.filter(is_active=True)
        .exclude(kind__in=[Organisation.Kind.CENTRAL, Organisation.Kind.REGIONAL_OFFICE])
        .select_related("province")
        .order_by("kind", "name_th"),
    )
    services_requested = forms.MultipleChoiceField(
        label=_("Services requested"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    urgent = forms.BooleanField(
        label=_("Urgent"),
        required=False,
        help_text=_("A child, or a person who needs medical care now, is always urgent."),
    )
    reason = forms.CharField(
        label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 3})
    )
    submit = forms.BooleanField(
        label=_("Submit now (otherwise kept as a draft)"), required=False, initial=True
    )
    # Made when the form is shown: the same form sent twice (a double click) makes one referral.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    field_order = [
        "kind",
        "to_organisation",
        "services_requested",
        "urgent",
        "reason",
        "consent",
        "consent_note",
        "consent_now",
        "submit",
    ]


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class DeclineForm(StyledFormMixin, forms.Form):
    # No reason chosen in advance: the receiver says why, and the dashboard counts it.
    reason = forms.ChoiceField(
        label=_("Reason for declining"),
        choices=[("", _("Choose the reason")), *DeclineReason.choices],
        error_messages={
            "required": _("Choose the reason for declining."),
            "invalid_choice": _("Choose the reason for declining from the list."),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is “Other”."),
    )
    version = VersionField()


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Central review"),
        choices=[
            ("endorse", _("Endorse")),
            ("query", _("Query the sender")),
            ("escalate", _("Escalate")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = VersionField()


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class RedirectForm(StyledFormMixin, forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Redirect to"), queryset=ReferralForm.base_fields["to_organisation"].queryset
    )
    note = forms.CharField(label=_("Why there"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class QueueFilterForm(StyledFormMixin, forms.Form):
    # First what waits for the reviewer (referrals.selectors.review_queue), then the rest.
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Waiting for central review (pending or escalated)")),
            (QUEUE_ALL, _("All referrals")),
            (_("State"), [c for c in State.choices if c[0] != State.DRAFT]),
            (_("Central review"), [c for c in ReviewState.choices if c[0]]),
        ],
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("All")), *Urgency.choices]
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once per form (a callable would be read at each validation and rendering),
        # from the cache (accounts.choices).
        self.fields["province"].choices = [("", _("All")), *province_choices()]
