"""The outcome's form, for a follow-up and for the closure of a case. Which answers are needed
depends on whether the person was reached: the service decides (services._validated), so the
fields are optional here and the page shows the service's messages on them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import CloseForm
from core.forms import StyledFormMixin

from .models import Answer, Contact, Health, NotPossibleReason, Outcome, OwnView


def _choice(field: str, choices, help_text="") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=Outcome._meta.get_field(field).verbose_name,
        choices=[("", _("Choose")), *choices],
        required=False,
        help_text=help_text,
    )


class OutcomeForm(StyledFormMixin, forms.Form):
    contact = forms.ChoiceField(
        label=_("Was the person reached?"),
        choices=Contact.choices,
        widget=forms.RadioSelect,
        initial=Contact.REACHED,
    )
    not_possible_reason = _choice(
        "not_possible_reason",
        NotPossibleReason.choices,
        _("Only when the follow-up could not be done."),
    )
    safe_housing = _choice("safe_housing", Answer.choices)
    income = _choice("income", Answer.choices)
    documents = _choice("documents", Answer.choices)
    compensation = _choice("compensation", Answer.choices)
    education = _choice("education", Answer.choices)
    health = _choice("health", Health.choices)
    own_view = _choice("own_view", OwnView.choices)
    own_words = forms.CharField(
        label=_("In the person's own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revictimised = forms.BooleanField(
        label=_("There is a sign of re-victimisation (exploited or trafficked again)"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a sign of re-victimisation, and for an “other” reason."),
    )


class ClosureOutcomeForm(CloseForm, OutcomeForm):
    """The reason for closing the case, and the person's outcome at closure."""

    field_order = ["reason"]
