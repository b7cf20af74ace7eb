import re

from django import forms
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from core.forms import DateInput, StyledFormMixin, TypeAheadSelect
from core.versions import VersionField

from .models import Topic
from .permissions import RAISING_KINDS

CASE_NUMBER_SEPARATORS = re.compile(r"[\s,;]+")


class LessonForm(StyledFormMixin, forms.Form):
    """An issue raised on the register (the service checks it again, and the cases)."""

    title = forms.CharField(label=_("Issue"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    what_happened = forms.CharField(
        label=pgettext_lazy("lesson", "What happened"),
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
    )
    days_lost = forms.IntegerField(
        label=_("Time it costs (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_("About how many days a case waits because of it, if known."),
    )
    proposal = forms.CharField(
        label=_("What we propose"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
    )
    case_numbers = forms.CharField(
        label=_("Cases that show it"),
        required=False,
        max_length=2000,
        help_text=_(
            "Case numbers of your own, separated by spaces or commas. Other offices see a "
            "number only if they may see the case; otherwise only how many cases there are."
        ),
    )

    def clean_case_numbers(self) -> list[str]:
        return [n for n in CASE_NUMBER_SEPARATORS.split(self.cleaned_data["case_numbers"]) if n]


class EndorseForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("How it affects your organisation (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )
    version = VersionField()


class AnswerForm(StyledFormMixin, forms.Form):
    # Not required here: the service refuses an answer without a decision, in its own words.
    decision = forms.CharField(
        label=_("Decision of the central division"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
    )
    version = VersionField()


def action_organisations():
    """Who an action may go to: the central division, an office or a shelter; the regional
    offices in their numbers' order (rso-2 before rso-10: the shorter code first)."""
    return Organisation.objects.filter(
        is_active=True, kind__in=[*RAISING_KINDS, Organisation.Kind.CENTRAL]
    ).order_by("kind", Length("code"), "code")


class ActionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    organisation = forms.ModelChoiceField(
        label=_("Organisation that does it"),
        queryset=Organisation.objects.none(),
        widget=TypeAheadSelect(),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = action_organisations()


class DoneForm(StyledFormMixin, forms.Form):
    # Not required here: the service asks for it in its own words.
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )


class CloseForm(StyledFormMixin, forms.Form):
    """Closing an item cannot be undone (nothing leaves `closed`): the box says so."""

    confirm = forms.BooleanField(
        label=_("The item is closed for good and cannot be reopened: I confirm."),
        error_messages={"required": _("Tick the box to close the item: it cannot be reopened.")},
    )
    version = VersionField()
